"""Every service that changes data leaves an audit event naming the actor, the record and the action.

The services that change data are found, not listed by hand: every public function of
`app/services/*.py` whose code opens a transaction or saves — directly, or through any function
or class it calls, followed transitively. Each must have a row in `ROWS` (a scenario and the
events it must leave) or in `EXEMPT` (with the reason it leaves no event of its own), so a new
service without a row fails `test_every_service_that_changes_data_has_a_row`.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import json
import pkgutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

import pytest

import app.services
from app import resources
from app.bootstrap import build
from app.domain.authority import Role
from app.domain.clock import FixedClock
from app.domain.model import Flag, HazardStatus, InspectionKind, PhotoOwner, Severity, Verdict
from app.domain.notice import Signature
from app.domain.pairing import PairingCode
from app.domain.reports import WorkReport
from app.media.annotate import Shape
from app.media.signature import render_signature
from app.services import (
    authority,
    checklist_versions,
    hazards,
    inspections,
    notices,
    obligations,
    pairing,
    photos,
    rechecks,
    sync,
    work_reports,
)
from app.services import settings as device_settings
from app.services.context import Context
from tests.integration.photo_fixtures import jpeg
from tests.integration.sync_world import device, walk

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))
ACTOR = "审计员"          # the one who acts in each scenario (the world is made by 王喆)
MARKERS = ("transaction()", "save(ctx", ".save_", "stage_file", "append_audit")


# ---- discovery -------------------------------------------------------------------------------


def _service_modules() -> list[ModuleType]:
    return [importlib.import_module(f"app.services.{m.name}") for m in pkgutil.iter_modules(app.services.__path__)]


def _references(source: str, module: ModuleType) -> set[object]:
    """Functions and classes of app.services that `source` names (`f`, `mod.f`, `Cls`)."""
    found: set[object] = set()
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        target = None
        if isinstance(node, ast.Name):
            target = module.__dict__.get(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            base = module.__dict__.get(node.value.id)
            target = getattr(base, node.attr, None) if inspect.ismodule(base) else None
        if (inspect.isfunction(target) or inspect.isclass(target)) and target.__module__.startswith("app.services"):
            found.add(target)
    return found


def discover_mutating_services() -> set[str]:
    """`module.function` of every public service function that (transitively) writes."""
    code: dict[object, tuple[str, ModuleType]] = {}
    for module in _service_modules():
        for _, obj in inspect.getmembers(module, lambda o: inspect.isfunction(o) or inspect.isclass(o)):
            if obj.__module__ == module.__name__:
                code[obj] = (inspect.getsource(obj), module)
    calls = {obj: _references(source, module) for obj, (source, module) in code.items()}
    writes = {obj for obj, (source, _) in code.items() if any(m in source for m in MARKERS)}
    grown = True
    while grown:
        before = len(writes)
        writes |= {obj for obj, refs in calls.items() if refs & writes}
        grown = len(writes) != before
    return {
        f"{obj.__module__.rsplit('.', 1)[1]}.{obj.__name__}" for obj in writes
        if inspect.isfunction(obj) and not obj.__name__.startswith("_")
    }


# ---- the world each scenario starts from -------------------------------------------------------


@dataclass
class World:
    ctx: Context            # acting as ACTOR
    inspection: str
    area: str
    hazard: str
    photo: str              # a photo record on the hazard
    photo_sha: str
    tmp: object


def signatures() -> notices.Signatures:
    pad = render_signature([[(0.1, 0.5), (0.4, 0.2), (0.7, 0.6), (0.9, 0.4)]])
    return notices.Signatures((Signature("王喆", pad),), Signature("李堃", pad))


def make_world(tmp_path) -> World:
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspections.add_area(ctx, inspection.id, "basement", "地下一层")
    inspections.record_response(ctx, inspection.id, area.id, "bs-01", Verdict.FAIL)
    hazard = hazards.raise_hazard(ctx, inspection.id, area.id, "bs-01")
    photo = photos.add_hazard_photo(ctx, hazard.id, jpeg(160, 120), "p.jpg")
    return World(replace(ctx, actor=ACTOR), inspection.id, area.id, hazard.id, photo.id, photo.sha256, tmp_path)


def rectified(w: World) -> None:
    as_wang = replace(w.ctx, actor="王喆")
    hazards.start_rectifying(as_wang, w.hazard)
    hazards.rectify(as_wang, w.hazard, "已清理", (w.photo_sha,))


def follow_up(w: World) -> str:
    return inspections.start_inspection(w.ctx, "U01", InspectionKind.FOLLOW_UP, [ACTOR], source_hazards=(w.hazard,)).id


Expect = list[tuple[str, str, str]]   # (entity, record id, action)


def _import(w: World) -> Expect:
    other = device(w.tmp / "other", actor="李秀兰")
    _, _, [found] = walk(other, unit="U02", failures=1, photo=False)
    bundle = w.tmp / "other.fsb"
    sync.export_bundle(other, bundle, full=True)
    sync.import_bundle(w.ctx, bundle)
    # the sender's events travel with its records (actor 李秀兰); the trust decision is ours
    events = [e for e in w.ctx.repo.audit(found.id) if e.action == "create"]
    assert events and events[0].actor == "李秀兰" and events[0].device == other.repo.device_id
    trust = sync.list_devices(w.ctx)[0]["history"][-1]
    assert (trust["actor"], trust["action"], trust["via"]) == (ACTOR, "trusted", "first_use")
    return []


def _device_status(w: World) -> Expect:
    sync.set_device_status(w.ctx, "0123456789ab", "revoked")
    [entry] = next(d for d in sync.list_devices(w.ctx) if d["id"] == "0123456789ab")["history"]
    assert (entry["actor"], entry["action"], entry["via"]) == (ACTOR, "revoked", "manual") and entry["at"]
    return []


def _recheck(w: World) -> str:
    rectified(w)
    return rechecks.start_recheck(w.ctx, "U01", [ACTOR]).id


def _recheck_photo(w: World) -> Expect:
    inspection = _recheck(w)
    photo = rechecks.add_recheck_photo(w.ctx, inspection, w.hazard, jpeg(150, 100), "re.jpg")
    return [("photo", photo.id, "create")]


def _finish_recheck(w: World) -> Expect:
    inspection = _recheck(w)
    rechecks.record_recheck(w.ctx, inspection, w.hazard, True)
    rechecks.finish_recheck(w.ctx, inspection)
    return [("inspection", inspection, "transition:completed")]


def _setting(change: Callable[[Context], object], action: str) -> Callable[[World], Expect]:
    """Settings are the device's own, audited in their own table (never in a bundle)."""
    def scenario(w: World) -> Expect:
        change(w.ctx)
        [event] = [e for e in w.ctx.repo.settings_audit() if e.action == action]
        assert (event.actor, event.entity, event.device) == (ACTOR, "settings", w.ctx.repo.device_id)
        return []
    return scenario


def _authority(change: Callable[[World], object], action: str) -> Callable[[World], Expect]:
    """Enrollment is the device's own, audited with its settings (certificates travel in manifests)."""
    def scenario(w: World) -> Expect:
        change(w)
        [event] = [e for e in w.ctx.repo.settings_audit() if e.action == f"authority:{action}"]
        assert (event.actor, event.entity, event.device) == (ACTOR, "authority", w.ctx.repo.device_id)
        return []
    return scenario


def _bureau(w: World) -> None:
    authority.bureau_init(w.ctx, "示例市卫生健康委员会保卫处", "示卫消整")


def _tablet(w: World) -> Context:
    return build(Path(str(w.tmp)) / "tablet", CLOCK, actor=ACTOR)


def _signed(w: World):
    _bureau(w)
    return authority.sign_request(w.ctx, authority.make_request(_tablet(w), Role.UNIT, "U01"))


def _installed(w: World) -> None:
    tablet, cert = _tablet(w), _signed(w)
    authority.install_certificate(tablet, json.dumps(cert.to_json()).encode())
    w.ctx = tablet


def _new_version(w: World) -> Path:
    text = (resources.checklists_dir() / "basement.toml").read_text("utf-8")
    path = Path(str(w.tmp)) / "basement.toml"
    path.write_text(text.replace('version = "2026.2"', 'version = "2026.9"', 1), "utf-8")
    return path


def _pairing_audited(action: str, change: Callable[[World], object]) -> Callable[[World], Expect]:
    """Field-kit pairings are the laptop's own, audited with its settings."""
    def scenario(w: World) -> Expect:
        change(w)
        assert any(e.entity == "pairing" and e.action == action for e in w.ctx.repo.settings_audit())
        return []
    return scenario


def _audited(w: World, action: str) -> Expect:
    [event] = [e for e in w.ctx.repo.settings_audit() if e.action == action]
    assert (event.actor, event.device) == (ACTOR, w.ctx.repo.device_id)
    return []


def _paired(w: World):
    code = PairingCode(clock=lambda: 0.0)
    return pairing.pair(w.ctx, code, "client-cookie", code.code, "平板检查员")


def _major_request(w: World) -> str:
    hazards.update_hazard(w.ctx, w.hazard, severity=Severity.MAJOR)
    deadline = hazards.get_hazard(w.ctx, w.hazard).deadline
    hazards.defer(w.ctx, w.hazard, "需停电施工", [(deadline + dt.timedelta(days=30), "更换线路")], "专人看守")
    return hazards.decide_deferral(w.ctx, w.hazard, approve=True, note="同意").id


def _draft_photo(w: World) -> Expect:
    inspections.record_response(w.ctx, w.inspection, w.area, "bs-03", Verdict.FAIL)
    fields = {"description": "地下室堆放杂物", "deadline": dt.date(2026, 8, 1), "severity": Severity.GENERAL}
    photo = photos.add_draft_hazard_photo(w.ctx, w.inspection, w.area, "bs-03", jpeg(150, 100), "d.jpg", fields=fields)
    return [("photo", photo.id, "create"), ("hazard", photo.owner_id, "create")]


def _submitted(w: World) -> str:
    state = obligations.submit_obligation(w.ctx, "U01", "plan", [obligations.EvidenceFile("plan.pdf", PDF)])
    return state.record.id


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"


ROWS: dict[str, Callable[[World], Expect]] = {
    "inspections.start_inspection": lambda w: [
        ("inspection", inspections.start_inspection(w.ctx, "U01", InspectionKind.SELF_CHECK, [ACTOR]).id, "create")],
    "inspections.add_area": lambda w: [
        ("area", inspections.add_area(w.ctx, w.inspection, "basement", "地下二层").id, "create")],
    "inspections.record_response": lambda w: [
        ("response", inspections.record_response(w.ctx, w.inspection, w.area, "bs-02", Verdict.PASS).id, "create")],
    "inspections.cancel_failed_answer": lambda w: [
        ("response", (inspections.record_response(w.ctx, w.inspection, w.area, "bs-03", Verdict.FAIL),
                      inspections.cancel_failed_answer(w.ctx, w.inspection, w.area, "bs-03", None))[1].id,
         "withdraw")],
    "hazards.save_item_hazard": lambda w: [
        ("hazard", (inspections.record_response(w.ctx, w.inspection, w.area, "bs-03", Verdict.FAIL),
                    hazards.save_item_hazard(w.ctx, w.inspection, w.area, "bs-03", description="地下室堆放杂物",
                                             deadline=dt.date(2026, 8, 1), severity=Severity.GENERAL))[1].id,
         "create")],
    "photos.add_draft_hazard_photo": lambda w: _draft_photo(w),
    "inspections.complete_inspection": lambda w: [
        ("inspection", inspections.complete_inspection(w.ctx, w.inspection).id, "transition:completed")],
    "hazards.raise_hazard": lambda w: [
        ("hazard", hazards.raise_hazard(w.ctx, w.inspection, w.area, "bs-02").id, "create")],
    "hazards.update_hazard": lambda w: [
        ("hazard", hazards.update_hazard(w.ctx, w.hazard, responsible="李四").id, "update")],
    "hazards.set_flag": lambda w: [("hazard", hazards.set_flag(w.ctx, w.hazard, Flag.LISTED).id, "flag:listed:on")],
    "hazards.start_rectifying": lambda w: [
        ("hazard", hazards.start_rectifying(w.ctx, w.hazard).id, "transition:rectifying")],
    "hazards.rectify": lambda w: [
        ("hazard", (hazards.start_rectifying(w.ctx, w.hazard),
                    hazards.rectify(w.ctx, w.hazard, "已整改", (w.photo_sha,)))[1].id, "transition:rectified")],
    "hazards.verify": lambda w: [
        ("hazard", (rectified(w), hazards.verify(w.ctx, w.hazard, follow_up(w), True))[1].id,
         f"transition:{HazardStatus.VERIFIED.value}")],
    "hazards.defer": lambda w: [
        ("hazard", hazards.defer(w.ctx, w.hazard, "需停电施工", [(dt.date(2026, 9, 1), "更换线路")], "专人看守").id,
         "transition:deferred")],
    "photos.add_hazard_photo": lambda w: [
        ("photo", photos.add_hazard_photo(w.ctx, w.hazard, jpeg(150, 100), "a.jpg").id, "create"),
        ("hazard", w.hazard, "update")],
    "photos.add_response_photo": lambda w: [
        ("photo", photos.add_response_photo(w.ctx, w.inspection, w.area, "bs-01", jpeg(150, 100), "r.jpg").id,
         "create")],
    "photos.add_evidence_photo": lambda w: [
        ("photo", photos.add_evidence_photo(w.ctx, w.hazard, jpeg(150, 100), "e.jpg", PhotoOwner.RECTIFICATION).id,
         "create")],
    "photos.ingest_files": lambda w: [
        ("photo", (w.tmp / "f.jpg").write_bytes(jpeg(140, 100)) and
         photos.ingest_files(w.ctx, w.hazard, [w.tmp / "f.jpg"])[0][0].id, "create"),
        ("hazard", w.hazard, "update")],
    "photos.annotate_photo": lambda w: [
        ("photo", photos.annotate_photo(w.ctx, w.photo, [Shape("circle", 0.2, 0.2, 0.6, 0.6)]).id, "create"),
        ("hazard", w.hazard, "update")],
    "photos.remove_photo": lambda w: [
        ("photo", photos.remove_photo(w.ctx, w.photo).id, "remove"), ("hazard", w.hazard, "update")],
    "notices.issue_notice": lambda w: [("notice", notices.issue_notice(w.ctx, w.inspection, signatures()).id, "issue")],
    "notices.correct_notice": lambda w: [
        ("notice", notices.correct_notice(w.ctx, notices.issue_notice(replace(w.ctx, actor="王喆"), w.inspection,
                                                                      signatures()).id, signatures()).id, "issue")],
    "hazards.withdraw_hazard": lambda w: [
        ("hazard", hazards.withdraw_hazard(w.ctx, w.hazard, "误登记").id, "withdraw")],
    "rechecks.start_recheck": lambda w: [("inspection", _recheck(w), "create")],
    "rechecks.add_recheck_photo": _recheck_photo,
    "rechecks.record_recheck": lambda w: [
        ("hazard", rechecks.record_recheck(w.ctx, _recheck(w), w.hazard, True).id, "transition:verified")],
    "rechecks.finish_recheck": _finish_recheck,
    "settings.set_notice_prefix": _setting(lambda c: device_settings.set_notice_prefix(c, "示卫-B"), "prefix"),
    "settings.set_inspector": _setting(lambda c: device_settings.set_inspector(c, "审计员"), "inspector"),
    "settings.set_idle_minutes": _setting(lambda c: device_settings.set_idle_minutes(c, 9), "lock"),
    "settings.mark_demo": _setting(lambda c: device_settings.mark_demo(c, dt.date(2026, 10, 31)), "demo"),
    "settings.set_pin": _setting(lambda c: device_settings.set_pin(c, "2468"), "pin_set"),
    "settings.remove_pin": _setting(lambda c: (device_settings.set_pin(c, "2468"),
                                               device_settings.remove_pin(c, "2468")), "pin_remove"),
    "obligations.submit_obligation": lambda w: [("obligation", _submitted(w), "transition:submitted")],
    "obligations.submit_stored": lambda w: [("obligation", obligations.submit_stored(
        w.ctx, "U01", "plan", obligations.store_evidence(w.ctx, [obligations.EvidenceFile("p.pdf", PDF)])).record.id,
        "transition:submitted")],
    "obligations.submit_monthly_report": lambda w: [
        ("obligation", obligations.submit_monthly_report(w.ctx, "U01", 2026, 7).record.id, "transition:submitted")],
    "obligations.accept_obligation": lambda w: [
        ("obligation", (_submitted(w), obligations.accept_obligation(w.ctx, "U01", "plan"))[1].record.id,
         "transition:accepted")],
    "obligations.return_obligation": lambda w: [
        ("obligation", (_submitted(w), obligations.return_obligation(w.ctx, "U01", "plan", "缺少签字"))[1].record.id,
         "transition:returned")],
    "sync.import_bundle": _import,
    "checklist_versions.issue_version": _authority(lambda w: (_bureau(w), checklist_versions.issue_version(
        w.ctx, _new_version(w))), "checklist_issue"),
    "work_reports.save_work_report": lambda w: (work_reports.save_work_report(
        w.ctx, "U01", "monthly:2026-07", WorkReport(meetings="召开专题会议2次")), _audited(w, "work_report:save"))[1],
    "pairing.pair": _pairing_audited("pair", _paired),
    "pairing.revoke": _pairing_audited("revoke", lambda w: pairing.revoke(w.ctx, _paired(w).id)),
    "pairing.revoke_all": _pairing_audited("revoke", lambda w: (_paired(w), pairing.revoke_all(w.ctx))),
    "hazards.choose_findings": lambda w: [("hazard", hazards.choose_findings(
        w.ctx, hazards.raise_hazard(w.ctx, w.inspection, w.area, "bs-04").id, ["bs-04-unlit"]).id, "update")],
    "hazards.decide_deferral": lambda w: [("hazard", _major_request(w), "deferral:approve")],
    "authority.bureau_init": _authority(_bureau, "bureau_init"),
    "authority.sign_request": _authority(_signed, "sign"),
    "authority.install_certificate": _authority(_installed, "install"),
    "authority.revoke": _authority(lambda w: authority.revoke(w.ctx, _signed(w).body.device_id, "平板丢失"), "revoke"),
    "sync.set_device_status": _device_status,
}

EXEMPT = {
    "context.save": "the primitive every row above goes through: it appends the event itself",
    "sync.export_bundle": "changes no record: it only notes, for the peer, which photo files are still to be sent",
    "bundle_transfer.export_bytes": "sync.export_bundle into a temporary file, read back as bytes",
    "settings.check_pin": "counts wrong tries for the lock's wait: a guard's state, not a change of data",
    "form_drafts.keep_draft": "a form's unsaved typing, kept on this device only: not a record, and nothing of it "
                              "is evidence until the form's own service saves it (audited there)",
    "form_drafts.discard_draft": "forgets such typing after the form was saved or cancelled (each audited there)",
    "hazard_commands.rectify_with_photos": "the CLI rectify: add_evidence_photo and rectify (rows above)",
    "hazard_commands.recheck_hazard": "the CLI's re-check: rechecks' services (rows above) in one transaction",
    "checklist_versions.acknowledge": "remembers which versions' changes were shown: a view state, not data",
        "authority.learn": "called only inside sync.import_bundle's transaction; audited as authority:learn there",
    }


def test_every_service_that_changes_data_has_a_row():
    found = discover_mutating_services()
    assert found >= {"inspections.record_response", "hazards.rectify", "sync.import_bundle"}, "discovery is broken"
    missing = sorted(found - set(ROWS) - set(EXEMPT))
    assert not missing, f"services that change data with no audit row: {missing}"
    stale = sorted((set(ROWS) | set(EXEMPT)) - found)
    assert not stale, f"rows for services that no longer change data: {stale}"


@pytest.mark.parametrize("service", list(ROWS))
def test_the_service_leaves_an_audit_event_naming_actor_record_and_action(service, tmp_path):
    world = make_world(tmp_path)
    expected = ROWS[service](world)
    repo = world.ctx.repo
    for entity, record_id, action in expected:
        events = [e for e in repo.audit(record_id) if e.actor == ACTOR]
        assert any((e.entity, e.entity_id, e.action) == (entity, record_id, action) for e in events), (
            f"{service}: no audit event ({entity} {record_id[:8]} {action}) by {ACTOR}; "
            f"found {[(e.entity, e.action, e.actor) for e in repo.audit(record_id)]}")
        assert all(e.device == repo.device_id and e.at == CLOCK.now() for e in events)
