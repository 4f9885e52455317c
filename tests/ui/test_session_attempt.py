"""`UiSession.attempt`: the one "try this, show the error" of every screen (issue 20)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from app.domain.errors import NotFound
from app.ui.session import UiSession
from app.ui.state import ViewState


def _session(lang: str = "zh-CN") -> tuple[UiSession, list[tuple[str, bool]]]:
    shown: list[tuple[str, bool]] = []
    ui = UiSession(page=SimpleNamespace(), base_ctx=SimpleNamespace(), state=ViewState(lang),
                   picker=SimpleNamespace())
    ui.banner = lambda message, error: shown.append((message, error))
    return ui, shown


def test_a_call_that_goes_through_hands_back_its_value_and_shows_nothing():
    ui, shown = _session()
    done = ui.attempt(lambda a, b=0: a + b, 2, b=3)
    assert done and done.value == 5
    assert shown == []


def test_a_success_whose_value_is_none_is_still_a_success():
    ui, _ = _session()
    assert ui.attempt(lambda: None)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_refusal_is_shown_in_the_users_language_and_reported_as_failure(lang):
    ui, shown = _session(lang)

    def refuse() -> None:
        raise NotFound("hazard", "H-404")

    done = ui.attempt(refuse)
    assert not done
    with pytest.raises(ValueError):   # a refusal has no value: reading one is a bug, not a None
        _ = done.value
    [(message, is_error)] = shown
    assert is_error and "H-404" in message
    assert ("隐患" in message) == (lang == "zh-CN")


def test_a_bug_is_not_swallowed():
    ui, shown = _session()
    with pytest.raises(ZeroDivisionError):
        ui.attempt(lambda: 1 / 0)
    assert shown == []


def test_slow_work_refused_off_the_event_loop_is_shown_too():
    ui, shown = _session()

    def refuse() -> None:
        raise NotFound("hazard", "H-1")

    assert asyncio.run(ui.attempt_slow(lambda: 7)).value == 7
    assert not asyncio.run(ui.attempt_slow(refuse))
    assert len(shown) == 1
