"""One contract, every repository: what services rely on holds for memory and for TinyDB files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid

import pytest

from app.domain.issuers import UsedNumbers
from app.domain.model import (
    Area,
    AuditEvent,
    Hazard,
    HazardStatus,
    Inspection,
    InspectionKind,
    Notice,
    Response,
    Severity,
    Verdict,
)
from app.store.codec import to_doc
from app.store.memory import MemoryRepository
from app.store.tinystore import TinyRepository

NOW = dt.datetime(2026, 7, 10, 1, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["memory", "tinydb"])
def repo(request, tmp_path):
    if request.param == "memory":
        return MemoryRepository()
    return TinyRepository.open(tmp_path / "data")


def meta(unit: str = "U01", rev: int = 1) -> dict:
    return {"id": uuid.uuid4().hex, "unit": unit, "created_at": NOW, "updated_at": NOW, "device": "d1", "rev": rev}


def inspection(unit: str = "U01") -> Inspection:
    return Inspection(**meta(unit), kind=InspectionKind.SELF_CHECK, date=NOW.date(), inspectors=("王喆",))


def area(insp: Inspection) -> Area:
    return Area(**meta(insp.unit), inspection_id=insp.id, location_type="basement", name="地下一层",
                checklist_id="basement", checklist_version="2026.1", checklist_sha256="0" * 64)


def hazard(insp: Inspection, ar: Area, **kw) -> Hazard:
    return Hazard(**meta(insp.unit), inspection_id=insp.id, area_id=ar.id, description="安全出口堵塞",
                  deadline=dt.date(2026, 7, 20), severity=Severity.MAJOR, **kw)


def event(record, action: str = "create") -> AuditEvent:
    return AuditEvent(id=uuid.uuid4().hex, unit=record.unit, at=NOW, actor="王喆", device="d1", rev=1,
                      entity=type(record).__name__.lower(), entity_id=record.id, action=action, after={"x": 1})


def test_saved_records_read_back_equal(repo):
    insp = inspection()
    ar = area(insp)
    resp = Response(**meta(), inspection_id=insp.id, area_id=ar.id, item_id="bs-01", verdict=Verdict.FAIL)
    haz = hazard(insp, ar)
    with repo.transaction():
        repo.save_inspection(insp)
        repo.save_area(ar)
        repo.save_response(resp)
        repo.save_hazard(haz)
    assert repo.get_inspection(insp.id) == insp
    assert repo.areas(insp.id) == [ar] and repo.get_area(ar.id, insp.id) == ar
    assert repo.responses(insp.id) == [resp]
    assert repo.get_hazard(haz.id) == haz and repo.hazards("U01") == [haz]
    assert repo.hazards("U02") == [] and repo.inspections("U01") == [insp]


def test_saving_again_replaces_the_record(repo):
    insp = inspection()
    ar = area(insp)
    haz = hazard(insp, ar)
    with repo.transaction():
        repo.save_inspection(insp)
        repo.save_area(ar)
        repo.save_hazard(haz)
    changed = dataclasses.replace(haz, status=HazardStatus.RECTIFYING, rev=2)
    with repo.transaction():
        repo.save_hazard(changed)
    assert repo.get_hazard(haz.id).status is HazardStatus.RECTIFYING
    assert len(repo.hazards()) == 1


def test_a_failed_transaction_changes_nothing(repo):
    insp = inspection()
    with repo.transaction():
        repo.save_inspection(insp)
    with pytest.raises(RuntimeError), repo.transaction():
        repo.save_inspection(inspection())
        repo.append_audit(event(insp), insp)
        raise RuntimeError("boom")
    assert repo.inspections() == [insp]
    assert list(repo.audit()) == []


def test_writes_outside_a_transaction_are_refused(repo):
    with pytest.raises(RuntimeError):
        repo.save_inspection(inspection())


def test_logical_clock_only_grows_and_respects_a_floor(repo):
    with repo.transaction():
        first = repo.next_rev()
        second = repo.next_rev()
        above = repo.next_rev(floor=5000)
    assert first < second < above and above > 5000
    repo.observe_rev(90_000)
    with repo.transaction():
        assert repo.next_rev() > 90_000


def test_audit_is_kept_beside_its_record_and_found_by_entity(repo):
    insp = inspection()
    ar = area(insp)
    haz = hazard(insp, ar)
    with repo.transaction():
        repo.save_inspection(insp)
        repo.save_area(ar)
        repo.save_hazard(haz)
        repo.append_audit(event(insp), insp)
        repo.append_audit(event(haz), haz)
        repo.append_audit(event(haz, "update"), haz)
    assert [e.action for e in repo.audit(haz.id)] == ["create", "update"]
    assert len(list(repo.audit())) == 3
    assert [e.entity for e in repo.audit(entity="hazard")] == ["hazard", "hazard"]
    assert [e.entity for e in repo.audit(entity="inspection", unit=insp.unit)] == ["inspection"]
    assert list(repo.audit(entity="hazard", unit="U36")) == []


def test_a_records_audit_is_read_from_beside_it_in_order(repo):
    """`audit_of` finds one record's events without the rest of the history, across a commit."""
    insp = inspection()
    ar = area(insp)
    haz, other = hazard(insp, ar), hazard(insp, ar)
    with repo.transaction():
        repo.save_inspection(insp)
        repo.save_area(ar)
        repo.save_hazard(haz)
        repo.save_hazard(other)
        repo.append_audit(event(insp), insp)
        repo.append_audit(event(haz), haz)
        repo.append_audit(event(other), other)
        assert [e.action for e in repo.audit_of(haz)] == ["create"]   # seen inside the transaction
    with repo.transaction():
        repo.append_audit(event(haz, "transition:rectifying"), haz)
    assert [e.action for e in repo.audit_of(haz)] == ["create", "transition:rectifying"]
    assert [e.entity_id for e in repo.audit_of(other)] == [other.id]
    assert [e.entity_id for e in repo.audit_of(insp)] == [insp.id]
    assert repo.audit_of(hazard(inspection("U09"), ar)) == []       # nothing stored for it: nothing found


def test_tinydb_store_survives_reopening_and_files_open_with_stock_tinydb(tmp_path):
    from tinydb import TinyDB

    root = tmp_path / "data"
    repo = TinyRepository.open(root)
    insp = inspection()
    with repo.transaction():
        repo.save_inspection(insp)
    again = TinyRepository.open(root)
    assert again.get_inspection(insp.id) == insp
    assert again.device_id == repo.device_id
    for path in root.rglob("*.json"):
        with TinyDB(path, access_mode="r") as db:
            assert db.table("_meta").get(doc_id=1)["schema"] >= 1


def test_a_second_repository_on_the_same_directory_sees_new_writes(tmp_path):
    """Two processes (or an app and a CLI import) share a data directory."""
    root = tmp_path / "data"
    first, second = TinyRepository.open(root), TinyRepository.open(root)
    insp = inspection()
    with first.transaction():
        first.save_inspection(insp)
    assert second.get_inspection(insp.id) == insp
    later = dataclasses.replace(insp, note="复查", rev=9)
    with second.transaction():
        second.save_inspection(later)
    assert first.get_inspection(insp.id).note == "复查"


def test_a_transaction_reads_back_records_in_files_it_has_not_written_yet(repo):
    """A new unit's first inspection and a new month's hazard, read back before the commit."""
    insp = inspection("U07")
    ar = area(insp)
    haz = hazard(insp, ar)
    with repo.transaction():
        repo.save_inspection(insp)
        assert repo.get_inspection(insp.id) == insp
        assert insp in repo.inspections()
        repo.save_area(ar)
        assert repo.areas(insp.id) == [ar]
        repo.save_hazard(haz)
        assert repo.get_hazard(haz.id) == haz
        assert repo.hazards("U07") == [haz]
    assert repo.get_hazard(haz.id) == haz


def test_device_settings_read_back_and_roll_back_with_a_failed_transaction(repo):
    assert repo.get_settings("device") is None and repo.settings_audit() == []
    doc = {"notice_prefix": "示卫A", "inspector": {"name": "王喆", "phone": "", "title": ""}}
    with repo.transaction():
        repo.save_settings("device", doc)
        repo.append_settings_audit(AuditEvent(id=uuid.uuid4().hex, unit="", at=NOW, actor="王喆", device="d1", rev=1,
                                              entity="settings", entity_id="device", action="prefix"))
    assert repo.get_settings("device") == doc
    repo.get_settings("device")["inspector"]["name"] = "改了"          # a copy: the store is not changed
    assert repo.get_settings("device") == doc
    with pytest.raises(RuntimeError, match="boom"), repo.transaction():
        repo.save_settings("device", {"notice_prefix": "B"})
        raise RuntimeError("boom")
    assert repo.get_settings("device") == doc
    assert [e.action for e in repo.settings_audit()] == ["prefix"]
    assert list(repo.audit()) == []          # settings history is not record history (never in a bundle)
    with pytest.raises(RuntimeError):
        repo.save_settings("device", {})


def test_a_transaction_that_touches_more_files_than_the_cache_holds_loses_nothing(tmp_path, monkeypatch):
    """A day of the bureau demo, or a big import, writes to more files than stay parsed in memory.

    The cache once dropped a file it had just loaded (still clean) when every other cached file
    was dirty; the write that followed went into a copy no commit would see. A third of the demo's
    rectifications vanished that way, audit and all.
    """
    import app.store.tinystore as tinystore

    monkeypatch.setattr(tinystore, "MAX_OPEN_FILES", 3)
    root = tmp_path / "data"
    repo = TinyRepository.open(root)
    units = [f"U{n:02d}" for n in range(1, 9)]
    saved = []
    with repo.transaction():
        for unit in units:                       # two new files per unit: inspections and a hazard month
            insp = inspection(unit)
            repo.save_inspection(insp)
            haz = hazard(insp, area(insp))
            repo.save_hazard(haz)
            repo.append_audit(event(haz), haz)
            saved.append(haz)
        for haz in saved:                        # each read back inside the transaction
            assert repo.get_hazard(haz.id) == haz
    later = [dataclasses.replace(h, status=HazardStatus.RECTIFIED, rev=5) for h in saved]
    fresh = TinyRepository.open(root)            # nothing cached: every file is loaded clean, then changed
    with fresh.transaction():
        for haz in later:
            fresh.save_hazard(haz)
            fresh.append_audit(event(haz, "transition:rectified"), haz)
    again = TinyRepository.open(root)
    assert [again.get_hazard(h.id) for h in later] == later
    assert all([e.action for e in again.audit(h.id)] == ["create", "transition:rectified"] for h in saved)


def notice(number: str, unit: str = "U01") -> Notice:
    return Notice(**meta(unit), inspection_id=uuid.uuid4().hex, number=number, recipient="护理部", issued_at=NOW,
                  hazard_ids=())


def test_used_numbers_count_every_notice_saved_or_merged_deleted_ones_too_and_never_a_rolled_back_one(repo):
    assert repo.used_numbers() == UsedNumbers()
    first, other_unit = notice("甲保消〔2026〕1号"), notice("乙保消〔2026〕7号", unit="U02")
    with repo.transaction():
        repo.save_notice(first)
        repo.save_notice(other_unit)
        assert repo.used_numbers() == UsedNumbers(["甲保消〔2026〕1号", "乙保消〔2026〕7号"])   # seen inside
    before = repo.used_numbers()
    merged = notice("甲保消〔2026〕1002号")                  # from another device's bundle, as stored
    with repo.transaction():
        repo.save_all([(merged, to_doc(merged))])
        repo.save_notice(dataclasses.replace(first, deleted=True, rev=2))   # voided: its number stays used
    with pytest.raises(RuntimeError, match="boom"), repo.transaction():
        repo.save_notice(notice("甲保消〔2026〕2号"))
        repo.save_notice(notice("丙保消〔2026〕1号", unit="U03"))     # a unit's first notice: a new file
        assert repo.used_numbers().highest("甲保消", 2026) == 1002
        raise RuntimeError("boom")
    assert repo.used_numbers() == UsedNumbers(["甲保消〔2026〕1号", "乙保消〔2026〕7号", "甲保消〔2026〕1002号"])
    assert before == UsedNumbers(["甲保消〔2026〕1号", "乙保消〔2026〕7号"]), "a snapshot: later saves leave it be"
    assert {n.number for n in repo.notices()} == {"甲保消〔2026〕1号", "乙保消〔2026〕7号", "甲保消〔2026〕1002号"}


def test_latest_number_is_of_the_devices_last_notice_not_deleted(repo):
    def issued(number: str, device: str, hour: int, **kw) -> Notice:
        at = NOW.replace(hour=hour)
        return dataclasses.replace(notice(number), device=device, issued_at=at, **kw)

    assert repo.latest_number("d1") is None
    voided = issued("甲保消〔2026〕3号", "d1", 9, deleted=True)
    with repo.transaction():
        repo.save_notice(issued("甲保消〔2026〕2号", "d1", 8))
        repo.save_notice(issued("甲保消〔2026〕1号", "d1", 7))
        repo.save_notice(voided)
        merged = issued("乙保消〔2026〕5号", "d2", 10)
        repo.save_all([(merged, to_doc(merged))])
    assert repo.latest_number("d1") == "甲保消〔2026〕2号" and repo.latest_number("d2") == "乙保消〔2026〕5号"
    with pytest.raises(RuntimeError, match="boom"), repo.transaction():
        repo.save_notice(issued("丙保消〔2026〕1号", "d1", 11, unit="U02"))
        assert repo.latest_number("d1") == "丙保消〔2026〕1号"
        raise RuntimeError("boom")
    assert repo.latest_number("d1") == "甲保消〔2026〕2号"
    with repo.transaction():
        repo.save_notice(dataclasses.replace(voided, deleted=False, rev=2))
    assert repo.latest_number("d1") == "甲保消〔2026〕3号"


def test_tinydb_used_numbers_survive_reopening_and_follow_another_repositorys_commits(tmp_path):
    root = tmp_path / "data"
    first, second = TinyRepository.open(root), TinyRepository.open(root)
    with first.transaction():
        first.save_notice(notice("甲保消〔2026〕1号"))
    assert second.used_numbers() == UsedNumbers(["甲保消〔2026〕1号"])     # read, then changed by `first`:
    later = notice("甲保消〔2026〕2号")
    with first.transaction():
        first.save_notice(later)
        first.append_audit(event(later), later)
    with second.transaction():                     # loaded fresh and changed here before it is asked
        second.append_audit(event(later, "print"), later)
        assert second.used_numbers() == UsedNumbers(["甲保消〔2026〕1号", "甲保消〔2026〕2号"])
    assert TinyRepository.open(root).used_numbers() == UsedNumbers(["甲保消〔2026〕1号", "甲保消〔2026〕2号"])
    assert first.used_numbers() == second.used_numbers()


# ---- the sync surface: device trust records, peers, rev vector, raw documents, staged files ----


def test_device_and_peer_entries_read_back_replace_and_roll_back(repo):
    assert repo.devices() == {} and repo.peers() == {}
    device = {"id": "tab01", "public_key": "cGs=", "status": "trusted", "history": [{"action": "trusted"}]}
    with repo.transaction():
        repo.save_device(device)
        repo.save_peer({"id": "tab01", "vector": {"tab01": 7}, "imported": ["b1"]})
    assert repo.devices() == {"tab01": device}
    assert repo.peers()["tab01"]["vector"] == {"tab01": 7}
    with repo.transaction():
        repo.save_device({**device, "status": "revoked"})         # replaced whole, by id
    assert repo.devices()["tab01"]["status"] == "revoked" and len(repo.devices()) == 1
    with pytest.raises(RuntimeError, match="boom"), repo.transaction():
        repo.save_device({"id": "tab02", "status": "trusted"})
        repo.save_peer({"id": "tab01", "vector": {}})
        raise RuntimeError("boom")
    assert set(repo.devices()) == {"tab01"} and repo.peers()["tab01"]["vector"] == {"tab01": 7}
    with pytest.raises(RuntimeError):
        repo.save_device({"id": "tab03"})
    with pytest.raises(RuntimeError):
        repo.save_peer({"id": "tab03"})


def _stored(device: str, rev: int, unit: str = "U01") -> tuple[Inspection, AuditEvent]:
    insp = Inspection(**{**meta(unit, rev), "device": device}, kind=InspectionKind.SELF_CHECK, date=NOW.date(),
                      inspectors=("王喆",))
    ev = AuditEvent(id=uuid.uuid4().hex, unit=unit, at=NOW, actor="王喆", device=device, rev=rev + 1,
                    entity="inspection", entity_id=insp.id, action="create")
    return insp, ev


def test_rev_vector_is_the_highest_clock_per_device_over_records_and_audit(repo):
    assert repo.rev_vector() == {}
    a, a_event = _stored("tab01", 4)
    b, b_event = _stored("tab02", 9, unit="U02")
    with repo.transaction():
        for record, ev in ((a, a_event), (b, b_event)):
            repo.save_inspection(record)
            repo.append_audit(ev, record)
    assert repo.rev_vector() == {"tab01": 5, "tab02": 10}      # the audit events' revs are the higher


def test_raw_docs_are_the_stored_documents_by_table_and_unit(repo):
    a, a_event = _stored("tab01", 4)
    b, b_event = _stored("tab02", 9, unit="U02")
    with repo.transaction():
        for record, ev in ((a, a_event), (b, b_event)):
            repo.save_inspection(record)
            repo.append_audit(ev, record)

    def ids(**kw) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for table, docs in repo.raw_docs(**kw):
            found.setdefault(table, set()).update(d["id"] for d in docs)
        return {t: v for t, v in found.items() if v}

    assert ids() == {"inspection": {a.id, b.id}, "audit": {a_event.id, b_event.id}}
    assert ids(unit="U02") == {"inspection": {b.id}, "audit": {b_event.id}}
    stored = next(d for t, docs in repo.raw_docs(unit="U01") if t == "inspection" for d in docs)
    assert stored["rev"] == 4 and stored["device"] == "tab01" and stored["kind"] == "self_check"
    # newer_than may skip what the peer has, never what it lacks
    newer = ids(newer_than={"tab01": 5, "tab02": 3})
    assert b.id in newer.get("inspection", set()) and b_event.id in newer.get("audit", set())


def test_a_record_saved_with_its_document_reads_back_and_is_stored_as_given(repo):
    a, a_event = _stored("tab01", 4)
    with repo.transaction():
        repo.save_all([(a, to_doc(a))])
        repo.append_audit(a_event, a, to_doc(a_event))
    assert repo.get_inspection(a.id) == a and repo.audit_of(a) == [a_event]
    stored: dict[str, list] = {}
    for table, docs in repo.raw_docs(unit="U01"):
        stored.setdefault(table, []).extend(docs)
    assert stored["inspection"] == [to_doc(a)] and stored["audit"] == [to_doc(a_event)]


def test_has_audit_knows_an_event_kept_beside_its_record(repo):
    a, a_event = _stored("tab01", 4)
    with repo.transaction():
        repo.save_inspection(a)
        assert not repo.has_audit(a_event.id, a)
        repo.append_audit(a_event, a)
        assert repo.has_audit(a_event.id, a)                   # seen inside the transaction
    assert repo.has_audit(a_event.id, a) and not repo.has_audit(uuid.uuid4().hex, a)


def test_a_staged_file_appears_at_commit_and_never_after_a_discard(repo):
    with repo.transaction():
        repo.stage_file("photos/ab/kept.jpg", lambda fh: fh.write(b"kept"))
        assert not (repo.root / "photos/ab/kept.jpg").exists()    # not before the commit
    assert (repo.root / "photos/ab/kept.jpg").read_bytes() == b"kept"
    with repo.transaction():
        repo.stage_file("photos/ab/kept.jpg", lambda fh: fh.write(b"other"))   # there already: kept
    assert (repo.root / "photos/ab/kept.jpg").read_bytes() == b"kept"
    with pytest.raises(RuntimeError, match="boom"), repo.transaction():
        repo.stage_file("pdfs/cd/dropped.pdf", lambda fh: fh.write(b"%PDF"))
        raise RuntimeError("boom")
    assert not list(repo.root.glob("pdfs/**/dropped.pdf*"))     # nor a temporary file left behind
    with pytest.raises(RuntimeError):
        repo.stage_file("photos/ef/outside.jpg", lambda fh: fh.write(b"x"))


def test_a_staged_file_may_be_filled_from_another_thread_and_is_dropped_on_an_error(repo):
    with repo.transaction():
        with repo.staged_file("photos/packs/a.pack") as fh:
            worker = threading.Thread(target=lambda: fh.write(b"from a worker"))
            worker.start()
            worker.join()
        assert not (repo.root / "photos/packs/a.pack").exists()    # not before the commit
    assert (repo.root / "photos/packs/a.pack").read_bytes() == b"from a worker"
    with repo.transaction(), repo.staged_file("photos/packs/a.pack") as fh:   # there already: kept
        assert fh is None
    with pytest.raises(RuntimeError, match="copy failed"), repo.transaction(), \
            repo.staged_file("photos/packs/b.pack") as fh:
        fh.write(b"half")
        raise RuntimeError("copy failed")
    assert not list(repo.root.glob("photos/packs/b.pack*"))      # nor a temporary file left behind


def test_root_is_a_folder_the_store_may_keep_files_in(repo):
    (repo.root / "keys").mkdir(parents=True, exist_ok=True)
    assert repo.root.is_dir() and (repo.root / "keys").is_dir()
