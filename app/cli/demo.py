"""`firesweep demo [--data DIR] [--scale small|unit-year|bureau] [--seed N]`: build demo data."""

from __future__ import annotations

import argparse
import os
import sys
import time

from app import demo
from app.datadir import ENV_VAR, demo_data_dir, resolve_data_dir
from app.domain.errors import InvalidInput
from app.i18n import Translator

from .common import EXIT_BAD_INPUT, EXIT_OK, add_data_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="生成演示数据 / build demo data")
    add_data_option(parser)
    parser.add_argument("--scale", choices=demo.SCALES, default="small",
                        help="small（默认）/ unit-year（一家医院一年）/ bureau（36 家单位一次专项行动）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成同样的数据 / same seed, same data")
    parser.add_argument("--parts", type=number_of_parts, default=None,
                        help="分几部分并行生成（bureau 默认 2，其余 1）；种子与分法相同则数据相同 / "
                             "build the units in N parts side by side (bureau: 2, others: 1); same seed and "
                             "parts, same data")
    parser.set_defaults(handler=run)


def number_of_parts(text: str) -> int:
    """argparse's check of `--parts` (its message is in both languages: no translator exists yet)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 36:
        raise argparse.ArgumentTypeError(f"“{text}”：应为 1 到 36 之间的整数 / must be a whole number from 1 to 36")
    return value


def run(args: argparse.Namespace, t: Translator) -> int:
    # Without --data or $FIRESWEEP_DATA the demo goes to its own directory, never into real data.
    explicit = args.data or os.environ.get(ENV_VAR)
    data_dir = resolve_data_dir(args.data) if explicit else demo_data_dir()
    print(t("demo.building", scale=args.scale, seed=args.seed, path=data_dir), flush=True)
    started = time.monotonic()

    def progress(month: str) -> None:
        print(t("demo.progress", month=month, seconds=round(time.monotonic() - started)), flush=True)

    try:
        summary = demo.build_demo(data_dir, args.scale, args.seed, progress, parts=args.parts)
    except InvalidInput as error:
        if error.reason != "not_empty":
            raise
        print(t("demo.not_empty", path=data_dir), file=sys.stderr)
        return EXIT_BAD_INPUT
    status, flags = summary.by_status, summary.by_flag
    print(t("demo.summary", units=summary.units, inspections=summary.inspections, drafts=summary.drafts,
            areas=summary.areas, responses=summary.responses, hazards=summary.hazards, notices=summary.notices,
            major=summary.by_severity["major"], overdue=summary.overdue, today=summary.today.isoformat(),
            seconds=round(time.monotonic() - started, 1)))
    print(t("demo.statuses", **status, **flags))
    return EXIT_OK
