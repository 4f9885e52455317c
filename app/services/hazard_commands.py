"""A hazard action in one call, for a caller with no screen (the command line).

The tablet spreads two actions over several taps: rectification photos are stored as they are
picked and the fix is confirmed later; a re-check (回头看) is started for a unit, each hazard is
passed or failed, then the re-check is finished. A command has one call per action, so these
functions run the very service functions the screens call, in the same order, inside one
transaction: a refusal at any step (the lifecycle's, a photo's, a permission's) leaves every
record as it was. Photo files already written stay as unreferenced content-addressed files, as
they do when the tablet's user abandons a form.

Who acts: `acting_as` gives the context of the named person, else of this device's inspector
profile (Settings), and refuses when neither names anyone: an audit event needs a person.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from app.domain.errors import IllegalTransition, InvalidInput, PhotoRejected
from app.domain.model import Hazard, HazardStatus, Inspection, InspectionKind, PhotoOwner

from .context import Context
from .hazards import get_hazard, rectify
from .inspections import get_inspection
from .photos import add_evidence_photo, photos_of
from .rechecks import (
    RecheckProgress,
    add_recheck_photo,
    finish_recheck,
    open_rechecks,
    recheck_items,
    recheck_progress,
    record_recheck,
    start_recheck,
)
from .settings import NAME_MAX, get_settings

__all__ = ["acting_as", "pending_evidence", "rectify_with_photos", "RecheckOutcome", "recheck_hazard"]

MAX_PHOTO_FILE = 200 * 1024 * 1024   # read no bigger file into memory (the pipeline refuses far less)


def acting_as(ctx: Context, name: str | None) -> Context:
    """The context acting as `name`, else as this device's inspector profile."""
    chosen = (name or "").strip() or get_settings(ctx).inspector.name
    if not chosen:
        raise InvalidInput("--by", "cli_actor_required")
    if len(chosen) > NAME_MAX:
        raise InvalidInput("--by", "too_long", max=NAME_MAX)
    return replace(ctx, actor=chosen)


def _read_photo(path: Path) -> tuple[str, bytes]:
    """A photo file's name and bytes, refused (as `photos add` refuses it) when missing or huge."""
    if not path.is_file():
        raise PhotoRejected(path.name, "no_such_file")
    if path.stat().st_size > MAX_PHOTO_FILE:
        raise PhotoRejected(path.name, "file_too_large")
    return path.name, path.read_bytes()


def pending_evidence(ctx: Context, hazard: Hazard) -> list[str]:
    """SHA-256s of the rectification photos stored since the hazard's last rectification (all, if none):
    what the tablet's rectify form shows as this rectification's evidence."""
    since = hazard.rectification.at if hazard.rectification else None
    return [p.sha256 for p in photos_of(ctx, hazard.id, hazard.unit)
            if p.owner is PhotoOwner.RECTIFICATION and (since is None or p.created_at > since)]


def rectify_with_photos(ctx: Context, hazard_id: str, note: str, paths: list[Path]) -> Hazard:
    """Store the evidence photos, then record the fix with them and any evidence stored before."""
    files = [_read_photo(p) for p in paths]
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        added = [add_evidence_photo(ctx, hazard.id, data, name).sha256 for name, data in files]
        evidence = tuple(dict.fromkeys([*pending_evidence(ctx, hazard), *added]))
        return rectify(ctx, hazard.id, note, evidence)


@dataclass(frozen=True)
class RecheckOutcome:
    hazard: Hazard
    recheck: Inspection          # the re-check inspection the result belongs to
    started: bool                # True: this call started it; False: an open one was continued
    progress: RecheckProgress
    finished: bool               # every hazard of the re-check decided, and the re-check completed


def _recheck_for(ctx: Context, hazard: Hazard, target: HazardStatus, inspection_id: str | None,
                 kind: InspectionKind | None, inspectors: list[str] | None,
                 date: dt.date | None) -> tuple[Inspection, bool]:
    """The named re-check; else the unit's newest open one (of `kind`, if given) still to decide this
    hazard; else a new one (a follow-up unless `kind` says otherwise)."""
    if inspection_id:
        return get_inspection(ctx, inspection_id), False
    for draft in open_rechecks(ctx, hazard.unit):
        pending = {i.hazard.id for i in recheck_items(ctx, draft.id) if i.pending}
        if kind in (None, draft.kind) and hazard.id in pending:
            return draft, False
    if hazard.status is not HazardStatus.RECTIFIED:   # what the lifecycle would say; no re-check covers it
        raise IllegalTransition("hazard", hazard.status.value, target.value, "not_allowed")
    return start_recheck(ctx, hazard.unit, inspectors or [ctx.actor], date, kind or InspectionKind.FOLLOW_UP), True


def recheck_hazard(
    ctx: Context, hazard_id: str, passed: bool, *, opinion: str = "", photos: list[Path] | None = None,
    inspection_id: str | None = None, kind: InspectionKind | str | None = None,
    inspectors: list[str] | None = None, date: dt.date | None = None,
) -> RecheckOutcome:
    """Pass (销号) or fail (重新整改) one hazard in a re-check, as the re-check screen does.

    Continues the re-check named, or the unit's open one that still has this hazard to decide,
    or starts one (`start_recheck`: it covers every rectified hazard of the unit). Photos are
    stored as re-check photos of the hazard; a fail needs at least one. When the last hazard of
    the re-check is decided, the re-check is finished (unless areas walked in it still lack a
    required photo: then it stays open, and the decision stands).
    """
    files = [_read_photo(p) for p in photos or []]
    kind = InspectionKind(kind) if kind is not None else None
    target = HazardStatus.VERIFIED if passed else HazardStatus.REOPENED
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        recheck, started = _recheck_for(ctx, hazard, target, inspection_id, kind, inspectors, date)
        for name, data in files:
            add_recheck_photo(ctx, recheck.id, hazard.id, data, name)
        moved = record_recheck(ctx, recheck.id, hazard.id, passed, opinion)
        progress = recheck_progress(recheck_items(ctx, recheck.id))
        finished = False
        if progress.pending == 0:
            # its own walk-through may still lack a required photo: then it stays open, as the screen leaves it
            with suppress(InvalidInput):
                progress, finished = finish_recheck(ctx, recheck.id), True
        return RecheckOutcome(moved, get_inspection(ctx, recheck.id), started, progress, finished)
