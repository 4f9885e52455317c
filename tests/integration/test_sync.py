"""Bundles between real data directories: round trips, increments, conflicts, unit filtering."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.domain.errors import BundleRejected
from app.domain.model import HazardStatus, InspectionKind
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import photos as photo_service
from app.services import sync
from app.services.integrity import verify_data
from tests.integration.photo_fixtures import jpeg
from tests.integration.sync_world import device, fingerprint, state, walk


def test_full_bundle_round_trip_gives_an_identical_verified_store(tmp_path):
    tablet = device(tmp_path / "tablet")
    walk(tablet)
    walk(tablet, unit="U02", failures=1)
    bundle = tmp_path / "t.fsb"
    sync.export_bundle(tablet, bundle, full=True)

    bureau = device(tmp_path / "bureau", actor="局保卫处")
    summary = sync.import_bundle(bureau, bundle)
    assert summary.new > 0 and summary.updated == 0 and summary.trusted_new_device
    assert state(bureau) == state(tablet)
    assert verify_data(bureau.repo.root).problems == []
    assert [h.id for h in hazard_service.ledger(bureau).items] == [h.id for h in hazard_service.ledger(tablet).items]


def test_importing_the_same_bundle_twice_changes_nothing(tmp_path):
    tablet = device(tmp_path / "tablet")
    walk(tablet)
    bundle = tmp_path / "t.fsb"
    sync.export_bundle(tablet, bundle, full=True)
    bureau = device(tmp_path / "bureau")
    sync.import_bundle(bureau, bundle)
    before = fingerprint(bureau.repo.root)
    again = sync.import_bundle(bureau, bundle)
    assert (again.new, again.updated, again.audit_added, again.files_added) == (0, 0, 0, 0)
    assert fingerprint(bureau.repo.root) == before


def test_export_to_a_peer_sends_only_what_it_has_not_acknowledged(tmp_path):
    tablet, bureau = device(tmp_path / "tablet"), device(tmp_path / "bureau", actor="局保卫处")
    _, _, hazards = walk(tablet)
    first = tmp_path / "1.fsb"
    sync.export_bundle(tablet, first, to=bureau.repo.device_id)
    sync.import_bundle(bureau, first)
    ack = tmp_path / "ack.fsb"
    sync.export_bundle(bureau, ack, to=tablet.repo.device_id)   # the bureau's bundle acknowledges
    assert sync.import_bundle(tablet, ack).new == 0

    hazard_service.update_hazard(tablet, hazards[0].id, responsible="李堃", funds="3000")
    second = tmp_path / "2.fsb"
    summary = sync.export_bundle(tablet, second, to=bureau.repo.device_id)
    assert summary.counts["hazard"] == 1 and summary.counts["response"] == 0 and summary.files == 0
    result = sync.import_bundle(bureau, second)
    assert result.updated == 1
    assert hazard_service.get_hazard(bureau, hazards[0].id).responsible == "李堃"


def test_photos_left_out_are_sent_with_the_next_bundle(tmp_path):
    tablet, bureau = device(tmp_path / "tablet"), device(tmp_path / "bureau")
    walk(tablet)
    small = tmp_path / "small.fsb"
    assert sync.export_bundle(tablet, small, to=bureau.repo.device_id, photos=False).files == 0
    sync.import_bundle(bureau, small)
    assert {p.kind for p in verify_data(bureau.repo.root).problems} == {"photo_missing"}
    later = tmp_path / "later.fsb"
    assert sync.export_bundle(tablet, later, to=bureau.repo.device_id).files > 0
    sync.import_bundle(bureau, later)
    assert verify_data(bureau.repo.root).problems == []


def test_an_export_that_leaves_nothing_pending_does_not_rewrite_the_store(tmp_path):
    tablet, bureau = device(tmp_path / "tablet"), device(tmp_path / "bureau")
    walk(tablet)
    sync.export_bundle(tablet, tmp_path / "1.fsb", to=bureau.repo.device_id)   # a new peer: recorded
    assert bureau.repo.device_id in tablet.repo.peers()
    store_file = tablet.repo.root / "store.json"
    before = store_file.stat().st_ino
    sync.export_bundle(tablet, tmp_path / "2.fsb", to=bureau.repo.device_id)
    assert store_file.stat().st_ino == before   # nothing changed for that peer: no write (and no fsync)


def test_concurrent_verify_and_reopen_is_a_listed_conflict_resolved_the_same_everywhere(tmp_path):
    unit, bureau_a = device(tmp_path / "unit", actor="王喆"), device(tmp_path / "a", actor="张伟")
    bureau_b = device(tmp_path / "b", actor="刘洋")
    _, _, hazards = walk(unit, failures=1)
    evidence = photo_service.add_evidence_photo(unit, hazards[0].id, jpeg(90, 60), "fixed.jpg")
    hazard_service.rectify(unit, hazards[0].id, "已清理", photos=(evidence.sha256,))
    shared = tmp_path / "shared.fsb"
    sync.export_bundle(unit, shared, full=True)
    for other in (bureau_a, bureau_b):
        sync.import_bundle(other, shared)
        recheck = inspection_service.start_inspection(other, "U01", InspectionKind.FOLLOW_UP, [other.actor])
        hazard_service.verify(other, hazards[0].id, recheck.id, passed=other is bureau_a)
    a_out, b_out = tmp_path / "a.fsb", tmp_path / "b.fsb"
    sync.export_bundle(bureau_a, a_out, full=True)
    sync.export_bundle(bureau_b, b_out, full=True)

    into_a = sync.import_bundle(bureau_a, b_out)
    into_b = sync.import_bundle(bureau_b, a_out)
    assert len(into_a.conflicts) == 1 and len(into_b.conflicts) == 1
    assert {into_a.conflicts[0].local_status, into_a.conflicts[0].incoming_status} == {"verified", "reopened"}
    assert state(bureau_a) == state(bureau_b)
    kept = hazard_service.get_hazard(bureau_a, hazards[0].id).status
    assert kept in (HazardStatus.VERIFIED, HazardStatus.REOPENED)
    actions = [e.action for e in bureau_a.repo.audit(hazards[0].id)]
    assert "transition:verified" in actions and "transition:reopened" in actions


def test_a_unit_keeps_only_its_own_records_from_the_bureaus_bundle(tmp_path):
    bureau = device(tmp_path / "bureau", actor="张伟")
    walk(bureau, unit="U01")
    walk(bureau, unit="U02")
    out = tmp_path / "bureau.fsb"
    sync.export_bundle(bureau, out, full=True)
    unit = device(tmp_path / "unit")
    summary = sync.import_bundle(unit, out, only_unit="U01")
    assert summary.ignored > 0
    assert {h.unit for h in unit.repo.hazards()} == {"U01"}


def test_cli_export_import_and_devices(tmp_path, capsys):
    tablet = device(tmp_path / "tablet")
    walk(tablet, photo=False)
    out = tmp_path / "cli.fsb"
    assert main(["export", "--data", str(tablet.repo.root), "--out", str(out)]) == 0
    assert "已导出同步包" in capsys.readouterr().out
    junk = tmp_path / "junk.fsb"
    junk.write_bytes(b"not a zip")
    code = main(["import", "--data", str(tmp_path / "bureau"), str(out), str(junk), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["imported"][0]["new"] > 0
    assert report["rejected"][0]["reason"] == "not_a_zip" and "不是有效的同步包" in report["rejected"][0]["message"]
    assert main(["devices", "--data", str(tmp_path / "bureau"), "revoke", tablet.repo.device_id]) == 0
    assert main(["import", "--data", str(tmp_path / "bureau"), str(out)]) == 1
    assert "已被吊销" in capsys.readouterr().err


def test_the_rev_index_never_hides_a_change_made_elsewhere(tmp_path):
    """Exports skip files the index says hold nothing new; a change by another writer (a second
    repository on the same directory, as another process would be) or a broken index must not
    make an export leave a record out."""
    tablet, bureau = device(tmp_path / "tablet"), device(tmp_path / "bureau")
    _, _, hazards = walk(tablet)
    sync.export_bundle(tablet, tmp_path / "1.fsb", to=bureau.repo.device_id)
    sync.import_bundle(bureau, tmp_path / "1.fsb")
    sync.export_bundle(bureau, tmp_path / "ack.fsb", to=tablet.repo.device_id)
    sync.import_bundle(tablet, tmp_path / "ack.fsb")
    assert sync.export_bundle(tablet, tmp_path / "empty.fsb", to=bureau.repo.device_id).counts["hazard"] == 0

    other = device(tmp_path / "tablet")   # another writer on the same data directory
    hazard_service.update_hazard(other, hazards[1].id, measures="更换应急照明灯")
    assert sync.export_bundle(tablet, tmp_path / "2.fsb", to=bureau.repo.device_id).counts["hazard"] == 1

    hazard_service.update_hazard(other, hazards[0].id, measures="清理杂物")
    (tmp_path / "tablet" / "revs.cache").write_bytes(b"\x00 not json")
    assert sync.export_bundle(tablet, tmp_path / "3.fsb", to=bureau.repo.device_id).counts["hazard"] == 2


def test_a_bundle_imported_before_is_recognised_by_its_signed_manifest_but_a_revoked_sender_is_not(tmp_path):
    tablet, bureau = device(tmp_path / "tablet"), device(tmp_path / "bureau")
    walk(tablet)
    bundle = tmp_path / "t.fsb"
    sync.export_bundle(tablet, bundle, full=True)
    first = sync.import_bundle(bureau, bundle)
    again = sync.import_bundle(bureau, bundle)
    assert not first.already_imported and again.already_imported
    assert again.unchanged == first.new and (again.new, again.updated, again.files_added) == (0, 0, 0)
    assert not sync.import_bundle(bureau, bundle, only_unit="U01").already_imported   # another selection

    sync.set_device_status(bureau, tablet.repo.device_id, "revoked")
    with pytest.raises(BundleRejected, match="revoked_device"):
        sync.import_bundle(bureau, bundle)


def test_an_import_keeps_its_photos_in_one_pack_and_never_twice(tmp_path):
    """Issue 19: one file created per import, not one per photo; still read by hash, re-exported,
    checked by `verify`, and a file already held is not stored again."""
    tablet = device(tmp_path / "tablet")
    walk(tablet)
    walk(tablet, unit="U02", failures=1)
    bundle = tmp_path / "t.fsb"
    sent = sync.export_bundle(tablet, bundle, full=True).files
    bureau = device(tmp_path / "bureau")
    assert sync.import_bundle(bureau, bundle).files_added == sent
    root = bureau.repo.root
    assert len(list((root / "photos" / "packs").glob("*.pack"))) == 1
    assert not list((root / "photos").glob("??/*"))   # no loose file per photo
    for photo in tablet.repo.photos():
        assert bureau.photos.read(photo.sha256) == tablet.photos.read(photo.sha256)

    back = tmp_path / "back.fsb"   # what the bureau holds in packs travels on like any file
    sync.export_bundle(bureau, back, full=True)
    third = device(tmp_path / "third")
    sync.import_bundle(third, back)
    assert verify_data(third.repo.root).problems == [] and state(third) == state(tablet)

    more = tmp_path / "more.fsb"   # everything again plus one new photo: only the new file is added
    walk(tablet, unit="U03")
    sync.export_bundle(tablet, more, full=True)
    added = sync.import_bundle(bureau, more).files_added
    assert added == sync.export_bundle(tablet, tmp_path / "x.fsb", full=True).files - sent
    assert verify_data(root).problems == []

    pack = sorted((root / "photos" / "packs").glob("*.pack"))[0]
    pack.write_bytes(pack.read_bytes()[:-1])   # a torn pack: verify names it, its photos read as missing
    kinds = {p.kind for p in verify_data(root).problems}
    assert {"pack_unreadable", "photo_missing"} <= kinds
