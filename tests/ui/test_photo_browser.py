"""Photos in the real web client: Chromium's fake camera into a hazard, a 20 MB file through the
upload endpoint, a circle drawn with the mouse on the photo screen; screenshots at tablet and phone size.

Data a test needs is made through the services beforehand; what the app stored is checked through
them after the server has stopped.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from app.bootstrap import build
from app.domain.model import InspectionKind, Verdict
from app.services import hazards, inspections, photos
from tests.ui.conftest import TABLET_PORTRAIT, Tab, by_id, open_app, screenshot_path, start_app, stop_app

pytestmark = pytest.mark.browser

WARD = "inpatient_ward"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def camera_page(browser):
    """A tab allowed to use the camera: with Chromium's fake-device flags it sees a test pattern."""
    tab = Tab(browser, viewport=TABLET_PORTRAIT, permissions=["camera"])
    tab.set_default_timeout(60_000)
    return tab


def failed_item_hazard(data: Path, with_photo: bool = False):
    ctx = build(data, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
    item = ctx.catalog.checklist(WARD).items[1].id
    inspections.record_response(ctx, inspection.id, area.id, item, Verdict.FAIL)
    hazard = hazards.raise_hazard(ctx, inspection.id, area.id, item)
    photo = None
    if with_photo:
        out = io.BytesIO()
        scene = Image.new("RGB", (1600, 1200), (70, 100, 150))
        scene.paste((200, 200, 200), (700, 500, 900, 700))          # "the extinguisher" to circle
        scene.save(out, "JPEG", quality=90)
        photo = photos.add_hazard_photo(ctx, hazard.id, out.getvalue(), "corridor.jpg")
    return hazard, f"/i/{inspection.id}/a/{area.id}/{item}/hazard", photo


def shoot(page, name: str) -> Path:
    page.wait_for_timeout(700)           # the canvas paints a little after the accessibility tree
    path = screenshot_path(f"photo-{name}.png")
    page.screenshot(path=str(path))
    return path


def big_jpeg(path: Path) -> Path:
    """Noise compresses badly: a 5000×3500 JPEG of it is over 16 MB (the websocket's limit)."""
    noise = Image.frombytes("RGB", (5000, 3500), os.urandom(5000 * 3500 * 3))
    noise.save(path, "JPEG", quality=95)
    assert 16 * 1024 * 1024 < path.stat().st_size < 40 * 1024 * 1024
    return path


def test_the_camera_takes_a_photo_into_the_hazard(tmp_path, camera_page):
    page = camera_page
    data = tmp_path / "data"
    hazard, route, _ = failed_item_hazard(data)
    app = start_app(data, tmp_path / "app.log")
    try:
        open_app(page, app.url + route)
        by_id(page, "take-photo").click()
        shutter = by_id(page, "camera-shutter")
        page.wait_for_function(
            "document.querySelector('[flt-semantics-identifier=\"camera-shutter\"] [aria-disabled=\"true\"], "
            "[flt-semantics-identifier=\"camera-shutter\"][aria-disabled=\"true\"]') === null", timeout=60_000)
        page.wait_for_timeout(1500)      # a few frames of the test pattern
        shoot(page, "camera")
        shutter.click()
        by_id(page, "photo-0").wait_for(timeout=60_000)
        assert by_id(page, "camera-note").count() == 0               # no "no camera" note
        shoot(page, "hazard-form")
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(1000)
        shoot(page, "hazard-form-phone")
    finally:
        stop_app(app)
    ctx = build(data)
    [taken] = photos.photos_of(ctx, hazard.id)
    assert taken.original_name.startswith("camera-") and taken.sha256 in hazards.get_hazard(ctx, hazard.id).photos
    assert min(taken.width, taken.height) >= 240


def test_a_photo_over_16_mb_arrives_through_the_upload(tmp_path, page, monkeypatch):
    page.set_default_timeout(60_000)
    data = tmp_path / "data"
    monkeypatch.setenv("TMPDIR", str(tmp_path))           # the server's private upload directory goes here
    hazard, route, _ = failed_item_hazard(data)
    big = big_jpeg(tmp_path / "IMG_0001.jpg")
    app = start_app(data, tmp_path / "app.log")
    try:
        open_app(page, app.url + route)
        with page.expect_file_chooser() as chooser:
            by_id(page, "add-photo").click()
        chooser.value.set_files(str(big))
        by_id(page, "photo-0").wait_for(timeout=120_000)
        [uploads] = tmp_path.glob("firesweep-uploads-*")
        assert not [p for p in uploads.rglob("*") if p.is_file()]          # read and deleted
        (uploads / "probe").mkdir()
        (uploads / "probe" / "photo.jpg").write_bytes(b"PRIVATE-UPLOAD")
        for path in ("/probe/photo.jpg", "/upload/probe/photo.jpg", "/upload?f=probe/photo.jpg"):
            assert b"PRIVATE-UPLOAD" not in page.request.get(app.url + path).body()   # nothing is served back
        assert page.request.put(app.url + "/upload?f=x.jpg&e=2099-01-01T00:00:00%2B00:00&s=0",
                                data=b"x").status == 403                  # and only with this run's signature
        by_id(page, "photo-0").click()
        by_id(page, "screen-photo").wait_for(timeout=30_000)
        shoot(page, "uploaded-20mb")
    finally:
        stop_app(app)
    [stored] = photos.photos_of(build(data), hazard.id)
    assert stored.original_name == "IMG_0001.jpg" and stored.original_size == big.stat().st_size


@pytest.mark.parametrize(("viewport", "name"), [(TABLET_PORTRAIT, "annotate-tablet"), (PHONE, "annotate-phone")])
def test_a_circle_drawn_with_the_mouse_is_saved_on_the_photo(tmp_path, browser, viewport, name):
    data = tmp_path / "data"
    hazard, _route, photo = failed_item_hazard(data, with_photo=True)
    page = Tab(browser, viewport=viewport)
    page.set_default_timeout(60_000)
    app = start_app(data, tmp_path / "app.log")
    try:
        open_app(page, f"{app.url}/photo/{photo.id}")
        by_id(page, "annotate").click()
        by_id(page, "tool-circle").wait_for()
        box = by_id(page, "photo").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2     # the grey square's centre
        radius = box["width"] * 0.1
        page.mouse.move(cx, cy)
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(cx + radius * step / 10, cy, steps=2)
        page.mouse.up()
        page.wait_for_function(
            "document.querySelector('[flt-semantics-identifier=\"annotate-save\"] [aria-disabled=\"true\"], "
            "[flt-semantics-identifier=\"annotate-save\"][aria-disabled=\"true\"]') === null")
        shoot(page, name)
        by_id(page, "annotate-save").click()
        page.wait_for_function(f"!location.pathname.endsWith('{photo.id}')", timeout=60_000)
        by_id(page, "photo-details").wait_for()
        shoot(page, f"{name}-saved")
    finally:
        stop_app(app)
    ctx = build(data)
    drawn = next(p for p in photos.photos_of(ctx, hazard.id) if p.annotated_from == photo.sha256)
    image = Image.open(io.BytesIO(photos.photo_bytes(ctx, drawn.sha256))).convert("RGB")
    scale = 1600 / box["width"]
    rim = round(800 + radius * scale - 4)
    r, g, b = image.getpixel((rim, 600))
    assert r > 180 and g < 90 and b < 90, (r, g, b)                # red on the rim, right of the centre
    assert image.getpixel((800, 600))[1] > 150                      # the centre is still the grey square
