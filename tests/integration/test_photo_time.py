"""A photo's time is the camera's own (EXIF DateTimeOriginal) when the file has it (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import ExifTags, Image

from app.bootstrap import build
from app.domain.model import InspectionKind
from app.media import pipeline
from app.services import hazards, inspections, photos
from tests.integration.photo_fixtures import encode, marker_image


def shot(original: str | None = None, plain: str | None = None) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "TestCam"
    if plain:
        exif[ExifTags.Base.DateTime] = plain
    if original:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = original
    return encode(marker_image(), "JPEG", exif=exif, quality=90)


@pytest.mark.parametrize(("data", "expected"), [
    (shot("2026:07:10 09:15:42"), "2026-07-10 09:15:42"),
    (shot(None, "2026:07:09 18:00:00"), "2026-07-09 18:00:00"),       # only the file's DateTime
    (shot("0000:00:00 00:00:00"), ""),                               # a camera with no clock
    (shot(None), ""),
])
def test_the_cameras_time_is_read_and_a_missing_or_zero_one_is_empty(data, expected):
    assert pipeline.taken_at(pipeline.process(data, "x.jpg").exif) == expected


def test_a_stored_photo_keeps_the_cameras_time(tmp_path):
    ctx = build(tmp_path / "data", actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
    area = inspections.add_area(ctx, inspection.id, "inpatient_ward", "住院部3号楼5层")
    hazard = hazards.raise_hazard(ctx, inspection.id, area.id, description="走廊堆放杂物")
    photo = photos.add_hazard_photo(ctx, hazard.id, shot("2026:07:10 09:15:42"), "IMG_0001.jpg")
    assert photos.get_photo(build(tmp_path / "data"), photo.id).taken_at == "2026-07-10 09:15:42"
