"""The permission table, cell by cell, and what a change does (the question services and import ask)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from app.domain.authority import Role
from app.domain.errors import Forbidden
from app.domain.model import Flag, HazardStatus, InspectionKind, Severity
from app.domain.obligations import ObligationStatus, UnitObligation
from app.domain.permissions import RULES, Action, acts, allowed, authorize, first_refused
from tests.unit.factories import build_hazard

# Written out again here, from the campaign plan, so the table is checked against a second reading.
BUREAU_ONLY = {
    Action.SPOT_CHECK, Action.VERIFY_SPOT_CHECK, Action.WITHDRAW_SPOT_CHECK, Action.APPROVE_DEFERRAL, Action.LIST,
    Action.SPOT_CHECK_NOTICE, Action.REVIEW_OBLIGATION, Action.CIRCULAR, Action.BUREAU_REPORT, Action.ENROLL,
    Action.ISSUE_CHECKLIST,
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", [*Role, None])
@pytest.mark.parametrize("where", ["own", "other"])
def test_every_cell_of_the_table(action, role, where):
    unit = "U01" if where == "own" else "U02"
    rule = allowed(role, "U01" if role is Role.UNIT else "", action, unit)
    if role is None or role is Role.BUREAU:
        expected = None                       # never enrolled: alone; the bureau: everything, everywhere
    elif action in BUREAU_ONLY:
        expected = "bureau_only"
    else:
        expected = None if where == "own" else "own_unit_only"
    assert rule == expected


def test_the_table_has_a_row_for_every_action():
    assert set(RULES) == set(Action)


def test_authorize_raises_forbidden_naming_action_rule_and_unit():
    with pytest.raises(Forbidden) as caught:
        authorize(Role.UNIT, "U01", Action.LIST, "U01")
    assert caught.value.params() == {"action": "list", "reason": "bureau_only", "unit": "U01"}


def test_listing_and_a_spot_check_verification_are_the_bureaus_acts():
    hazard = build_hazard(unit="U01")
    listed = replace(hazard, flags=(Flag.LISTED,))
    assert Action.LIST in acts(hazard, listed, InspectionKind.SELF_CHECK)
    verified = replace(hazard, status=HazardStatus.VERIFIED)
    assert acts(hazard, verified, InspectionKind.SPOT_CHECK) == {Action.VERIFY_SPOT_CHECK}
    assert acts(hazard, verified, InspectionKind.SELF_CHECK) == {Action.VERIFY}
    assert first_refused(Role.UNIT, "U01", hazard, listed, InspectionKind.SELF_CHECK) == (Action.LIST, "bureau_only")


def test_moving_a_major_hazards_deadline_is_a_deferral_the_bureau_approves():
    major = build_hazard(unit="U01", severity=Severity.MAJOR)
    later = replace(major, deadline=major.deadline + dt.timedelta(days=30))
    assert Action.APPROVE_DEFERRAL in acts(major, later, InspectionKind.SELF_CHECK)
    general = build_hazard(unit="U01")
    assert acts(general, replace(general, deadline=general.deadline + dt.timedelta(days=3)),
                InspectionKind.SELF_CHECK) == {Action.EDIT_HAZARD}


def test_writing_a_hazard_of_another_unit_is_refused_for_a_unit_device():
    hazard = build_hazard(unit="U02")
    assert first_refused(Role.UNIT, "U01", None, hazard, InspectionKind.SELF_CHECK) == (
        Action.RAISE_HAZARD, "own_unit_only")


def test_an_obligation_reviewed_is_the_bureaus_act_and_a_submission_the_units():
    at = dt.datetime(2026, 6, 20, tzinfo=dt.UTC)
    submitted = UnitObligation(id="a" * 32, unit="U01", created_at=at, updated_at=at, device="d", rev=1, kind="plan",
                               due=dt.date(2026, 6, 25), status=ObligationStatus.SUBMITTED, submitted_at=at)
    accepted = replace(submitted, status=ObligationStatus.ACCEPTED)
    assert acts(submitted, accepted, None) == {Action.REVIEW_OBLIGATION}
    assert acts(None, submitted, None) == {Action.SUBMIT_OBLIGATION}
