"""The type gate a bundle's records pass before a merge: each wrong value is caught, right ones pass."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from app.domain.model import AuditEvent, Deferral, HazardStatus, PlanStep
from app.store.doc_check import well_typed
from tests.unit.factories import build_hazard


@pytest.mark.parametrize("status", list(HazardStatus))
def test_a_hazard_in_every_status_is_well_typed(status):
    assert well_typed(build_hazard(status=status, seen={"d": 3}, closed_at=None))


@pytest.mark.parametrize(("field", "value"), [
    ("rev", "5"),                                            # a string where a clock is expected
    ("rev", True),                                           # bool is an int to isinstance, not to us
    ("updated_at", dt.datetime(2026, 7, 10, 12, 0)),         # naive beside aware times
    ("deadline", dt.datetime(2026, 7, 10, 12, 0, tzinfo=dt.UTC)),   # a time where a date is expected
    ("funds", Decimal("NaN")),
    ("status", "open"),                                      # the value, not the enum
    ("photos", ["a" * 64]),                                  # a list where a tuple is expected
    ("photos", ("a" * 64, 7)),
    ("seen", {"d": "3"}),
    ("seen", {"d": 1.5}),
    ("closed_at", "2026-07-10"),                             # optional, but not any type
    ("description", None),
    ("deferral", "later"),
])
def test_a_wrong_value_anywhere_is_caught(field, value):
    assert not well_typed(build_hazard(**{field: value}))


def test_nested_records_are_checked_too():
    string_date = Deferral(explanation="资金需年度预算", plan=(PlanStep("2026-07-10", "隔离"),),
                           temporary_measures="专人值守")
    assert not well_typed(build_hazard(status=HazardStatus.DEFERRED, deferral=string_date))


def test_dict_fields_hold_only_plain_json():
    event = AuditEvent(id="e1", unit="U01", at=dt.datetime(2026, 7, 10, tzinfo=dt.UTC), actor="王喆", device="d",
                       rev=1, entity="hazard", entity_id="h1", action="create", after={"a": [1, "x", None]})
    assert well_typed(event)
    for after in ({"a": float("nan")}, {"a": {1: "x"}}, {"a": object()}):
        assert not well_typed(dataclasses.replace(event, after=after))


def test_every_field_of_a_record_is_checked():
    """The check is generated per class from its type hints: no field may be left out of it."""
    good = build_hazard(status=HazardStatus.DEFERRED, seen={"d": 3})
    assert well_typed(good)
    for name in good.__dataclass_fields__:
        assert not well_typed(dataclasses.replace(good, **{name: object()})), name
