"""Where the campaign stands: per unit (bureau dashboard) and for the home screen."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from app.domain import lifecycle
from app.domain import obligations as rules
from app.domain.campaign import Deadline, Obligation, Phase
from app.domain.figures import hazard_figures, share
from app.domain.model import Flag, HazardStatus, Inspection, InspectionKind, InspectionStatus, Severity
from app.domain.obligations import UnitObligation

from .context import Context

__all__ = ["UnitStatus", "unit_status", "campaign_status", "HomeSummary", "home_summary", "late_obligations"]


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    inspections: int
    areas_by_type: dict[str, int]         # location type → areas inspected
    hazards_found: int
    rectified: int                        # rectified or verified
    overdue: int
    overdue_major: int
    deferred: int
    listed: int
    last_spot_check: dt.date | None

    @property
    def rectification_rate(self) -> float | None:
        """Share of found hazards rectified or verified; None when nothing was found."""
        return share(self.rectified, self.hazards_found)


def unit_status(ctx: Context, unit: str) -> UnitStatus:
    today = ctx.today()
    inspections = [i for i in ctx.repo.inspections(unit) if not i.deleted]
    areas: Counter[str] = Counter()
    for inspection in inspections:
        areas.update(a.location_type for a in ctx.repo.areas(inspection.id) if not a.deleted)
    figures = hazard_figures(ctx.repo.hazards(unit), today)
    spot_checks = [i.date for i in inspections if i.kind is InspectionKind.SPOT_CHECK]
    return UnitStatus(
        unit=unit,
        inspections=len(inspections),
        areas_by_type=dict(areas),
        hazards_found=figures.found,
        rectified=figures.rectified,
        overdue=figures.overdue,
        overdue_major=figures.overdue_major,
        deferred=figures.deferred,
        listed=figures.listed,
        last_spot_check=max(spot_checks, default=None),
    )


def campaign_status(ctx: Context) -> list[UnitStatus]:
    """Every unit of the roster, in roster order (units with no data show zeros)."""
    return [unit_status(ctx, u.code) for u in ctx.catalog.units.units]


@dataclass(frozen=True)
class HomeSummary:
    today: dt.date
    phase: Phase | None
    days_left_in_phase: int | None
    next_deadlines: list[Deadline]
    drafts: list[Inspection]
    open: int
    overdue: int
    major: int
    listed: int
    due_this_week: int
    proposed_for_listing: int


def home_summary(ctx: Context, unit: str | None = None) -> HomeSummary:
    """What the home screen shows: phase and days left, deadlines, drafts, hazard counts."""
    today = ctx.today()
    campaign = ctx.catalog.campaign
    phase = campaign.phase_on(today)
    drafts = sorted(
        (i for i in ctx.repo.inspections(unit) if i.status is InspectionStatus.DRAFT and not i.deleted),
        key=lambda i: (i.date, i.created_at), reverse=True,
    )
    live = [h for h in ctx.repo.hazards(unit) if not h.deleted and h.status is not HazardStatus.VERIFIED]
    return HomeSummary(
        today=today,
        phase=phase,
        days_left_in_phase=(phase.end - today).days if phase else None,
        next_deadlines=campaign.next_deadlines(today),
        drafts=drafts,
        open=sum(1 for h in live if h.status not in lifecycle.DONE),
        overdue=sum(1 for h in live if lifecycle.is_overdue(h, today)),
        major=sum(1 for h in live if h.severity is Severity.MAJOR),
        listed=sum(1 for h in live if Flag.LISTED in h.flags),
        due_this_week=sum(1 for h in live if lifecycle.due_this_week(h, today)),
        proposed_for_listing=sum(1 for h in live if lifecycle.should_propose_listing(h, today)),
    )


def late_obligations(ctx: Context, unit: str, today: dt.date,
                     stored: list[UnitObligation] | None = None) -> tuple[Obligation, ...]:
    """The duties `unit` had not submitted by their due date and still has not (as of `today`)."""
    campaign = ctx.catalog.campaign
    records = {o.key: o for o in (ctx.repo.obligations(unit) if stored is None else stored) if not o.deleted}
    late = []
    for duty in rules.duties(campaign):
        record = records.get(duty.key) or rules.pending_obligation(duty, unit, campaign.year, ctx.now())
        if rules.is_late(replace(record, due=duty.due), today):
            late.append(Obligation(duty.key, duty.name_zh, duty.name_en, duty.due))
    return tuple(late)
