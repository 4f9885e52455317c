"""Withdrawing a hazard raised by mistake, the ledger's text search, and a hazard's timeline (in memory)."""

from __future__ import annotations

import pytest

from app.domain.errors import IllegalTransition, InvalidInput, NotFound
from app.domain.model import Flag, HazardStatus
from app.services import hazards, queries
from tests.unit.factories import OTHER_ACTOR, as_actor, make_area, make_context, make_hazard, make_hazard_in

S = HazardStatus


def snapshot(ctx):
    return {h.id: h for h in ctx.repo.hazards()}, list(ctx.repo.audit())


@pytest.mark.parametrize("status", [S.OPEN, S.RECTIFYING, S.DEFERRED, S.RECTIFIED, S.REOPENED])
def test_a_withdrawn_hazard_leaves_the_ledger_and_its_reason_stays_in_the_audit(status):
    ctx = make_context()
    hazard = make_hazard_in(ctx, status)
    kept = make_hazard(ctx)
    gone = hazards.withdraw_hazard(ctx, hazard.id, "  登记错了：同一处已登记  ")
    assert gone.deleted and ctx.repo.get_hazard(hazard.id).deleted
    with pytest.raises(NotFound):
        hazards.get_hazard(ctx, hazard.id)
    assert [h.id for h in hazards.ledger(ctx).items] == [kept.id]
    last = queries.hazard_timeline(ctx, hazard.id)[-1]
    assert (last.action, last.note, last.actor) == ("withdraw", "登记错了：同一处已登记", "王喆")
    assert (last.before, last.after) == ({"deleted": False}, {"deleted": True})


def test_withdrawing_needs_a_reason_and_changes_nothing_without_one():
    ctx = make_context()
    hazard = make_hazard(ctx)
    before = snapshot(ctx)
    with pytest.raises(InvalidInput) as caught:
        hazards.withdraw_hazard(ctx, hazard.id, "   ")
    assert (caught.value.field, caught.value.reason) == ("reason", "required")
    assert snapshot(ctx) == before


def test_a_verified_hazard_cannot_be_withdrawn():
    ctx = make_context()
    hazard = make_hazard_in(ctx, S.VERIFIED)
    before = snapshot(ctx)
    with pytest.raises(IllegalTransition) as caught:
        hazards.withdraw_hazard(ctx, hazard.id, "误报")
    assert (caught.value.target, caught.value.reason) == ("withdrawn", "closed")
    assert snapshot(ctx) == before


def test_withdrawing_twice_finds_nothing_the_second_time():
    ctx = make_context()
    hazard = make_hazard(ctx)
    hazards.withdraw_hazard(ctx, hazard.id, "误报")
    with pytest.raises(NotFound):
        hazards.withdraw_hazard(ctx, hazard.id, "误报")


def test_the_timeline_lists_who_did_what_in_order_for_that_hazard_only():
    ctx = make_context()
    hazard = make_hazard(ctx)
    other = make_hazard(ctx)
    hazards.update_hazard(ctx, hazard.id, responsible="赵敏", funds="1200")
    hazards.set_flag(ctx, other.id, Flag.LISTED)
    hazards.set_flag(as_actor(ctx, OTHER_ACTOR), hazard.id, Flag.LISTED)
    hazards.start_rectifying(ctx, hazard.id)
    events = queries.hazard_timeline(ctx, hazard.id)
    assert [e.action for e in events] == ["create", "update", "flag:listed:on", "transition:rectifying"]
    assert {e.entity_id for e in events} == {hazard.id}
    assert [e.actor for e in events] == ["王喆", "王喆", OTHER_ACTOR, "王喆"]
    assert events[1].after == {"responsible": "赵敏", "funds": "1200.00"}


def test_the_timeline_of_an_unknown_hazard_is_not_found():
    with pytest.raises(NotFound):
        queries.hazard_timeline(make_context(), "nope")


def test_the_ledger_text_search_needs_every_word_somewhere_in_the_hazard():
    ctx = make_context()
    wires = make_hazard(ctx, "", description="病房内私拉电线", responsible="赵敏")
    make_hazard(ctx, "", description="消防通道堆放杂物", responsible="钱多多")
    assert [h.id for h in hazards.ledger(ctx, text="电线").items] == [wires.id]
    assert [h.id for h in hazards.ledger(ctx, text="私拉 赵敏").items] == [wires.id]
    assert hazards.ledger(ctx, text="私拉 钱多多").total == 0
    assert hazards.ledger(ctx, text="  ").total == 2


def test_departments_for_the_filter_come_from_live_hazards():
    ctx = make_context()
    ward = make_area(ctx, department="心内科")
    make_hazard(ctx, inspection_id=ward.inspection_id, area_id=ward.id)
    er = make_area(ctx, ward.inspection_id, department="急诊科")
    gone = make_hazard(ctx, inspection_id=er.inspection_id, area_id=er.id)
    assert queries.hazard_departments(ctx) == ["心内科", "急诊科"]
    hazards.withdraw_hazard(ctx, gone.id, "误报")
    assert queries.hazard_departments(ctx, "U01") == ["心内科"]
    assert queries.hazard_departments(ctx, "U02") == []
