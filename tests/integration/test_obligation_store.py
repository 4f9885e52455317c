"""Obligations in both repositories: read back equal, per unit, all or nothing, stock TinyDB JSON."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from tinydb import TinyDB

from app.domain import obligations as rules
from app.domain.obligations import Evidence, EvidenceKind, ObligationStatus, UnitObligation
from app.store.memory import MemoryRepository
from app.store.migrations import SCHEMA_VERSION
from app.store.tinystore import TinyRepository
from tests.unit.factories import shared_catalog

NOW = dt.datetime(2026, 6, 20, 1, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["memory", "tinydb"])
def repo(request, tmp_path):
    if request.param == "memory":
        return MemoryRepository()
    return TinyRepository.open(tmp_path / "data")


def submitted(unit: str = "U01", key: str = "plan") -> UnitObligation:
    duty = next(d for d in rules.duties(shared_catalog().campaign) if d.key == key)
    record = rules.pending_obligation(duty, unit, 2026, NOW)
    evidence = (Evidence(EvidenceKind.REPORT, "d" * 64, "方案.pdf"), Evidence(EvidenceKind.PHOTO, "e" * 64, "名单.jpg"))
    return rules.submit(record, evidence, "王喆", NOW, "附件两份")


def test_an_obligation_reads_back_equal_and_only_under_its_unit(repo):
    mine, other = submitted(), submitted("U02")
    with repo.transaction():
        repo.save_obligation(mine)
        repo.save_obligation(other)
    assert repo.obligations("U01") == [mine]
    assert {o.unit for o in repo.obligations()} == {"U01", "U02"}
    back = repo.obligations("U01")[0]
    assert back.evidence[1].kind is EvidenceKind.PHOTO and back.status is ObligationStatus.SUBMITTED


def test_a_failed_transaction_stores_no_obligation(repo):
    with pytest.raises(RuntimeError), repo.transaction():
        repo.save_obligation(submitted())
        raise RuntimeError("crash")
    assert repo.obligations() == []


def test_a_later_version_replaces_the_earlier(repo):
    first = submitted()
    with repo.transaction():
        repo.save_obligation(first)
    accepted = rules.accept(first, "局", NOW)
    with repo.transaction():
        repo.save_obligation(accepted)
    assert [o.status for o in repo.obligations("U01")] == [ObligationStatus.ACCEPTED]


def test_the_file_is_stock_tinydb_json_with_the_schema_and_survives_a_reopen(tmp_path):
    root = tmp_path / "data"
    repo = TinyRepository.open(root)
    record = submitted()
    with repo.transaction():
        repo.save_obligation(record)
    path = root / "units" / "U01" / "obligations.json"
    assert json.loads(path.read_text())["_meta"]["1"]["schema"] == SCHEMA_VERSION
    with TinyDB(path) as db:
        assert db.table("obligation").all()[0]["kind"] == "plan"
    assert TinyRepository.open(root).obligations("U01") == [record]


def test_an_obligation_audit_event_is_kept_beside_it(tmp_path):
    from app.domain.model import AuditEvent

    repo = TinyRepository.open(tmp_path / "data")
    record = submitted()
    event = AuditEvent(id=uuid.uuid4().hex, unit="U01", at=NOW, actor="王喆", device="d1", rev=1,
                       entity="obligation", entity_id=record.id, action="transition:submitted", after={"x": 1})
    with repo.transaction():
        repo.save_obligation(record)
        repo.append_audit(event, record)
    assert [e.action for e in repo.audit(record.id)] == ["transition:submitted"]
    assert repo.has_audit(event.id, record)
