"""This device's settings: notice number prefix, inspector profile, PIN lock.

They live in the data directory (store.json), not in a browser session, so they survive a
reload, a restart and a second tab; they never travel in a bundle (another tablet has its own
prefix and its own PIN). Every change appends a settings audit event; the PIN's hash never
appears in one.

The PIN is kept only as a salted scrypt hash and compared in constant time. It stops casual
use of an unattended, unlocked app, nothing more (docs/security-at-rest.md): a 4-digit PIN
hash is brute-forced offline in seconds by anyone who has the data directory, and that person
reads the records directly anyway. Wrong tries are counted in the store, so a reload or a new
tab does not reset the wait between tries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import InvalidInput
from app.domain.model import AuditEvent

from .context import Context

__all__ = [
    "InspectorProfile", "DeviceSettings", "PinCheck", "DataInfo", "get_settings", "notice_prefix",
    "validate_prefix", "set_notice_prefix", "set_inspector", "set_pin", "remove_pin", "set_idle_minutes",
    "check_pin", "lock_wait", "data_info", "IDLE_DEFAULT", "FREE_TRIES", "demo_as_of", "mark_demo",
]

DEVICE, LOCK = "device", "lock"          # settings keys: what the user sets / the wrong-try counter
IDLE_DEFAULT, IDLE_MIN, IDLE_MAX = 5, 1, 60
PREFIX_MAX = 12
# CJK ideographs (basic block and extension A), ASCII letters and digits, hyphen
_PREFIX = re.compile(rf"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9-]{{1,{PREFIX_MAX}}}")
_PIN = re.compile(r"[0-9]{4,8}")
_PHONE = re.compile(r"[0-9+\- ]{0,20}")
NAME_MAX = 40
FREE_TRIES = 5                 # wrong PINs before the first wait
FIRST_WAIT_S, MAX_WAIT_S = 30, 15 * 60
# scrypt cost: ~50 ms and 16 MB here; enough to make each try cost something, small for a tablet
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


@dataclass(frozen=True)
class InspectorProfile:
    name: str = ""
    phone: str = ""
    title: str = ""


@dataclass(frozen=True)
class DeviceSettings:
    notice_prefix: str             # what notices issued here are numbered with
    prefix_is_default: bool        # True: the campaign's prefix (this device has none of its own)
    inspector: InspectorProfile
    pin_set: bool
    idle_minutes: int


@dataclass(frozen=True)
class PinCheck:
    """The answer to one unlock try."""

    ok: bool
    wait_seconds: int = 0          # > 0: refused without looking at the PIN; try again after this
    tries_left: int = 0            # wrong tries left before a wait


@dataclass(frozen=True)
class DataInfo:
    path: str
    free_bytes: int
    inspections: int
    hazards: int
    notices: int


# ---- reading ------------------------------------------------------------------------------------

def _doc(ctx: Context, key: str) -> dict[str, Any]:
    return ctx.repo.get_settings(key) or {}


def get_settings(ctx: Context) -> DeviceSettings:
    doc = _doc(ctx, DEVICE)
    own = doc.get("notice_prefix", "")
    inspector = doc.get("inspector") or {}
    return DeviceSettings(
        notice_prefix=own or ctx.catalog.campaign.notice_prefix, prefix_is_default=not own,
        inspector=InspectorProfile(**{k: str(inspector.get(k, "")) for k in ("name", "phone", "title")}),
        pin_set=bool(doc.get("pin")), idle_minutes=int(doc.get("idle_minutes", IDLE_DEFAULT)),
    )


def demo_as_of(ctx: Context) -> dt.date | None:
    """The day a demo data set stands on (it is opened at that date), or None for real data."""
    value = _doc(ctx, DEVICE).get("demo_as_of")
    return dt.date.fromisoformat(value) if value else None


def notice_prefix(ctx: Context) -> str:
    """The prefix notices issued on this device are numbered with (its own, else the campaign's)."""
    return _doc(ctx, DEVICE).get("notice_prefix") or ctx.catalog.campaign.notice_prefix


# ---- changing (audited) ---------------------------------------------------------------------------

def _public(doc: dict[str, Any]) -> dict[str, Any]:
    """What the audit may show of a settings document: the PIN only as set or not."""
    shown = {k: v for k, v in doc.items() if k != "pin"}
    shown["pin"] = "set" if doc.get("pin") else "none"
    return shown


def _change(ctx: Context, action: str, **fields: Any) -> DeviceSettings:
    """Store the device document with `fields` changed and append its audit event."""
    with ctx.repo.transaction():
        before = _doc(ctx, DEVICE)
        after = {**before, **fields}
        if after == before:
            return get_settings(ctx)
        old, new = _public(before), _public(after)
        changed = sorted(k for k in after.keys() | before.keys() if after.get(k) != before.get(k))
        ctx.repo.save_settings(DEVICE, after)
        ctx.repo.append_settings_audit(AuditEvent(
            id=uuid.uuid4().hex, unit="", at=ctx.now(), actor=ctx.actor, device=ctx.repo.device_id,
            rev=ctx.repo.next_rev(), entity="settings", entity_id=DEVICE, action=action,
            before={k: old.get(k) for k in changed}, after={k: new[k] for k in changed},
        ))
    return get_settings(ctx)


def validate_prefix(prefix: str) -> str:
    value = (prefix or "").strip()
    if not _PREFIX.fullmatch(value):
        raise InvalidInput("notice_prefix", "prefix_format", max=PREFIX_MAX)
    return value


def set_notice_prefix(ctx: Context, prefix: str) -> DeviceSettings:
    """This device numbers its notices prefix〔year〕第NNNN号 from now on (per prefix, per year)."""
    return _change(ctx, "prefix", notice_prefix=validate_prefix(prefix))


def mark_demo(ctx: Context, as_of: dt.date) -> DeviceSettings:
    """Record that this data directory holds a demo data set standing on `as_of`."""
    return _change(ctx, "demo", demo_as_of=as_of.isoformat())


def set_inspector(ctx: Context, name: str, phone: str = "", title: str = "") -> DeviceSettings:
    """Who uses this tablet: the default inspector of new inspections and the audit's actor."""
    name, phone, title = (name or "").strip(), (phone or "").strip(), (title or "").strip()
    if not name:
        raise InvalidInput("inspector", "required")
    if len(name) > NAME_MAX or len(title) > NAME_MAX:
        raise InvalidInput("inspector", "too_long", max=NAME_MAX)
    if not _PHONE.fullmatch(phone):
        raise InvalidInput("phone", "phone_format")
    return _change(ctx, "inspector", inspector={"name": name, "phone": phone, "title": title})


def set_idle_minutes(ctx: Context, minutes: int | str) -> DeviceSettings:
    try:
        value = int(str(minutes).strip())
    except ValueError:
        value = 0
    if not IDLE_MIN <= value <= IDLE_MAX:
        raise InvalidInput("idle_minutes", "idle_range", min=IDLE_MIN, max=IDLE_MAX)
    return _change(ctx, "lock", idle_minutes=value)


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def _require_current(ctx: Context, current: str | None) -> None:
    """Changing or removing a PIN needs the PIN (and counts wrong ones like the lock screen)."""
    result = check_pin(ctx, current or "")
    if result.wait_seconds:
        raise InvalidInput("old_pin", "pin_wait", seconds=result.wait_seconds)
    if not result.ok:
        raise InvalidInput("old_pin", "pin_wrong")


def set_pin(ctx: Context, pin: str, current: str | None = None) -> DeviceSettings:
    """Set the PIN (4–8 digits); when one is set already, `current` must be it."""
    if not _PIN.fullmatch(pin or ""):
        raise InvalidInput("pin", "pin_format")
    settings = get_settings(ctx)
    if settings.pin_set:
        _require_current(ctx, current)
    salt = secrets.token_bytes(16)   # a new salt with every PIN: equal PINs never hash alike
    stored = {"algo": "scrypt", **_SCRYPT, "salt": salt.hex(), "hash": _hash(pin, salt, **_SCRYPT).hex()}
    return _change(ctx, "pin_change" if settings.pin_set else "pin_set", pin=stored)


def remove_pin(ctx: Context, current: str) -> DeviceSettings:
    if not get_settings(ctx).pin_set:
        return get_settings(ctx)
    _require_current(ctx, current)
    return _change(ctx, "pin_remove", pin=None)


# ---- unlocking ------------------------------------------------------------------------------------

def _wait_after(failures: int) -> int:
    """Seconds to wait after `failures` wrong tries in a row: 0 for the first few, then 30 s doubling."""
    if failures < FREE_TRIES:
        return 0
    return min(FIRST_WAIT_S * 2 ** (failures - FREE_TRIES), MAX_WAIT_S)


def lock_wait(ctx: Context) -> int:
    """Whole seconds before the next try is allowed (0: now).

    Capped at the longest wait, so a clock set back cannot lock the tablet for days.
    """
    until = _doc(ctx, LOCK).get("blocked_until", "")
    if not until:
        return 0
    left = (dt.datetime.fromisoformat(until) - ctx.now()).total_seconds()
    return int(min(max(left, 0), MAX_WAIT_S) + 0.999)


def check_pin(ctx: Context, pin: str) -> PinCheck:
    """Is `pin` this device's PIN? Wrong tries are counted in the store; a wait refuses every try."""
    with ctx.repo.transaction():
        stored = _doc(ctx, DEVICE).get("pin")
        if not stored:
            return PinCheck(ok=True)
        wait = lock_wait(ctx)
        if wait:
            return PinCheck(ok=False, wait_seconds=wait)
        given = pin if _PIN.fullmatch(pin or "") else ""
        digest = _hash(given or "-", bytes.fromhex(stored["salt"]), stored["n"], stored["r"], stored["p"])
        if given and hmac.compare_digest(digest, bytes.fromhex(stored["hash"])):
            if _doc(ctx, LOCK).get("failures"):
                ctx.repo.save_settings(LOCK, {"failures": 0, "blocked_until": ""})
            return PinCheck(ok=True)
        failures = int(_doc(ctx, LOCK).get("failures", 0)) + 1
        wait = _wait_after(failures)
        until = (ctx.now() + dt.timedelta(seconds=wait)).isoformat() if wait else ""
        ctx.repo.save_settings(LOCK, {"failures": failures, "blocked_until": until})
    return PinCheck(ok=False, wait_seconds=wait, tries_left=max(FREE_TRIES - failures, 0))


# ---- the data directory -----------------------------------------------------------------------

def data_info(ctx: Context) -> DataInfo:
    """Where the data is, how much room is left, how many records: for the settings screen."""
    root = ctx.photos.root.parent if ctx.photos is not None else Path()
    try:
        free = shutil.disk_usage(root).free
    except OSError:
        free = 0
    repo = ctx.repo
    return DataInfo(path=str(root), free_bytes=free, inspections=len(repo.inspections()),
                    hazards=sum(1 for h in repo.hazards() if not h.deleted),
                    notices=sum(1 for n in repo.notices() if not n.deleted))
