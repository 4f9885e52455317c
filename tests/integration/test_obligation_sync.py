"""Submit → accept / return across two real data directories, carried by real bundles."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.clock import FixedClock
from app.domain.errors import IllegalTransition, PhotoRejected
from app.domain.obligations import EvidenceKind, ObligationStatus
from app.services import obligations as service
from app.services import sync
from app.services.integrity import verify_data
from tests.integration.photo_fixtures import jpeg
from tests.integration.sync_world import device, state, walk

PLAN_PDF = b"%PDF-1.4\n% the unit's campaign plan, scanned\n%%EOF\n"
JUNE_20 = dt.datetime(2026, 6, 20, 2, 0, tzinfo=dt.UTC)


def _ship(sender, receiver, path, unit: str | None = None):
    sync.export_bundle(sender, path, to=receiver.repo.device_id, unit=unit)
    return sync.import_bundle(receiver, path)


@pytest.fixture
def world(tmp_path):
    unit = device(tmp_path / "unit", actor="王喆", clock=FixedClock(JUNE_20))
    bureau = device(tmp_path / "bureau", actor="局保卫处", clock=FixedClock(JUNE_20))
    return unit, bureau, tmp_path


def test_a_submission_reaches_the_bureau_and_its_return_reaches_the_unit(world):
    unit, bureau, tmp = world
    service.submit_obligation(unit, "U01", "plan", [service.EvidenceFile("工作方案.pdf", PLAN_PDF)], note="见附件")

    summary = _ship(unit, bureau, tmp / "1.fsb")
    assert summary.new == 1 and summary.files_added == 1
    seen = service.duty_state(bureau, "U01", "plan")
    assert seen.status is ObligationStatus.SUBMITTED and seen.record.note == "见附件"
    assert service.evidence_bytes(bureau, seen.record.evidence[0].sha256) == PLAN_PDF

    bureau.clock.advance(days=1)
    service.return_obligation(bureau, "U01", "plan", "缺少领导小组成员名单")
    _ship(bureau, unit, tmp / "2.fsb", unit="U01")
    back = service.duty_state(unit, "U01", "plan")
    assert back.status is ObligationStatus.RETURNED and back.record.return_reason == "缺少领导小组成员名单"
    assert back.record.reviewed_by == "局保卫处"

    unit.clock.advance(days=2)
    service.submit_obligation(unit, "U01", "plan", [service.EvidenceFile("名单.jpg", jpeg(400, 300))])
    _ship(unit, bureau, tmp / "3.fsb")
    again = service.duty_state(bureau, "U01", "plan")
    assert again.status is ObligationStatus.SUBMITTED and again.record.submissions == 2
    assert again.record.evidence[0].kind is EvidenceKind.PHOTO

    service.accept_obligation(bureau, "U01", "plan")
    _ship(bureau, unit, tmp / "4.fsb", unit="U01")
    assert service.duty_state(unit, "U01", "plan").status is ObligationStatus.ACCEPTED

    actions = [e.action for e in unit.repo.audit(seen.record.id)]
    assert actions.count("transition:submitted") == 2
    assert {"transition:returned", "transition:accepted"} <= set(actions)
    assert state(unit)["records"]["obligation"] == state(bureau)["records"]["obligation"]
    assert verify_data(unit.repo.root).problems == [] and verify_data(bureau.repo.root).problems == []


def test_a_monthly_report_is_generated_and_submitted_in_one_step(world):
    unit, bureau, tmp = world
    walk(unit, photo=False)
    done = service.submit_monthly_report(unit, "U01", 2026, 6)
    assert done.status is ObligationStatus.SUBMITTED and done.key == "monthly_report:2026-06"
    evidence = done.record.evidence[0]
    assert evidence.kind is EvidenceKind.REPORT and evidence.name == "monthly-U01-2026-06.pdf"
    _ship(unit, bureau, tmp / "m.fsb")
    assert service.evidence_bytes(bureau, evidence.sha256).startswith(b"%PDF-")
    assert service.duty_state(bureau, "U01", "monthly_report:2026-06").status is ObligationStatus.SUBMITTED


def test_importing_the_same_submission_twice_changes_nothing(world):
    unit, bureau, tmp = world
    service.submit_obligation(unit, "U01", "plan", [service.EvidenceFile("p.pdf", PLAN_PDF)])
    sync.export_bundle(unit, tmp / "a.fsb", full=True)
    sync.import_bundle(bureau, tmp / "a.fsb")
    again = sync.import_bundle(bureau, tmp / "a.fsb")
    assert (again.new, again.updated, again.audit_added, again.files_added) == (0, 0, 0, 0)


def test_a_stale_submission_does_not_undo_the_bureaus_decision(world):
    unit, bureau, tmp = world
    service.submit_obligation(unit, "U01", "plan", [service.EvidenceFile("p.pdf", PLAN_PDF)])
    sync.export_bundle(unit, tmp / "old.fsb", full=True)
    sync.import_bundle(bureau, tmp / "old.fsb")
    service.accept_obligation(bureau, "U01", "plan")
    sync.import_bundle(bureau, tmp / "old.fsb")   # the unit's old bundle, imported again later
    assert service.duty_state(bureau, "U01", "plan").status is ObligationStatus.ACCEPTED


def test_the_bureau_cannot_accept_what_was_never_submitted(world):
    _, bureau, _ = world
    with pytest.raises(IllegalTransition):
        service.accept_obligation(bureau, "U01", "plan")
    assert bureau.repo.obligations() == []


def test_a_file_that_is_neither_pdf_nor_photo_is_refused_and_nothing_changes(world):
    unit, _, _ = world
    with pytest.raises(PhotoRejected):
        service.submit_obligation(unit, "U01", "plan", [service.EvidenceFile("x.docx", b"PK\x03\x04 not a photo")])
    assert unit.repo.obligations() == []
    assert service.duty_state(unit, "U01", "plan").status is ObligationStatus.PENDING
