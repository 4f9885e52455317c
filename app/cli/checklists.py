"""`firesweep checklists check [PATH…]`: validate checklist files, list every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.i18n import Translator, describe_problem
from app.services import catalog

from .common import EXIT_BAD_INPUT, EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("checklists", help="检查表 / checklists")
    actions = group.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="校验检查表文件 / validate checklist files")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: shipped checklists)")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, t: Translator) -> int:
    loaded, problems = catalog.check_files(args.paths or None)
    for path, checklist in loaded:
        print(t("checklist.file_ok", path=path, name=checklist.name(t.lang),
                items=len(checklist.items), version=checklist.version))
    if problems:
        for problem in problems:
            print(describe_problem(problem, t), file=sys.stderr)
        print(t("checklist.problems", count=len(problems)), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(t("checklist.all_valid", count=len(loaded), items=sum(len(c.items) for _, c in loaded)))
    return EXIT_OK
