"""The law behind keeping an import's documents as they came: `is_canonical(from_doc(d), d)` says
yes exactly when `d` is, as JSON, what `to_doc` would write for the record it decodes to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.model import AuditEvent, Flag, HazardStatus, Verification
from app.store.codec import from_doc, is_canonical, to_doc
from app.store.doc_check import well_typed
from tests.unit.factories import build_hazard

AT = dt.datetime(2026, 7, 10, 4, 0, tzinfo=dt.UTC)
HAZARD = build_hazard(status=HazardStatus.DEFERRED, flags=(Flag.LISTED,), funds=Decimal("1200.50"),
                      seen={"d": 3}, photos=("a" * 64,), closed_at=AT,
                      verifications=(Verification(passed=False, by="李", at=AT, inspection_id="i2"),))
EVENT = AuditEvent(id="e1", unit="U01", at=AT, actor="王喆", device="d", rev=1, entity="hazard", entity_id="h1",
                   action="update", before={"status": "open", "n": [1, 2]}, after={"status": "deferred"})

Doc = dict[str, Any]
# Ways a sender may write the same record differently, or a different record: each changes a copy.
CHANGES: dict[str, Callable[[Doc], None]] = {
    "a default left out": lambda d: d.pop("note" if "note" in d else "requirement", None),
    "an extra key": lambda d: d.update(extra="x"),
    "a time in Z": lambda d: d.update({k: d[k].replace("+00:00", "Z") for k in ("at", "closed_at") if k in d}),
    "a time with microseconds": lambda d: d.update(
        {k: d[k].replace("+00:00", ".000000+00:00") for k in ("at", "closed_at") if k in d}),
    "a time in another zone": lambda d: d.update(
        {k: "2026-07-10T12:00:00+08:00" for k in ("at", "closed_at") if k in d}),
    "money as a number": lambda d: d.update(funds=1200.5) if "funds" in d else d.update(rev=1),
    "money with a trailing zero": lambda d: d.update(funds="1200.500") if "funds" in d else None,
    "keys in another order": lambda d: [d.update({k: d.pop(k)}) for k in list(d)[:3]],
    "a nested time in Z": lambda d: d.get("verifications") and d["verifications"][0].update(
        at=d["verifications"][0]["at"].replace("+00:00", "Z")),
    "a nested default left out": lambda d: d.get("verifications") and d["verifications"][0].pop("note", None),
    "a dict in another order": lambda d: d.get("before") and d.update(before={"n": [1, 2], "status": "open"}),
    "another value": lambda d: d.update(rev=2),
}


def _same_json(a: Doc, b: Doc) -> bool:
    return orjson.dumps(a, option=orjson.OPT_SORT_KEYS) == orjson.dumps(b, option=orjson.OPT_SORT_KEYS)


@settings(max_examples=200, deadline=None)
@given(record=st.sampled_from([HAZARD, EVENT]), changes=st.lists(st.sampled_from(sorted(CHANGES)), max_size=3))
def test_a_document_is_canonical_exactly_when_it_is_what_the_store_would_write(record, changes):
    doc = orjson.loads(orjson.dumps(to_doc(record)))   # as parsed from a bundle's line
    for change in changes:
        CHANGES[change](doc)
    decoded = from_doc(type(record), doc)
    if not well_typed(decoded):   # refused before any merge: the law is about accepted records
        return
    assert is_canonical(decoded, doc) == _same_json(to_doc(decoded), doc)


def test_what_the_store_writes_is_canonical():
    for record in (HAZARD, EVENT, build_hazard()):
        doc = orjson.loads(orjson.dumps(to_doc(record)))
        assert is_canonical(from_doc(type(record), doc), doc)
