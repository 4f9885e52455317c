"""What every use case needs, wired once at start-up by `app.bootstrap.build`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from app.domain.catalog import Catalog
from app.domain.clock import Clock, local_date
from app.domain.issuers import NumberBlock
from app.domain.model import Area, AuditEvent, Hazard, Inspection, Notice, Photo, Record, Response
from app.domain.obligations import UnitObligation
from app.domain.repository import Repository
from app.store.blobs import BlobStore
from app.store.codec import to_doc

from .guard import check_change

__all__ = ["Context", "save", "new_meta"]

R = TypeVar("R", bound=Record)

_ENTITY = {
    Inspection: "inspection", Area: "area", Response: "response", Hazard: "hazard", Notice: "notice", Photo: "photo",
    UnitObligation: "obligation",
}


@dataclass
class Context:
    repo: Repository
    catalog: Catalog
    clock: Clock
    photos: BlobStore | None = None   # content-addressed photo files (None: records only, as in unit tests)
    pdfs: BlobStore | None = None     # issued notices and submitted evidence, likewise
    actor: str = "inspector"          # the signed-in inspector's name, for the audit
    # Per notice prefix, the serials this context numbers in when its device was never enrolled:
    # a demo built in parts shares the bureau's series between processes (an enrolled device's
    # certificate decides instead). Empty: all of them.
    number_blocks: dict[str, NumberBlock] = field(default_factory=dict)

    def pdf_store(self) -> BlobStore:
        """The PDF (and evidence) files; a records-only context has none, which is a programming error."""
        if self.pdfs is None:
            raise RuntimeError("this context has no file store")
        return self.pdfs

    def photo_store(self) -> BlobStore:
        """The photo files; likewise required by the use cases that move files (bundles)."""
        if self.photos is None:
            raise RuntimeError("this context has no photo store")
        return self.photos

    def now(self) -> dt.datetime:
        return self.clock.now()

    def today(self) -> dt.date:
        """Today in the campaign's time zone (campaign.toml), whatever the device is set to."""
        return local_date(self.clock.now(), ZoneInfo(self.catalog.campaign.timezone))


def new_meta(ctx: Context, unit: str) -> dict[str, Any]:
    """Fields of a brand-new record; `save` fills in rev and device."""
    now = ctx.now()
    return {"id": uuid.uuid4().hex, "unit": unit, "created_at": now, "updated_at": now, "device": "", "rev": 0}


def _diff(before: Record | None, after: Record) -> tuple[dict | None, dict]:
    new = to_doc(after)
    if before is None:
        return None, new
    old = to_doc(before)
    ignore = {"updated_at", "rev", "device", "seen"}  # merge metadata, not a change of substance
    changed = [k for k in new if old.get(k) != new[k] and k not in ignore]
    return {k: old.get(k) for k in changed}, {k: new[k] for k in changed}


def save(ctx: Context, record: R, before: R | None, action: str, note: str = "") -> R:
    """Stamp `record` with this device's clock, store it and append its audit event.

    Must run inside `ctx.repo.transaction()`. Returns the stored version. `note` is the user's
    reason, kept in the audit event (e.g. why a hazard was withdrawn).
    """
    repo = ctx.repo
    if before is not None and record == before:
        return before  # nothing changed: no new version, no empty audit event
    check_change(ctx, before, record)   # who may do what: refused before anything is written
    now = ctx.now()
    rev = repo.next_rev(before.rev if before else 0)
    stored = replace(record, updated_at=now, device=repo.device_id, rev=rev)
    if isinstance(stored, Hazard):
        seen = before.seen if isinstance(before, Hazard) else {}
        stored = replace(stored, seen={**seen, repo.device_id: rev})
    getattr(repo, f"save_{_ENTITY[type(record)]}")(stored)
    old, new = _diff(before, stored)
    event = AuditEvent(
        id=uuid.uuid4().hex, unit=stored.unit, at=now, actor=ctx.actor, device=repo.device_id, rev=rev,
        entity=_ENTITY[type(record)], entity_id=stored.id, action=action, before=old, after=new,
        note=note,
    )
    repo.append_audit(event, stored)
    return stored
