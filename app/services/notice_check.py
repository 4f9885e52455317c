"""核验: is a printed notice authentic? Checked offline from what its QR code says.

The QR carries the number, issuer, date, snapshot hash and the issuing device's signature
(`app.domain.notice.QrClaim`). A notice is authentic when the signature verifies with the key of
a device this store trusts (its own, an enrolled device whose certificate chains to the campaign
key, or in a store never enrolled a device it has trusted) and, where this store holds the notice,
the number and hash match what was issued. The answer also says where the hazards stand now and
whether a newer version supersedes the notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain.authority import DeviceStatus
from app.domain.model import Notice
from app.domain.notice import QrClaim, decode_qr
from app.store.keys import verify_signature

from . import authority
from .context import Context
from .sync import device_key

__all__ = ["HazardNow", "NoticeVerdict", "verify_payload"]


@dataclass(frozen=True)
class HazardNow:
    description: str
    status: str
    deadline: dt.date


@dataclass(frozen=True)
class NoticeVerdict:
    authentic: bool
    reason: str                          # "ok", or why not (a reason key)
    claim: QrClaim | None = None
    signer: str = ""                     # the issuing device's issuer, as its certificate names it
    recipient: str = ""
    hazards: list[HazardNow] = field(default_factory=list)
    superseded_by: str = ""              # number of a newer version, if any
    in_store: bool = False               # this store holds the notice (else only the signature is known)


def _signing_key(ctx: Context, device_id: str) -> tuple[str, str] | None:
    """(public key, issuer name) of a device whose signatures this store trusts, or None."""
    if device_id == ctx.repo.device_id:
        return device_key(ctx).public_b64, ""
    current = authority.state(ctx)
    if current.enrolled:
        cert = authority.trusted_cert(ctx, current, device_id)
        return (cert.body.public_key, cert.body.issuer_name) if cert else None
    known = ctx.repo.devices().get(device_id)
    if known and known.get("status") == DeviceStatus.TRUSTED and known.get("public_key"):
        return known["public_key"], ""
    return None


def verify_payload(ctx: Context, text: str) -> NoticeVerdict:
    """Check a scanned QR text. Never raises for bad input: a verdict says what is wrong."""
    claim = decode_qr(text.strip())
    if claim is None:
        return NoticeVerdict(False, "not_a_notice_qr")
    key = _signing_key(ctx, claim.device_id)
    if key is None:
        return NoticeVerdict(False, "unknown_issuer_key", claim)
    if not verify_signature(key[0], claim.message(), claim.signature):
        return NoticeVerdict(False, "bad_signature", claim)
    if key[1] and key[1] != claim.issuer and not claim.issuer.startswith(key[1]):
        return NoticeVerdict(False, "issuer_mismatch", claim)
    stored = [n for n in ctx.repo.notices() if n.number == claim.number and not n.deleted]
    if not stored:
        return NoticeVerdict(True, "ok", claim, signer=key[1])
    notice = next((n for n in stored if n.snapshot_sha256 == claim.snapshot_sha256), None)
    if notice is None:
        return NoticeVerdict(False, "hash_mismatch", claim, signer=key[1], in_store=True)
    return NoticeVerdict(True, "ok", claim, signer=key[1], recipient=notice.recipient,
                         hazards=_hazards_now(ctx, notice), superseded_by=_newer(ctx, notice), in_store=True)


def _hazards_now(ctx: Context, notice: Notice) -> list[HazardNow]:
    found = {h.id: h for h in ctx.repo.hazards(notice.unit)}
    return [HazardNow(found[i].description, "withdrawn" if found[i].deleted else found[i].status.value,
                      found[i].deadline) for i in notice.hazard_ids if i in found]


def _newer(ctx: Context, notice: Notice) -> str:
    """The number of the newest correction of this notice, following supersedes links."""
    newest, current = "", notice
    by_supersedes = {n.supersedes: n for n in ctx.repo.notices(notice.unit) if n.supersedes and not n.deleted}
    while current.id in by_supersedes:
        current = by_supersedes[current.id]
        newest = current.number
    return newest

