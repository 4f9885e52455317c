"""`decode_checked` answers what `from_doc`, `well_typed` and `is_canonical` answer together, for
documents as a sender may write them: every record of the small demo (each kind, every status,
deferral plans, verifications, audit diffs), written differently in the ways the canonical law
covers, and with wrong types a hostile or broken sender could put in any field."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bootstrap import build
from app.demo import build_demo
from app.domain.model import AuditEvent
from app.services.sync import _all_records
from app.store.checked_decode import decode_checked
from app.store.codec import from_doc, is_canonical, to_doc
from app.store.doc_check import well_typed
from tests.unit.factories import build_hazard
from tests.unit.test_codec_canonical import AT, CHANGES, EVENT, HAZARD

Doc = dict[str, Any]
FAILURES = (TypeError, ValueError, KeyError, ArithmeticError, AttributeError)
# What a field may be replaced with: every JSON type, and values near the ones a field expects.
ODD_VALUES = [None, True, 0, 1, -1, 2.5, float("nan"), "", "x", "open", "2026-07-10", "2026-07-10T04:00:00",
              "2026-07-10T04:00:00+00:00", "1200.50", "NaN", [], ["a"], [1], {}, {"a": 1}, {"1": [None]}]


def _composed(cls: type, doc: Doc) -> tuple[Any, bool] | str:
    """The three steps as `decode_records` ran them before: the answer, or "refused" (the bundle is
    refused as `bad_record` whether decoding raised or a field was of the wrong type)."""
    try:
        record = from_doc(cls, doc)
    except FAILURES:
        return "refused"
    return (record, is_canonical(record, doc)) if well_typed(record) else "refused"


def _fused(cls: type, doc: Doc) -> tuple[Any, bool] | str:
    try:
        return decode_checked(cls, doc) or "refused"
    except FAILURES:
        return "refused"


RECORDS: list[Any] = []   # filled once per module (kept out of the test's arguments: a failure prints them)


@pytest.fixture(scope="module", autouse=True)
def records(tmp_path_factory) -> list[Any]:
    if not RECORDS:
        path = tmp_path_factory.mktemp("demo")
        build_demo(path, "small", seed=1)
        ctx = build(path)
        RECORDS.extend([HAZARD, EVENT, build_hazard(), *(r for rs in _all_records(ctx).values() for r in rs),
                        *ctx.repo.audit()])
    return RECORDS


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_one_pass_answers_what_the_three_steps_answer(data):
    record = RECORDS[data.draw(st.integers(0, len(RECORDS) - 1), label="record")]
    doc = orjson.loads(orjson.dumps(to_doc(record)))   # as parsed from a bundle's line
    for change in data.draw(st.lists(st.sampled_from(sorted(CHANGES)), max_size=2)):
        with contextlib.suppress(AttributeError):      # a time the record leaves empty (None)
            CHANGES[change](doc)
    for _ in range(data.draw(st.integers(0, 2))):      # a field given a value of another type, or dropped
        field = data.draw(st.sampled_from(sorted(doc)))
        if data.draw(st.booleans()):
            doc[field] = data.draw(st.sampled_from(ODD_VALUES))
        else:
            del doc[field]
    assert _fused(type(record), doc) == _composed(type(record), doc)


def test_every_record_a_device_writes_decodes_as_it_came(records):
    assert {type(r).__name__ for r in records} >= {"Inspection", "Area", "Response", "Hazard", "Notice", "Photo",
                                                    "UnitObligation", "AuditEvent"}
    for record in records:
        doc = orjson.loads(orjson.dumps(to_doc(record)))
        assert decode_checked(type(record), doc) == (record, True)


def test_a_wrong_type_is_refused_and_a_missing_required_field_raises():
    doc = orjson.loads(orjson.dumps(to_doc(EVENT)))
    assert decode_checked(AuditEvent, {**doc, "rev": "1"}) is None
    assert decode_checked(AuditEvent, {**doc, "rev": True}) is None
    assert decode_checked(AuditEvent, {**doc, "at": "2026-07-10T04:00:00"}) is None   # naive
    try:
        decode_checked(AuditEvent, {k: v for k, v in doc.items() if k != "id"})
    except TypeError:
        pass
    else:
        raise AssertionError("a record without its id decoded")


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Normalised:
    """A record whose `__init__` does more than set fields: made through it, not field by field."""

    id: str
    at: dt.datetime
    note: str = ""
    count: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "note", self.note.strip())


def test_a_class_whose_init_does_more_is_decoded_by_the_three_steps_themselves():
    doc = {"id": "n1", "at": "2026-07-10T04:00:00+00:00", "note": " 已整改 ", "count": 2}
    assert _fused(_Normalised, doc) == _composed(_Normalised, doc) == (_Normalised(**{**doc, "at": AT}), True)
    assert decode_checked(_Normalised, doc)[0].note == "已整改"
    assert _fused(_Normalised, {**doc, "count": "2"}) == "refused"
    assert _fused(_Normalised, {"at": doc["at"]}) == "refused"
