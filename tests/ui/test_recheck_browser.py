"""A re-check (回头看) in the real web client: choose the unit, pass one hazard, fail one with a photo, finish.

Tablet (800×1280) and phone (390×844) screenshots go to docs/screenshots/recheck-*.png. Data is
made through the services before the server starts; what the app stored is checked after it stops.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app.bootstrap import build
from app.domain.model import HazardStatus, InspectionKind, InspectionStatus
from app.services import hazards, inspections, photos
from tests.ui.conftest import TABLET_PORTRAIT, by_id, open_app, reveal, screenshot_path, start_app, stop_app
from tests.ui.glyphs import advance_ratio
from tests.ui.test_walkthrough import type_into

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
RECTIFIER, CHECKER = "王喆", "李秀兰"


@pytest.fixture(autouse=True)
def patient(page):
    page.set_default_timeout(60_000)


def jpeg(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (1600, 1200), colour).save(path, "JPEG", quality=88)
    return path


def seed(data: Path, tmp_path: Path) -> list[str]:
    """Two hazards at U01 from a self-check a week ago, rectified by RECTIFIER with a photo each."""
    ctx = build(data, actor=RECTIFIER)
    visit = ctx.today() - dt.timedelta(days=7)
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, [RECTIFIER], visit)
    ward = inspections.add_area(ctx, inspection.id, "inpatient_ward", "住院部3号楼5层")
    kitchen = inspections.add_area(ctx, inspection.id, "inpatient_ward", "营养食堂后厨")
    found = []
    for area, text, fix, days, colour in [
        (ward, "病房内使用电热毯，私拉电线", "已收缴电热毯，拆除私接电线", 5, (60, 120, 190)),
        (kitchen, "后厨灭火毯过期，燃气报警器失效", "已更换灭火毯和燃气报警器", 15, (200, 150, 40)),
    ]:
        hazard = hazards.raise_hazard(ctx, inspection.id, area.id, description=text,
                                      deadline=visit + dt.timedelta(days=days))
        shot = jpeg(tmp_path / f"fix-{len(found)}.jpg", colour)
        evidence = photos.add_evidence_photo(ctx, hazard.id, shot.read_bytes(), shot.name)
        found.append(hazards.rectify(ctx, hazard.id, fix, (evidence.sha256,)).id)
    return found


def settle_and_shoot(page, name: str) -> Path:
    page.wait_for_timeout(800)   # the canvas paints a little after the accessibility tree
    path = screenshot_path(name)
    page.screenshot(path=str(path))
    return path


def resize(page, size: dict[str, int], arrives: str) -> None:
    page.set_viewport_size(size)
    page.wait_for_timeout(500)
    by_id(page, arrives).first.wait_for(timeout=30_000)


def decide(page, button: str, result: str) -> None:
    """Tap a pass/fail button until its card shows the result (a tap right after a redraw can be lost).

    Repeating is harmless: a decided card has no buttons, and a second result is refused by the service.
    """
    for _ in range(3):
        if by_id(page, button).count():
            reveal(page, button).click(force=True)
        try:
            by_id(page, result).wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"tapping {button} never showed {result}")


def test_a_recheck_passes_one_hazard_fails_one_with_a_photo_and_finishes(tmp_path, page):
    data = tmp_path / "data"
    first, second = seed(data, tmp_path)
    app = start_app(data, tmp_path / "app.log")
    try:
        open_app(page, f"{app.url}/recheck?unit=U01")
        title = by_id(page, "screen-start-recheck")
        title.wait_for(timeout=60_000)
        by_id(page, "candidate-1").wait_for(timeout=30_000)
        shot = settle_and_shoot(page, "recheck-start-tablet.png")
        assert advance_ratio(shot, title.bounding_box(), chars=len("回头看：开始复查")) > 0.8, "tofu"
        resize(page, PHONE, "candidate-1")
        settle_and_shoot(page, "recheck-start-phone.png")
        resize(page, TABLET_PORTRAIT, "candidate-1")

        type_into(page, "inspectors", CHECKER)
        by_id(page, "start-recheck").click()
        by_id(page, "screen-recheck").wait_for(timeout=30_000)
        by_id(page, "rc-evidence-0-0").wait_for(timeout=30_000)
        settle_and_shoot(page, "recheck-tablet.png")

        decide(page, "rc-pass-0", "rc-result-0")
        with page.expect_file_chooser() as chooser:
            by_id(page, "rc-photo-1").click()
        chooser.value.set_files(str(jpeg(tmp_path / "still-wrong.jpg", (190, 70, 40))))
        by_id(page, "rc-rphoto-1-0").wait_for(timeout=30_000)
        type_into(page, "rc-note-1", "燃气报警器仍未通电")
        settle_and_shoot(page, "recheck-deciding-tablet.png")

        resize(page, PHONE, "rc-result-0")     # a redraw from the store: the decision and the photo stay
        by_id(page, "rc-rphoto-1-0").wait_for(timeout=30_000)
        settle_and_shoot(page, "recheck-phone.png")
        type_into(page, "rc-note-1", "燃气报警器仍未通电")   # the redraw started a fresh (unsaved) remark
        decide(page, "rc-fail-1", "rc-result-1")
        settle_and_shoot(page, "recheck-decided-phone.png")
        reveal(page, "rc-finish").click()
        by_id(page, "app-title").wait_for(timeout=30_000)   # home
        banner = by_id(page, "message-banner")
        try:
            page.wait_for_function(
                """() => { const b = document.querySelector('[flt-semantics-identifier="message-banner"]');
                           const text = (b?.getAttribute('aria-label') || '') + (b?.textContent || '');
                           return text.includes('1 项通过'); }""",
                timeout=30_000)
        finally:
            settle_and_shoot(page, "recheck-finished-phone.png")
        assert "1 项退回重新整改" in (banner.get_attribute("aria-label") or "") + (banner.text_content() or "")
    except BaseException:
        page.screenshot(path=str(tmp_path / "failed.png"))
        raise
    finally:
        stop_app(app)

    ctx = build(data)
    assert hazards.get_hazard(ctx, first).status is HazardStatus.VERIFIED
    reopened = hazards.get_hazard(ctx, second)
    assert reopened.status is HazardStatus.REOPENED
    [result] = reopened.verifications
    assert (result.by, result.note, len(result.photos)) == (CHECKER, "燃气报警器仍未通电", 1)
    [follow_up] = [i for i in ctx.repo.inspections() if i.kind is InspectionKind.FOLLOW_UP]
    assert follow_up.status is InspectionStatus.COMPLETED and follow_up.inspectors == (CHECKER,)
