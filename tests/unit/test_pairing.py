"""Field-kit pairing rules: a single-use code, counted wrong tries, pairings bound to a browser."""

from __future__ import annotations

import pytest

from app.domain.errors import InvalidInput, NotFound
from app.domain.pairing import PAUSE_S, TRIES, PairingCode
from app.services import pairing
from tests.unit.factories import make_context


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_code_admits_once_and_is_then_replaced():
    shown: list[str] = []
    code = PairingCode(Clock(), shown.append)
    first = code.code
    code.redeem(first)
    assert shown == [first, code.code] and code.code != first
    with pytest.raises(InvalidInput) as refused:
        code.redeem(first)
    assert refused.value.reason == "pairing_code_wrong"


def test_wrong_codes_replace_the_code_and_pause_pairing():
    clock = Clock()
    code = PairingCode(clock)
    first = code.code
    wrong = "000000" if first != "000000" else "111111"
    for _ in range(TRIES):
        with pytest.raises(InvalidInput):
            code.redeem(wrong)
    assert code.code != first and code.paused_for() > 0
    with pytest.raises(InvalidInput) as paused:
        code.redeem(code.code)                    # even the right code waits out the pause
    assert paused.value.reason == "pairing_paused"
    clock.now += PAUSE_S
    code.redeem(code.code)


def test_a_pairing_binds_a_browser_to_an_inspector_until_revoked():
    ctx = make_context()
    code = PairingCode(Clock())
    with pytest.raises(InvalidInput) as nameless:
        pairing.pair(ctx, code, "client-a" * 5, code.code, "  ")
    assert nameless.value.field == "pairing_inspector"
    done = pairing.pair(ctx, code, "client-a" * 5, code.code, "张伟", device="Tablet")
    assert pairing.paired(ctx, "client-a" * 5) == done and done.inspector == "张伟"
    assert pairing.paired(ctx, "client-b" * 5) is None and pairing.paired(ctx, None) is None
    stored = ctx.repo.get_settings("field_kit")
    assert "client-a" not in str(stored)          # only a hash of the browser's cookie is kept
    pairing.revoke(ctx, done.id)
    assert pairing.paired(ctx, "client-a" * 5) is None
    assert [p.active for p in pairing.pairings(ctx)] == [False]
    audit = [(e.action, e.actor) for e in ctx.repo.settings_audit() if e.entity == "pairing"]
    assert audit == [("pair", "张伟"), ("revoke", "王喆")]     # who paired; who revoked (the laptop's user)
    with pytest.raises(NotFound):
        pairing.revoke(ctx, "nope")
