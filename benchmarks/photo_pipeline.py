"""A 12 MP JPEG through the whole pipeline vs plain Pillow (open, rotate, resize, save)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from PIL import ExifTags, Image, ImageOps

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.model import InspectionKind
from app.media import pipeline, stamp
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import photos as photo_service

from .common import Row, measure, summary

REPEAT = 9


def twelve_megapixel_jpeg() -> bytes:
    """A camera-like 4032×3024 JPEG (texture, so it compresses like a photo) with orientation 6."""
    noise = Image.effect_noise((1008, 756), 40).resize((4032, 3024), Image.Resampling.BILINEAR)
    image = Image.merge("RGB", (noise, Image.linear_gradient("L").resize((4032, 3024)), noise.transpose(0)))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def plain_pillow(data: bytes) -> bytes:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    image.thumbnail((2048, 2048))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def whole_pipeline(data: bytes) -> None:
    processed = pipeline.process(data, "IMG.jpg")
    lines = ["2026-07-10 14:32　示例市第一中心医院　住院部3号楼5层", "检查人：王喆　编号：1A2B3C4D"]
    stamped = stamp.stamp(processed.image, lines)
    pipeline.encode_jpeg(stamped, processed.exif)
    pipeline.thumbnail(stamped)
    pipeline.thumbnail(stamped, pipeline.PRINT_SIDE)
    pipeline.encode_jpeg(processed.image, processed.exif)


def run() -> list[Row]:
    data = twelve_megapixel_jpeg()
    base = summary(measure(lambda: plain_pillow(data), REPEAT))
    pipe = summary(measure(lambda: whole_pipeline(data), REPEAT))
    rows = [
        Row(f"photo pipeline, 12 MP JPEG ({len(data) / 1e6:.1f} MB)", *pipe, "plain Pillow", base[0],
            "≤ 200 ms"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(dt.datetime(2026, 7, 10, 2, tzinfo=dt.UTC))
        ctx = build(Path(tmp), clock, actor="王喆")
        inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
        area = inspection_service.add_area(ctx, inspection.id, "basement", "地下一层")

        def raise_with_photo() -> None:
            hazard = hazard_service.raise_hazard(ctx, inspection.id, area.id, "bs-01")
            photo_service.add_hazard_photo(ctx, hazard.id, data, "IMG.jpg")

        raised = summary(measure(raise_with_photo, REPEAT))
    rows.append(Row("raise a hazard with one 12 MP photo, durable", *raised, target="≤ 250 ms"))
    return rows
