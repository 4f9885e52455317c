"""pillow-heif is optional (no Android wheel): without it a HEIC photo is refused, saying why."""

from __future__ import annotations

import sys

import pytest

from app.bootstrap import build
from app.domain.errors import PhotoRejected
from app.domain.model import InspectionKind, Verdict
from app.i18n import describe_error
from app.media import pipeline
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import photos as photo_service
from tests.integration.photo_fixtures import encode, jpeg, marker_image

# what an iPad writes begins like this: an ISO-BMFF `ftyp` box, major brand heic, compatible mif1
HEIC_HEADER = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def heic_files() -> list[bytes]:
    files = [HEIC_HEADER]
    try:
        import pillow_heif
    except ImportError:
        return files    # the mobile-versions run: only the header can be made here
    pillow_heif.register_heif_opener()
    return [*files, encode(marker_image(), "HEIF")]


@pytest.fixture
def hazard(tmp_path):
    ctx = build(tmp_path / "data", actor="王喆")
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspection_service.add_area(ctx, inspection.id, "inpatient_ward", "住院部3号楼5层")
    inspection_service.record_response(ctx, inspection.id, area.id, "iw-02", Verdict.FAIL)
    return ctx, hazard_service.raise_hazard(ctx, inspection.id, area.id, "iw-02")


@pytest.fixture
def without_pillow_heif(monkeypatch):
    """As on an Android build: `import pillow_heif` fails."""
    monkeypatch.setitem(sys.modules, "pillow_heif", None)
    pipeline.heic_supported.cache_clear()
    yield
    pipeline.heic_supported.cache_clear()


@pytest.mark.parametrize("data", heic_files(), ids=["header", "real"][: len(heic_files())])
def test_a_heic_photo_is_refused_by_name_where_pillow_heif_is_absent(hazard, without_pillow_heif, data):
    ctx, hazard = hazard
    with pytest.raises(PhotoRejected) as caught:
        photo_service.add_hazard_photo(ctx, hazard.id, data, "IMG_4100.HEIC")
    assert caught.value.reason == "heic_unsupported"
    zh, en = describe_error(caught.value, "zh-CN"), describe_error(caught.value, "en")
    assert "IMG_4100.HEIC" in zh and "HEIC" in zh and "JPEG" in zh
    assert "IMG_4100.HEIC" in en and "not supported" in en
    assert photo_service.photos_of(ctx, hazard.id) == []


def test_a_jpeg_is_still_taken_where_pillow_heif_is_absent(hazard, without_pillow_heif):
    ctx, hazard = hazard
    photo = photo_service.add_hazard_photo(ctx, hazard.id, jpeg(), "camera.jpg")
    assert [p.sha256 for p in photo_service.photos_of(ctx, hazard.id)] == [photo.sha256]


def test_an_avif_file_is_not_taken_for_heic(without_pillow_heif):
    avif = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 64
    with pytest.raises(PhotoRejected) as caught:
        pipeline.process(avif, "x.avif")
    assert caught.value.reason != "heic_unsupported"
