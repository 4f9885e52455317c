"""The PIN lock in the real web client: set in Settings, asked for after a reload, wrong PIN refused,
right PIN back to the same screen; at tablet and phone sizes.

Screenshots go where `screenshot_path` says (docs/screenshots/settings-*.png and lock-*.png with
`make screenshots`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bootstrap import build
from app.services import settings
from tests.ui.conftest import Tab, by_id, open_app, screenshot_path
from tests.ui.glyphs import advance_ratio

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def patient(page):
    page.set_default_timeout(60_000)


def shot(page, name: str) -> Path:
    page.wait_for_timeout(800)   # the canvas paints a little after the accessibility tree
    path = screenshot_path(f"{name}.png")
    page.screenshot(path=str(path))
    return path


def type_into(page, identifier: str, text: str) -> None:
    box = by_id(page, identifier).get_by_role("textbox")
    box.click()   # Flutter ignores input into a field that has not been focused
    box.fill(text)


def enter_pin(page, pin: str) -> None:
    for digit in pin:
        by_id(page, f"pin-key-{digit}").click()
    by_id(page, "pin-ok").click()


def wait_text(page, identifier: str, text: str) -> None:
    page.wait_for_function(
        "([id, text]) => document.querySelector(`[flt-semantics-identifier=\"${id}\"]`)?.textContent.includes(text)",
        arg=[identifier, text], timeout=30_000)


def unlocked_tree_is_gone(page) -> None:
    """While locked, the page's DOM names nothing of the app but the lock screen."""
    ids = page.eval_on_selector_all("[flt-semantics-identifier]",
                                    "els => els.map(e => e.getAttribute('flt-semantics-identifier'))")
    assert "screen-lock" in ids
    assert not [i for i in ids if i.startswith(("nav-", "screen-settings", "notice-prefix", "inspector-"))], ids
    body = page.inner_text("flt-semantics-host") if page.locator("flt-semantics-host").count() else ""
    assert "示卫消整-A1" not in body and "李秀兰" not in body


def test_pin_set_in_settings_locks_a_reload_and_unlocks_to_the_same_screen(served_app, page):
    ctx = build(served_app.data_dir)
    settings.set_inspector(ctx, "李秀兰", "0571-8888 0000", "保卫科干事")
    settings.set_notice_prefix(ctx, "示卫消整-A1")

    open_app(page, served_app.url + "/settings")
    by_id(page, "screen-settings").wait_for()
    shot(page, "settings-tablet")
    type_into(page, "pin-new", "2468")
    type_into(page, "pin-again", "2468")
    by_id(page, "set-pin").click()
    wait_text(page, "pin-status", "已开启")
    page.mouse.move(400, 900)
    page.mouse.wheel(0, 900)
    shot(page, "settings-tablet-pin")

    page.reload()
    open_app(page, served_app.url + "/settings")
    title = by_id(page, "lock-title")
    title.wait_for()
    unlocked_tree_is_gone(page)
    lock_shot = shot(page, "lock-tablet")
    assert advance_ratio(lock_shot, title.bounding_box(), chars=len("火灾隐患排查")) > 0.8, "tofu instead of Chinese"
    box = by_id(page, "pin-key-5").bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48

    enter_pin(page, "1357")
    wait_text(page, "lock-message", "PIN 不正确")
    shot(page, "lock-tablet-wrong")
    unlocked_tree_is_gone(page)
    enter_pin(page, "2468")
    by_id(page, "screen-settings").wait_for()
    assert page.url.endswith("/settings")


def test_the_lock_screen_fits_a_phone(served_app, browser):
    settings.set_pin(build(served_app.data_dir), "2468")
    phone = Tab(browser, viewport=PHONE)
    phone.set_default_timeout(60_000)
    open_app(phone, served_app.url + "/ledger")
    by_id(phone, "pin-ok").wait_for()
    shot(phone, "lock-phone")
    for key in ("pin-key-1", "pin-key-0", "pin-ok", "pin-back"):
        box = by_id(phone, key).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], key
        assert box["y"] + box["height"] <= PHONE["height"], key
    enter_pin(phone, "2468")
    by_id(phone, "screen-ledger").wait_for()
    assert phone.url.endswith("/ledger")
    by_id(phone, "nav-settings").click()
    by_id(phone, "screen-settings").wait_for()
    shot(phone, "settings-phone")
