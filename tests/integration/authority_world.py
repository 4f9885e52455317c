"""An enrolled campaign in real data directories: a bureau device and unit tablets, enrolled the
way users enroll them (request → sign → install), plus a way to act as a rogue unit that edits its
own files and signs the result."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.domain.authority import Role
from app.services import authority
from app.services.context import Context
from app.services.sync import ImportSummary, export_bundle, import_bundle
from tests.integration.sync_world import START, device

__all__ = ["Campaign", "enrolled", "enroll", "rogue", "send"]


@dataclass
class Campaign:
    bureau: Context
    units: dict[str, Context]
    root: Path


def enroll(bureau: Context, tablet: Context, role: Role = Role.UNIT, unit: str = "U01", days: int = 730) -> None:
    """Request, sign, install: the three steps a tablet and the bureau take (files by USB)."""
    request = authority.make_request(tablet, role, unit, label=tablet.actor)
    cert = authority.sign_request(bureau, authority.read_request(_json(request.to_json())), days=days)
    authority.install_certificate(tablet, _json(cert.to_json()))


def _json(value) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def enrolled(root: Path, units: dict[str, str] | None = None) -> Campaign:
    """A bureau (示例市卫生健康委员会保卫处) and unit tablets named → unit code, all enrolled."""
    bureau = device(root / "bureau", actor="局检查员甲")
    authority.bureau_init(bureau, "示例市卫生健康委员会保卫处", "示卫消整")
    tablets = {}
    for name, unit in (units or {"u01": "U01"}).items():
        tablets[name] = device(root / name, actor=f"{name}检查员")
        enroll(bureau, tablets[name], Role.UNIT, unit)
    return Campaign(bureau, tablets, root)


@contextlib.contextmanager
def rogue(ctx: Context) -> Iterator[Context]:
    """Act with the device's certificate set aside, as someone editing the store's own files would:
    the services' gate no longer refuses. Whatever is made is still signed by the device's key."""
    with ctx.repo.transaction():
        saved = ctx.repo.get_settings(authority.SETTINGS_KEY)
        ctx.repo.save_settings(authority.SETTINGS_KEY, {})
    try:
        yield ctx
    finally:
        with ctx.repo.transaction():
            ctx.repo.save_settings(authority.SETTINGS_KEY, saved)


def send(source: Context, target: Context, tmp: Path, name: str = "b.fsb", full: bool = True) -> ImportSummary:
    """Export everything from `source` and import it into `target`."""
    path = tmp / name
    export_bundle(source, path, full=full)
    return import_bundle(target, path)


def later(ctx: Context, days: int) -> None:
    ctx.clock.advance(days=days)


START_DAY: dt.date = START.date()
