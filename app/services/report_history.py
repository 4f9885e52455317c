"""A hazard's life read back from its audit events, and the lookups every report needs.

Used by `app.services.reports` only. Dates are calendar days in the campaign's time zone.
Each `save` appends an audit event whose `after` holds the whole record on `create` and only
the changed fields afterwards, so replaying them up to a day gives the hazard as it stood then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.domain.clock import local_date
from app.domain.model import Area, AuditEvent, Flag, Hazard, Severity
from app.domain.reports import HazardLine
from app.store.codec import from_doc

from .context import Context

__all__ = ["Life", "lives", "unit_name", "location_names", "areas_of", "HazardLine", "hazard_line"]


@dataclass(frozen=True)
class Life:
    """A hazard now, and the dated steps that made it so."""

    hazard: Hazard                                  # as it is now
    found: dt.date                                  # its inspection's date
    raised: dt.date                                 # when it was entered (the create event)
    events: tuple[tuple[dt.date, str, dict], ...]   # (day, action, fields after) in time order
    base: dict | None                               # the whole record as created

    def days(self, action: str) -> list[dt.date]:
        return [day for day, name, _ in self.events if name == action]

    def last(self, action: str) -> dt.date | None:
        return max(self.days(action), default=None)

    def acted_in(self, action: str, start: dt.date, end: dt.date) -> bool:
        return any(start <= day <= end for day in self.days(action))

    def state_on(self, day: dt.date) -> Hazard:
        """The hazard as it stood at the end of `day` (as created if it was entered later)."""
        if self.base is None:
            return self.hazard                      # no audit (should not happen): what we have
        doc = dict(self.base)
        for when, _, after in self.events:
            if when > day:
                break
            doc.update(after)
        return from_doc(Hazard, doc)


def lives(ctx: Context, unit: str | None = None) -> list[Life]:
    """Every live hazard (of `unit`, or all) with its audit history, in a stable order."""
    tz = ZoneInfo(ctx.catalog.campaign.timezone)
    hazards = [h for h in ctx.repo.hazards(unit) if not h.deleted]
    inspections = {i.id: i for i in ctx.repo.inspections(unit)}
    wanted = {h.id for h in hazards}
    # One pass over the hazards' audit (not per hazard, and not the responses' far larger audit)
    history: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in ctx.repo.audit(entity="hazard", unit=unit):
        if event.entity_id in wanted:
            history[event.entity_id].append(event)
    result = []
    for hazard in hazards:
        events = sorted(history[hazard.id], key=lambda e: (e.at, e.rev, e.id))
        create = next((e for e in events if e.action == "create" and e.after), None)
        inspection = inspections.get(hazard.inspection_id)
        raised = local_date(create.at if create else hazard.created_at, tz)
        steps = [(local_date(e.at, tz), e.action, e.after or {}) for e in events if e is not create]
        if not any(a == "transition:rectified" for _, a, _ in steps) and hazard.rectification:
            # a record without its transition event (should not happen): the evidence is dated
            steps.append((local_date(hazard.rectification.at, tz), "transition:rectified", {}))
            steps.sort(key=lambda step: step[0])
        result.append(Life(hazard, inspection.date if inspection else raised, raised, tuple(steps),
                           create.after if create else None))
    order = {u.code: n for n, u in enumerate(ctx.catalog.units.units)}
    result.sort(key=lambda life: (order.get(life.hazard.unit, len(order)), life.found, life.hazard.created_at,
                                 life.hazard.id))
    return result


def unit_name(ctx: Context, code: str) -> str:
    unit = ctx.catalog.units.get(code)
    return unit.name_zh if unit else code


def location_names(ctx: Context) -> dict[str, str]:
    return {c.id: c.name_zh for c in ctx.catalog.checklists}


def areas_of(ctx: Context, inspection_ids) -> dict[str, Area]:
    return {a.id: a for i in set(inspection_ids) for a in ctx.repo.areas(i) if not a.deleted}





def hazard_line(hazard: Hazard, areas: dict, today: dt.date) -> HazardLine:
    area = areas.get(hazard.area_id)
    return HazardLine(
        description=hazard.description, area=area.name if area else "", major=hazard.severity is Severity.MAJOR,
        status=hazard.status, deadline=hazard.deadline, days_overdue=max(0, (today - hazard.deadline).days),
        listed=Flag.LISTED in hazard.flags,
    )
