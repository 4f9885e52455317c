"""`firesweep report {monthly,summary,rectification,ledger,circular}`: write a report to a file.

    firesweep report monthly --unit U01 [--month 2026-07] [--work FILE]   月报 (default: this month)
    firesweep report summary [--unit U01] [--work FILE]    总结报告: the bureau's, or the unit's own
    firesweep report rectification --unit U01 [--work FILE]  单位自查整改工作情况报告
    firesweep report ledger [--unit U01] [--format xlsx]     隐患台账 (pdf, xlsx or csv)
    firesweep report circular [--serial 3]                   通报 (文号 serial in the office's series)

--work reads the unit's 工作情况 (and for a summary its 成功经验, 存在问题, 长效机制) from a TOML
file (`app.domain.reports`), stores it for that report as the app does, and prints it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.domain.errors import AppError
from app.domain.reports import parse_work_report
from app.i18n import Translator, describe_error
from app.services import report_files, work_reports

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
    parser.add_argument("--work", type=Path, metavar="FILE", help="工作情况 TOML 文件 / the unit's work report (TOML)")
    parser.add_argument("--serial", type=int, default=1, metavar="N", help="通报文号序号 / the circular's serial")
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
    if args.unit and args.kind == "circular":
        return _fail(t("report.unit_not_used", report=name))
    if args.kind in ("monthly", "rectification") and not args.unit:
        return _fail(t("report.needs_unit"))
    if args.serial < 1:
        return _fail(t("report_doc.bad_serial", value=args.serial))
    work = None
    if args.work is not None:
        try:
            work = parse_work_report(args.work.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            return _fail(t("report_doc.unreadable_work", path=args.work, message=error))
        except AppError as error:
            return _fail(describe_error(error, t.lang))
    month = None
    if args.month is not None:
        month = _month(args.month)
        if month is None:
            return _fail(t("report.bad_month", value=args.month))
    ctx = build(resolve_data_dir(args.data))
    if args.kind == "monthly" and month is not None and month > (ctx.today().year, ctx.today().month):
        return _fail(t("report.future_month", month=f"{month[0]}-{month[1]:02d}"))
    if work is not None and args.kind in ("monthly", "summary", "rectification"):
        key = work_reports.report_key(args.kind, month or (ctx.today().year, ctx.today().month))
        work_reports.save_work_report(ctx, args.unit or work_reports.BUREAU, key, work)
    report = report_files.render_report(ctx, args.kind, unit=args.unit, month=month, fmt=args.format, work=work,
                                        serial=args.serial)
    out = args.out or Path(report.name)
    out.write_bytes(report.content)
    print(t("report.written", report=name, path=out))
    return EXIT_OK
