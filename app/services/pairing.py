"""Field-kit pairings: pair a tablet's browser with the code, list them, revoke them.

They are kept with this device's settings in the data directory (never in a bundle), so the
running server and `firesweep pairings` in another terminal see the same list: a revocation made
on the command line locks the tablet out at its next action. Pairing and revoking are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.domain.errors import NotFound
from app.domain.model import AuditEvent
from app.domain.pairing import Pairing, PairingCode, check_inspector
from app.media import qr

from .context import Context

__all__ = ["client_hash", "new_code", "pair", "pairings", "paired", "qr_png", "qr_text", "revoke", "revoke_all"]

KEY = "field_kit"          # the settings document that holds the pairings
DEVICE_MAX = 80


def new_code(on_new: Callable[[str], None] = lambda _code: None) -> PairingCode:
    """The server's pairing code (one per `firesweep app --field-kit`); `on_new` hears each new code."""
    return PairingCode(time.monotonic, on_new)


def qr_png(text: str) -> bytes:
    return qr.qr_png(text)


def qr_text(text: str) -> str:
    return qr.qr_text(text)


def client_hash(client: str) -> str:
    """What is stored of a browser's client cookie: its hash (the data directory never holds the key)."""
    return hashlib.sha256(client.encode()).hexdigest()


def _load(ctx: Context) -> list[Pairing]:
    doc = ctx.repo.get_settings(KEY) or {}
    return [_from_doc(p) for p in doc.get("pairings", [])]


def _from_doc(doc: dict[str, Any]) -> Pairing:
    revoked = doc.get("revoked_at")
    return Pairing(id=doc["id"], inspector=doc["inspector"], client_hash=doc["client_hash"], device=doc["device"],
                   paired_at=dt.datetime.fromisoformat(doc["paired_at"]),
                   revoked_at=dt.datetime.fromisoformat(revoked) if revoked else None)


def _to_doc(p: Pairing) -> dict[str, Any]:
    return {"id": p.id, "inspector": p.inspector, "client_hash": p.client_hash, "device": p.device,
            "paired_at": p.paired_at.isoformat(), "revoked_at": p.revoked_at.isoformat() if p.revoked_at else None}


def _save(ctx: Context, all_pairings: list[Pairing], action: str, changed: Pairing) -> None:
    ctx.repo.save_settings(KEY, {"pairings": [_to_doc(p) for p in all_pairings]})
    ctx.repo.append_settings_audit(AuditEvent(
        id=uuid.uuid4().hex, unit="", at=ctx.now(), actor=ctx.actor, device=ctx.repo.device_id,
        rev=ctx.repo.next_rev(), entity="pairing", entity_id=changed.id, action=action,
        after={"inspector": changed.inspector, "device": changed.device},
    ))


def pairings(ctx: Context) -> list[Pairing]:
    """Every pairing, newest first, revoked ones included (the list says which)."""
    return sorted(_load(ctx), key=lambda p: p.paired_at, reverse=True)


def paired(ctx: Context, client: str | None) -> Pairing | None:
    """The active pairing of this browser, or None (not paired, or revoked)."""
    if not client:
        return None
    wanted = client_hash(client)
    return next((p for p in _load(ctx) if p.active and secrets.compare_digest(p.client_hash, wanted)), None)


def pair(ctx: Context, code: PairingCode, client: str, entered: str, inspector: str, device: str = "") -> Pairing:
    """Admit this browser for `inspector` if `entered` is the laptop's current code (used up by it).

    The name is checked first, so a good code is not spent on a form that is refused.
    """
    name = check_inspector(inspector)
    code.redeem(entered)
    ctx = replace(ctx, actor=name)      # the audit's "who" of a pairing is the inspector it admits
    with ctx.repo.transaction():
        existing = _load(ctx)
        wanted = client_hash(client)
        now = ctx.now()
        # a browser paired again (say for another inspector) keeps one active pairing: the new one
        kept = [p if not (p.active and p.client_hash == wanted) else _revoked(p, now) for p in existing]
        new = Pairing(id=secrets.token_hex(4), inspector=name, client_hash=wanted,
                      device=(device or "").strip()[:DEVICE_MAX], paired_at=now)
        _save(ctx, [*kept, new], "pair", new)
    return new


def _revoked(p: Pairing, at: dt.datetime) -> Pairing:
    return Pairing(p.id, p.inspector, p.client_hash, p.device, p.paired_at, at)


def revoke(ctx: Context, pairing_id: str) -> Pairing:
    """End one pairing (its tablet is locked out at its next action); revoking twice changes nothing."""
    with ctx.repo.transaction():
        existing = _load(ctx)
        target = next((p for p in existing if p.id == pairing_id.strip()), None)
        if target is None:
            raise NotFound("pairing", pairing_id)
        if not target.active:
            return target
        done = _revoked(target, ctx.now())
        _save(ctx, [done if p.id == target.id else p for p in existing], "revoke", done)
    return done


def revoke_all(ctx: Context) -> list[Pairing]:
    """End every active pairing (a lost tablet whose pairing you cannot tell apart, the end of a day)."""
    return [revoke(ctx, p.id) for p in pairings(ctx) if p.active]
