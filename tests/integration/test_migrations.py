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


V2_DEFERRED = {
    **{k: v for k, v in V1_HAZARD.items() if k not in ("funds_yuan", "responsible_person")},
    "id": "h2", "funds": "0.00", "responsible": "李堃", "status": "deferred", "deadline": "2026-09-30",
    "deferral": {"explanation": "需停电施工", "plan": [{"due": "2026-09-30", "action": "更换线路"}],
                 "temporary_measures": "专人看守"},
}


def test_v2_store_opens_after_the_authority_upgrade_with_old_deferrals_marked(tmp_path):
    from app.store.migrations import BEFORE_APPROVALS

    root = tmp_path / "data"
    write_v1_store(root)
    path = root / "units/U01/hazards/2026-07.json"
    data = json.loads(path.read_text())
    data["_meta"]["1"]["schema"] = 2
    data["hazard"]["1"] = V2_DEFERRED
    path.write_text(json.dumps(data, ensure_ascii=False))
    repo = TinyRepository.open(root)
    hazard = repo.get_hazard("h2")
    assert hazard.status.value == "deferred" and str(hazard.deadline) == "2026-09-30", "the deferral stands"
    assert hazard.deferral.approved_by == BEFORE_APPROVALS and hazard.deferral_request is None
    with TinyDB(path, access_mode="r") as db:
        stored = db.table("hazard").get(doc_id=1)
        assert db.table("_meta").get(doc_id=1)["schema"] == SCHEMA_VERSION == 3
        assert stored["deferral_request"] is None and stored["findings"] == []


def test_an_old_stores_notice_numbers_continue_in_the_new_style():
    from app.domain.issuers import FULL_BLOCK, format_number, next_serial

    used = ["示卫消整〔2026〕第0009号", "示卫消整〔2026〕第0010号"]
    assert format_number("示卫消整", 2026, next_serial(used, "示卫消整", 2026, FULL_BLOCK)) == "示卫消整〔2026〕11号"
