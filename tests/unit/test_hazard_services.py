"""Hazard use cases against the in-memory repository: raise, assign, rectify, verify, defer, flag, ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.domain.clock import FixedClock
from app.domain.errors import IllegalTransition, InvalidInput, NotFound
from app.domain.model import Flag, HazardStatus, InspectionKind, Severity
from app.services import hazards
from tests.unit.factories import (
    OTHER_ACTOR,
    TODAY,
    as_actor,
    make_area,
    make_context,
    make_hazard,
    make_hazard_in,
    make_inspection,
)

S = HazardStatus
PHOTO = "d" * 64
JULY_1 = dt.date(2026, 7, 1)


def snapshot(ctx):
    """Every hazard and every audit event: what a failed call must leave as it was."""
    return {h.id: h for h in ctx.repo.hazards()}, list(ctx.repo.audit())


def follow_up(ctx, kind: InspectionKind = InspectionKind.FOLLOW_UP):
    return make_inspection(ctx, kind)


# raise_hazard


def test_a_hazard_from_a_failed_item_is_prefilled_from_the_checklist():
    ctx = make_context()
    area = make_area(ctx, location_type="emergency_outpatient", department="急诊科")
    item = ctx.catalog.checklist("emergency_outpatient").item("eo-06")
    assert item.major_hint and item.period_days == 15
    hazard = make_hazard(ctx, "eo-06", inspection_id=area.inspection_id, area_id=area.id)
    assert hazard.description == item.hazard_zh
    assert hazard.basis == item.basis
    assert hazard.major_hint is True
    assert hazard.severity is Severity.GENERAL  # a hint, not a decision
    assert hazard.deadline == TODAY + dt.timedelta(days=15)
    assert (hazard.status, hazard.raised_by, hazard.department) == (S.OPEN, "王喆", "急诊科")
    assert hazards.get_hazard(ctx, hazard.id) == hazard


def test_the_default_deadline_counts_from_the_inspection_date_not_today():
    ctx = make_context()
    inspection = make_inspection(ctx, date=JULY_1)
    hazard = make_hazard(ctx, "eo-06", inspection_id=inspection.id, location_type="emergency_outpatient")
    assert hazard.deadline == JULY_1 + dt.timedelta(days=15)


def test_what_the_inspector_writes_wins_over_the_prefill():
    ctx = make_context()
    hazard = make_hazard(
        ctx, "iw-02", description="3床陪护使用电热毯", basis="院内制度", severity=Severity.MAJOR,
        deadline=TODAY + dt.timedelta(days=3), photos=(PHOTO,), responsible="护士长", funds="200",
    )
    assert (hazard.description, hazard.basis, hazard.severity) == ("3床陪护使用电热毯", "院内制度", Severity.MAJOR)
    assert (hazard.deadline, hazard.photos, hazard.responsible) == (TODAY + dt.timedelta(days=3), (PHOTO,), "护士长")
    assert hazard.funds == Decimal("200.00")


def test_an_ad_hoc_hazard_needs_a_description():
    ctx = make_context()
    area = make_area(ctx)
    with pytest.raises(InvalidInput) as caught:
        hazards.raise_hazard(ctx, area.inspection_id, area.id, description="  ")
    assert (caught.value.field, caught.value.reason) == ("description", "required")
    assert ctx.repo.hazards() == []


def test_an_ad_hoc_hazard_gets_thirty_days_and_no_basis():
    ctx = make_context()
    hazard = make_hazard(ctx, "", description="楼梯间堆放纸箱")
    assert (hazard.item_id, hazard.basis, hazard.major_hint) == ("", "", False)
    assert hazard.deadline == TODAY + dt.timedelta(days=30)


def test_raise_hazard_refuses_an_unknown_item():
    ctx = make_context()
    area = make_area(ctx)
    with pytest.raises(NotFound) as caught:
        hazards.raise_hazard(ctx, area.inspection_id, area.id, "bs-01")  # a basement item in a ward
    assert caught.value.kind == "item"
    assert ctx.repo.hazards() == []


def test_raise_hazard_refuses_a_deadline_before_the_inspection():
    ctx = make_context()
    with pytest.raises(InvalidInput) as caught:
        make_hazard(ctx, deadline=TODAY - dt.timedelta(days=1))
    assert caught.value.reason == "before_inspection"


def test_raise_hazard_refuses_an_area_of_another_inspection():
    ctx = make_context()
    area = make_area(ctx)
    with pytest.raises(NotFound) as caught:
        hazards.raise_hazard(ctx, make_inspection(ctx).id, area.id, "iw-02")
    assert caught.value.kind == "area"


# update_hazard and funds


def test_update_hazard_sets_responsible_measures_and_funds():
    ctx = make_context()
    hazard = make_hazard(ctx)
    updated = hazards.update_hazard(ctx, hazard.id, responsible=" 赵主任 ", measures="更换线路", funds="12,000.5")
    assert (updated.responsible, updated.measures, updated.funds) == ("赵主任", "更换线路", Decimal("12000.50"))
    [_, event] = ctx.repo.audit(hazard.id)
    assert event.action == "update"
    assert event.before == {"responsible": "", "measures": "", "funds": "0.00"}
    assert event.after == {"responsible": "赵主任", "measures": "更换线路", "funds": "12000.50"}


def test_update_hazard_changes_only_what_it_is_given():
    ctx = make_context()
    hazard = make_hazard(ctx, responsible="护士长")
    updated = hazards.update_hazard(ctx, hazard.id, deadline=TODAY + dt.timedelta(days=5), severity=Severity.MAJOR)
    assert (updated.responsible, updated.deadline, updated.severity) == (
        "护士长", TODAY + dt.timedelta(days=5), Severity.MAJOR,
    )


@pytest.mark.parametrize(
    ("text", "amount"),
    [("12,000.5", "12000.50"), ("0", "0.00"), ("", "0.00"), (" 3.14159 ", "3.14"), ("100000000", "100000000.00")],
)
def test_parse_funds_reads_yuan_to_the_fen(text, amount):
    assert hazards.parse_funds(text) == Decimal(amount)
    assert hazards.parse_funds(text).as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-1", "out_of_range"), ("-0.01", "out_of_range"), ("NaN", "out_of_range"), ("Infinity", "out_of_range"),
        ("100000000.01", "out_of_range"), ("abc", "not_a_number"), ("12元", "not_a_number"),
    ],
)
def test_parse_funds_refuses_negative_nan_and_text(text, reason):
    with pytest.raises(InvalidInput) as caught:
        hazards.parse_funds(text)
    assert (caught.value.field, caught.value.reason) == ("funds", reason)


def test_negative_zero_funds_are_stored_as_zero():
    assert str(hazards.parse_funds("-0")) == "0.00"


def test_update_hazard_accepts_any_deadline_raise_hazard_would_accept():
    ctx = make_context()
    inspection = make_inspection(ctx, date=JULY_1)  # a paper inspection typed in nine days later
    hazard = make_hazard(ctx, "iw-02", inspection_id=inspection.id)  # period 0: due the inspection day
    assert hazard.deadline == JULY_1
    assert hazards.update_hazard(ctx, hazard.id, deadline=JULY_1 + dt.timedelta(days=5)).deadline == dt.date(2026, 7, 6)


# rectify → verify


def test_rectify_then_verify_by_another_person_through_a_follow_up():
    ctx = make_context()
    hazard = hazards.start_rectifying(ctx, make_hazard(ctx).id)
    assert hazard.status is S.RECTIFYING
    rectified = hazards.rectify(ctx, hazard.id, "已拆除私接电线", (PHOTO,))
    assert rectified.status is S.RECTIFIED
    assert (rectified.rectification.by, rectified.rectification.photos) == ("王喆", (PHOTO,))
    checker = as_actor(ctx, OTHER_ACTOR)
    checker.clock.advance(days=2)
    recheck = follow_up(checker)
    verified = hazards.verify(checker, hazard.id, recheck.id, passed=True, note="现场确认")
    assert verified.status is S.VERIFIED
    assert verified.closed_at == checker.now()
    [result] = verified.verifications
    assert (result.passed, result.by, result.inspection_id, result.note) == (True, OTHER_ACTOR, recheck.id, "现场确认")
    assert [e.action for e in ctx.repo.audit(hazard.id)] == [
        "create", "transition:rectifying", "transition:rectified", "transition:verified",
    ]


def test_a_spot_check_can_verify():
    ctx = make_context()
    hazard = make_hazard_in(ctx, S.RECTIFIED)
    checker = as_actor(ctx, OTHER_ACTOR)
    spot_check = follow_up(checker, InspectionKind.SPOT_CHECK)
    assert hazards.verify(checker, hazard.id, spot_check.id, True).status is S.VERIFIED


def test_rectify_needs_a_photo_and_a_note():
    ctx = make_context()
    hazard = make_hazard(ctx)
    before = snapshot(ctx)
    for note, photos in [("已整改", ()), ("  ", (PHOTO,))]:
        with pytest.raises(IllegalTransition) as caught:
            hazards.rectify(ctx, hazard.id, note, photos)
        assert caught.value.reason == "needs_evidence"
    assert snapshot(ctx) == before


def test_the_rectifier_cannot_verify():
    ctx = make_context()
    hazard = make_hazard_in(ctx, S.RECTIFIED)
    recheck = follow_up(ctx)
    before = snapshot(ctx)
    with pytest.raises(IllegalTransition) as caught:
        hazards.verify(ctx, hazard.id, recheck.id, passed=True)
    assert caught.value.reason == "same_person"
    assert snapshot(ctx) == before


def test_a_self_check_cannot_verify():
    ctx = make_context()
    hazard = make_hazard_in(ctx, S.RECTIFIED)
    checker = as_actor(ctx, OTHER_ACTOR)
    self_check = follow_up(checker, InspectionKind.SELF_CHECK)
    before = snapshot(ctx)
    with pytest.raises(IllegalTransition) as caught:
        hazards.verify(checker, hazard.id, self_check.id, passed=True)
    assert caught.value.reason == "needs_recheck_inspection"
    assert snapshot(ctx) == before


def test_verify_with_an_unknown_inspection_is_not_found():
    ctx = make_context()
    hazard = make_hazard_in(ctx, S.RECTIFIED)
    with pytest.raises(NotFound) as caught:
        hazards.verify(as_actor(ctx, OTHER_ACTOR), hazard.id, "nope", passed=True)
    assert caught.value.kind == "inspection"


def test_a_failed_recheck_reopens_and_the_hazard_can_be_fixed_again():
    ctx = make_context()
    checker = as_actor(ctx, OTHER_ACTOR)
    hazard = make_hazard_in(ctx, S.REOPENED)
    assert hazard.status is S.REOPENED and hazard.closed_at is None
    assert hazards.start_rectifying(ctx, hazard.id).status is S.RECTIFYING
    hazards.rectify(ctx, hazard.id, "重新布线并验收", (PHOTO,))
    verified = hazards.verify(checker, hazard.id, follow_up(checker).id, passed=True)
    assert verified.status is S.VERIFIED
    assert [v.passed for v in verified.verifications] == [False, True]
    assert verified.rectification.note == "重新布线并验收"


def test_a_verified_hazard_cannot_move_again():
    ctx = make_context()
    hazard = make_hazard_in(ctx, S.VERIFIED)
    before = snapshot(ctx)
    for move in (hazards.start_rectifying, lambda c, h: hazards.rectify(c, h, "再整改", (PHOTO,))):
        with pytest.raises(IllegalTransition) as caught:
            move(ctx, hazard.id)
        assert caught.value.reason == "not_allowed"
    assert snapshot(ctx) == before


def test_an_open_hazard_cannot_be_verified():
    ctx = make_context()
    hazard = make_hazard(ctx)
    checker = as_actor(ctx, OTHER_ACTOR)
    recheck = follow_up(checker)
    before = snapshot(ctx)
    with pytest.raises(IllegalTransition) as caught:
        hazards.verify(checker, hazard.id, recheck.id, passed=True)
    assert (caught.value.current, caught.value.target, caught.value.reason) == ("open", "verified", "not_allowed")
    assert snapshot(ctx) == before


# defer


def test_defer_records_the_plan_and_moves_the_deadline_to_its_last_step():
    ctx = make_context()
    hazard = make_hazard(ctx)
    plan = [(TODAY, "设置临时隔离"), (dt.date(2026, 9, 30), "改造配电线路")]
    deferred = hazards.defer(ctx, hazard.id, "需列入年度预算", plan, "专人值守")
    assert deferred.status is S.DEFERRED
    assert deferred.deadline == dt.date(2026, 9, 30)
    assert [(s.due, s.action) for s in deferred.deferral.plan] == plan
    assert (deferred.deferral.explanation, deferred.deferral.temporary_measures) == ("需列入年度预算", "专人值守")
    assert hazards.rectify(ctx, hazard.id, "按计划完成", (PHOTO,)).status is S.RECTIFIED


@pytest.mark.parametrize(
    ("explanation", "plan", "measures", "reason"),
    [
        ("", [(TODAY, "隔离")], "专人值守", "deferral_incomplete"),
        ("需预算", [], "专人值守", "deferral_incomplete"),
        ("需预算", [(TODAY, "隔离")], "", "deferral_incomplete"),
        ("需预算", [(TODAY - dt.timedelta(days=1), "隔离")], "专人值守", "plan_dates"),
        ("需预算", [(dt.date(2026, 9, 1), "改造"), (dt.date(2026, 8, 1), "隔离")], "专人值守", "plan_dates"),
    ],
    ids=["no-explanation", "no-plan", "no-measures", "step-in-the-past", "steps-out-of-order"],
)
def test_defer_refuses_an_incomplete_or_misdated_plan(explanation, plan, measures, reason):
    ctx = make_context()
    hazard = make_hazard(ctx)
    before = snapshot(ctx)
    with pytest.raises(IllegalTransition) as caught:
        hazards.defer(ctx, hazard.id, explanation, plan, measures)
    assert caught.value.reason == reason
    assert snapshot(ctx) == before


# flags


def test_flags_are_set_and_cleared_and_audited():
    ctx = make_context()
    hazard = make_hazard(ctx)
    assert hazards.set_flag(ctx, hazard.id, Flag.LISTED).flags == (Flag.LISTED,)
    assert set(hazards.set_flag(ctx, hazard.id, Flag.SUSPENDED).flags) == {Flag.LISTED, Flag.SUSPENDED}
    assert hazards.set_flag(ctx, hazard.id, Flag.LISTED, on=False).flags == (Flag.SUSPENDED,)
    events = list(ctx.repo.audit(hazard.id))[1:]
    assert [e.action for e in events] == ["flag:listed:on", "flag:suspended:on", "flag:listed:off"]
    assert (events[0].before, events[0].after) == ({"flags": []}, {"flags": ["listed"]})


def test_a_verified_hazard_cannot_be_flagged():
    ctx = make_context()
    hazard = make_hazard_in(ctx, S.VERIFIED)
    before = snapshot(ctx)
    with pytest.raises(IllegalTransition) as caught:
        hazards.set_flag(ctx, hazard.id, Flag.LISTED)
    assert caught.value.reason == "closed"
    assert snapshot(ctx) == before


def test_an_unknown_hazard_is_not_found():
    with pytest.raises(NotFound) as caught:
        hazards.start_rectifying(make_context(), "nope")
    assert (caught.value.kind, caught.value.ident) == ("hazard", "nope")


# every change is audited; a failure changes nothing


CHANGES = {
    "update": (S.OPEN, lambda ctx, h: hazards.update_hazard(ctx, h.id, funds="10"), "update"),
    "start_rectifying": (S.OPEN, lambda ctx, h: hazards.start_rectifying(ctx, h.id), "transition:rectifying"),
    "rectify": (S.RECTIFYING, lambda ctx, h: hazards.rectify(ctx, h.id, "已整改", (PHOTO,)), "transition:rectified"),
    "verify": (
        S.RECTIFIED,
        lambda ctx, h: hazards.verify(ctx, h.id, make_inspection(ctx, InspectionKind.FOLLOW_UP).id, True),
        "transition:verified",
    ),
    "reopen": (
        S.RECTIFIED,
        lambda ctx, h: hazards.verify(ctx, h.id, make_inspection(ctx, InspectionKind.FOLLOW_UP).id, False),
        "transition:reopened",
    ),
    "defer": (
        S.OPEN, lambda ctx, h: hazards.defer(ctx, h.id, "需预算", [(TODAY, "隔离")], "专人值守"), "transition:deferred",
    ),
    "flag": (S.OPEN, lambda ctx, h: hazards.set_flag(ctx, h.id, Flag.EXPERT_REVIEW), "flag:expert_review:on"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_hazard_change_appends_one_audit_event_with_actor_device_and_before_after(change):
    status, call, action = CHANGES[change]
    ctx = make_context()
    hazard = make_hazard_in(ctx, status)
    actor = as_actor(ctx, "张堃")
    actor.clock.advance(hours=1)
    before = list(ctx.repo.audit(hazard.id))
    changed = call(actor, hazard)
    [event] = list(ctx.repo.audit(hazard.id))[len(before):]
    assert (event.entity, event.entity_id, event.unit, event.action) == ("hazard", hazard.id, "U01", action)
    assert (event.actor, event.device, event.at, event.rev) == ("张堃", "test-device", actor.now(), changed.rev)
    assert event.before and event.after and set(event.before) == set(event.after)
    assert changed.updated_at == actor.now() and changed.rev > hazard.rev
    assert ctx.repo.get_hazard(hazard.id) == changed


def test_raising_a_hazard_appends_a_create_event_with_the_whole_record():
    ctx = make_context()
    hazard = make_hazard(ctx)
    [event] = ctx.repo.audit(hazard.id)
    assert (event.entity, event.action, event.actor, event.device, event.before) == (
        "hazard", "create", "王喆", "test-device", None,
    )
    assert event.after["id"] == hazard.id and event.after["status"] == "open"


FAILURES = {
    "deferred-again": (
        S.DEFERRED, lambda ctx, h: hazards.defer(ctx, h.id, "需预算", [(TODAY, "隔离")], "专人值守"), "not_allowed",
    ),
    "verify-rectifying": (
        S.RECTIFYING,
        lambda ctx, h: hazards.verify(as_actor(ctx, OTHER_ACTOR), h.id, ctx.repo.inspections()[0].id, True),
        "not_allowed",
    ),
    "bad-funds-with-good-fields": (
        S.OPEN, lambda ctx, h: hazards.update_hazard(ctx, h.id, responsible="赵主任", funds="abc"), "not_a_number",
    ),
    "blank-description": (
        S.OPEN, lambda ctx, h: hazards.update_hazard(ctx, h.id, measures="更换", description=" "), "required",
    ),
    "flag-verified": (S.VERIFIED, lambda ctx, h: hazards.set_flag(ctx, h.id, Flag.SUSPENDED), "closed"),
    "rectify-verified": (S.VERIFIED, lambda ctx, h: hazards.rectify(ctx, h.id, "再整改", (PHOTO,)), "not_allowed"),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failing_service_leaves_the_hazard_and_the_audit_as_they_were(failure):
    status, call, reason = FAILURES[failure]
    ctx = make_context()
    hazard = make_hazard_in(ctx, status)
    before = snapshot(ctx)
    with pytest.raises((IllegalTransition, InvalidInput)) as caught:
        call(ctx, hazard)
    assert caught.value.reason == reason
    assert snapshot(ctx) == before


# the ledger


def _ledger_fixture():
    """Hazards at 2026-07-10 noon: two overdue, one due today, one later, one done long ago, one elsewhere."""
    ctx = make_context()
    old = make_inspection(ctx, date=JULY_1)
    area = make_area(ctx, old.id)
    here = {"inspection_id": old.id, "area_id": area.id}
    made = {
        "late_major": make_hazard(ctx, deadline=dt.date(2026, 7, 8), severity=Severity.MAJOR, **here),
        "late": make_hazard(ctx, deadline=dt.date(2026, 7, 5), **here),
        "today": make_hazard(ctx, deadline=TODAY, **here),
        "later": make_hazard(ctx, deadline=dt.date(2026, 7, 20), **here),
        "done": make_hazard_in(ctx, S.VERIFIED, inspection_id=old.id, area_id=area.id),
        "elsewhere": make_hazard(ctx, inspection_id=make_inspection(ctx, unit="U02").id),
    }
    hazards.set_flag(ctx, made["later"].id, Flag.LISTED)
    return ctx, {name: h.id for name, h in made.items()}


def names(page, ids):
    by_id = {v: k for k, v in ids.items()}
    return [by_id[h.id] for h in page.items]


def test_overdue_hazard_is_listed_first():
    ctx, ids = _ledger_fixture()
    page = hazards.ledger(ctx, unit="U01")
    # overdue by deadline, then the rest by deadline (the verified one was due on the inspection day)
    assert names(page, ids) == ["late", "late_major", "done", "today", "later"]
    assert page.total == 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"late", "late_major", "done", "today", "later", "elsewhere"}),
        ({"unit": "U02"}, {"elsewhere"}),
        ({"unit": "U01", "status": S.OPEN}, {"late", "late_major", "today", "later"}),
        ({"status": S.VERIFIED}, {"done"}),
        ({"severity": Severity.MAJOR}, {"late_major"}),
        ({"unit": "U01", "overdue": True}, {"late", "late_major"}),
        ({"unit": "U01", "overdue": False}, {"done", "today", "later"}),
        ({"flag": Flag.LISTED}, {"later"}),
        ({"flag": Flag.SUSPENDED}, set()),
    ],
    ids=["all", "unit", "status", "verified", "severity", "overdue", "not-overdue", "listed", "suspended"],
)
def test_ledger_filters(filters, expected):
    ctx, ids = _ledger_fixture()
    page = hazards.ledger(ctx, **filters)
    assert set(names(page, ids)) == expected
    assert page.total == len(expected)


def test_ledger_pages_slice_the_sorted_list():
    ctx, ids = _ledger_fixture()
    pages = [hazards.ledger(ctx, unit="U01", page=n, page_size=2) for n in range(4)]
    assert [names(p, ids) for p in pages] == [["late", "late_major"], ["done", "today"], ["later"], []]
    assert {(p.total, p.page_size) for p in pages} == {(5, 2)}
    assert [p.page for p in pages] == [0, 1, 2, 3]


def test_a_hazard_due_today_becomes_overdue_at_shanghai_midnight():
    ctx = make_context(FixedClock(dt.datetime(2026, 7, 10, 4, 0, tzinfo=dt.UTC)))
    hazard = make_hazard(ctx, deadline=TODAY)
    assert hazards.ledger(ctx, overdue=True).total == 0
    ctx.clock.current = dt.datetime(2026, 7, 10, 16, 30, tzinfo=dt.UTC)  # still the 10th in UTC, the 11th here
    assert [h.id for h in hazards.ledger(ctx, overdue=True).items] == [hazard.id]
