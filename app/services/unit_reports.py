"""A unit's own reports to the bureau: its rectification-phase report and its 总结报告.

The campaign plan: each unit reports its self-check and rectification when the rectification phase
ends (the `rectification_report` obligation, 9/15), and its summary report by 9/26. Each carries
the unit's figures (`app.domain.figures`, as the dashboard and the bureau's summary count them)
and the unit's own words (`work_reports`).
"""

from __future__ import annotations

from app.domain.errors import InvalidInput, NotFound
from app.domain.figures import hazard_figures
from app.domain.model import InspectionKind
from app.domain.reports import OpenLine, PhaseLine, UnitReport, WorkReport
from app.i18n import Translator

from .context import Context
from .issuers import bureau_office
from .report_history import areas_of, lives, unit_name
from .work_reports import report_key, with_interim, work_report

__all__ = ["UNIT_KINDS", "unit_report_data"]

UNIT_KINDS = ("rectification", "summary")
ZH = Translator("zh-CN")


def unit_report_data(ctx: Context, unit: str, kind: str, work: WorkReport | None = None) -> UnitReport:
    """The unit's report `kind` as of today; `work` replaces what is stored for it."""
    if kind not in UNIT_KINDS:
        raise InvalidInput("kind", "out_of_range", value=kind)
    if ctx.catalog.units.get(unit) is None:
        raise NotFound("unit", unit)
    campaign = ctx.catalog.campaign
    today = ctx.today()
    mine = lives(ctx, unit)
    visits = [i for i in ctx.repo.inspections(unit) if not i.deleted]
    hazards = [life.hazard for life in mine]
    figures = hazard_figures(hazards, today)
    phases = tuple(
        PhaseLine(
            name=p.name_zh, start=p.start, end=p.end,
            inspections=sum(1 for i in visits if p.start <= i.date <= p.end),
            found=sum(1 for life in mine if p.start <= life.found <= p.end),
            rectified=sum(1 for life in mine if life.acted_in("transition:rectified", p.start, p.end)),
        )
        for p in campaign.phases
        if kind == "summary" or p.id != "consolidation"
    )
    areas = areas_of(ctx, [h.inspection_id for h in hazards])
    still = sorted((h for h in hazards if h.status.value not in ("rectified", "verified")),
                   key=lambda h: (h.deadline, h.created_at))
    open_lines = tuple(
        OpenLine(area=areas[h.area_id].name if h.area_id in areas else "", description=h.description,
                 major=h.severity.value == "major", deadline=h.deadline, status=ZH(f"status.{h.status.value}"),
                 days_overdue=max(0, (today - h.deadline).days))
        for h in still
    )
    due = next((o.due for o in campaign.obligations if o.id == ("summary" if kind == "summary"
                                                                   else "rectification_report")), campaign.end)
    return UnitReport(
        kind=kind, unit=unit, unit_name=unit_name(ctx, unit), campaign=campaign.name_zh,
        addressee=bureau_office(ctx).name, as_of=today, due=due, generated_at=ctx.now(), phases=phases,
        inspections=tuple((ZH(f"inspection_kind.{k.value}"), sum(1 for i in visits if i.kind is k))
                          for k in InspectionKind),
        figures=figures, open=open_lines, departments=len({h.department for h in hazards if h.department}),
        work=with_interim(ctx, unit, work) if work is not None else work_report(ctx, unit, report_key(kind)),
    )
