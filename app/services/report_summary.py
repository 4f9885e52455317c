"""The campaign summary (总结报告) and the circular (通报) as plain data; see `reports`.

Whom the circular names, and why, graded (the plan: the bureau's team spot-checks the units and
then names those whose work fell short):
1. what the bureau's spot-checks found and the unit left unfixed past the deadline, or a
   possibly-major hazard a spot-check found still unfixed; and any overdue major hazard;
2. a due-hazard rectification rate below the threshold;
3. campaign paperwork late by more than `LATE_GRACE_DAYS` days (one a day late is a reminder,
   not a circular; such a unit is named apart, never beside a locked stairway).
Every figure comes from `app.domain.figures`, as on the dashboard and in every report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from app.domain import lifecycle
from app.domain.campaign import Obligation
from app.domain.figures import hazard_figures
from app.domain.issuers import format_number
from app.domain.model import Hazard, InspectionKind, Severity
from app.domain.reports import (
    GRADES,
    LATE_GRACE_DAYS,
    CircularData,
    LaggingUnit,
    LagReason,
    PhaseFigures,
    PhaseInfo,
    SummaryReport,
    UnitSummary,
    WorkReport,
)

from .campaign_status import late_obligations as _late_obligations
from .context import Context
from .issuers import bureau_office, campaign_office
from .report_history import HazardLine, Life, areas_of, hazard_line, lives, unit_name
from .work_reports import BUREAU, work_report

__all__ = [
    "LagReason", "LaggingUnit", "CircularData", "circular_data", "late_obligations", "LATE_GRACE_DAYS", "GRADES",
    "PhaseInfo", "PhaseFigures", "UnitSummary", "SummaryReport", "summary_data",
]


# ---------------------------------------------------------------- circular (通报)













def late_obligations(ctx: Context, unit: str, today: dt.date) -> tuple[Obligation, ...]:
    """The campaign duties `unit` had not submitted by their due date and still has not, as of `today`.

    Filled by obligation tracking (`app.services.obligations`): the config's obligations and the
    monthly reports, as stored (submitted, accepted, returned) or pending.
    """
    return _late_obligations(ctx, unit, today)


def _judge(ctx: Context, unit: str, hazards: list[Hazard], spot: set[str], today: dt.date) -> LaggingUnit | None:
    """The unit with its reasons if it breaches a circular threshold, else None (see the module doc)."""
    limits = ctx.catalog.campaign.circular
    f = hazard_figures(hazards, today)
    overdue = [h for h in hazards if lifecycle.is_overdue(h, today)]
    majors = [h for h in overdue if h.severity is Severity.MAJOR]
    findings = [h for h in hazards if h.inspection_id in spot and h.status not in lifecycle.DONE
                and (lifecycle.is_overdue(h, today) or h.severity is Severity.MAJOR)]
    late = [o for o in late_obligations(ctx, unit, today) if (today - o.due).days > LATE_GRACE_DAYS]
    reasons = []
    if findings:
        reasons.append(LagReason("spot_check", len(findings), 0))
    if len(majors) > limits.max_overdue_major:
        reasons.append(LagReason("overdue_major", len(majors), limits.max_overdue_major))
    rate = f.due_rate   # None while nothing is due
    if rate is not None and rate < limits.min_rectification_rate:
        reasons.append(LagReason("rectification_rate", rate, limits.min_rectification_rate))
    if len(late) > limits.max_late_obligations:
        reasons.append(LagReason("late_obligations", len(late), limits.max_late_obligations))
    if not reasons:
        return None
    areas = areas_of(ctx, [h.inspection_id for h in [*majors, *findings]])

    def lines(chosen: list[Hazard]) -> tuple[HazardLine, ...]:
        return tuple(sorted((hazard_line(h, areas, today) for h in chosen),
                            key=lambda line: (-line.days_overdue, not line.major, line.description)))

    return LaggingUnit(
        unit=unit, name=unit_name(ctx, unit), reasons=tuple(reasons), found=f.found, due=f.due,
        rectified_due=f.rectified_due, overdue=f.overdue, overdue_major=lines(majors), late=tuple(late),
        spot_findings=lines(findings), late_days=tuple((today - o.due).days for o in late),
    )


def circular_data(ctx: Context, serial: int = 1) -> CircularData:
    """The units whose work falls short, as of today, gravest first (thresholds in campaign.toml
    `[circular]`); the circular is numbered `serial` in the leading-group office's series."""
    today = ctx.today()
    campaign = ctx.catalog.campaign
    by_unit: dict[str, list[Hazard]] = {}
    for hazard in ctx.repo.hazards():           # the state now is enough: no audit to read
        if not hazard.deleted:
            by_unit.setdefault(hazard.unit, []).append(hazard)
    spot_visits = [i for i in ctx.repo.inspections() if i.kind is InspectionKind.SPOT_CHECK and not i.deleted]
    spot = {i.id for i in spot_visits}
    roster = [u.code for u in ctx.catalog.units.units]
    judged = [j for j in (_judge(ctx, code, by_unit.get(code, []), spot, today) for code in roster) if j]
    order = {code: n for n, code in enumerate(roster)}
    judged.sort(key=lambda j: (j.grade, order[j.unit]))
    every = hazard_figures((h for hazards in by_unit.values() for h in hazards), today)
    office = campaign_office(ctx)
    return CircularData(
        campaign=campaign.name_zh, bureau=campaign.issuer_zh, as_of=today, generated_at=ctx.now(),
        thresholds=campaign.circular, units_checked=len(roster), found=every.found, rectified=every.rectified,
        lagging=tuple(judged), spot_checked=len({i.unit for i in spot_visits}),
        number=format_number(office.prefix, today.year, serial), issuer=office.name, seal=office.seal_text,
        copy_to=f"{campaign.name_zh}领导小组组长、副组长",
    )


# ---------------------------------------------------------------- campaign summary (总结报告)














def summary_data(ctx: Context, narrative: WorkReport | None = None) -> SummaryReport:
    """Per unit and in total, per phase and overall, as of today; the narrative is the bureau's
    (stored, or `narrative`), each part it left empty drafted from the data (`_drafted`)."""
    today = ctx.today()
    campaign = ctx.catalog.campaign
    phases = tuple(PhaseInfo(p.id, p.name_zh, p.start, p.end) for p in campaign.phases)
    inspections = [i for i in ctx.repo.inspections() if not i.deleted]
    by_unit: dict[str, list[Life]] = {}
    for life in lives(ctx):
        by_unit.setdefault(life.hazard.unit, []).append(life)
    circular = circular_data(ctx)
    lagging = {u.unit for u in circular.lagging}

    def summarise(code: str, name: str, mine: list[Life], visits: list) -> UnitSummary:
        f = hazard_figures((life.hazard for life in mine), today)
        return UnitSummary(
            unit=code, name=name,
            phases=tuple(PhaseFigures(
                inspections=sum(1 for i in visits if p.start <= i.date <= p.end),
                found=sum(1 for life in mine if p.start <= life.found <= p.end),
                rectified=sum(1 for life in mine if life.acted_in("transition:rectified", p.start, p.end)),
            ) for p in phases),
            inspections=len(visits), found=f.found, rectified=f.rectified, verified=f.verified, major=f.major,
            major_rectified=f.major_rectified, overdue=f.overdue, overdue_major=f.overdue_major,
            deferred=f.deferred, listed=f.listed, lagging=code in lagging,
        )

    units = tuple(
        summarise(u.code, u.name_zh, by_unit.get(u.code, []), [i for i in inspections if i.unit == u.code])
        for u in ctx.catalog.units.units
    )
    every = [life for mine in by_unit.values() for life in mine]
    total = summarise("", "", every, inspections)
    notices = sum(1 for n in ctx.repo.notices() if not n.deleted and n.version == 1)
    given = narrative if narrative is not None else work_report(ctx, BUREAU, "summary")
    drafted = _drafted(ctx, units, circular, notices)
    told = replace(given, **{k: v for k, v in drafted.to_doc().items() if v and not getattr(given, k).strip()})
    office = bureau_office(ctx)
    return SummaryReport(
        campaign=campaign.name_zh, bureau=office.name, as_of=today, generated_at=ctx.now(),
        phases=phases, units=units, total=replace(total, lagging=bool(lagging)), circular=circular,
        narrative=told, notices=notices, seal=office.seal_text, signer_title=office.signer_title,
    )


def _drafted(ctx: Context, units: tuple[UnitSummary, ...], circular: CircularData, notices: int) -> WorkReport:
    """A first draft of the summary's narrative from the records, for the office to correct."""
    exemplary = [u.name for u in units if u.found and u.rectified == u.found and u.unit not in
                 {x.unit for x in circular.lagging}]
    experience = f"各单位保卫部门对发现的火灾隐患下达《火灾隐患整改通知书》{notices}份，做到“发现一起整治一起”。"
    if exemplary:
        names = "、".join(exemplary[:6]) + ("等" if len(exemplary) > 6 else "")
        experience += (f"{names}{len(exemplary)}家单位发现的隐患已全部整改到位，落实整改责任人、整改措施和"
                       "整改资金，可供各单位学习借鉴。")
    counts: dict[str, int] = {}
    today = ctx.today()
    for hazard in ctx.repo.hazards():
        if not hazard.deleted and lifecycle.is_overdue(hazard, today):
            counts[hazard.description] = counts.get(hazard.description, 0) + 1
    common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    problems = (f"{len(circular.lagging)}家单位工作进展滞后，已予通报。" if circular.lagging else "") + (
        "逾期未整改的隐患中较为集中的有：" + "；".join(f"{text}（{n}处）" for text, n in common) + "。" if common
        else "各单位无逾期未整改的隐患。")
    mechanisms = ("坚持隐患台账动态管理，逐项明确整改责任人、整改措施、整改资金和完成时限，整改一项、销号一项；"
                  "对已整改的隐患定期开展“回头看”，防止反弹；将消防安全检查纳入日常管理，"
                  "落实每月工作情况报送和逐级检查责任制，实现火灾隐患整治常态化。")
    return WorkReport(experience=experience, problems=problems, mechanisms=mechanisms)
