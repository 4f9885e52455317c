"""What every subcommand shares: exit codes and the `--data` option."""

from __future__ import annotations

import argparse

EXIT_OK = 0          # done
EXIT_PROBLEMS = 1    # ran, and found or refused something (verify problems, rejected files)
EXIT_BAD_INPUT = 2   # bad usage or bad input; nothing was changed


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR", default=None,
                        help="数据目录 / data directory (default: $FIRESWEEP_DATA, else the user-data dir)")
