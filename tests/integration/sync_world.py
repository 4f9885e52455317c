"""Small real data directories for sync tests: devices with inspections, hazards, photos."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.model import InspectionKind, Verdict
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import photos as photo_service
from app.services import sync
from app.services.context import Context
from app.services.sync import _all_records
from app.store.codec import to_doc
from tests.integration.photo_fixtures import jpeg

START = dt.datetime(2026, 7, 10, 2, 0, tzinfo=dt.UTC)


def device(root: Path, actor: str = "王喆", clock: FixedClock | None = None) -> Context:
    return build(root, clock or FixedClock(START), actor=actor)


def walk(ctx: Context, unit: str = "U01", photo: bool = True, failures: int = 2):
    """One self-check with `failures` hazards (each with a photo)."""
    inspection = inspection_service.start_inspection(ctx, unit, InspectionKind.SELF_CHECK, [ctx.actor])
    area = inspection_service.add_area(ctx, inspection.id, "basement", "地下一层")
    hazards = []
    for n, item in enumerate(i.id for i in ctx.catalog.checklist("basement").items):
        verdict = Verdict.FAIL if n < failures else Verdict.PASS
        inspection_service.record_response(ctx, inspection.id, area.id, item, verdict)
        if verdict is Verdict.FAIL:
            hazard = hazard_service.raise_hazard(ctx, inspection.id, area.id, item)
            if photo:
                photo_service.add_hazard_photo(ctx, hazard.id, jpeg(160 + n, 120), f"{item}.jpg")
            hazards.append(hazard)
    return inspection, area, hazards


def tablet_bundle(folder: Path) -> Path:
    """A tablet in `folder` with a self-check of three hazards (each with a photo) in U01 and U02,
    and its full bundle."""
    tablet = device(folder / "tablet", actor="李秀兰")
    for unit in ("U01", "U02"):
        walk(tablet, unit=unit, failures=3)
    out = folder / "tablet.fsb"
    sync.export_bundle(tablet, out, full=True)
    return out


def state(ctx: Context) -> dict:
    """Everything a store holds, comparable across stores (records, audit ids, files)."""
    records = {kind: {r.id: to_doc(r) for r in rs} for kind, rs in _all_records(ctx).items()}
    return {
        "records": records,
        "audit": sorted(e.id for e in ctx.repo.audit()),
        "photos": ctx.photos.all(),
    }


def fingerprint(root: Path) -> dict[str, str]:
    files = (p for p in root.rglob("*") if p.is_file() and p.name != ".lock")
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
