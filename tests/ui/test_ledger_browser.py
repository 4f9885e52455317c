"""The ledger in the real web client: filter by status, open a hazard, come back to the same filter.

Screenshots at tablet (800×1280) and phone (390×844) size go to docs/screenshots/ledger-*.png.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.services import hazards, photos
from tests.ui.conftest import Tab, by_id, open_app, reveal, screenshot_path, start_app, stop_app
from tests.ui.glyphs import advance_ratio
from tests.ui.ledger_data import evidence_jpeg, seed

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def patient(page):
    page.set_default_timeout(60_000)


def said(locator, timeout_s: float = 15) -> str:
    """What a hooked control says (its label, else its text), once it says something."""
    deadline = time.monotonic() + timeout_s
    while True:
        locator.wait_for()
        text = locator.get_attribute("aria-label") or locator.text_content() or ""
        if text or time.monotonic() > deadline:
            return text
        time.sleep(0.2)


def shot(page, name: str) -> Path:
    page.wait_for_timeout(700)   # the canvas paints a little after the accessibility tree
    path = screenshot_path(f"ledger-{name}.png")
    page.screenshot(path=str(path))
    return path


def test_filter_the_ledger_open_a_hazard_and_come_back(tmp_path, page, browser):
    data = tmp_path / "data"
    ctx, wires, _exit, _clutter = seed(data)
    photos.add_hazard_photo(ctx, wires.id, evidence_jpeg(), "wires.jpg")
    hazards.update_hazard(ctx, wires.id, measures="拆除私拉电线，按规范重新敷设", funds="3500")
    app = start_app(data, tmp_path / "app.log")
    try:
        open_app(page, f"{app.url}/ledger")
        by_id(page, "ledger-2").wait_for()
        title = by_id(page, "screen-ledger")
        path = shot(page, "list-tablet")
        assert advance_ratio(path, title.bounding_box(), chars=len("隐患台账")) > 0.8, "tofu instead of Chinese"

        # filter by status: the route carries it, and only open hazards are left
        by_id(page, "filter-status").click()
        page.get_by_role("button", name="待整改", exact=True).click()
        page.wait_for_function("location.search === '?status=open'")
        by_id(page, "ledger-2").wait_for(state="detached")
        by_id(page, "ledger-1").wait_for()
        shot(page, "filtered-tablet")

        # the first (overdue, major) opens its detail
        by_id(page, "ledger-0").click()
        by_id(page, "screen-hazard-detail").wait_for()
        assert "病房内私拉电线" in said(by_id(page, "detail-description"))
        assert "已逾期 10 天" in said(by_id(page, "detail-deadline"))
        by_id(page, "photo-0").wait_for()
        by_id(page, "timeline-1").wait_for()
        shot(page, "detail-tablet")
        by_id(page, "action-defer").click()
        reveal(page, "defer-explanation")   # waits for it, then scrolls Flutter's view to it
        shot(page, "defer-tablet")

        # back to the same filtered ledger; a reload keeps the filter too
        by_id(page, "back-to-ledger").click()
        page.wait_for_function("location.pathname === '/ledger' && location.search === '?status=open'")
        open_app(page, page.url)
        by_id(page, "ledger-1").wait_for()
        assert by_id(page, "ledger-2").count() == 0

        phone = Tab(browser, viewport=PHONE)          # closed with the test's browser
        phone.set_default_timeout(60_000)
        open_app(phone, f"{app.url}/ledger?status=open")
        by_id(phone, "ledger-1").wait_for()
        shot(phone, "list-phone")
        by_id(phone, "ledger-0").click()
        by_id(phone, "screen-hazard-detail").wait_for()
        shot(phone, "detail-phone")
    finally:
        stop_app(app)
