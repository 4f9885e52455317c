"""Device settings: round trip, prefix and PIN rules, the PIN never stored in clear, wrong-PIN waits."""

from __future__ import annotations

import json

import pytest

from app.domain.errors import InvalidInput
from app.i18n import describe_error
from app.services import settings
from tests.unit.factories import make_context


def test_settings_round_trip_and_defaults():
    ctx = make_context()
    fresh = settings.get_settings(ctx)
    assert fresh.notice_prefix == ctx.catalog.campaign.notice_prefix and fresh.prefix_is_default
    assert (fresh.pin_set, fresh.idle_minutes, fresh.inspector.name) == (False, 5, "")
    settings.set_notice_prefix(ctx, " 示卫消整-A2 ")
    settings.set_inspector(ctx, "王喆", "138 0000 0000", "保卫科科长")
    settings.set_idle_minutes(ctx, "12")
    got = settings.get_settings(ctx)
    assert got.notice_prefix == "示卫消整-A2" and not got.prefix_is_default
    assert got.inspector == settings.InspectorProfile("王喆", "138 0000 0000", "保卫科科长")
    assert got.idle_minutes == 12 and settings.notice_prefix(ctx) == "示卫消整-A2"


@pytest.mark.parametrize("prefix", ["A", "示卫消整", "ABCDEFGHIJKL", "第3-组", "x-1"])
def test_good_prefixes_are_accepted(prefix):
    assert settings.validate_prefix(prefix) == prefix


@pytest.mark.parametrize("prefix", ["", "   ", "ABCDEFGHIJKLM", "示卫〔消〕", "a b", "a_b", "前缀！", "é"])
def test_bad_prefixes_are_refused_with_a_message_and_change_nothing(prefix):
    ctx = make_context()
    with pytest.raises(InvalidInput) as caught:
        settings.set_notice_prefix(ctx, prefix)
    assert caught.value.reason == "prefix_format"
    assert "汉字、字母、数字和连字符" in describe_error(caught.value, "zh-CN")
    assert "letters, digits or hyphen" in describe_error(caught.value, "en")
    assert settings.get_settings(ctx).prefix_is_default
    assert ctx.repo.settings_audit() == []


@pytest.mark.parametrize("minutes", ["0", "61", "五", "", "1.5"])
def test_idle_minutes_outside_1_to_60_are_refused(minutes):
    ctx = make_context()
    with pytest.raises(InvalidInput) as caught:
        settings.set_idle_minutes(ctx, minutes)
    assert caught.value.reason == "idle_range"
    assert settings.get_settings(ctx).idle_minutes == 5


def test_changes_are_audited_with_who_and_before_after_but_never_the_pin():
    ctx = make_context(actor="王喆")
    settings.set_notice_prefix(ctx, "示卫A")
    settings.set_pin(ctx, "2468")
    settings.set_pin(ctx, "13579", current="2468")
    events = ctx.repo.settings_audit()
    assert [e.action for e in events] == ["prefix", "pin_set", "pin_change"]
    assert events[0].actor == "王喆" and events[0].after == {"notice_prefix": "示卫A"}
    assert events[1].before == {"pin": "none"} and events[1].after == {"pin": "set"}
    assert events[2].before == events[2].after == {"pin": "set"}
    text = json.dumps([e.before for e in events] + [e.after for e in events])
    assert "2468" not in text and "13579" not in text and "salt" not in text


def test_the_stored_pin_is_a_salted_hash_that_never_contains_the_pin():
    ctx = make_context()
    settings.set_pin(ctx, "20262026")
    stored = ctx.repo.get_settings("device")["pin"]
    blob = json.dumps(stored)
    assert "20262026" not in blob and b"20262026".hex() not in blob
    assert stored["algo"] == "scrypt" and len(bytes.fromhex(stored["salt"])) == 16
    other = make_context()
    settings.set_pin(other, "20262026")
    assert other.repo.get_settings("device")["pin"]["hash"] != stored["hash"]   # a fresh salt each time
    assert settings.check_pin(ctx, "20262026").ok
    assert not settings.check_pin(ctx, "20262027").ok


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "１２３４"])
def test_a_pin_is_4_to_8_digits(pin):
    ctx = make_context()
    with pytest.raises(InvalidInput) as caught:
        settings.set_pin(ctx, pin)
    assert caught.value.reason == "pin_format"
    assert not settings.get_settings(ctx).pin_set


def test_changing_or_removing_a_pin_needs_the_current_one():
    ctx = make_context()
    settings.set_pin(ctx, "1234")
    for attempt in (lambda: settings.set_pin(ctx, "5678"), lambda: settings.set_pin(ctx, "5678", current="0000"),
                    lambda: settings.remove_pin(ctx, "9999")):
        with pytest.raises(InvalidInput) as caught:
            attempt()
        assert caught.value.reason == "pin_wrong"
    assert settings.check_pin(ctx, "1234").ok
    settings.remove_pin(ctx, "1234")
    assert not settings.get_settings(ctx).pin_set and settings.check_pin(ctx, "").ok


def test_five_wrong_pins_make_the_next_try_wait_30_s_then_longer():
    ctx = make_context()
    settings.set_pin(ctx, "1234")
    answers = [settings.check_pin(ctx, "0000") for _ in range(4)]
    assert [a.tries_left for a in answers] == [4, 3, 2, 1] and not any(a.wait_seconds for a in answers)
    fifth = settings.check_pin(ctx, "0000")
    assert (fifth.ok, fifth.wait_seconds) == (False, 30)
    blocked = settings.check_pin(ctx, "1234")          # even the right PIN waits
    assert (blocked.ok, blocked.wait_seconds) == (False, 30)
    ctx.clock.advance(seconds=29)
    assert settings.lock_wait(ctx) == 1
    ctx.clock.advance(seconds=1)
    assert settings.lock_wait(ctx) == 0
    assert settings.check_pin(ctx, "0000").wait_seconds == 60    # escalating
    ctx.clock.advance(seconds=60)
    assert settings.check_pin(ctx, "1234").ok
    assert settings.check_pin(ctx, "0000").tries_left == 4      # a success starts the count again


def test_a_clock_set_back_cannot_block_for_longer_than_the_longest_wait():
    ctx = make_context()
    settings.set_pin(ctx, "1234")
    for _ in range(5):
        settings.check_pin(ctx, "0000")
    ctx.clock.advance(days=-30)
    assert settings.lock_wait(ctx) == settings.MAX_WAIT_S
