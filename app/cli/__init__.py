"""The command line: `firesweep …` or `python -m app …`.

Each subcommand lives in its own module and registers itself with `add_parser(subparsers)`.
Errors are translated in one place (`main`): an `AppError` prints one line in the user's
language and exits 2; a usage mistake does the same; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from app.domain.errors import AppError
from app.i18n import LANGS, Translator, describe_error, resolve_lang

from . import (
    campaign,
    checklists,
    data,
    demo,
    enroll,
    field_kit,
    hazard,
    inspections,
    notice,
    obligation,
    photos,
    report,
    serve,
    sync,
    walk,
)
from .common import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_BAD_INPUT"]

_COMMANDS = (serve, field_kit, checklists, demo, data, inspections, hazard, walk, photos, notice, sync, report,
             campaign, obligation, enroll)


class UsageError(Exception):
    """argparse found a mistake in the command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="firesweep", description="firesweep — 火灾隐患排查 / fire-hazard sweep")
    parser.add_argument("--lang", choices=LANGS, default=None, help="zh-CN (default) or en")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in _COMMANDS:
        module.add_parser(sub)
    return parser


def _lang_from(argv: Sequence[str]) -> str:
    """The language asked for, even when the rest of the command line does not parse."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return resolve_lang(argv[i + 1])
        if arg.startswith("--lang="):
            return resolve_lang(arg.split("=", 1)[1])
    return resolve_lang(None)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from(args_list)
    t = Translator(lang)
    try:
        args = build_parser().parse_args(args_list)
        handler: Callable[[argparse.Namespace, Translator], int] = args.handler
        return handler(args, t)
    except UsageError as exc:
        print(t("cli.bad_usage", message=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except AppError as exc:
        print(describe_error(exc, lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
