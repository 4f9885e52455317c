"""The hazard ledger (隐患台账) as an A4 landscape PDF: one row per hazard, header on every page."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.documents.common import build_pdf, zh_date
from app.documents.common import text as markup
from app.documents.fonts import styles
from app.documents.report_parts import flag_labels, grid, para, short_date, status_label
from app.domain.clock import CAMPAIGN_TZ
from app.domain.reports import LedgerRow

__all__ = ["render_ledger", "COLUMNS"]

PAGE = landscape(A4)
MARGIN_X = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
DATE_W = 19 * mm            # 2026-07-20 in 8.5 pt, with the cell's padding
# (header, width): the description takes what the others leave; 单位 only in a ledger of several units
COLUMNS = (
    ("序号", 10 * mm), ("单位", 24 * mm), ("部位", 26 * mm), ("隐患描述", 0), ("等级", 10 * mm),
    ("发现日期", DATE_W), ("整改期限", DATE_W), ("责任人", 20 * mm), ("状态", 15 * mm),
    ("整改日期", DATE_W), ("复查销号", DATE_W), ("备注", 36 * mm),
)


def render_ledger(rows: tuple[LedgerRow, ...] | list[LedgerRow], *, unit_name: str = "",
                  as_of: dt.date | None = None) -> bytes:
    """The ledger of `rows` (from `ledger_rows`), as of the day they were drawn up.

    `unit_name` names the unit of a one-unit ledger (else it is read from the rows); `as_of` is
    only needed when there are no rows to take it from. The PDF's date is that day's midnight.
    """
    st = styles()
    as_of = max((r.as_of for r in rows), default=as_of) or dt.date(2000, 1, 1)
    units = {r.unit_name for r in rows}
    several = len(units) > 1
    scope = unit_name or (next(iter(units)) if len(units) == 1 else "全部直属单位")
    columns = [c for c in COLUMNS if several or c[0] != "单位"]
    widths = [w for _, w in columns]
    widths[[h for h, _ in columns].index("隐患描述")] = WIDTH - sum(widths)
    left = tuple(n for n, (h, _) in enumerate(columns) if h in ("单位", "部位", "隐患描述", "责任人", "备注"))
    story: list[Flowable] = [
        Paragraph("火灾隐患整改台账", st.title),
        Spacer(1, 1 * mm),
        Paragraph(f"（{escape(scope)}，共{len(rows)}条，截至{zh_date(as_of)}）", st.issuer),
        Spacer(1, 3 * mm),
    ]
    if rows:
        body = [_row(r, st, several) for r in rows]
        story.append(grid([[h for h, _ in columns]], body, widths, left=left, small=True))
    else:
        story.append(para("暂无隐患记录。", "plain"))
    moment = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=CAMPAIGN_TZ)
    return build_pdf(story, title=f"火灾隐患整改台账 {scope}", author=scope, footer=f"隐患台账 {scope}",
                     moment=moment, pagesize=PAGE, margin_x=MARGIN_X, margin_top=12 * mm, margin_bottom=18 * mm)


def _row(r: LedgerRow, st, with_unit: bool) -> list:
    notes = [*flag_labels(r.flags)]
    if r.overdue:
        notes.insert(0, f"逾期{r.days_overdue}天")
    if r.deferred:
        notes.append(f"暂缓（{short_date(r.deferred)}）")
    if r.reopened:
        notes.append(f"复查未通过（{short_date(r.reopened)}）")
    area = markup(r.area) + (f"<br/>（{markup(r.department)}）" if r.department else "")
    return [
        str(r.number), *([Paragraph(markup(r.unit_name), st.cell_small)] if with_unit else []),
        Paragraph(area, st.cell_small), Paragraph(markup(r.description), st.cell_small),
        "重大" if r.major else "一般", short_date(r.inspection_date), short_date(r.deadline),
        Paragraph(markup(r.responsible) if r.responsible else "", st.cell_small),
        status_label(r.status), short_date(r.rectified), short_date(r.verified),
        Paragraph("<br/>".join(notes), st.cell_small),      # one note a line: a date never breaks
    ]
