"""`firesweep report {monthly,summary,ledger,circular}`: write a campaign report to a file.

    firesweep report monthly --unit U01 [--month 2026-07]    月报 (default: this month)
    firesweep report summary                                 总结报告
    firesweep report ledger [--unit U01] [--format xlsx]     隐患台账 (pdf, xlsx or csv)
    firesweep report circular                                通报
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.i18n import Translator
from app.services import report_files

from .common import EXIT_BAD_INPUT, EXIT_OK, add_data_option

KINDS = report_files.KINDS
FORMATS = report_files.FORMATS
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="月报、总结报告、隐患台账、通报 / reports")
    parser.add_argument("kind", choices=KINDS, help="monthly 月报 · summary 总结报告 · ledger 隐患台账 · circular 通报")
    add_data_option(parser)
    parser.add_argument("--unit", metavar="U", help="单位代码 / unit code (monthly: required; ledger: one unit)")
    parser.add_argument("--month", metavar="YYYY-MM", help="月报月份 / month of the report (default: this month)")
    parser.add_argument("--format", choices=FORMATS, default="pdf", help="pdf（默认）; xlsx / csv: ledger only")
    parser.add_argument("--out", type=Path, metavar="FILE", help="output file (default: a name in this folder)")
    parser.set_defaults(handler=run)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_BAD_INPUT


def _month(value: str) -> tuple[int, int] | None:
    match = _MONTH.match(value.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if 1 <= month <= 12 and 2000 <= year <= 2100 else None


def run(args: argparse.Namespace, t: Translator) -> int:
    name = t(f"report.{args.kind}")
    # usage checks first: nothing is opened or created for a command that cannot run
    if args.format != "pdf" and args.kind != "ledger":
        return _fail(t("report.format_only_ledger", format=args.format, report=name))
    if args.unit and args.kind in ("summary", "circular"):
        return _fail(t("report.unit_not_used", report=name))
    if args.kind == "monthly" and not args.unit:
        return _fail(t("report.needs_unit"))
    month = None
    if args.month is not None:
        month = _month(args.month)
        if month is None:
            return _fail(t("report.bad_month", value=args.month))
    ctx = build(resolve_data_dir(args.data))
    if args.kind == "monthly" and month is not None and month > (ctx.today().year, ctx.today().month):
        return _fail(t("report.future_month", month=f"{month[0]}-{month[1]:02d}"))
    report = report_files.render_report(ctx, args.kind, unit=args.unit, month=month, fmt=args.format)
    out = args.out or Path(report.name)
    out.write_bytes(report.content)
    print(t("report.written", report=name, path=out))
    return EXIT_OK
