"""The photo pipeline: every format and orientation, every bad input, dedup, stamp, annotation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import ExifTags, Image, ImageChops, ImageOps, ImageStat

from app import resources
from app.bootstrap import build
from app.cli import main
from app.domain.clock import FixedClock
from app.domain.errors import PhotoRejected
from app.domain.model import InspectionKind, PhotoOwner, Verdict
from app.media import pipeline, stamp
from app.media.annotate import Shape
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import photos as photo_service
from app.services.integrity import verify_data
from tests.integration.photo_fixtures import encode, jpeg, marker_image

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 32, tzinfo=dt.UTC))


@pytest.fixture
def world(tmp_path):
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspection_service.add_area(ctx, inspection.id, "inpatient_ward", "住院部3号楼5层")
    inspection_service.record_response(ctx, inspection.id, area.id, "iw-02", Verdict.FAIL)
    hazard = hazard_service.raise_hazard(ctx, inspection.id, area.id, "iw-02")
    return ctx, inspection, area, hazard


def stored_image(ctx, sha: str) -> Image.Image:
    return Image.open(io.BytesIO(photo_service.photo_bytes(ctx, sha)))


@pytest.mark.parametrize(
    ("fmt", "options"),
    [("JPEG", {}), ("PNG", {}), ("WEBP", {}), ("HEIF", {})],
)
def test_every_accepted_format_is_stored_as_a_jpeg(world, fmt, options):
    if fmt == "HEIF":   # the optional `heic` extra: absent on the mobile-versions run
        pytest.importorskip("pillow_heif").register_heif_opener()
    ctx, *_, hazard = world
    data = encode(marker_image(), fmt, **options)
    photo = photo_service.add_hazard_photo(ctx, hazard.id, data, f"p.{fmt.lower()}")
    image = stored_image(ctx, photo.sha256)
    assert image.format == "JPEG" and image.size == (120, 80)
    assert stored_image(ctx, photo.thumb_sha256).format == "JPEG"
    assert hazard_service.get_hazard(ctx, hazard.id).photos == (photo.sha256,)


def test_transparent_png_areas_become_white(world):
    ctx, *_, hazard = world
    clear = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    photo = photo_service.add_hazard_photo(ctx, hazard.id, encode(clear, "PNG"), "clear.png")
    assert stored_image(ctx, photo.unstamped_sha256).getpixel((50, 20)) > (240, 240, 240)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_turned_upright(orientation):
    data = jpeg(orientation=orientation)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    result = pipeline.process(data, "o.jpg").image
    assert result.size == expected.size
    difference = ImageStat.Stat(ImageChops.difference(result, expected.convert("RGB"))).mean
    assert max(difference) < 8  # only JPEG noise, not a turned image
    assert ExifTags.Base.Orientation not in pipeline.process(data, "o.jpg").exif


def test_large_photos_shrink_to_2048_and_a_320_thumbnail():
    processed = pipeline.process(jpeg(4032, 3024), "big.jpg")
    assert max(processed.image.size) <= 2048 and max(processed.image.size) >= 1900
    assert max(Image.open(io.BytesIO(pipeline.thumbnail(processed.image))).size) == 320


@pytest.mark.parametrize("size", [(640, 480), (1600, 1200), (2000, 1500)])   # stored in this thread / on the pool
def test_every_photo_stores_its_four_files_at_their_sizes(world, size):
    ctx, *_, hazard = world
    photo = photo_service.add_hazard_photo(ctx, hazard.id, jpeg(*size), "p.jpg")
    stamped = stored_image(ctx, photo.sha256)
    assert stamped.size == stored_image(ctx, photo.unstamped_sha256).size == size
    printed = stored_image(ctx, photo.print_sha256).size
    assert max(printed) == min(800, max(size)) and printed[0] * size[1] == printed[1] * size[0]
    assert max(stored_image(ctx, photo.thumb_sha256).size) == 320
    assert ImageStat.Stat(stamped.crop((0, 0, size[0], size[1] // 2))).mean == pytest.approx(
        ImageStat.Stat(stored_image(ctx, photo.unstamped_sha256).crop((0, 0, size[0], size[1] // 2))).mean, abs=3)


def test_shrinking_by_a_whole_factor_looks_as_the_bilinear_shrink():
    image = Image.open(io.BytesIO(jpeg(640, 480))).convert("RGB")
    small = pipeline.shrink(image, 320)
    bilinear = image.resize((320, 240), Image.Resampling.BILINEAR)
    assert small.size == (320, 240) and image.size == (640, 480)
    assert max(ImageStat.Stat(ImageChops.difference(small, bilinear)).mean) < 2


def test_gps_is_dropped_unless_kept():
    data = jpeg(gps=True)
    assert not pipeline.process(data, "g.jpg").exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert pipeline.process(data, "g.jpg", keep_gps=True).exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert pipeline.process(data, "g.jpg").exif[ExifTags.Base.Model] == "TestCam"


def _bomb() -> bytes:
    return encode(Image.new("1", (10_000, 10_000)), "PNG")  # 100 MP, above Pillow's warning limit


BAD_INPUTS = {
    "text file": (b"this is not a photo\n" * 10, "not_an_image"),
    "pdf": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "not_an_image"),
    "truncated jpeg": (jpeg(400, 300)[:1500], "truncated"),
    "empty file": (b"", "empty_file"),
    "gif": (encode(marker_image(), "GIF"), "unsupported_format"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_nothing_is_stored(world, case):
    ctx, *_, hazard = world
    data, reason = BAD_INPUTS[case]
    with pytest.raises(PhotoRejected) as caught:
        photo_service.add_hazard_photo(ctx, hazard.id, data, case)
    assert caught.value.reason == reason
    assert ctx.photos.all() == [] and ctx.repo.photos() == []
    assert hazard_service.get_hazard(ctx, hazard.id).photos == ()


def test_a_decompression_bomb_is_refused(world):
    ctx, *_, hazard = world
    with pytest.raises(PhotoRejected) as caught:
        photo_service.add_hazard_photo(ctx, hazard.id, _bomb(), "bomb.png")
    assert caught.value.reason == "too_many_pixels"
    assert ctx.photos.all() == []


def test_the_same_photo_twice_is_stored_once(world):
    ctx, *_, hazard = world
    data = jpeg()
    first = photo_service.add_hazard_photo(ctx, hazard.id, data, "a.jpg")
    second = photo_service.add_hazard_photo(ctx, hazard.id, data, "a.jpg")
    assert first.unstamped_sha256 == second.unstamped_sha256
    # the stamps differ (each carries its own id), the unstamped original is one file
    assert len(ctx.photos.all()) == len({first.sha256, first.thumb_sha256, second.sha256,
                                         second.thumb_sha256, first.unstamped_sha256})


def test_stamp_band_carries_time_unit_place_and_inspector_in_the_bundled_font(world):
    ctx, *_, hazard = world
    plain = Image.new("RGB", (800, 600), (128, 128, 128))
    photo = photo_service.add_hazard_photo(ctx, hazard.id, encode(plain, "PNG"), "grey.png")
    stamped = stored_image(ctx, photo.sha256).convert("L")
    band = stamp.band_height(600)
    assert ImageStat.Stat(stamped.crop((0, 0, 800, 600 - band))).mean[0] == pytest.approx(128, abs=3)
    band_pixels = stamped.crop((0, 600 - band, 800, 600))
    assert ImageStat.Stat(band_pixels).mean[0] < 100          # darkened
    assert band_pixels.getextrema()[1] > 230                  # with white text on it
    lines = [
        "2026-07-10 14:32　示例市第一中心医院　住院部3号楼5层",
        f"检查人：王喆　编号：{photo.id[:8].upper()}　火灾隐患排查",
    ]
    expected = stamp.stamp(plain, lines).convert("L")
    assert max(ImageStat.Stat(ImageChops.difference(expected, stamped)).mean) < 3
    assert stamp._font(20).path == str(resources.font_path())


def test_response_and_evidence_photos(world):
    ctx, inspection, area, hazard = world
    on_answer = photo_service.add_response_photo(ctx, inspection.id, area.id, "iw-02", jpeg(), "a.jpg")
    assert on_answer.owner is PhotoOwner.RESPONSE
    fixed = photo_service.add_evidence_photo(ctx, hazard.id, jpeg(200, 100), "fixed.jpg")
    rectified = hazard_service.rectify(ctx, hazard.id, "已拆除私拉电线", photos=(fixed.sha256,))
    assert rectified.rectification.photos == (fixed.sha256,)
    assert verify_data(ctx.repo.root).problems == []


def test_annotation_draws_on_a_copy_and_removal_is_soft_and_audited(world):
    ctx, *_, hazard = world
    source = photo_service.add_hazard_photo(ctx, hazard.id, encode(Image.new("RGB", (400, 300), "white"), "PNG"),
                                            "w.png")
    marked = photo_service.annotate_photo(ctx, source.id, [Shape("circle", 0.5, 0.4, 0.6, 0.4),
                                                           Shape("arrow", 0.1, 0.1, 0.4, 0.3)])
    image = stored_image(ctx, marked.sha256).convert("RGB")
    reds = sum(1 for r, g, b in image.get_flattened_data() if r > 180 and g < 80 and b < 80)
    assert reds > 200 and marked.annotated_from == source.sha256
    photo_service.remove_photo(ctx, source.id)
    assert [p.id for p in photo_service.photos_of(ctx, hazard.id)] == [marked.id]
    assert hazard_service.get_hazard(ctx, hazard.id).photos == (marked.sha256,)
    assert ctx.photos.has(source.sha256)  # the file stays as evidence
    assert "remove" in [e.action for e in ctx.repo.audit(source.id)]


def test_cli_stores_the_good_files_and_names_each_refused_one(world, tmp_path, capsys):
    ctx, *_, hazard = world
    good = tmp_path / "good.jpg"
    good.write_bytes(jpeg())
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB without writing 200 MB
    code = main(["photos", "add", "--data", str(ctx.repo.root), "--hazard", hazard.id, str(good), str(text),
                 str(huge)])
    out = capsys.readouterr()
    assert code == 1
    assert "notes.txt" in out.err and "不是可识别的图片文件" in out.err
    assert "huge.jpg" in out.err and "文件太大" in out.err
    assert "保存 1 张，拒收 2 张" in out.out
    # the CLI wrote through its own store: this session sees the change on disk
    assert len(hazard_service.get_hazard(ctx, hazard.id).photos) == 1
    assert verify_data(ctx.repo.root).problems == []
