"""Hazards for the ledger's tests, made through the services in a real data directory."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from app.bootstrap import build
from app.domain.model import Flag, InspectionKind, Severity
from app.services import hazards, inspections

__all__ = ["evidence_jpeg", "seed", "WARD"]

WARD = "inpatient_ward"


def evidence_jpeg() -> bytes:
    """A real photo of the fix: Pillow-made JPEG, big enough for the pipeline to shrink and stamp."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (1200, 900), (40, 120, 200))
    image.paste((240, 240, 240), (300, 200, 900, 700))
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def seed(data):
    """Three hazards: an overdue major one at U01 (listed), a general one at U01 (rectifying), one at U03."""
    ctx = build(data, actor="王喆")
    today = ctx.today()
    old = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], today - dt.timedelta(days=40))
    ward = inspections.add_area(ctx, old.id, WARD, "住院部3号楼5层", department="心内科")
    wires = hazards.raise_hazard(ctx, old.id, ward.id, description="病房内私拉电线", severity=Severity.MAJOR,
                                 deadline=today - dt.timedelta(days=10), responsible="赵敏")
    hazards.set_flag(ctx, wires.id, Flag.LISTED)
    exit_ = hazards.raise_hazard(ctx, old.id, ward.id, description="安全出口指示灯不亮",
                                 deadline=today + dt.timedelta(days=20))
    hazards.start_rectifying(ctx, exit_.id)
    other = inspections.start_inspection(ctx, "U03", InspectionKind.SELF_CHECK, ["王喆"])
    store = inspections.add_area(ctx, other.id, "pharmacy_store", "药库", department="药剂科")
    clutter = hazards.raise_hazard(ctx, other.id, store.id, description="药库通道堆放纸箱")
    return ctx, wires, exit_, clutter


