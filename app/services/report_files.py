"""A report as a finished file: the data gathered and laid out, with the name to save it under.

The command line and the Reports screen both call `render_report`, so the same request gives
the same file wherever it is made. Gathering is in `app.services.reports`, layout in
`app.documents`; this module only picks the pair and names the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.documents import ledger_sheet, reports_pdf
from app.documents.unit_report_pdf import render_unit_report
from app.domain.errors import InvalidInput
from app.domain.permissions import Action
from app.domain.reports import WorkReport

from . import authority, reports
from .context import Context
from .unit_reports import unit_report_data

__all__ = ["KINDS", "FORMATS", "ReportFile", "render_report", "report_months"]

KINDS = ("monthly", "summary", "rectification", "ledger", "circular")
FORMATS = ("pdf", "xlsx", "csv")   # xlsx and csv: the ledger only
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class ReportFile:
    name: str          # e.g. monthly-U01-2026-07.pdf
    content: bytes
    mime: str


def report_months(ctx: Context) -> list[tuple[int, int]]:
    """(year, month) a monthly report can be made for: from the campaign's first month to this one."""
    campaign = ctx.catalog.campaign
    today = ctx.today()
    year, month = campaign.start.year, campaign.start.month
    months = []
    while (year, month) <= (today.year, today.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months or [(today.year, today.month)]


def _authorize(ctx: Context, kind: str, unit: str | None) -> None:
    """The circular and the campaign summary are the bureau's; a unit's reports, its own unit's."""
    if kind == "circular":
        authority.require(ctx, Action.CIRCULAR, None)
    elif kind == "summary" and not unit:
        authority.require(ctx, Action.BUREAU_REPORT, None)
    elif unit:
        authority.require(ctx, Action.UNIT_REPORT, unit)


def render_report(ctx: Context, kind: str, unit: str | None = None, month: tuple[int, int] | None = None,
                  fmt: str = "pdf", work: WorkReport | None = None, serial: int = 1) -> ReportFile:
    """The report `kind` (see KINDS) as bytes. Monthly and rectification need `unit` (month:
    default this one); summary is the unit's 总结报告 with `unit`, the bureau's without; the ledger
    takes an optional `unit` and any of FORMATS; the circular is numbered `serial`. `work` is the
    unit's 工作情况 (else what is stored for that report).

    Reportlab work: seconds for a bureau's year, so callers in the UI run it off the event loop.
    """
    if kind not in KINDS or fmt not in FORMATS or (fmt != "pdf" and kind != "ledger"):
        raise ValueError(f"no {fmt} {kind} report")
    _authorize(ctx, kind, unit)
    today = ctx.today()
    if kind == "monthly":
        if not unit:
            raise InvalidInput("unit", "required")
        year, number = month or (today.year, today.month)
        if (year, number) > (today.year, today.month):
            raise InvalidInput("month", "future_month", month=f"{year}-{number:02d}")
        data = reports.monthly_report_data(ctx, unit, year, number, work)
        return ReportFile(f"monthly-{unit}-{year}-{number:02d}.pdf", reports_pdf.render_monthly(data), MIME["pdf"])
    if kind == "rectification" or (kind == "summary" and unit):
        if not unit:
            raise InvalidInput("unit", "required")
        unit_data = unit_report_data(ctx, unit, kind, work)
        return ReportFile(f"{kind}-{unit}-{today}.pdf", render_unit_report(unit_data), MIME["pdf"])
    if kind == "summary":
        return ReportFile(f"summary-{today}.pdf", reports_pdf.render_summary(reports.summary_data(ctx, work)),
                          MIME["pdf"])
    if kind == "circular":
        return ReportFile(f"circular-{today}.pdf",
                          reports_pdf.render_circular(reports.circular_data(ctx, serial)), MIME["pdf"])
    rows = reports.ledger_rows(ctx, unit)
    if fmt == "xlsx":
        content = ledger_sheet.ledger_xlsx(rows)
    elif fmt == "csv":
        content = ledger_sheet.ledger_csv(rows)
    else:
        known = ctx.catalog.units.get(unit) if unit else None
        content = reports_pdf.render_ledger(rows, unit_name=known.name_zh if known else "", as_of=today)
    return ReportFile(f"ledger-{unit or 'all'}-{today}.{fmt}", content, MIME[fmt])
