"""The campaign summary (总结报告) and the circular (通报) as plain data; see `reports`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from app.domain import lifecycle
from app.domain.campaign import CircularThresholds, Obligation
from app.domain.model import Flag, Hazard, HazardStatus, Severity

from .campaign_status import late_obligations as _late_obligations
from .context import Context
from .report_history import HazardLine, Life, areas_of, hazard_line, lives, unit_name

__all__ = [
    "LagReason", "LaggingUnit", "CircularData", "circular_data", "late_obligations",
    "PhaseInfo", "PhaseFigures", "UnitSummary", "SummaryReport", "summary_data",
]


# ---------------------------------------------------------------- circular (通报)


@dataclass(frozen=True)
class LagReason:
    """Why a unit is named: `kind` is rectification_rate, overdue_major or late_obligations."""

    kind: str
    value: float | int
    limit: float | int


@dataclass(frozen=True)
class LaggingUnit:
    unit: str
    name: str
    reasons: tuple[LagReason, ...]
    found: int
    due: int                          # hazards whose deadline has passed
    rectified_due: int                # … of which rectified or verified
    overdue: int
    overdue_major: tuple[HazardLine, ...]
    late: tuple[Obligation, ...]

    @property
    def due_rate(self) -> float | None:
        return self.rectified_due / self.due if self.due else None


@dataclass(frozen=True)
class CircularData:
    campaign: str
    bureau: str
    as_of: dt.date
    generated_at: dt.datetime
    thresholds: CircularThresholds
    units_checked: int                # units of the roster judged
    found: int                        # hazards found by all units
    rectified: int
    lagging: tuple[LaggingUnit, ...]  # in roster order


def late_obligations(ctx: Context, unit: str, today: dt.date) -> tuple[Obligation, ...]:
    """The campaign duties `unit` had not submitted by their due date and still has not, as of `today`.

    Filled by obligation tracking (`app.services.obligations`): the config's obligations and the
    monthly reports, as stored (submitted, accepted, returned) or pending.
    """
    return _late_obligations(ctx, unit, today)


def _judge(ctx: Context, unit: str, hazards: list[Hazard], today: dt.date) -> LaggingUnit | None:
    """The unit with its reasons if it breaches a circular threshold, else None."""
    limits = ctx.catalog.campaign.circular
    due = [h for h in hazards if h.deadline < today]
    done = sum(1 for h in due if h.status in lifecycle.DONE)
    overdue = [h for h in hazards if lifecycle.is_overdue(h, today)]
    majors = [h for h in overdue if h.severity is Severity.MAJOR]
    late = late_obligations(ctx, unit, today)
    reasons = []
    if due and done / len(due) < limits.min_rectification_rate:
        reasons.append(LagReason("rectification_rate", done / len(due), limits.min_rectification_rate))
    if len(majors) > limits.max_overdue_major:
        reasons.append(LagReason("overdue_major", len(majors), limits.max_overdue_major))
    if len(late) > limits.max_late_obligations:
        reasons.append(LagReason("late_obligations", len(late), limits.max_late_obligations))
    if not reasons:
        return None
    areas = areas_of(ctx, [h.inspection_id for h in majors])
    lines = sorted((hazard_line(h, areas, today) for h in majors),
                   key=lambda line: (-line.days_overdue, line.description))
    return LaggingUnit(
        unit=unit, name=unit_name(ctx, unit), reasons=tuple(reasons), found=len(hazards), due=len(due),
        rectified_due=done, overdue=len(overdue), overdue_major=tuple(lines), late=late,
    )


def circular_data(ctx: Context) -> CircularData:
    """The units whose work lags by the thresholds in campaign.toml `[circular]`, as of today."""
    today = ctx.today()
    campaign = ctx.catalog.campaign
    by_unit: dict[str, list[Hazard]] = {}
    for hazard in ctx.repo.hazards():           # the state now is enough: no audit to read
        if not hazard.deleted:
            by_unit.setdefault(hazard.unit, []).append(hazard)
    roster = [u.code for u in ctx.catalog.units.units]
    judged = [_judge(ctx, code, by_unit.get(code, []), today) for code in roster]
    every = [h for hazards in by_unit.values() for h in hazards]
    return CircularData(
        campaign=campaign.name_zh, bureau=campaign.issuer_zh, as_of=today, generated_at=ctx.now(),
        thresholds=campaign.circular, units_checked=len(roster), found=len(every),
        rectified=sum(1 for h in every if h.status in lifecycle.DONE),
        lagging=tuple(j for j in judged if j is not None),
    )


# ---------------------------------------------------------------- campaign summary (总结报告)


@dataclass(frozen=True)
class PhaseInfo:
    id: str
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class PhaseFigures:
    inspections: int = 0
    found: int = 0          # hazards found in the phase
    rectified: int = 0      # hazards with a rectification recorded in the phase


@dataclass(frozen=True)
class UnitSummary:
    unit: str               # "" for the total
    name: str
    phases: tuple[PhaseFigures, ...]   # as `SummaryReport.phases`
    inspections: int
    found: int
    rectified: int          # rectified or verified now
    verified: int
    major: int
    major_rectified: int
    overdue: int
    overdue_major: int
    deferred: int
    listed: int
    lagging: bool

    @property
    def rate(self) -> float | None:
        return self.rectified / self.found if self.found else None


@dataclass(frozen=True)
class SummaryReport:
    campaign: str
    bureau: str
    as_of: dt.date
    generated_at: dt.datetime
    phases: tuple[PhaseInfo, ...]
    units: tuple[UnitSummary, ...]     # every unit of the roster, in roster order
    total: UnitSummary
    circular: CircularData             # the lagging units and why

    @property
    def units_active(self) -> int:
        return sum(1 for u in self.units if u.inspections)


def summary_data(ctx: Context) -> SummaryReport:
    """Per unit and in total, per phase and overall, as of today."""
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
        now = [life.hazard for life in mine]
        overdue = [h for h in now if lifecycle.is_overdue(h, today)]
        majors = [h for h in now if h.severity is Severity.MAJOR]
        return UnitSummary(
            unit=code, name=name,
            phases=tuple(PhaseFigures(
                inspections=sum(1 for i in visits if p.start <= i.date <= p.end),
                found=sum(1 for life in mine if p.start <= life.found <= p.end),
                rectified=sum(1 for life in mine if life.acted_in("transition:rectified", p.start, p.end)),
            ) for p in phases),
            inspections=len(visits), found=len(now),
            rectified=sum(1 for h in now if h.status in lifecycle.DONE),
            verified=sum(1 for h in now if h.status is HazardStatus.VERIFIED),
            major=len(majors), major_rectified=sum(1 for h in majors if h.status in lifecycle.DONE),
            overdue=len(overdue), overdue_major=sum(1 for h in overdue if h.severity is Severity.MAJOR),
            deferred=sum(1 for h in now if h.status is HazardStatus.DEFERRED),
            listed=sum(1 for h in now if Flag.LISTED in h.flags),
            lagging=code in lagging,
        )

    units = tuple(
        summarise(u.code, u.name_zh, by_unit.get(u.code, []), [i for i in inspections if i.unit == u.code])
        for u in ctx.catalog.units.units
    )
    every = [life for mine in by_unit.values() for life in mine]
    total = summarise("", "", every, inspections)
    return SummaryReport(
        campaign=campaign.name_zh, bureau=campaign.issuer_zh, as_of=today, generated_at=ctx.now(),
        phases=phases, units=units, total=replace(total, lagging=bool(lagging)), circular=circular,
    )
