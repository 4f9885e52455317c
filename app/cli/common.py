"""What every subcommand shares: exit codes, the `--data` and `--by` options, reading the context.

Errors are not handled here: a subcommand raises the service's `AppError` (or one of its own for
an option it parses) and `app.cli.main` prints it in the user's language and exits 2.
"""

from __future__ import annotations

import argparse
import datetime as dt

from app import bootstrap
from app.datadir import resolve_data_dir
from app.domain.errors import InvalidInput
from app.services.context import Context
from app.services.hazard_commands import acting_as

EXIT_OK = 0          # done
EXIT_PROBLEMS = 1    # ran, and found or refused something (verify problems, rejected files)
EXIT_BAD_INPUT = 2   # bad usage or bad input; nothing was changed


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR", default=None,
                        help="数据目录 / data directory (default: $FIRESWEEP_DATA, else the user-data dir)")


def add_by_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", metavar="NAME", default=None,
                        help="操作人 / the person acting (default: this device's inspector, Settings)")


def open_context(args: argparse.Namespace) -> Context:
    """The services' context on `--data` (wired by `bootstrap.build`, looked up here so tests can pin the clock)."""
    return bootstrap.build(resolve_data_dir(args.data))


def acting_context(args: argparse.Namespace) -> Context:
    """The context acting as `--by`, else as the device's inspector profile (refused when neither is set)."""
    return acting_as(open_context(args), args.by)


def parse_day(value: str, option: str) -> dt.date:
    """A YYYY-MM-DD date given to `option`, or a localized refusal naming the option."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(option, "cli_date_format", value=value) from None
