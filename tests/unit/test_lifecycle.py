"""The hazard lifecycle and deadline arithmetic, as pure functions of a hazard and a date."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app.domain import lifecycle
from app.domain.clock import FixedClock, local_date
from app.domain.errors import IllegalTransition
from app.domain.model import (
    Deferral,
    Flag,
    HazardStatus,
    InspectionKind,
    PlanStep,
    Rectification,
    Severity,
    Verification,
)
from tests.unit.factories import OTHER_ACTOR, SHANGHAI_NOON, TODAY, build_hazard

S = HazardStatus
AT = SHANGHAI_NOON
PHOTO = "b" * 64


def rectification(note: str = "已拆除私接电线", photos: tuple[str, ...] = (PHOTO,), by: str = "王喆") -> Rectification:
    return Rectification(note=note, photos=photos, by=by, at=AT)


def verification(passed: bool, by: str = OTHER_ACTOR) -> Verification:
    return Verification(passed=passed, by=by, at=AT, inspection_id="follow-up-1")


def deferral(*dues: dt.date, explanation: str = "需列入年度预算", measures: str = "专人值守、配灭火器") -> Deferral:
    return Deferral(
        explanation=explanation,
        plan=tuple(PlanStep(due, f"第{n}步") for n, due in enumerate(dues or (TODAY,), 1)),
        temporary_measures=measures,
    )


def valid_evidence(target: HazardStatus) -> dict:
    """Everything `transition()` could ask for on the way to `target`, all of it sound."""
    return {
        "rectification": rectification(),
        "verification": verification(passed=target is not S.REOPENED),
        "recheck_kind": InspectionKind.FOLLOW_UP,
        "deferral": deferral(TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=40)),
        "today": TODAY,
    }


ALL_PAIRS = list(itertools.product(HazardStatus, HazardStatus))


def test_the_matrix_covers_every_pair_of_statuses():
    assert len(ALL_PAIRS) == len(HazardStatus) ** 2 == 36
    assert set(lifecycle.ALLOWED) == set(HazardStatus)


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_transition_succeeds_exactly_for_allowed_pairs(source, target):
    hazard = build_hazard(status=source)
    if target in lifecycle.ALLOWED[source]:
        moved = lifecycle.transition(hazard, target, at=AT, **valid_evidence(target))
        assert moved.status is target
        assert hazard.status is source  # records are values: the original is untouched
    else:
        with pytest.raises(IllegalTransition) as caught:
            lifecycle.transition(hazard, target, at=AT, **valid_evidence(target))
        assert caught.value.reason == "not_allowed"
        error = caught.value
        assert (error.entity, error.current, error.target) == ("hazard", source.value, target.value)


def test_the_allowed_moves_are_the_documented_ones():
    assert {
        S.OPEN: {S.RECTIFYING, S.RECTIFIED, S.DEFERRED},
        S.RECTIFYING: {S.RECTIFIED, S.DEFERRED},
        S.REOPENED: {S.RECTIFYING, S.RECTIFIED, S.DEFERRED},
        S.DEFERRED: {S.RECTIFYING, S.RECTIFIED},
        S.RECTIFIED: {S.VERIFIED, S.REOPENED},
        S.VERIFIED: set(),
    } == lifecycle.ALLOWED


# rectified: a note and at least one photo


@pytest.mark.parametrize(
    "evidence",
    [None, rectification(note=""), rectification(note="   "), rectification(photos=())],
    ids=["none", "empty-note", "blank-note", "no-photo"],
)
def test_rectified_needs_a_note_and_a_photo(evidence):
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.transition(build_hazard(status=S.RECTIFYING), S.RECTIFIED, at=AT, rectification=evidence)
    assert caught.value.reason == "needs_evidence"


def test_rectified_keeps_its_evidence():
    evidence = rectification()
    moved = lifecycle.transition(build_hazard(status=S.OPEN), S.RECTIFIED, at=AT, rectification=evidence)
    assert moved.rectification == evidence
    assert moved.closed_at is None


# verified / reopened: a re-check result by someone else, through a re-check inspection


@pytest.mark.parametrize(("target", "passed"), [(S.VERIFIED, False), (S.REOPENED, True)])
def test_recheck_result_must_match_the_target(target, passed):
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.transition(
            build_hazard(status=S.RECTIFIED), target, at=AT,
            verification=verification(passed), recheck_kind=InspectionKind.FOLLOW_UP,
        )
    assert caught.value.reason == "needs_recheck_result"


@pytest.mark.parametrize("target", [S.VERIFIED, S.REOPENED])
def test_recheck_needs_a_verification(target):
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.transition(build_hazard(status=S.RECTIFIED), target, at=AT, recheck_kind=InspectionKind.FOLLOW_UP)
    assert caught.value.reason == "needs_recheck_result"


@pytest.mark.parametrize("target", [S.VERIFIED, S.REOPENED])
@pytest.mark.parametrize("kind", [InspectionKind.SELF_CHECK, None])
def test_a_self_check_cannot_recheck_a_hazard(target, kind):
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.transition(
            build_hazard(status=S.RECTIFIED), target, at=AT,
            verification=verification(target is S.VERIFIED), recheck_kind=kind,
        )
    assert caught.value.reason == "needs_recheck_inspection"


@pytest.mark.parametrize("target", [S.VERIFIED, S.REOPENED])
@pytest.mark.parametrize("kind", [InspectionKind.FOLLOW_UP, InspectionKind.SPOT_CHECK])
def test_follow_up_and_spot_check_can_recheck(target, kind):
    moved = lifecycle.transition(
        build_hazard(status=S.RECTIFIED), target, at=AT, verification=verification(target is S.VERIFIED),
        recheck_kind=kind,
    )
    assert moved.status is target
    assert moved.verifications[-1].by == OTHER_ACTOR


@pytest.mark.parametrize("target", [S.VERIFIED, S.REOPENED])
def test_the_rectifier_cannot_verify_their_own_work(target):
    hazard = build_hazard(status=S.RECTIFIED, rectification=rectification(by="王喆"))
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.transition(
            hazard, target, at=AT, verification=verification(target is S.VERIFIED, by="王喆"),
            recheck_kind=InspectionKind.FOLLOW_UP,
        )
    assert caught.value.reason == "same_person"


def test_verified_sets_closed_at_and_appends_the_verification():
    earlier = verification(passed=False)
    hazard = build_hazard(status=S.RECTIFIED, verifications=(earlier,))
    later = AT + dt.timedelta(hours=3)
    result = verification(passed=True)
    moved = lifecycle.transition(
        hazard, S.VERIFIED, at=later, verification=result, recheck_kind=InspectionKind.SPOT_CHECK
    )
    assert moved.closed_at == later
    assert moved.verifications == (earlier, result)


def test_reopened_does_not_close_the_hazard():
    moved = lifecycle.transition(
        build_hazard(status=S.RECTIFIED), S.REOPENED, at=AT, verification=verification(False),
        recheck_kind=InspectionKind.FOLLOW_UP,
    )
    assert moved.closed_at is None
    assert len(moved.verifications) == 1


# deferred: explanation, temporary measures, a dated plan


@pytest.mark.parametrize(
    "incomplete",
    [
        None,
        deferral(explanation=""),
        deferral(explanation="  "),
        deferral(measures=""),
        Deferral(explanation="需列入年度预算", plan=(), temporary_measures="专人值守"),
        Deferral(explanation="需列入年度预算", plan=(PlanStep(TODAY, " "),), temporary_measures="专人值守"),
    ],
    ids=["none", "no-explanation", "blank-explanation", "no-measures", "no-plan", "blank-step"],
)
def test_deferred_needs_explanation_measures_and_a_plan(incomplete):
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.transition(build_hazard(status=S.OPEN), S.DEFERRED, at=AT, deferral=incomplete, today=TODAY)
    assert caught.value.reason == "deferral_incomplete"


@pytest.mark.parametrize(
    "dues",
    [
        (TODAY + dt.timedelta(days=20), TODAY + dt.timedelta(days=10)),
        (TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=10)),
        (TODAY - dt.timedelta(days=1),),
    ],
    ids=["out-of-order", "first-step-in-the-past", "only-step-in-the-past"],
)
def test_deferral_plan_steps_are_in_date_order_and_not_before_today(dues):
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.transition(build_hazard(status=S.OPEN), S.DEFERRED, at=AT, deferral=deferral(*dues), today=TODAY)
    assert caught.value.reason == "plan_dates"


def test_deferral_moves_the_deadline_to_the_last_step():
    plan = deferral(TODAY, TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=90))
    moved = lifecycle.transition(build_hazard(status=S.OPEN), S.DEFERRED, at=AT, deferral=plan, today=TODAY)
    assert moved.deferral == plan
    assert moved.deadline == TODAY + dt.timedelta(days=90)


# flags


def test_flags_toggle_on_and_off():
    hazard = build_hazard()
    listed = lifecycle.set_flag(hazard, Flag.LISTED, True)
    both = lifecycle.set_flag(listed, Flag.SUSPENDED, True)
    assert set(both.flags) == {Flag.LISTED, Flag.SUSPENDED}
    assert lifecycle.set_flag(both, Flag.SUSPENDED, True).flags == both.flags  # raising twice: still once
    assert lifecycle.set_flag(both, Flag.LISTED, False).flags == (Flag.SUSPENDED,)
    assert lifecycle.set_flag(hazard, Flag.EXPERT_REVIEW, False).flags == ()


@pytest.mark.parametrize("flag", list(Flag))
def test_a_verified_hazard_takes_no_new_flag(flag):
    with pytest.raises(IllegalTransition) as caught:
        lifecycle.set_flag(build_hazard(status=S.VERIFIED), flag, True)
    assert caught.value.reason == "closed"


# deadlines, in the campaign's zone

JULY_10 = dt.date(2026, 7, 10)


def test_not_overdue_on_the_deadline_day():
    hazard = build_hazard(deadline=JULY_10)
    assert not lifecycle.is_overdue(hazard, JULY_10)
    assert lifecycle.days_left(hazard, JULY_10) == 0


def test_overdue_the_day_after_the_deadline():
    hazard = build_hazard(deadline=JULY_10)
    assert lifecycle.is_overdue(hazard, JULY_10 + dt.timedelta(days=1))
    assert lifecycle.days_left(hazard, JULY_10 + dt.timedelta(days=3)) == -3
    assert lifecycle.days_left(hazard, JULY_10 - dt.timedelta(days=2)) == 2


@pytest.mark.parametrize("status", [S.RECTIFIED, S.VERIFIED])
def test_a_rectified_or_verified_hazard_is_never_overdue(status):
    assert not lifecycle.is_overdue(build_hazard(status=status, deadline=JULY_10), dt.date(2026, 8, 1))


@pytest.mark.parametrize("status", [S.OPEN, S.RECTIFYING, S.REOPENED, S.DEFERRED])
def test_an_unfinished_hazard_past_its_deadline_is_overdue(status):
    assert lifecycle.is_overdue(build_hazard(status=status, deadline=JULY_10), dt.date(2026, 7, 11))


@pytest.mark.parametrize(
    ("utc", "local"),
    [
        (dt.datetime(2026, 7, 10, 15, 59, tzinfo=dt.UTC), dt.date(2026, 7, 10)),
        (dt.datetime(2026, 7, 10, 16, 0, tzinfo=dt.UTC), dt.date(2026, 7, 11)),
        (dt.datetime(2026, 7, 10, 16, 30, tzinfo=dt.UTC), dt.date(2026, 7, 11)),
    ],
)
def test_the_day_is_the_day_in_shanghai(utc, local):
    assert local_date(FixedClock(utc).now()) == local


def test_a_hazard_due_today_is_overdue_once_shanghai_passes_midnight_even_if_utc_has_not():
    clock = FixedClock(dt.datetime(2026, 7, 10, 16, 30, tzinfo=dt.UTC))
    hazard = build_hazard(deadline=JULY_10)
    assert clock.now().date() == JULY_10  # still the 10th in UTC…
    today = local_date(clock.now())
    assert lifecycle.is_overdue(hazard, today)  # …but the 11th in Shanghai
    assert lifecycle.days_left(hazard, today) == -1


def test_local_date_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        local_date(dt.datetime(2026, 7, 10, 12, 0))


# due this week: Monday 2026-07-06 … Sunday 2026-07-12

MONDAY, SUNDAY = dt.date(2026, 7, 6), dt.date(2026, 7, 12)


@pytest.mark.parametrize("today", [MONDAY + dt.timedelta(days=n) for n in range(7)], ids=lambda d: d.strftime("%a"))
def test_due_this_week_runs_from_today_to_sunday(today):
    assert lifecycle.due_this_week(build_hazard(deadline=SUNDAY), today)
    assert lifecycle.due_this_week(build_hazard(deadline=today), today)
    assert not lifecycle.due_this_week(build_hazard(deadline=SUNDAY + dt.timedelta(days=1)), today)


def test_due_this_week_excludes_days_already_past():
    assert not lifecycle.due_this_week(build_hazard(deadline=MONDAY), dt.date(2026, 7, 8))


def test_weekends_are_ordinary_days():
    saturday = dt.date(2026, 7, 11)
    assert lifecycle.due_this_week(build_hazard(deadline=saturday), saturday)
    assert not lifecycle.is_overdue(build_hazard(deadline=saturday), saturday)
    assert lifecycle.is_overdue(build_hazard(deadline=saturday), SUNDAY)
    assert lifecycle.days_left(build_hazard(deadline=dt.date(2026, 7, 13)), dt.date(2026, 7, 10)) == 3


def test_on_sunday_next_monday_is_next_week():
    assert not lifecycle.due_this_week(build_hazard(deadline=SUNDAY + dt.timedelta(days=1)), SUNDAY)


@pytest.mark.parametrize("status", [S.RECTIFIED, S.VERIFIED])
def test_a_done_hazard_is_not_due_this_week(status):
    assert not lifecycle.due_this_week(build_hazard(status=status, deadline=SUNDAY), MONDAY)


def test_a_deleted_hazard_is_not_overdue():
    assert not lifecycle.is_overdue(build_hazard(deadline=MONDAY, deleted=True), SUNDAY)


def test_a_deleted_hazard_is_not_due_this_week():
    assert not lifecycle.due_this_week(build_hazard(deadline=SUNDAY, deleted=True), MONDAY)


# proposing 挂牌督办

AFTER = dt.date(2026, 7, 11)


def test_an_overdue_major_hazard_is_proposed_for_listing():
    assert lifecycle.should_propose_listing(build_hazard(severity=Severity.MAJOR, deadline=JULY_10), AFTER)


@pytest.mark.parametrize(
    ("overrides", "today"),
    [
        ({"severity": Severity.GENERAL, "major_hint": True}, AFTER),
        ({"severity": Severity.MAJOR}, JULY_10),
        ({"severity": Severity.MAJOR, "flags": (Flag.LISTED,)}, AFTER),
        ({"severity": Severity.MAJOR, "status": S.RECTIFIED}, AFTER),
    ],
    ids=["general", "not-yet-overdue", "already-listed", "rectified"],
)
def test_listing_is_proposed_only_for_major_overdue_unlisted(overrides, today):
    assert not lifecycle.should_propose_listing(build_hazard(deadline=JULY_10, **overrides), today)
