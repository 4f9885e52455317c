"""Re-checks (回头看): a follow-up visit that passes or fails each rectified hazard of a unit.

A re-check is an ordinary inspection of kind follow_up (or a bureau spot_check) with no areas:
the hazards it covers are pinned in `Inspection.source_hazards` when it starts, and each result
is the hazard's own `Verification` carrying this inspection's id. So everything a re-check
screen shows is derived from the store, and a reload resumes where the inspector stopped.

Which hazards: only those in status rectified. A deferred (暂缓) hazard whose plan step is due is
not a candidate: it has no rectification evidence yet, and the lifecycle only verifies a
rectified hazard; the ledger's overdue and deferred filters are where those are chased.

Photos: a re-check photo is stored as soon as it is picked (owner `recheck`, on the hazard), so a
reload keeps it; when the result is recorded the photos picked during this re-check are named
in the verification. A failed re-check needs at least one photo of what is still wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from app.domain.errors import IllegalTransition, InvalidInput, NotFound
from app.domain.model import (
    Hazard,
    HazardStatus,
    Inspection,
    InspectionKind,
    InspectionStatus,
    Photo,
    PhotoOwner,
    Verification,
)

from .context import Context
from .hazards import get_hazard, verify
from .inspections import complete_inspection, get_inspection, start_inspection
from .photos import PhotoSettings, add_evidence_photo, photos_of

__all__ = [
    "RECHECK_KINDS", "RecheckItem", "RecheckProgress", "recheck_candidates", "candidate_counts", "start_recheck",
    "open_rechecks", "recheck_items", "recheck_progress", "add_recheck_photo", "record_recheck", "finish_recheck",
]

RECHECK_KINDS = (InspectionKind.FOLLOW_UP, InspectionKind.SPOT_CHECK)


def _candidate_key(hazard: Hazard) -> tuple:
    return (hazard.deadline, hazard.created_at, hazard.id)


def recheck_candidates(ctx: Context, unit: str) -> list[Hazard]:
    """The unit's rectified hazards, oldest deadline first: what a re-check would cover today."""
    found = [h for h in ctx.repo.hazards(unit) if h.status is HazardStatus.RECTIFIED and not h.deleted]
    return sorted(found, key=_candidate_key)


def candidate_counts(ctx: Context) -> dict[str, int]:
    """unit code → how many of its hazards await a re-check (units with none are left out)."""
    return dict(Counter(h.unit for h in ctx.repo.hazards() if h.status is HazardStatus.RECTIFIED and not h.deleted))


def start_recheck(
    ctx: Context, unit: str, inspectors: list[str], date: dt.date | None = None,
    kind: InspectionKind = InspectionKind.FOLLOW_UP,
) -> Inspection:
    """A draft re-check covering every hazard of the unit awaiting one; refused when there is none.

    A bureau spot_check needs two inspectors (`start_inspection` enforces it).
    """
    kind = InspectionKind(kind)
    if kind not in RECHECK_KINDS:
        raise InvalidInput("kind", "not_a_recheck", kind=kind.value)
    if ctx.catalog.units.get(unit) is None:
        raise NotFound("unit", unit)
    hazards = recheck_candidates(ctx, unit)
    if not hazards:
        raise InvalidInput("unit", "nothing_to_recheck")
    return start_inspection(ctx, unit, kind, inspectors, date, source_hazards=tuple(h.id for h in hazards))


def _is_recheck(inspection: Inspection) -> bool:
    return inspection.kind in RECHECK_KINDS and bool(inspection.source_hazards)


def _recheck(ctx: Context, inspection_id: str) -> Inspection:
    inspection = get_inspection(ctx, inspection_id)
    if not _is_recheck(inspection):
        raise NotFound("inspection", inspection_id)   # not a re-check: nothing to show or record here
    return inspection


@dataclass(frozen=True)
class RecheckItem:
    """One hazard of a re-check, with what this re-check decided about it (if anything yet)."""

    hazard: Hazard
    verification: Verification | None   # this re-check's result, None while undecided
    evidence_thumbs: tuple[str, ...]    # thumbnails (SHA-256) of the rectification photos
    recheck_photos: tuple[Photo, ...]   # photos taken at this re-check (attached or still pending)

    @property
    def decided(self) -> bool:
        return self.verification is not None

    @property
    def pending(self) -> bool:
        """Still to decide here. A hazard moved on elsewhere (e.g. verified in another re-check) is not."""
        return self.verification is None and self.hazard.status is HazardStatus.RECTIFIED


@dataclass(frozen=True)
class RecheckProgress:
    total: int
    verified: int
    reopened: int
    pending: int

    @property
    def decided(self) -> int:
        return self.verified + self.reopened


def _mine(hazard: Hazard, inspection_id: str) -> Verification | None:
    return next((v for v in reversed(hazard.verifications) if v.inspection_id == inspection_id), None)


def _recheck_photos(photos: list[Photo], hazard: Hazard, inspection: Inspection) -> tuple[Photo, ...]:
    """Photos taken for this re-check: named by its verification, or picked since it began and unused."""
    photos = [p for p in photos if p.owner is PhotoOwner.RECHECK]
    mine = _mine(hazard, inspection.id)
    if mine is not None:
        return tuple(p for p in photos if p.sha256 in mine.photos)
    used = {s for v in hazard.verifications for s in v.photos}
    return tuple(p for p in photos if p.sha256 not in used and p.created_at >= inspection.created_at)


def recheck_items(ctx: Context, inspection_id: str) -> list[RecheckItem]:
    """The hazards the re-check covers, in the order it pinned them, with their results so far."""
    inspection = _recheck(ctx, inspection_id)
    items = []
    for hazard_id in inspection.source_hazards:
        hazard = ctx.repo.get_hazard(hazard_id)
        if hazard is None or hazard.deleted:
            continue
        photos = photos_of(ctx, hazard.id, hazard.unit)
        evidence = set(hazard.rectification.photos) if hazard.rectification else set()
        thumbs = tuple(p.thumb_sha256 for p in photos if p.owner is PhotoOwner.RECTIFICATION and p.sha256 in evidence)
        items.append(RecheckItem(hazard, _mine(hazard, inspection.id), thumbs,
                                 _recheck_photos(photos, hazard, inspection)))
    return items


def recheck_progress(items: list[RecheckItem]) -> RecheckProgress:
    verified = sum(1 for i in items if i.verification is not None and i.verification.passed)
    reopened = sum(1 for i in items if i.verification is not None and not i.verification.passed)
    return RecheckProgress(len(items), verified, reopened, sum(1 for i in items if i.pending))


def open_rechecks(ctx: Context, unit: str) -> list[Inspection]:
    """The unit's unfinished re-checks, newest first: to resume rather than start another."""
    found = [i for i in ctx.repo.inspections(unit)
             if _is_recheck(i) and i.status is InspectionStatus.DRAFT and not i.deleted]
    return sorted(found, key=lambda i: i.created_at, reverse=True)


def _draft_item(ctx: Context, inspection_id: str, hazard_id: str) -> tuple[Inspection, Hazard]:
    inspection = _recheck(ctx, inspection_id)
    if inspection.status is not InspectionStatus.DRAFT:
        raise IllegalTransition("inspection", inspection.status.value, "edit", "not_draft")
    if hazard_id not in inspection.source_hazards:
        raise NotFound("hazard", hazard_id)
    return inspection, get_hazard(ctx, hazard_id)


def add_recheck_photo(ctx: Context, inspection_id: str, hazard_id: str, data: bytes, name: str,
                      settings: PhotoSettings | None = None) -> Photo:
    """A photo taken at the re-check, stored now (a reload keeps it) and attached with the result."""
    _draft_item(ctx, inspection_id, hazard_id)
    return add_evidence_photo(ctx, hazard_id, data, name, PhotoOwner.RECHECK, settings or PhotoSettings())


def record_recheck(ctx: Context, inspection_id: str, hazard_id: str, passed: bool, note: str = "",
                   photos: tuple[str, ...] | None = None) -> Hazard:
    """Pass (verified, 销号) or fail (reopened, 重新整改) one hazard of the re-check.

    `photos` are SHA-256s of re-check photos of this hazard; None takes every photo picked for
    it during this re-check. A fail needs at least one. The lifecycle refuses a verification by
    whoever recorded the rectification (`IllegalTransition` reason `same_person`).
    """
    with ctx.repo.transaction():
        inspection, hazard = _draft_item(ctx, inspection_id, hazard_id)
        if _mine(hazard, inspection.id) is not None:
            raise IllegalTransition("hazard", hazard.status.value, "verified" if passed else "reopened",
                                    "already_rechecked")
        candidates = _recheck_photos(photos_of(ctx, hazard.id, hazard.unit), hazard, inspection)
        if photos is None:
            chosen = tuple(p.sha256 for p in candidates)
        else:
            known = {p.sha256 for p in candidates}
            unknown = [s for s in photos if s not in known]
            if unknown:
                raise NotFound("photo", unknown[0])
            chosen = tuple(photos)
        if not passed and not chosen:
            raise InvalidInput("photos", "recheck_photo_required")
        return verify(ctx, hazard.id, inspection.id, passed, note, chosen)


def finish_recheck(ctx: Context, inspection_id: str) -> RecheckProgress:
    """Complete the re-check once every hazard is decided; returns its tally for the summary."""
    with ctx.repo.transaction():
        _recheck(ctx, inspection_id)
        progress = recheck_progress(recheck_items(ctx, inspection_id))
        if progress.pending:
            raise InvalidInput("hazards", "recheck_pending", count=progress.pending)
        complete_inspection(ctx, inspection_id)
        return progress
