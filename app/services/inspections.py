"""Use cases of an inspection visit: start it, add areas, answer the checklist, complete it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from app.domain.errors import IllegalTransition, InvalidInput, NotFound
from app.domain.model import (
    Area,
    Hazard,
    Inspection,
    InspectionKind,
    InspectionStatus,
    Response,
    Verdict,
)
from app.i18n import Translator

from .checklist_versions import pin
from .context import Context, new_meta, save

__all__ = [
    "start_inspection", "add_area", "record_response", "complete_inspection", "get_inspection",
    "AreaProgress", "area_progress", "missing_photos", "clean_text", "cancel_failed_answer", "unsaved_failures",
]

MAX_TEXT = 2000


def clean_text(field: str, value: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    """A user's text trimmed, refused when required and empty or longer than `limit` (naming `field`)."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(field, "required")
    if len(value) > limit:
        raise InvalidInput(field, "too_long", max=limit)
    return value


def get_inspection(ctx: Context, inspection_id: str) -> Inspection:
    inspection = ctx.repo.get_inspection(inspection_id)
    if inspection is None or inspection.deleted:
        raise NotFound("inspection", inspection_id)
    return inspection


def start_inspection(
    ctx: Context, unit: str, kind: InspectionKind, inspectors: list[str], date: dt.date | None = None,
    note: str = "", source_hazards: tuple[str, ...] = (),
) -> Inspection:
    """A new draft visit. A bureau spot-check needs at least two inspectors (公安部令第107号 第十四条)."""
    kind = InspectionKind(kind)
    if ctx.catalog.units.get(unit) is None:
        raise NotFound("unit", unit)
    names = tuple(dict.fromkeys(n.strip() for n in inspectors if n and n.strip()))
    if not names:
        raise InvalidInput("inspectors", "required")
    if kind is InspectionKind.SPOT_CHECK and len(names) < 2:
        raise InvalidInput("inspectors", "two_inspectors")
    day = date or ctx.today()
    if day > ctx.today():
        raise InvalidInput("date", "in_future", date=day.isoformat())
    phase = ctx.catalog.campaign.phase_on(day)
    inspection = Inspection(
        **new_meta(ctx, unit), kind=kind, date=day, inspectors=names,
        phase=phase.id if phase else None, note=clean_text("note", note), source_hazards=tuple(source_hazards),
    )
    with ctx.repo.transaction():
        return save(ctx, inspection, None, "create")


def _draft(ctx: Context, inspection_id: str) -> Inspection:
    inspection = get_inspection(ctx, inspection_id)
    if inspection.status is not InspectionStatus.DRAFT:
        raise IllegalTransition("inspection", inspection.status.value, "edit", "not_draft")
    return inspection


def add_area(ctx: Context, inspection_id: str, location_type: str, name: str, department: str = "") -> Area:
    """A place walked in this inspection, pinned to its checklist's id, version and hash."""
    try:
        checklist = ctx.catalog.checklist(location_type)
    except KeyError:
        raise NotFound("location_type", location_type) from None
    inspection = _draft(ctx, inspection_id)
    area = Area(
        **new_meta(ctx, inspection.unit), inspection_id=inspection.id, location_type=checklist.id,
        name=clean_text("name", name, required=True, limit=100), checklist_id=checklist.id,
        checklist_version=checklist.version, checklist_sha256=checklist.sha256,
        department=clean_text("department", department, limit=100),
    )
    with ctx.repo.transaction():
        pin(ctx, checklist)   # the version's text stays with the store: the area keeps it
        return save(ctx, area, None, "create")


def _area(ctx: Context, inspection: Inspection, area_id: str) -> Area:
    area = ctx.repo.get_area(area_id, inspection.id)
    if area is None or area.deleted:
        raise NotFound("area", area_id)
    return area


def record_response(
    ctx: Context, inspection_id: str, area_id: str, item_id: str, verdict: Verdict,
    note: str = "", photos: tuple[str, ...] | None = None,
) -> Response:
    """Answer one checklist item; answering again replaces the answer (audited, never lost).

    Moving an answer away from 不合格 withdraws the hazard that answer raised, in the same
    transaction (`_withdraw_raised`): the ledger and the counts never keep a hazard the
    walk-through no longer reports.
    """
    fields: dict[str, Any] = {"verdict": Verdict(verdict), "note": clean_text("note", note), "deleted": False}
    if photos is not None:
        fields["photos"] = tuple(photos)
    with ctx.repo.transaction():  # read and write under the lock: two tabs cannot both create
        inspection = _draft(ctx, inspection_id)
        area = _area(ctx, inspection, area_id)
        try:
            ctx.catalog.pinned(area.checklist_id, area.checklist_sha256).item(item_id)
        except KeyError:
            raise NotFound("item", item_id) from None
        existing = next(
            (r for r in ctx.repo.responses(inspection.id) if r.area_id == area.id and r.item_id == item_id), None
        )
        if existing is None:
            response = Response(
                **new_meta(ctx, inspection.unit), inspection_id=inspection.id, area_id=area.id,
                item_id=item_id, **fields,
            )
            return save(ctx, response, None, "create")
        if fields["verdict"] is not Verdict.FAIL:
            _withdraw_raised(ctx, inspection, area.id, item_id, "verdict_changed",
                             verdict=Translator("zh-CN")(f"day_verdict.{fields['verdict'].value}"))
        return save(ctx, replace(existing, **fields), existing, "update")


def _raised_hazards(ctx: Context, inspection: Inspection, area_id: str, item_id: str) -> list[Hazard]:
    return [h for h in ctx.repo.hazards(inspection.unit)
            if h.inspection_id == inspection.id and h.area_id == area_id and h.item_id == item_id and not h.deleted]


def _withdraw_raised(ctx: Context, inspection: Inspection, area_id: str, item_id: str, why: str, **values) -> None:
    """Withdraw (tombstone, audited with a Chinese reason) the hazards this item raised.

    Refused, changing nothing, when one is on an issued notice: the unit holds that paper.
    Must run inside the caller's transaction.
    """
    raised = _raised_hazards(ctx, inspection, area_id, item_id)
    issued = {hid for n in ctx.repo.notices(inspection.unit) if not n.deleted for hid in n.hazard_ids}
    for hazard in raised:
        if hazard.id in issued:
            raise IllegalTransition("hazard", hazard.status.value, "withdrawn", "on_issued_notice")
    reason = Translator("zh-CN")(f"day_audit.{why}", **values)
    for hazard in raised:
        save(ctx, replace(hazard, deleted=True), hazard, "withdraw", note=reason)


def cancel_failed_answer(ctx: Context, inspection_id: str, area_id: str, item_id: str,
                         previous: Verdict | None) -> Response | None:
    """Back out of a 不合格 whose hazard was never saved (the hazard form's back / cancel).

    The answer returns to `previous` (None: unanswered again, a tombstone), and a hazard raised
    meanwhile (the first photo of the draft stores it) is withdrawn; every step is audited.
    """
    previous = Verdict(previous) if previous else None
    with ctx.repo.transaction():
        inspection = _draft(ctx, inspection_id)
        area = _area(ctx, inspection, area_id)
        existing = next((r for r in ctx.repo.responses(inspection.id)
                         if r.area_id == area.id and r.item_id == item_id and not r.deleted), None)
        _withdraw_raised(ctx, inspection, area.id, item_id, "draft_cancelled")
        if existing is None or existing.verdict is not Verdict.FAIL:
            return existing
        if previous is None:
            return save(ctx, replace(existing, deleted=True), existing, "withdraw")
        return save(ctx, replace(existing, verdict=previous), existing, "update")


@dataclass(frozen=True)
class AreaProgress:
    area: Area
    total: int
    answered: int
    failed: int

    @property
    def done(self) -> bool:
        return self.answered >= self.total


def area_progress(ctx: Context, inspection_id: str) -> list[AreaProgress]:
    """Answered / total / failed for every area of the inspection, in the order they were added."""
    responses = ctx.repo.responses(inspection_id)
    result = []
    for area in sorted(ctx.repo.areas(inspection_id), key=lambda a: a.created_at):
        if area.deleted:
            continue
        mine = [r for r in responses if r.area_id == area.id and not r.deleted]
        total = len(ctx.catalog.pinned(area.checklist_id, area.checklist_sha256).items)
        failed = sum(1 for r in mine if r.verdict is Verdict.FAIL)
        result.append(AreaProgress(area, total, len(mine), failed))
    return result


def missing_photos(ctx: Context, inspection_id: str) -> list[Response]:
    """Failed answers on photo-required items that have no photo yet (on the answer or its hazard)."""
    hazards = [h for h in ctx.repo.hazards(get_inspection(ctx, inspection_id).unit) if h.inspection_id == inspection_id]
    with_photo = {(h.area_id, h.item_id) for h in hazards if h.photos and not h.deleted}
    missing = []
    for response in ctx.repo.responses(inspection_id):
        if response.verdict is not Verdict.FAIL or response.photos or response.deleted:
            continue
        area = ctx.repo.get_area(response.area_id, inspection_id)
        if area is None:   # an answer whose area is not stored: a damaged store, said plainly
            raise NotFound("area", response.area_id)
        item = ctx.catalog.pinned(area.checklist_id, area.checklist_sha256).item(response.item_id)
        if item.photo_required and (response.area_id, response.item_id) not in with_photo:
            missing.append(response)
    return missing


def unsaved_failures(ctx: Context, inspection_id: str) -> list[Response]:
    """不合格 answers whose hazard form was never saved: no hazard in the ledger, none on the notice."""
    inspection = get_inspection(ctx, inspection_id)
    raised = {(h.area_id, h.item_id) for h in ctx.repo.hazards(inspection.unit)
              if h.inspection_id == inspection.id and not h.deleted}
    return [r for r in ctx.repo.responses(inspection.id)
            if r.verdict is Verdict.FAIL and not r.deleted and (r.area_id, r.item_id) not in raised]


def complete_inspection(ctx: Context, inspection_id: str) -> Inspection:
    """Draft → completed, refused while a photo-required failure has no photo."""
    with ctx.repo.transaction():
        inspection = _draft(ctx, inspection_id)
        lacking = missing_photos(ctx, inspection_id)
        if lacking:
            raise InvalidInput("photos", "photo_required", count=len(lacking), item=lacking[0].item_id)
        return save(ctx, replace(inspection, status=InspectionStatus.COMPLETED), inspection, "transition:completed")
