"""Reads the screens need that no use case offers: one area, its answers, where to resume a draft.

Read-only: nothing here writes or audits. The UI calls these instead of the repository.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.checklist import Checklist
from app.domain.errors import NotFound
from app.domain.model import Area, AuditEvent, Hazard, Response

from .context import Context
from .inspections import get_inspection

__all__ = [
    "get_area", "checklist_of", "answers_of_area", "hazards_of_inspection", "hazard_for_item",
    "Resume", "resume_point", "first_unanswered", "hazard_timeline", "hazard_departments",
]


def get_area(ctx: Context, inspection_id: str, area_id: str) -> Area:
    area = ctx.repo.get_area(area_id, inspection_id)
    if area is None or area.deleted:
        raise NotFound("area", area_id)
    return area


def checklist_of(ctx: Context, area: Area) -> Checklist:
    """The checklist the area was started with (pinned by id)."""
    try:
        return ctx.catalog.pinned(area.checklist_id, area.checklist_sha256)
    except KeyError:
        raise NotFound("location_type", area.checklist_id) from None


def answers_of_area(ctx: Context, inspection_id: str, area_id: str) -> dict[str, Response]:
    """item id → the current answer, for one area."""
    return {
        r.item_id: r for r in ctx.repo.responses(inspection_id)
        if r.area_id == area_id and not r.deleted
    }


def hazards_of_inspection(ctx: Context, inspection_id: str) -> list[Hazard]:
    """The inspection's hazards, by deadline then by when they were raised."""
    inspection = get_inspection(ctx, inspection_id)
    found = [h for h in ctx.repo.hazards(inspection.unit) if h.inspection_id == inspection_id and not h.deleted]
    return sorted(found, key=lambda h: (h.deadline, h.created_at))


def hazard_for_item(ctx: Context, inspection_id: str, area_id: str, item_id: str) -> Hazard | None:
    """The hazard raised from this item in this area, if any (the latest one)."""
    mine = [h for h in hazards_of_inspection(ctx, inspection_id) if h.area_id == area_id and h.item_id == item_id]
    return max(mine, key=lambda h: h.created_at, default=None)


def first_unanswered(checklist: Checklist, answers: dict[str, Response]) -> int | None:
    """Index of the first item without an answer, None when every item is answered."""
    return next((i for i, item in enumerate(checklist.items) if item.id not in answers), None)


@dataclass(frozen=True)
class Resume:
    """Where a draft continues: an area and an item, or nowhere (everything answered)."""

    area_id: str | None
    item_id: str | None


def resume_point(ctx: Context, inspection_id: str) -> Resume:
    """The first unanswered item of the first unfinished area (areas in the order they were added)."""
    get_inspection(ctx, inspection_id)
    areas = sorted((a for a in ctx.repo.areas(inspection_id) if not a.deleted), key=lambda a: a.created_at)
    for area in areas:
        checklist = checklist_of(ctx, area)
        index = first_unanswered(checklist, answers_of_area(ctx, inspection_id, area.id))
        if index is not None:
            return Resume(area.id, checklist.items[index].id)
    return Resume(None, None)


def hazard_timeline(ctx: Context, hazard_id: str) -> list[AuditEvent]:
    """Who did what to a hazard and when (create, edits, transitions, flags, withdrawal), oldest first.

    Reads the events kept beside the hazard only, not the whole audit history. A withdrawn
    hazard still has its timeline: that is where the reason is.
    """
    hazard = ctx.repo.get_hazard(hazard_id)
    if hazard is None:
        raise NotFound("hazard", hazard_id)
    return sorted(ctx.repo.audit_of(hazard), key=lambda e: (e.at, e.rev, e.id))


def hazard_departments(ctx: Context, unit: str | None = None) -> list[str]:
    """The departments named on live hazards (of `unit`, or all), for the ledger's filter."""
    return sorted({h.department for h in ctx.repo.hazards(unit) if h.department and not h.deleted})
