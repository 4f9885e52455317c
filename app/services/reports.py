"""The campaign's reports as plain data: monthly unit report, campaign summary, ledger, circular.

No layout here (that is `app.documents`): each function reads the records and returns frozen
dataclasses, so the same data gives the same document and tests can check figures directly.

Where the figures come from:
- A hazard is *found* on its inspection's date (the day someone saw it, even if it was typed in
  later); it belongs to the location type of its area.
- Lifecycle dates come from the hazard's audit events (`transition:<status>`, `flag:listed:on`),
  as calendar days in the campaign's time zone.
- A monthly report covers its period (the 26th of the month before to the 25th, the day it is
  due: `Campaign.monthly_period`) as it stood at the period's end (or today, in the current
  period): each hazard's state then is replayed from its audit events (the `create` event holds
  the whole record, later events what changed). A July report printed in September still says
  what July looked like.
- Rectification rate: for reports, rectified-or-verified over found. A circular judges units on
  hazards that are *due* (deadline passed): a unit is not blamed for a hazard it still has
  time to fix, nor for one deferred with an approved plan (deferral moves the deadline).
"""

from __future__ import annotations

import datetime as dt

from app.domain import lifecycle
from app.domain.errors import NotFound
from app.domain.figures import hazard_figures
from app.domain.model import Flag, InspectionKind, Severity
from app.domain.reports import Figures, LedgerRow, LocationRow, MonthlyReport, WorkReport

from .context import Context
from .issuers import bureau_office
from .report_history import HazardLine, Life, areas_of, hazard_line, lives, location_names, unit_name
from .report_summary import (
    LATE_GRACE_DAYS,
    CircularData,
    LaggingUnit,
    LagReason,
    PhaseFigures,
    PhaseInfo,
    SummaryReport,
    UnitSummary,
    circular_data,
    late_obligations,
    summary_data,
)
from .work_reports import report_key, with_interim, work_report

__all__ = [
    "Figures", "LocationRow", "HazardLine", "MonthlyReport", "monthly_report_data",
    "PhaseInfo", "PhaseFigures", "UnitSummary", "SummaryReport", "summary_data",
    "LedgerRow", "ledger_rows",
    "LagReason", "LaggingUnit", "CircularData", "circular_data", "late_obligations", "LATE_GRACE_DAYS",
]

KINDS = tuple(InspectionKind)


# ---------------------------------------------------------------- monthly unit report (月报)











def monthly_report_data(ctx: Context, unit: str, year: int, month: int,
                        work: WorkReport | None = None) -> MonthlyReport:
    """The unit's report of month (1–12): its period (`Campaign.monthly_period`, ending on the day
    the report is due) as it stood at the period's end; ValueError for a period not yet begun."""
    if ctx.catalog.units.get(unit) is None:
        raise NotFound("unit", unit)
    campaign = ctx.catalog.campaign
    start, end = campaign.monthly_period(year, month)
    today = ctx.today()
    if start > today:
        raise ValueError(f"{year}-{month:02d} has not begun")
    as_of = min(end, today)
    inspections = [i for i in ctx.repo.inspections(unit) if not i.deleted]
    in_month = [i for i in inspections if start <= i.date <= as_of]
    areas = areas_of(ctx, [i.id for i in inspections])
    month_areas = [a for a in areas.values() if a.inspection_id in {i.id for i in in_month}]
    known = [life for life in lives(ctx, unit) if life.found <= as_of]
    states = {life.hazard.id: life.state_on(as_of) for life in known}

    def location(life: Life) -> str:
        area = areas.get(life.hazard.area_id)
        return area.location_type if area else ""

    found = [life for life in known if life.found >= start]
    rectified = [life for life in known if life.acted_in("transition:rectified", start, as_of)]
    overdue = [life for life in known if lifecycle.is_overdue(states[life.hazard.id], as_of)]
    month_figures = Figures(
        found=len(found),
        major=sum(1 for life in found if states[life.hazard.id].severity is Severity.MAJOR),
        rectified=len(rectified),
        verified=sum(1 for life in known if life.acted_in("transition:verified", start, as_of)),
        # newly overdue: the deadline passed during the month
        overdue=sum(1 for life in overdue if states[life.hazard.id].deadline >= start - dt.timedelta(days=1)),
        deferred=sum(1 for life in known if life.acted_in("transition:deferred", start, as_of)),
        listed=sum(1 for life in known if life.acted_in(f"flag:{Flag.LISTED.value}:on", start, as_of)),
    )
    then = hazard_figures(states.values(), as_of)      # the same definitions as every other document
    to_date = Figures(found=then.found, major=then.major, rectified=then.rectified, verified=then.verified,
                      overdue=then.overdue, deferred=then.deferred, listed=then.listed)
    names = location_names(ctx)
    types = {a.location_type for a in month_areas} | {location(life) for life in found + rectified + overdue}
    order = {c.id: n for n, c in enumerate(ctx.catalog.checklists)}
    rows = tuple(
        LocationRow(
            location_type=t, name=names.get(t, t or "—"),
            areas=sum(1 for a in month_areas if a.location_type == t),
            found=sum(1 for life in found if location(life) == t),
            rectified=sum(1 for life in rectified if location(life) == t),
            overdue=sum(1 for life in overdue if location(life) == t),
        )
        for t in sorted(types, key=lambda t: (order.get(t, len(order)), t))
    )
    overdue_lines = sorted(
        (hazard_line(states[life.hazard.id], areas, as_of) for life in overdue),
        key=lambda line: (-line.days_overdue, not line.major, line.description),
    )
    return MonthlyReport(
        unit=unit, unit_name=unit_name(ctx, unit), campaign=campaign.name_zh, bureau=campaign.issuer_zh,
        year=year, month=month, start=start, end=end, as_of=as_of, due=campaign.monthly_due(year, month),
        phases=tuple(p.name_zh for p in campaign.phases if p.start <= end and p.end >= start),
        generated_at=ctx.now(),
        inspections=tuple((kind, sum(1 for i in in_month if i.kind is kind)) for kind in KINDS),
        areas=len(month_areas), by_location=rows, this_month=month_figures, to_date=to_date,
        overdue=tuple(overdue_lines),
        work=with_interim(ctx, unit, work) if work is not None else work_report(
            ctx, unit, report_key("monthly", (year, month))),
        addressee=bureau_office(ctx).name,
    )


# ---------------------------------------------------------------- hazard ledger (台账)





def ledger_rows(ctx: Context, unit: str | None = None) -> tuple[LedgerRow, ...]:
    """Every hazard (of `unit`, or all), in roster order then by the date found."""
    if unit is not None and ctx.catalog.units.get(unit) is None:
        raise NotFound("unit", unit)
    today = ctx.today()
    every = lives(ctx, unit)
    inspections = {i.id: i for i in ctx.repo.inspections(unit)}
    areas = areas_of(ctx, [life.hazard.inspection_id for life in every])
    names = location_names(ctx)
    rows = []
    for number, life in enumerate(every, start=1):
        h = life.hazard
        area = areas.get(h.area_id)
        inspection = inspections.get(h.inspection_id)
        late = lifecycle.is_overdue(h, today)
        rows.append(LedgerRow(
            number=number, hazard_id=h.id, unit=h.unit, unit_name=unit_name(ctx, h.unit),
            inspection_date=life.found, inspection_kind=inspection.kind if inspection else None,
            area=area.name if area else "", location_type=area.location_type if area else "",
            location_name=names.get(area.location_type, area.location_type) if area else "",
            department=h.department, description=h.description, basis=h.basis,
            major=h.severity is Severity.MAJOR, status=h.status, flags=h.flags, deadline=h.deadline,
            responsible=h.responsible, measures=h.measures, funds=f"{h.funds:.2f}", raised=life.raised,
            started=life.last("transition:rectifying"), rectified=life.last("transition:rectified"),
            verified=life.last("transition:verified"), reopened=life.last("transition:reopened"),
            deferred=life.last("transition:deferred"), overdue=late,
            days_overdue=(today - h.deadline).days if late else 0, as_of=today,
        ))
    return tuple(rows)
