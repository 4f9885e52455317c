"""A store written by schema 1 opens in today's app with its data carried over."""

from __future__ import annotations

import json
from decimal import Decimal

from tinydb import TinyDB

from app.store.migrations import SCHEMA_VERSION
from app.store.tinystore import TinyRepository

V1_HAZARD = {
    "id": "h1", "unit": "U01", "created_at": "2026-07-10T02:00:00+00:00", "updated_at": "2026-07-10T02:00:00+00:00",
    "device": "d1", "rev": 3, "deleted": False, "inspection_id": "i1", "area_id": "a1", "item_id": "bs-01",
    "description": "地下室存放甲类物品", "basis": "", "severity": "major", "major_hint": True,
    "deadline": "2026-07-20", "status": "open", "flags": [], "photos": [],
    "responsible_person": "李堃", "measures": "清运", "funds_yuan": 1234.5, "department": "", "raised_by": "王喆",
    "rectification": None, "verifications": [], "deferral": None, "closed_at": None,
}


def write_v1_store(root):
    (root / "units/U01/hazards").mkdir(parents=True)
    (root / "store.json").write_text(json.dumps({
        "_meta": {"1": {"schema": 1, "kind": "store"}},
        "device": {"1": {"id": "this", "device_id": "d1", "rev_reserved": 1000}},
    }))
    (root / "units/U01/hazards/2026-07.json").write_text(json.dumps({
        "_meta": {"1": {"schema": 1, "kind": "hazards"}}, "hazard": {"1": V1_HAZARD}, "audit": {},
    }, ensure_ascii=False))


def test_v1_funds_and_responsible_are_migrated(tmp_path):
    root = tmp_path / "data"
    write_v1_store(root)
    repo = TinyRepository.open(root)
    hazard = repo.get_hazard("h1")
    assert hazard.funds == Decimal("1234.50")
    assert hazard.responsible == "李堃"
    with TinyDB(root / "units/U01/hazards/2026-07.json", access_mode="r") as db:
        assert db.table("_meta").get(doc_id=1)["schema"] == SCHEMA_VERSION
        assert "funds_yuan" not in db.table("hazard").get(doc_id=1)


def test_a_store_from_a_newer_app_is_refused_not_damaged(tmp_path):
    import pytest

    from app.domain.errors import StoreCorrupt

    root = tmp_path / "data"
    write_v1_store(root)
    TinyRepository.open(root)
    path = root / "units/U01/hazards/2026-07.json"
    data = json.loads(path.read_text())
    data["_meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(StoreCorrupt):
        TinyRepository.open(root).hazards()
    assert path.read_bytes() == before
