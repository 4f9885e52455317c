"""The core flow in the real web client: new inspection → area → walk-through → notice → ledger.

Plus the ways it must not break: a reload mid-walk resumes, English switches at run time, and
a file that is not an image is refused with a message and leaves nothing behind. Data a test
needs beforehand is made through the services, and what the app stored is checked through them
after the server has stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app.bootstrap import build
from app.domain.model import InspectionKind, InspectionStatus, Verdict
from app.services import hazards, inspections, notices, photos, queries
from tests.ui.conftest import by_id, open_app, reveal, start_app, stop_app
from tests.ui.glyphs import advance_ratio

pytestmark = pytest.mark.browser

WARD = "inpatient_ward"


@pytest.fixture(autouse=True)
def patient(page):
    """Clicks wait longer than Playwright's 30 s: a loaded 2-core machine makes the first paint slow."""
    page.set_default_timeout(60_000)


def wait_position(page, n: int, total: int, timeout: int = 30_000) -> None:
    """Wait until the walk-through shows item n of total."""
    page.wait_for_function(
        "([id, text]) => document.querySelector(`[flt-semantics-identifier=\"${id}\"]`)?.textContent === text",
        arg=["item-position", f"{n}/{total}"], timeout=timeout,
    )


def go_to(page, identifier: str, arrives: str | Callable[[], None]) -> None:
    """Tap a navigation control until the screen with `arrives` shows (or `arrives()` succeeds).

    Only for taps that merely navigate (repeating them is harmless). Right after a load the
    client rebuilds its accessibility tree several times; on a loaded machine a tap can be lost
    then, and Playwright's wait for a "stable" element can keep seeing it replaced: so tap where
    the element is (force) and tap again if nothing happened.
    """
    def arrived() -> None:
        if callable(arrives):
            arrives()
        else:
            by_id(page, arrives).first.wait_for(timeout=15_000)

    for _ in range(3):
        target = by_id(page, identifier)
        target.wait_for()
        target.click(force=True)
        try:
            arrived()
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"tapping {identifier} never got to {arrives}")


def type_into(page, identifier: str, text: str) -> None:
    box = reveal(page, identifier).get_by_role("textbox")
    box.click()   # Flutter ignores input into a field that has not been focused
    box.fill(text)


def jpeg(path: Path) -> Path:
    Image.new("RGB", (1600, 1200), (190, 70, 40)).save(path, "JPEG", quality=88)
    return path


def draw_signature(page, identifier: str) -> None:
    box = by_id(page, identifier).bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] * 0.6
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(x + step * 16, y - (step % 4) * 14, steps=2)
    page.mouse.up()


def draft_with_answers(data: Path, answered: int) -> tuple[str, str, int]:
    """A draft inspection with one ward area whose first `answered` items passed (made via services)."""
    ctx = build(data, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspections.add_area(ctx, inspection.id, WARD, "住院部2号楼3层")
    items = ctx.catalog.checklist(WARD).items
    for item in items[:answered]:
        inspections.record_response(ctx, inspection.id, area.id, item.id, Verdict.PASS)
    return inspection.id, area.id, len(items)


def test_a_walk_through_ends_in_a_downloaded_notice_and_a_ledger_entry(served_app, page, tmp_path):
    open_app(page, served_app.url)
    go_to(page, "new-inspection", "unit-search")

    # New inspection: search the unit, name the inspectors, keep today's date
    type_into(page, "unit-search", "人民医院")
    by_id(page, "unit-U03").click()
    page.wait_for_function(
        "document.querySelector('[flt-semantics-identifier=\"unit-selected\"]')?.textContent.includes('人民医院')")
    type_into(page, "inspectors", "王喆、李秀兰")
    by_id(page, "start-inspection").click()

    # Areas: add one, named, from the grid of location types
    heading = by_id(page, "screen-areas")
    heading.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    shot = tmp_path / "areas.png"
    page.screenshot(path=str(shot))
    assert advance_ratio(shot, heading.bounding_box(), chars=len("检查部位")) > 0.8, "tofu instead of Chinese"
    by_id(page, f"type-{WARD}").click()
    type_into(page, "area-name", "住院部3号楼5层")
    by_id(page, "add-area-ok").click()

    # Walk-through: pass, fail (with a photo), then pass everything else
    total = 12
    wait_position(page, 1, total)
    by_id(page, "verdict-pass").click()
    wait_position(page, 2, total)
    by_id(page, "verdict-fail").click()
    by_id(page, "screen-hazard").wait_for(timeout=30_000)
    with page.expect_file_chooser() as chooser:
        by_id(page, "add-photo").click()
    chooser.value.set_files(str(jpeg(tmp_path / "socket.jpg")))
    by_id(page, "photo-0").wait_for(timeout=30_000)
    type_into(page, "hazard-description", "病房内使用电热毯，私拉电线")
    by_id(page, "save-hazard").click()
    for n in range(3, total + 1):
        wait_position(page, n, total)
        by_id(page, "verdict-pass").click()

    # Back on the areas, complete; review, sign and issue
    area_card = by_id(page, "area-0")
    area_card.wait_for(timeout=30_000)
    assert "12/12" in (area_card.get_attribute("aria-label") or area_card.text_content() or "")
    go_to(page, "to-review", "screen-review")
    draw_signature(page, "sign-inspector-0")
    type_into(page, "receiver-name", "赵敏")
    draw_signature(page, "sign-receiver")
    by_id(page, "issue-notice").click()
    download_button = by_id(page, "download-notice-0")
    download_button.wait_for(timeout=30_000)
    with page.expect_download() as download:
        download_button.click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")

    # The ledger lists the hazard
    go_to(page, "nav-ledger", "ledger-0")
    row = by_id(page, "ledger-0")
    assert "电热毯" in (row.get_attribute("aria-label") or row.text_content() or "")

    stop_app(served_app)
    ctx = build(served_app.data_dir)
    [inspection] = ctx.repo.inspections()
    assert inspection.status is InspectionStatus.COMPLETED
    [found] = queries.hazards_of_inspection(ctx, inspection.id)
    assert found.description == "病房内使用电热毯，私拉电线" and len(found.photos) == 1
    [notice] = notices.notices_of(ctx, inspection.id)
    assert notices.notice_pdf(ctx, notice.id) == pdf
    assert sum(p.answered for p in inspections.area_progress(ctx, inspection.id)) == total


def test_a_reload_mid_walk_through_comes_back_to_the_same_item(tmp_path, page):
    data = tmp_path / "data"
    inspection_id, area_id, total = draft_with_answers(data, answered=3)
    app = start_app(data, tmp_path / "app.log")
    try:
        open_app(page, app.url)
        go_to(page, "draft-0", "item-position")   # home → my draft → its first unanswered item
        wait_position(page, 4, total)
        by_id(page, "verdict-na").click()
        wait_position(page, 5, total)
        open_app(page, page.url)                 # reload: a new session on the same route
        wait_position(page, 5, total, timeout=60_000)
        go_to(page, "jump-4", lambda: wait_position(page, 4, total, timeout=15_000))
    finally:
        stop_app(app)
    ctx = build(data)
    answers = queries.answers_of_area(ctx, inspection_id, area_id)
    assert len(answers) == 4
    assert answers[ctx.catalog.checklist(WARD).items[3].id].verdict is Verdict.NOT_APPLICABLE


def test_english_switches_at_run_time_on_the_current_screen(tmp_path, page):
    data = tmp_path / "data"
    draft_with_answers(data, answered=0)
    app = start_app(data, tmp_path / "app.log")
    try:
        open_app(page, app.url, expect="draft-0")   # the home screen's own controls, not only the frame
        go_to(page, "nav-settings", "lang-en")
        by_id(page, "lang-en").click()
        page.wait_for_function(
            "document.querySelector('[flt-semantics-identifier=\"screen-settings\"]')?.textContent === 'Settings'")
        assert by_id(page, "nav-ledger").text_content() == "Ledger"
        go_to(page, "nav-home", "draft-0")
        go_to(page, "draft-0", "item-position")
        wait_position(page, 1, 12)
        assert by_id(page, "verdict-fail").text_content().strip() == "Fail"
        assert by_id(page, "item-text").text_content().isascii()     # the item in English too
    finally:
        stop_app(app)


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(tmp_path, page):
    data = tmp_path / "data"
    inspection_id, area_id, _ = draft_with_answers(data, answered=0)
    ctx = build(data, actor="王喆")
    item = ctx.catalog.checklist(WARD).items[0].id
    inspections.record_response(ctx, inspection_id, area_id, item, Verdict.FAIL)
    hazard = hazards.raise_hazard(ctx, inspection_id, area_id, item)
    fake = tmp_path / "receipt.jpg"
    fake.write_text("this is a text file, not a photo\n")
    app = start_app(data, tmp_path / "app.log")
    try:
        open_app(page, f"{app.url}/i/{inspection_id}/a/{area_id}/{item}/hazard")
        by_id(page, "screen-hazard").wait_for(timeout=60_000)
        with page.expect_file_chooser() as chooser:
            by_id(page, "add-photo").click()
        chooser.value.set_files(str(fake))
        banner = by_id(page, "error-banner")
        banner.wait_for(timeout=60_000)   # upload, then Pillow: slow on a loaded machine
        message = banner.get_attribute("aria-label") or banner.text_content() or ""
        assert "receipt.jpg" in message and "不是可识别的图片文件" in message
        assert by_id(page, "photo-0").count() == 0
    finally:
        stop_app(app)
    ctx = build(data)
    assert photos.photos_of(ctx, hazard.id) == []
    assert hazards.get_hazard(ctx, hazard.id).photos == ()
    assert not any(p.is_file() for p in (data / "photos").rglob("*"))
