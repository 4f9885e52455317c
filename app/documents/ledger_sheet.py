"""The hazard ledger (隐患台账) as a spreadsheet: `.xlsx` (openpyxl) and CSV.

Same rows as the PDF ledger, with every field: the bureau sorts, filters and adds columns of
its own. In the workbook dates are real dates (Excel can sort and filter them) and funds are
numbers; the CSV is UTF-8 with a byte-order mark, without which Excel on Windows reads the
Chinese as GBK and shows mojibake.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.documents.report_parts import flag_labels, kind_label, status_label
from app.domain.reports import LedgerRow

__all__ = ["FIELDS", "ledger_xlsx", "ledger_csv"]

_DATE = "yyyy-mm-dd"
_MONEY = "#,##0.00"

# (header, width in characters, value of a row, Excel number format or None)
FIELDS: tuple[tuple[str, int, Callable[[LedgerRow], object], str | None], ...] = (
    ("序号", 6, lambda r: r.number, None),
    ("单位代码", 8, lambda r: r.unit, None),
    ("单位", 22, lambda r: r.unit_name, None),
    ("发现日期", 12, lambda r: r.inspection_date, _DATE),
    ("检查类型", 8, lambda r: kind_label(r.inspection_kind), None),
    ("部位", 22, lambda r: r.area, None),
    ("部位类型", 12, lambda r: r.location_name, None),
    ("科室", 12, lambda r: r.department, None),
    ("隐患描述", 48, lambda r: r.description, None),
    ("依据", 40, lambda r: r.basis, None),
    ("隐患等级", 8, lambda r: "重大" if r.major else "一般", None),
    ("状态", 10, lambda r: status_label(r.status), None),
    ("标记", 14, lambda r: "、".join(flag_labels(r.flags)), None),
    ("整改期限", 12, lambda r: r.deadline, _DATE),
    ("是否逾期", 8, lambda r: "是" if r.overdue else "否", None),
    ("逾期天数", 8, lambda r: r.days_overdue, None),
    ("整改责任人", 14, lambda r: r.responsible, None),
    ("整改措施", 36, lambda r: r.measures, None),
    ("整改资金（元）", 14, lambda r: Decimal(r.funds), _MONEY),
    ("录入日期", 12, lambda r: r.raised, _DATE),
    ("开始整改日期", 12, lambda r: r.started, _DATE),
    ("整改完成日期", 12, lambda r: r.rectified, _DATE),
    ("复查销号日期", 12, lambda r: r.verified, _DATE),
    ("复查未通过日期", 12, lambda r: r.reopened, _DATE),
    ("暂缓整改日期", 12, lambda r: r.deferred, _DATE),
    ("统计日期", 12, lambda r: r.as_of, _DATE),
    ("隐患编号", 34, lambda r: r.hazard_id, None),
)


def ledger_xlsx(rows: Sequence[LedgerRow]) -> bytes:
    """A workbook with one sheet 隐患台账: bold frozen header, filters, widths, real dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = "隐患台账"
    bold = Font(bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for col, (header, width, _, _) in enumerate(FIELDS, start=1):
        cell = sheet.cell(row=1, column=col, value=header)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    for n, row in enumerate(rows, start=2):
        for col, (_, _, value, number_format) in enumerate(FIELDS, start=1):
            cell = sheet.cell(row=n, column=col, value=value(row))
            if number_format and cell.value is not None:
                cell.number_format = number_format
            if isinstance(cell.value, str) and len(cell.value) > 20:
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(FIELDS))}{len(rows) + 1}"
    # the document's own dates are the day the ledger was drawn up, not the moment of saving
    as_of = max((r.as_of for r in rows), default=None)
    if as_of:
        moment = dt.datetime(as_of.year, as_of.month, as_of.day)
        book.properties.created = book.properties.modified = moment
    book.properties.creator = "firesweep"
    book.properties.title = "火灾隐患整改台账"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_csv(rows: Sequence[LedgerRow]) -> bytes:
    """CSV, UTF-8 with BOM, CRLF line ends; dates as 2026-07-20, funds as 1200.00."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([header for header, *_ in FIELDS])
    for row in rows:
        writer.writerow([_plain(value(row)) for _, _, value, _ in FIELDS])
    return out.getvalue().encode("utf-8-sig")


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
