"""Settings and the PIN lock on a real Flet page over an in-memory connection."""

from __future__ import annotations

import asyncio
import datetime as dt

import flet as ft
import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.services import notices, settings
from app.ui import lock
from tests.integration.test_notices import signatures
from tests.ui.inprocess import _walk, click, find, open_page, run, settle
from tests.unit.factories import make_hazard

LOCK_IDS = {"screen-lock", "lock-title", "lock-prompt", "pin-dots", "lock-message", "pin-back", "pin-ok",
            *(f"pin-key-{d}" for d in "0123456789")}


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    return tmp_path / "data"


def identifiers(page: ft.Page) -> set[str]:
    return {c.identifier for view in page.views for c in _walk(view)
            if isinstance(c, ft.Semantics) and c.identifier}


def texts(page: ft.Page) -> list[str]:
    return [c.value for view in page.views for c in _walk(view) if isinstance(c, ft.Text) and c.value]


async def enter_pin(page, client, pin: str) -> None:
    for digit in pin:
        await click(page, client, f"pin-key-{digit}")
    await click(page, client, "pin-ok")


def test_a_prefix_set_in_settings_numbers_the_next_notice(data):
    async def body() -> None:
        page, client = await open_page("/settings")
        find(page, "notice-prefix").value = "示卫消整-B7"
        await click(page, client, "save-prefix")
        assert find(page, "notice-prefix").error is None
        assert "示卫消整-B7〔" in find(page, "prefix-example").value
        ctx = build(data, FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC)), actor="王喆")
        hazard = make_hazard(ctx)
        notice = notices.issue_notice(ctx, hazard.inspection_id, signatures("王喆"))
        assert notice.number == "示卫消整-B7〔2026〕1号"

    run(body)


def test_a_bad_prefix_is_refused_under_its_field_and_nothing_changes(data):
    async def body() -> None:
        page, client = await open_page("/settings")
        find(page, "notice-prefix").value = "示卫 消整"
        await click(page, client, "save-prefix")
        assert "只能包含汉字、字母、数字和连字符" in find(page, "notice-prefix").error
        assert settings.get_settings(build(data)).prefix_is_default

    run(body)


def test_the_inspector_profile_is_kept_and_becomes_the_default_inspector(data):
    async def body() -> None:
        page, client = await open_page("/settings")
        find(page, "inspector-name").value = "李秀兰"
        find(page, "inspector-title").value = "保卫科干事"
        await click(page, client, "save-inspector")
        assert settings.get_settings(build(data)).inspector.title == "保卫科干事"
        fresh, _client = await open_page("/new")          # another session: the profile, not the session
        assert find(fresh, "inspectors").value == "李秀兰"

    run(body)


def test_with_a_pin_a_new_page_opens_on_the_lock_screen_and_shows_nothing_else(data):
    async def body() -> None:
        page, client = await open_page("/settings")
        find(page, "pin-new").value = "2468"
        find(page, "pin-again").value = "2468"
        await click(page, client, "set-pin")
        assert find(page, "pin-status").value == "已开启"
        assert find(page, "screen-settings")            # this session stays open
        other, _client = await open_page("/settings")
        assert identifiers(other) == LOCK_IDS
        assert other.views[0].navigation_bar is None
        assert not any("设置" in text or "数据目录" in text for text in texts(other))

    run(body)


def test_mismatched_new_pins_are_refused(data):
    async def body() -> None:
        page, client = await open_page("/settings")
        find(page, "pin-new").value = "2468"
        find(page, "pin-again").value = "2469"
        await click(page, client, "set-pin")
        assert find(page, "pin-again").error == "两次输入的新 PIN 不一致"
        assert not settings.get_settings(build(data)).pin_set

    run(body)


def test_a_wrong_pin_is_refused_and_the_right_one_returns_to_the_same_route(data):
    settings.set_pin(build(data), "2468")

    async def body() -> None:
        page, client = await open_page("/ledger")
        await enter_pin(page, client, "1357")
        assert find(page, "lock-message").value == "PIN 不正确，还可再试 4 次"
        assert "screen-ledger" not in identifiers(page)
        await enter_pin(page, client, "2468")
        assert page.route == "/ledger" and find(page, "screen-ledger")
        assert "screen-lock" not in identifiers(page)

    run(body)


def test_five_wrong_pins_make_every_new_page_wait(data):
    settings.set_pin(build(data), "2468")

    async def body() -> None:
        page, client = await open_page("/")
        for _ in range(5):
            await enter_pin(page, client, "0000")
        assert find(page, "lock-message").value == "错误次数过多，请 30 秒后再试"
        again, client2 = await open_page("/")       # a reload does not reset the wait
        assert "秒后再试" in find(again, "lock-message").value
        await enter_pin(again, client2, "2468")
        assert "screen-lock" in identifiers(again)

    run(body)


def test_the_app_locks_itself_after_the_idle_time(data, monkeypatch):
    monkeypatch.setattr(lock, "CHECK_SECONDS", 0.05)
    monkeypatch.setattr(lock, "idle_seconds", lambda minutes: 0.3)
    settings.set_pin(build(data), "2468")

    async def body() -> None:
        page, client = await open_page("/settings")
        await enter_pin(page, client, "2468")
        for _ in range(3):                            # activity keeps it open past the idle time
            await asyncio.sleep(0.15)
            find(page, "inspector-name").value = "王"
            await page.session.dispatch_event(find(page, "inspector-name")._i, "focus", None)
        assert "screen-settings" in identifiers(page)
        await asyncio.sleep(0.45)
        assert identifiers(page) == LOCK_IDS and page.route == "/settings"
        await enter_pin(page, client, "2468")
        assert "screen-settings" in identifiers(page)

    run(body)


def test_lock_now_and_removing_the_pin(data):
    settings.set_pin(build(data), "2468")

    async def body() -> None:
        page, client = await open_page("/settings")
        await enter_pin(page, client, "2468")
        await click(page, client, "lock-now")
        assert identifiers(page) == LOCK_IDS
        await enter_pin(page, client, "2468")
        find(page, "pin-old").value = "1111"
        await click(page, client, "remove-pin")
        assert find(page, "pin-old").error == "当前 PIN 不正确"
        find(page, "pin-old").value = "2468"
        await click(page, client, "remove-pin")
        assert find(page, "pin-status").value == "未开启"
        fresh, _client = await open_page("/settings")
        assert find(fresh, "screen-settings")

    run(body)


def test_a_keyboard_types_the_pin_too(data):
    settings.set_pin(build(data), "2468")

    async def body() -> None:
        page, client = await open_page("/settings")
        for key in ("2", "Numpad 4", "9", "Backspace", "6", "8", "Enter"):
            await page.session.dispatch_event(page._i, "keyboard_event",
                                              {"key": key, "shift": False, "ctrl": False, "alt": False, "meta": False})
        await settle(client)
        assert find(page, "screen-settings")

    run(body)
