"""The photo screen on a real Flet page over an in-memory connection: show, draw, undo, save, remove.

Drags are dispatched as the client sends them (`pan_start` / `pan_update` / `pan_end` with the
local position in `l`), and the stored annotated photo is decoded to see the red where it belongs.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import flet as ft
import pytest
from PIL import Image

from app.bootstrap import build
from app.domain.errors import PhotoRejected
from app.domain.model import InspectionKind, Verdict
from app.i18n import describe_error
from app.services import hazards, inspections, photos
from app.ui.screens.photo import RAIL
from app.ui.uploads import UPLOAD_DIR_ENV
from app.ui.widgets.annotation_pad import Fit, fit_box
from tests.ui.inprocess import click, find, open_page, run, settle

WARD = "inpatient_ward"
W, H = 1600, 1200
BLUE = (60, 90, 160)


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    return tmp_path / "data"


def jpeg(width: int = W, height: int = H) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), BLUE).save(out, "JPEG", quality=90)
    return out.getvalue()


def hazard_with_photo(data, width: int = W, height: int = H):
    """A failed item's hazard with one stamped photo, made through the services."""
    ctx = build(data, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
    area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
    item = ctx.catalog.checklist(WARD).items[1]
    inspections.record_response(ctx, inspection.id, area.id, item.id, Verdict.FAIL)
    hazard = hazards.raise_hazard(ctx, inspection.id, area.id, item.id)
    photo = photos.add_hazard_photo(ctx, hazard.id, jpeg(width, height), "socket.jpg")
    return ctx, hazard, photo


async def open_photo(route: str, width: int = 800, height: int = 1280):
    """`open_page`, then the whole page sent once as a client registering would get it: that mounts
    the page's dialog layer too, which the confirmation dialog needs."""
    page, client = await open_page(route, width, height)
    page.session.get_page_patch()
    return page, client


def pad_parts(page):
    """The drawing surface: the gesture detector over the image, and the canvas it paints on."""
    box = find(page, "photo")
    image, detector = box.content.controls
    return image, detector, detector.content


async def drag(page, client, start: tuple[float, float], end: tuple[float, float], steps: int = 4) -> None:
    detector = pad_parts(page)[1]
    dispatch = page.session.dispatch_event

    def at(x: float, y: float) -> dict:
        return {"x": x, "y": y}

    await dispatch(detector._i, "pan_start", {"k": "touch", "l": at(*start), "g": at(*start)})
    for n in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * n / steps
        y = start[1] + (end[1] - start[1]) * n / steps
        await dispatch(detector._i, "pan_update", {"l": at(x, y), "g": at(x, y)})
    await dispatch(detector._i, "pan_end", {"l": at(*end), "g": at(*end), "v": at(0, 0)})
    await settle(client)


def expected_fit(page_w: int = 800, page_h: int = 1280) -> Fit:
    box_w, box_h = fit_box(W, H, page_w - RAIL, page_h - 320)
    return Fit(W, H, box_w, box_h)


def is_red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 90 and b < 90


def test_fit_maps_the_screen_onto_the_image_with_letterboxing():
    fit = Fit(2000, 1000, 400, 400)          # a wide photo in a square box: bands above and below
    assert fit.scale == 0.2 and fit.offset == (0, 100)
    assert fit.to_image(200, 200) == (0.5, 0.5)
    assert fit.to_image(0, 100) == (0.0, 0.0) and fit.to_image(400, 300) == (1.0, 1.0)
    assert fit.to_image(-30, 20) == (0.0, 0.0)             # a drag off the picture stays on its edge
    assert fit.to_box(*fit.to_image(123, 222)) == pytest.approx((123, 222))


def test_opening_a_photo_shows_it_stamped_with_its_details_and_a_way_back(data):
    async def body() -> None:
        ctx, hazard, photo = hazard_with_photo(data)
        page, client = await open_photo(f"/photo/{photo.id}")
        assert find(page, "screen-photo").value == "照片"
        image, _detector, canvas = pad_parts(page)
        assert image.src == photos.photo_bytes(ctx, photo.sha256)         # the stamped evidence image
        assert (image.width, canvas.width) == (expected_fit().box_w, expected_fit().box_w)
        details = find(page, "photo-details").controls
        assert "王喆" in details[0].value and f"{W}×{H}" in details[1].value
        assert hazard.description in details[2].value
        await click(page, client, "photo-back")
        assert page.route == f"/i/{hazard.inspection_id}/a/{hazard.area_id}/{hazard.item_id}/hazard"

    run(body)


def test_a_drawn_circle_and_arrow_are_saved_where_they_were_drawn_on_the_image(data):
    async def body() -> None:
        ctx, hazard, photo = hazard_with_photo(data)
        page, client = await open_photo(f"/photo/{photo.id}")
        fit = expected_fit()
        await drag(page, client, (100, 100), (300, 300))             # not annotating yet: nothing happens
        assert pad_parts(page)[2].shapes == []

        await click(page, client, "annotate")
        cx, cy = fit.to_box(0.5, 0.5)
        await drag(page, client, (cx, cy), (cx + 100, cy))           # circle (the default tool)
        await click(page, client, "tool-arrow")
        await drag(page, client, fit.to_box(0.1, 0.9), fit.to_box(0.3, 0.7))
        canvas = pad_parts(page)[2]
        assert [type(s).__name__ for s in canvas.shapes] == ["Circle", "Line", "Line", "Line"]
        assert canvas.shapes[0].radius == pytest.approx(100, abs=0.5)

        await click(page, client, "annotate-save")
        drawn = next(p for p in photos.photos_of(ctx, hazard.id) if p.annotated_from == photo.sha256)
        assert page.route == f"/photo/{drawn.id}"
        assert drawn.sha256 in hazards.get_hazard(ctx, hazard.id).photos and photo.sha256 in drawn.annotated_from
        stored = Image.open(io.BytesIO(photos.photo_bytes(ctx, drawn.sha256))).convert("RGB")
        radius = 100 / fit.scale - 4          # screen px → image px; Pillow's 8 px ring lies inside the radius
        assert is_red(stored.getpixel((round(W / 2 + radius), H // 2)))          # on the rim
        assert is_red(stored.getpixel((W // 2, round(H / 2 - radius))))
        assert not is_red(stored.getpixel((W // 2, H // 2)))                      # the centre is untouched
        assert not is_red(stored.getpixel((round(W / 2 + radius * 1.15), H // 2)))
        mid = (round(0.2 * W), round(0.8 * H))                                    # the arrow's shaft
        assert is_red(stored.getpixel(mid))
        original = Image.open(io.BytesIO(photos.photo_bytes(ctx, photo.sha256))).convert("RGB")
        assert not is_red(original.getpixel((round(W / 2 + radius), H // 2)))   # the evidence is unchanged
        assert math.isclose(drawn.width, W) and drawn.height == H

    run(body)


def test_drags_map_through_the_size_the_client_reports(data):
    async def body() -> None:
        ctx, hazard, photo = hazard_with_photo(data)
        page, client = await open_photo(f"/photo/{photo.id}")
        canvas = pad_parts(page)[2]
        # the client laid the box out narrower than asked: the image shows letterboxed inside it
        await page.session.dispatch_event(canvas._i, "resize", {"w": 600.0, "h": 500.0})
        fit = Fit(W, H, 600, 500)
        assert fit.offset == (0, pytest.approx(25))
        await click(page, client, "annotate")
        await click(page, client, "tool-arrow")
        await drag(page, client, (150, 25 + 0.5 * 450), (450, 25 + 0.25 * 450))
        await click(page, client, "annotate-save")
        drawn = next(p for p in photos.photos_of(ctx, hazard.id) if p.annotated_from == photo.sha256)
        stored = Image.open(io.BytesIO(photos.photo_bytes(ctx, drawn.sha256))).convert("RGB")
        assert is_red(stored.getpixel((W // 2, round(0.375 * H))))           # halfway along the arrow
        assert not is_red(stored.getpixel((W // 2, round(0.5 * H))))

    run(body)


def test_undo_takes_back_the_last_shape_and_a_tap_draws_nothing(data):
    async def body() -> None:
        ctx, hazard, photo = hazard_with_photo(data)
        page, client = await open_photo(f"/photo/{photo.id}")
        await click(page, client, "annotate")
        assert find(page, "annotate-save").disabled and find(page, "annotate-undo").disabled
        await drag(page, client, (200, 200), (202, 201))               # a tap, not a shape
        assert pad_parts(page)[2].shapes == []
        await drag(page, client, (200, 200), (260, 200))
        await click(page, client, "tool-arrow")
        await drag(page, client, (100, 400), (300, 300))
        assert len(pad_parts(page)[2].shapes) == 4 and not find(page, "annotate-save").disabled
        await click(page, client, "annotate-undo")
        assert [type(s).__name__ for s in pad_parts(page)[2].shapes] == ["Circle"]
        await click(page, client, "annotate-undo")
        assert pad_parts(page)[2].shapes == [] and find(page, "annotate-save").disabled
        await click(page, client, "annotate-cancel")
        assert find(page, "annotate").visible is not False
        assert [p.id for p in photos.photos_of(ctx, hazard.id)] == [photo.id]    # nothing stored

    run(body)


def test_removing_a_photo_asks_first_then_takes_it_off_the_hazard(data):
    async def body() -> None:
        ctx, hazard, photo = hazard_with_photo(data)
        page, client = await open_photo(f"/photo/{photo.id}")
        await click(page, client, "remove-photo")
        await click(page, client, "remove-cancel")
        assert photos.photos_of(ctx, hazard.id) == [photo]
        await click(page, client, "remove-photo")
        await click(page, client, "remove-confirm")
        assert photos.photos_of(ctx, hazard.id) == []
        assert photo.sha256 not in hazards.get_hazard(ctx, hazard.id).photos
        assert photos.get_photo(ctx, photo.id).removed
        assert page.route.endswith("/hazard")
        assert find(page, "message-banner").content.controls[0].value == "照片已移除"

    run(body)


def test_a_portrait_photo_fits_a_phone_screen(data):
    async def body() -> None:
        _ctx, _hazard, photo = hazard_with_photo(data, 900, 1600)
        page, _client = await open_photo(f"/photo/{photo.id}", width=390, height=844)
        image = pad_parts(page)[0]
        assert image.width <= 390 - 24 and image.height <= 844 - 380
        assert image.width / image.height == pytest.approx(900 / 1600, abs=0.01)

    run(body)


def test_a_thumbnail_on_the_hazard_form_opens_the_photo(data):
    async def body() -> None:
        _ctx, hazard, photo = hazard_with_photo(data)
        form = f"/i/{hazard.inspection_id}/a/{hazard.area_id}/{hazard.item_id}/hazard"
        page, client = await open_photo(form)
        await click(page, client, "photo-0")
        assert page.route == f"/photo/{photo.id}"

    run(body)


@pytest.mark.parametrize(("answer", "words"), [
    ([], "未找到相机"),
    (RuntimeError("NotAllowedError: Permission denied"), "相机无法使用（NotAllowedError: Permission denied）"),
])
def test_without_a_usable_camera_the_button_goes_off_with_a_note_and_the_picker_stays(data, monkeypatch,
                                                                                       answer, words):
    import flet_camera as fc

    async def cameras(_self):       # the client's answer: flet-camera asks the browser, there is none here
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(fc.Camera, "get_available_cameras", cameras)
    monkeypatch.setattr("app.ui.widgets.camera.PREVIEW_SETTLE", 0)   # never patch asyncio.sleep: it is process-wide

    async def body() -> None:
        _ctx, hazard, _photo = hazard_with_photo(data)
        form = f"/i/{hazard.inspection_id}/a/{hazard.area_id}/{hazard.item_id}/hazard"
        page, client = await open_photo(form)
        await click(page, client, "take-photo")
        assert find(page, "take-photo").disabled
        assert words in find(page, "camera-note").value
        assert not page._dialogs.controls or not page._dialogs.controls[-1].open
        assert not find(page, "add-photo").disabled
        page2, _client2 = await open_photo(form)          # the same session would remember; a new one asks again
        assert not find(page2, "take-photo").disabled

    run(body)


@pytest.mark.parametrize(("uploads", "limit"), [(True, "40 MB"), (False, "15 MB")])
def test_a_file_over_the_limit_is_refused_by_its_size_before_any_upload(data, tmp_path, monkeypatch, uploads, limit):
    """With the server's upload endpoint the pipeline's limit applies; without it (with_data), one
    websocket message's: either way the message names the file, its size and the limit."""
    if uploads:
        monkeypatch.setenv(UPLOAD_DIR_ENV, str(tmp_path))

    async def body() -> None:
        _ctx, hazard, _photo = hazard_with_photo(data)
        form = f"/i/{hazard.inspection_id}/a/{hazard.area_id}/{hazard.item_id}/hazard"
        page, client = await open_photo(form)
        picker = find(page, "add-photo").action.file_picker
        # the picker's result as the client reports it (with_data off: a name and a size, no bytes);
        # called directly, as the in-memory page registers no services
        files = [ft.FilePickerFile(id=7, name="IMG_4100.HEIC", size=45 * 1024 * 1024)]
        await picker.on_result(ft.FilePickerResultEvent(name="result", control=picker, files=files))
        await settle(client)
        message = find(page, "error-banner").content.controls[0].value
        assert "IMG_4100.HEIC" in message and "45 MB" in message and limit in message
        assert find(page, "add-photo").action.with_data is not uploads
        assert len(photos.photos_of(_ctx, hazard.id)) == 1

    run(body)


def test_the_photo_screen_speaks_english_too(data, monkeypatch):
    async def body() -> None:
        monkeypatch.setenv("FIRESWEEP_LANG", "en")
        _ctx, _hazard, photo = hazard_with_photo(data)
        page, client = await open_photo(f"/photo/{photo.id}")
        assert find(page, "screen-photo").value == "Photo"
        assert find(page, "photo-details").controls[0].value.startswith("Uploaded by 王喆 at ")   # no EXIF time
        await click(page, client, "annotate")
        assert find(page, "tool-arrow").content.value == "Arrow"
        assert find(page, "annotate-save").content == "Save annotation"

    run(body)


def test_a_file_that_is_not_an_image_gets_the_pipelines_message_and_nothing_is_stored(data):
    async def body() -> None:
        ctx, hazard, photo = hazard_with_photo(data)
        form = f"/i/{hazard.inspection_id}/a/{hazard.area_id}/{hazard.item_id}/hazard"
        page, client = await open_photo(form)
        picker = find(page, "add-photo").action.file_picker
        files = [ft.FilePickerFile(id=1, name="receipt.jpg", size=33, bytes=b"this is a text file, not a photo\n")]
        await picker.on_result(ft.FilePickerResultEvent(name="result", control=picker, files=files))
        await settle(client)
        message = find(page, "error-banner").content.controls[0].value
        assert message == describe_error(PhotoRejected("receipt.jpg", "not_an_image"), "zh-CN")
        assert photos.photos_of(ctx, hazard.id) == [photo]

    run(body)


def test_the_photo_screen_shows_the_cameras_own_time_when_the_file_has_one(data):
    from tests.integration.test_photo_time import shot

    async def body() -> None:
        ctx, hazard, _photo = hazard_with_photo(data)
        timed = photos.add_hazard_photo(ctx, hazard.id, shot("2026:07:10 09:15:42"), "IMG_0002.jpg")
        page, _client = await open_photo(f"/photo/{timed.id}")
        line = find(page, "photo-details").controls[0].value
        assert "2026-07-10 09:15" in line and "照片自带的拍摄时间" in line

    run(body)


def test_a_new_photo_adds_its_thumbnail_and_keeps_the_ones_shown(data):
    """Issue 19: each thumbnail is image bytes in the page; adding one must not send them all again."""
    async def body() -> None:
        ctx, hazard, _photo = hazard_with_photo(data)
        form = f"/i/{hazard.inspection_id}/a/{hazard.area_id}/{hazard.item_id}/hazard"
        page, client = await open_photo(form)
        first = find(page, "photo-0")
        picker = find(page, "add-photo").action.file_picker
        files = [ft.FilePickerFile(id=1, name="second.jpg", size=0, bytes=jpeg(800, 600))]
        await picker.on_result(ft.FilePickerResultEvent(name="result", control=picker, files=files))
        await settle(client)
        assert len(photos.photos_of(ctx, hazard.id)) == 2
        assert find(page, "photo-0") is first        # the same control: nothing re-sent for it
        assert find(page, "photo-1") is not first
        assert find(page, "photo-count").value == "已有照片 2 张"

    run(body)
