"""Who may do what, enforced: enrolled devices, certificates chained to the campaign key, and import
refusing any bundle that carries a change its maker was not allowed to make (store byte-identical)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.authority import Role
from app.domain.errors import BundleRejected, Forbidden, IllegalTransition, InvalidInput
from app.domain.issuers import parse_number
from app.domain.model import Deferral, Flag, HazardStatus, InspectionKind, PlanStep, Severity
from app.domain.notice import Signature
from app.i18n import describe_error
from app.services import authority, hazards, notices, obligations
from app.services import inspections as inspection_service
from app.services.context import save
from app.services.notices import Signatures
from app.services.sync import export_bundle, import_bundle, trust_model
from tests.integration.authority_world import enroll, enrolled, rogue, send
from tests.integration.sync_world import device, fingerprint, walk

PLAN_PDF = b"%PDF-1.4\n% plan\n%%EOF\n"


def refused(target, path: Path) -> BundleRejected:
    """Import `path` into `target`: it must be refused and leave the store byte-identical."""
    before = fingerprint(target.repo.root)
    with pytest.raises(BundleRejected) as caught:
        import_bundle(target, path)
    assert fingerprint(target.repo.root) == before, "a refused bundle changed the store"
    return caught.value


def unit_bundle(ctx, tmp_path: Path, name: str = "unit.fsb") -> Path:
    path = tmp_path / name
    export_bundle(ctx, path, full=True)
    return path


# ---- enrollment -----------------------------------------------------------------------------------


def test_enrollment_gives_each_device_its_role_issuer_and_a_block_of_numbers(tmp_path):
    world = enrolled(tmp_path, {"a": "U01", "b": "U01", "c": "U02"})
    a, b, c = (authority.state(world.units[n]).own.body for n in "abc")
    assert (a.role, a.unit, a.issuer_name) == (Role.UNIT, "U01", "示例市第一中心医院保卫处")
    assert a.issuer_prefix == b.issuer_prefix != c.issuer_prefix
    assert not a.block.overlaps(b.block), "two devices of one issuer share numbers"
    assert trust_model(world.units["a"]) == "enrolled"
    assert trust_model(device(tmp_path / "alone")) == "first_use"


def test_a_certificate_for_another_device_or_campaign_is_not_installed(tmp_path):
    world = enrolled(tmp_path)
    stranger = device(tmp_path / "stranger")
    request = authority.make_request(stranger, Role.UNIT, "U03")
    cert = authority.sign_request(world.bureau, request)
    with pytest.raises(InvalidInput) as caught:
        authority.install_certificate(world.units["u01"], json.dumps(cert.to_json()).encode())
    assert caught.value.reason == "other_device"
    forged = replace(cert, signature=cert.signature[::-1])
    with pytest.raises(InvalidInput) as caught:
        authority.install_certificate(stranger, json.dumps(forged.to_json()).encode())
    assert caught.value.reason == "cert_signature"


def test_only_the_bureau_signs_certificates(tmp_path):
    world = enrolled(tmp_path)
    with pytest.raises(Forbidden):
        authority.sign_request(world.units["u01"], authority.make_request(device(tmp_path / "x"), Role.UNIT, "U01"))


# ---- services refuse -----------------------------------------------------------------------------


def test_a_unit_device_cannot_do_the_bureaus_acts_or_touch_another_unit(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    _, _, [hazard, _] = walk(unit)
    with pytest.raises(Forbidden) as caught:
        hazards.set_flag(unit, hazard.id, Flag.LISTED)
    assert "挂牌督办" in describe_error(caught.value) and "局保卫处" in describe_error(caught.value)
    with pytest.raises(Forbidden):
        inspection_service.start_inspection(unit, "U02", InspectionKind.SELF_CHECK, ["甲"])
    with pytest.raises(Forbidden):
        inspection_service.start_inspection(unit, "U01", InspectionKind.SPOT_CHECK, ["甲", "乙"])
    obligations.submit_obligation(unit, "U01", "plan", [obligations.EvidenceFile("plan.pdf", PLAN_PDF)])
    with pytest.raises(Forbidden):
        obligations.accept_obligation(unit, "U01", "plan")
    assert hazards.set_flag(unit, hazard.id, Flag.SUSPENDED).flags == (Flag.SUSPENDED,)   # the unit's own call


def test_a_major_hazards_deferral_is_a_request_until_the_bureau_approves(tmp_path):
    world = enrolled(tmp_path)
    unit, bureau = world.units["u01"], world.bureau
    _, _, [hazard, _] = walk(unit)
    hazard = hazards.update_hazard(unit, hazard.id, severity=Severity.MAJOR)
    deadline = hazard.deadline
    asked = hazards.defer(unit, hazard.id, "需停电施工", [(deadline + dt.timedelta(days=30), "更换线路")], "专人看守")
    assert (asked.status, asked.deadline) == (HazardStatus.OPEN, deadline), "a request moved the deadline"
    assert asked.deferral_request is not None
    with pytest.raises(Forbidden):
        hazards.decide_deferral(unit, hazard.id, approve=True)
    send(unit, bureau, tmp_path)
    approved = hazards.decide_deferral(bureau, hazard.id, approve=True, note="同意")
    assert approved.status is HazardStatus.DEFERRED
    assert approved.deadline == deadline + dt.timedelta(days=30)
    assert approved.deferral.approved_by == "局检查员甲"


def test_a_deferral_after_the_deadline_is_refused(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    _, _, [hazard, _] = walk(unit)
    unit.clock.advance(days=(hazard.deadline - unit.today()).days + 1)
    with pytest.raises(IllegalTransition) as caught:
        hazards.defer(unit, hazard.id, "来不及", [(unit.today() + dt.timedelta(days=9), "整改")], "看守")
    assert caught.value.reason == "deferral_after_deadline"


# ---- import refuses a forbidden change (the unit edited its own files and signed the result) -----


def test_a_unit_bundle_that_lists_a_hazard_is_refused(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    _, _, [hazard, _] = walk(unit)
    with rogue(unit):
        hazards.set_flag(unit, hazard.id, Flag.LISTED)
    error = refused(world.bureau, unit_bundle(unit, tmp_path))
    assert (error.reason, error.detail["rule"], error.detail["action"]) == ("forbidden_change", "bureau_only", "list")
    assert hazard.id in error.detail["entry"]
    assert "挂牌督办" in describe_error(error) or "list" in describe_error(error)


def test_a_unit_bundle_that_accepts_its_own_obligation_is_refused(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    obligations.submit_obligation(unit, "U01", "plan", [obligations.EvidenceFile("plan.pdf", PLAN_PDF)])
    with rogue(unit):
        obligations.accept_obligation(unit, "U01", "plan")
    error = refused(world.bureau, unit_bundle(unit, tmp_path))
    assert (error.detail["action"], error.detail["rule"]) == ("review_obligation", "bureau_only")


def test_a_unit_bundle_that_writes_another_units_record_is_refused(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    with rogue(unit):
        walk(unit, unit="U02", photo=False)
    error = refused(world.bureau, unit_bundle(unit, tmp_path))
    assert error.detail["rule"] == "own_unit_only"


def test_a_unit_bundle_that_verifies_a_spot_check_hazard_is_refused(tmp_path):
    world = enrolled(tmp_path)
    unit, bureau = world.units["u01"], world.bureau
    spot = inspection_service.start_inspection(bureau, "U01", InspectionKind.SPOT_CHECK, ["局检查员甲", "局检查员乙"])
    area = inspection_service.add_area(bureau, spot.id, "basement", "地下一层")
    found = hazards.raise_hazard(bureau, spot.id, area.id, bureau.catalog.checklist("basement").items[0].id)
    send(bureau, unit, tmp_path, "bureau.fsb")
    hazards.start_rectifying(unit, found.id)
    photo = "a" * 64   # the evidence photo's hash (the file itself does not matter here)
    with rogue(unit):
        fixed = hazards.rectify(unit, found.id, "已整改", (photo,))
        follow = inspection_service.start_inspection(unit, "U01", InspectionKind.FOLLOW_UP, ["另一人"],
                                                     source_hazards=(found.id,))
        checker = replace(unit, actor="另一人")
        hazards.verify(checker, fixed.id, follow.id, passed=True)
    error = refused(bureau, unit_bundle(unit, tmp_path))
    assert (error.detail["action"], error.detail["rule"]) == ("verify_spot_check", "bureau_only")


def test_a_unit_bundle_with_a_deferral_made_after_the_deadline_is_refused(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    _, _, [hazard, _] = walk(unit)
    late = hazard.deadline + dt.timedelta(days=3)
    deferral = Deferral(explanation="晚了", plan=(PlanStep(late + dt.timedelta(days=9), "整改"),),
                        temporary_measures="看守", requested_on=late, original_deadline=hazard.deadline)
    with rogue(unit), unit.repo.transaction():
        current = hazards.get_hazard(unit, hazard.id)
        save(unit, replace(current, status=HazardStatus.DEFERRED, deferral=deferral, deadline=late), current,
             "transition:deferred")
    error = refused(world.bureau, unit_bundle(unit, tmp_path))
    assert error.detail["rule"] == "deferral_after_deadline"


# ---- import refuses an untrusted sender ---------------------------------------------------------


def test_a_bundle_from_a_device_never_enrolled_is_refused(tmp_path):
    world = enrolled(tmp_path)
    outsider = device(tmp_path / "outsider")
    walk(outsider, photo=False)
    assert refused(world.bureau, unit_bundle(outsider, tmp_path)).reason == "no_certificate"


def test_a_certificate_not_signed_by_the_campaign_key_is_refused(tmp_path):
    world = enrolled(tmp_path)
    other = enrolled(tmp_path / "other-campaign")
    tablet = other.units["u01"]
    walk(tablet, photo=False)
    error = refused(world.bureau, unit_bundle(tablet, tmp_path))
    assert (error.reason, error.detail["problem"]) == ("untrusted_sender", "cert_signature")
    assert "不是本专项行动密钥签发" in describe_error(error)


def test_a_revoked_certificate_is_refused_and_the_revocation_travels(tmp_path):
    world = enrolled(tmp_path, {"a": "U01", "b": "U01"})
    a, b = world.units["a"], world.units["b"]
    walk(a, photo=False)
    send(world.bureau, b, tmp_path, "bureau-first.fsb")   # b learns a's certificate
    authority.revoke(world.bureau, a.repo.device_id, "平板丢失")
    path = unit_bundle(a, tmp_path)
    error = refused(world.bureau, path)
    assert (error.reason, error.detail["problem"]) == ("untrusted_sender", "cert_revoked")
    summary = send(world.bureau, b, tmp_path, "bureau-revokes.fsb")   # the revocation reaches b
    assert summary.revoked
    assert refused(b, path).detail["problem"] == "cert_revoked"


def test_an_expired_certificate_is_refused(tmp_path):
    world = enrolled(tmp_path)
    short = device(tmp_path / "short")
    enroll(world.bureau, short, Role.UNIT, "U01", days=1)
    walk(short, photo=False)
    path = unit_bundle(short, tmp_path)
    world.bureau.clock.advance(days=3)
    assert refused(world.bureau, path).detail["problem"] == "cert_expired"


def test_a_certificate_for_another_unit_cannot_bring_this_units_records(tmp_path):
    world = enrolled(tmp_path, {"u02": "U02"})
    tablet = world.units["u02"]
    with rogue(tablet):
        walk(tablet, unit="U01", photo=False)
    assert refused(world.bureau, unit_bundle(tablet, tmp_path)).detail["rule"] == "own_unit_only"


def test_an_honest_unit_bundle_is_accepted_and_the_bureaus_changes_come_back(tmp_path):
    world = enrolled(tmp_path)
    unit, bureau = world.units["u01"], world.bureau
    _, _, [hazard, _] = walk(unit)
    assert send(unit, bureau, tmp_path, "up.fsb").new > 0
    hazards.update_hazard(bureau, hazard.id, severity=Severity.MAJOR)
    hazards.set_flag(bureau, hazard.id, Flag.LISTED)
    send(bureau, unit, tmp_path, "down.fsb")
    assert Flag.LISTED in hazards.get_hazard(unit, hazard.id).flags
    hazards.start_rectifying(unit, hazard.id)
    assert send(unit, bureau, tmp_path, "up2.fsb").updated >= 1
    assert hazards.get_hazard(bureau, hazard.id).status is HazardStatus.RECTIFYING


# ---- notice numbers never collide ----------------------------------------------------------------


def _issue(ctx, inspection_id):
    people = Signatures((Signature(ctx.actor),), Signature("科室负责人"))
    return notices.issue_notice(ctx, inspection_id, people)


def test_two_devices_of_one_unit_issue_notices_offline_and_numbers_never_repeat(tmp_path):
    world = enrolled(tmp_path, {"a": "U01", "b": "U01"})
    a, b = world.units["a"], world.units["b"]
    numbers = []
    for ctx in (a, b, a, b):
        inspection, _, _ = walk(ctx, failures=1)
        numbers.append(_issue(ctx, inspection.id).number)
    send(a, world.bureau, tmp_path, "a.fsb")
    send(b, world.bureau, tmp_path, "b.fsb")
    merged = [n.number for n in world.bureau.repo.notices()]
    assert sorted(merged) == sorted(numbers) and len(set(merged)) == 4
    prefixes = {parse_number(n)[0] for n in merged}
    assert prefixes == {"第一中心医院保消"}, "a unit's self-check notice carries its own office's prefix"
    assert all("第" not in n.split("〕")[1] for n in merged), "GB/T 9704 numbers have no 第"


def test_a_notice_numbered_outside_the_devices_block_is_refused(tmp_path, monkeypatch):
    world = enrolled(tmp_path, {"a": "U01", "b": "U01"})
    a, b = world.units["a"], world.units["b"]
    block_b = authority.state(b).own.body.block
    inspection, _, _ = walk(a, failures=1)
    monkeypatch.setattr(notices, "number_block", lambda ctx, prefix: block_b)   # a's code edited to number in b's block
    _issue(a, inspection.id)
    error = refused(world.bureau, unit_bundle(a, tmp_path))
    assert error.detail["rule"] == "number_not_granted"


# ---- the container is checked before "already imported" -----------------------------------------


def test_a_bundle_seen_before_is_still_refused_when_its_zip_carries_more(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    walk(unit, photo=False)
    path = unit_bundle(unit, tmp_path)
    import_bundle(world.bureau, path)
    evil = tmp_path / "evil.fsb"
    shutil.copy(path, evil)
    with zipfile.ZipFile(evil, "a") as archive:
        archive.writestr("../../evil.txt", b"x")
    assert refused(world.bureau, evil).reason == "path_traversal"
    sneaky = tmp_path / "sneaky.fsb"
    shutil.copy(path, sneaky)
    with zipfile.ZipFile(sneaky, "a") as archive:
        archive.writestr("files/pdfs/" + "0" * 64 + ".pdf", b"%PDF")
    assert refused(world.bureau, sneaky).reason == "unlisted_file"


def test_a_unit_device_cannot_issue_the_circular_or_the_bureau_summary_but_makes_its_own_reports(tmp_path):
    from app.services.report_files import render_report

    world = enrolled(tmp_path)
    unit = world.units["u01"]
    walk(unit, photo=False, failures=1)
    for kind in ("circular", "summary"):
        with pytest.raises(Forbidden) as caught:
            render_report(unit, kind)
        assert caught.value.rule == "bureau_only"
    with pytest.raises(Forbidden):
        render_report(unit, "summary", unit="U02")
    assert render_report(unit, "summary", unit="U01").content.startswith(b"%PDF")
    assert render_report(world.bureau, "circular").content.startswith(b"%PDF")


@pytest.mark.parametrize(("unit", "says"), [("", "必须填写"), ("U99", "单位 U99 不在单位名录中")])
def test_a_unit_request_names_a_listed_unit(tmp_path, unit, says):
    tablet = device(tmp_path / "t")
    with pytest.raises(InvalidInput) as refused_unit:
        authority.make_request(tablet, Role.UNIT, unit)
    assert refused_unit.value.field == "unit"
    assert describe_error(refused_unit.value, "zh-CN").endswith(says)
