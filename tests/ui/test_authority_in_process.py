"""Enrollment in Settings, the 核验 screen and actions offered by authority, on a real Flet page in-process.

The stores are real enrolled devices (`authority_world.enrolled`: a bureau and a unit tablet, each
enrolled request → sign → install); the page runs on the device's own context, so its clock is
the world's. Only the browser's half of the file picker is played: a chosen file arrives as the
client reports it, a save hands its bytes to the test.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import flet as ft
import pytest

from app.domain.authority import Role
from app.domain.errors import Forbidden
from app.domain.model import Flag, InspectionKind, Severity, Verdict
from app.domain.notice import Signature
from app.media.qr_scan import read_qr_codes
from app.services import authority, hazards, inspections, notices, photos, rechecks
from app.services import obligations as duties
from app.services.context import Context
from app.services.notices import Signatures
from app.ui.uploads import UPLOAD_DIR_ENV
from tests.integration.authority_world import enrolled, send
from tests.integration.photo_fixtures import jpeg
from tests.integration.sync_world import device, walk
from tests.ui.inprocess import _walk, click, find, open_page, run, settle, until


@pytest.fixture
def on(monkeypatch):
    """Open the app on a given device's context (its data directory and its clock)."""
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    monkeypatch.delenv(UPLOAD_DIR_ENV, raising=False)

    def use(ctx: Context) -> None:
        monkeypatch.setattr("app.ui.shell.context_for", lambda _dir: ctx)

    return use


def texts(control) -> str:
    return " ".join(c.value for c in _walk(control) if isinstance(getattr(c, "value", None), str))


async def choose(page: ft.Page, client, hook_id: str, name: str, data: bytes) -> None:
    """The client reporting one file chosen with the button `hook_id`, bytes and all."""
    picker = find(page, hook_id).action.file_picker
    if picker not in page._services._services:
        page._services.register_service(picker)
    chosen = ft.FilePickerFile(id=1, name=name, size=len(data), bytes=data)
    await picker.on_result(ft.FilePickerResultEvent(name="result", control=picker, files=[chosen]))
    await settle(client)


async def type_into(page: ft.Page, identifier: str, value: str) -> None:
    find(page, identifier).value = value


def banner(page: ft.Page, identifier: str = "error-banner") -> str:
    return find(page, identifier).content.controls[0].value


def major_hazard(unit: Context, days: int = 60):
    """A major hazard on the unit's tablet, due in `days` (the world's clock)."""
    _inspection, _area, found = walk(unit, failures=1, photo=False)
    deadline = unit.today() + dt.timedelta(days=days)
    hazards.update_hazard(unit, found[0].id, deadline=deadline)          # a general hazard's own deadline
    return hazards.update_hazard(unit, found[0].id, severity=Severity.MAJOR)


# ---- Settings: enrollment ---------------------------------------------------------------------------


def test_a_device_never_enrolled_asks_to_join_and_installs_the_certificate_the_bureau_signs(tmp_path, on, saved):
    world = enrolled(tmp_path / "w")
    tablet = device(tmp_path / "new", actor="李秀兰")
    on(tablet)

    async def body() -> None:
        page, client = await open_page("/settings")
        assert "独立工作" in texts(find(page, "enroll-status"))
        find(page, "request-unit").value = "U05"
        await type_into(page, "request-label", "保卫科 李秀兰 的平板")
        await click(page, client, "request-join")
        [(_name, content)] = saved.items()
        request = authority.read_request(content)                     # the downloaded file is a real request
        assert (request.role, request.unit, request.label) == (Role.UNIT, "U05", "保卫科 李秀兰 的平板")
        qr = find(page, "request-code-qr").src
        assert read_qr_codes(qr) == [content.decode("utf-8")]           # the code on screen says the same
        cert = authority.sign_request(world.bureau, request)
        await choose(page, client, "enroll-open-file", "cert.json", json.dumps(cert.to_json()).encode())
        status = texts(find(page, "enroll-status"))
        assert "已加入专项行动：单位保卫处（科）设备" in status
        assert "U05" in status and cert.body.issuer_prefix in status and "第1号至第1000号" in status
        assert "证书已安装" in banner(page, "message-banner")
        assert cert.body.issuer_prefix in texts(find(page, "prefix-by-certificate"))   # numbers follow the cert
        with pytest.raises(LookupError):
            find(page, "notice-prefix")

    run(body)
    assert authority.role_of(tablet) == (Role.UNIT, "U05")


def test_a_unit_request_without_a_unit_is_refused_under_the_unit_list(tmp_path, on, saved):
    tablet = device(tmp_path / "new")
    on(tablet)

    async def body() -> None:
        page, client = await open_page("/settings")
        await click(page, client, "request-join")                     # role 单位 by default, no unit chosen
        assert find(page, "request-unit").error_text == "必须填写"      # a Dropdown shows `error_text`, not `error`
        assert not saved
        find(page, "request-unit").value = "U05"
        await click(page, client, "request-join")
        assert find(page, "request-unit").error_text is None
        assert len(saved) == 1

    run(body)


def test_the_bureau_signing_for_a_unit_with_no_unit_is_refused_under_the_unit_list(tmp_path, on, saved):
    world = enrolled(tmp_path / "w")
    tablet = device(tmp_path / "t")
    request = json.dumps(authority.make_request(tablet, Role.UNIT, "U07").to_json()).encode()
    on(world.bureau)

    async def body() -> None:
        page, client = await open_page("/settings")
        await choose(page, client, "enroll-open-file", "req.json", request)
        find(page, "sign-unit").value = None
        await click(page, client, "sign-request")
        await until(client, lambda: find(page, "sign-unit").error_text == "必须填写")
        assert not saved

    run(body)


def test_a_certificate_for_another_device_is_refused_and_nothing_changes(tmp_path, on, saved):
    world = enrolled(tmp_path / "w")
    tablet = device(tmp_path / "new")
    on(tablet)
    other = authority.sign_request(world.bureau, authority.make_request(world.units["u01"], Role.UNIT, "U01"))

    async def body() -> None:
        page, client = await open_page("/settings")
        await choose(page, client, "enroll-open-file", "cert.json", json.dumps(other.to_json()).encode())
        assert "证书是签发给另一台设备的" in banner(page)
        assert "独立工作" in texts(find(page, "enroll-status"))

    run(body)
    assert not authority.is_enrolled(tablet)


def test_making_this_the_bureaus_device_needs_matching_passphrases_then_shows_the_fingerprint(tmp_path, on):
    ctx = device(tmp_path / "b")
    on(ctx)

    async def body() -> None:
        page, client = await open_page("/settings")
        await type_into(page, "bureau-name", "示例市卫生健康委员会保卫处")
        await type_into(page, "bureau-prefix", "示卫消整")
        await type_into(page, "bureau-passphrase", "长城-2026")
        await type_into(page, "bureau-passphrase-again", "长城-2025")
        await click(page, client, "bureau-init")
        assert find(page, "bureau-passphrase-again").error == "两次输入的口令不一致"
        assert not authority.is_enrolled(ctx)
        await type_into(page, "bureau-passphrase-again", "长城-2026")
        await click(page, client, "bureau-init")
        status = texts(find(page, "enroll-status"))
        assert "局保卫处设备" in status and "示卫消整" in status
        assert len(texts(find(page, "enroll-campaign_key")).split()[-8:]) == 8   # eight groups of four
        assert find(page, "enroll-sign")                                           # the bureau's cards now

    run(body)
    assert authority.role_of(ctx) == (Role.BUREAU, "")


def test_the_bureau_signs_a_request_file_lists_the_device_and_revokes_it_only_with_a_reason(tmp_path, on, saved):
    world = enrolled(tmp_path / "w")
    tablet = device(tmp_path / "t")
    request = json.dumps(authority.make_request(tablet, Role.UNIT, "U07", "急诊科平板").to_json()).encode()
    on(world.bureau)

    async def body() -> None:
        page, client = await open_page("/settings")
        assert "已登记设备（2）" in texts(find(page, "enroll-devices"))
        await choose(page, client, "enroll-open-file", "req.json", request)
        assert "U07" in texts(find(page, "sign-asks")) and "急诊科平板" in texts(find(page, "sign-asks"))
        await click(page, client, "sign-request")
        [(name, cert_bytes)] = saved.items()
        assert name.startswith("certificate-U07-")
        assert read_qr_codes(find(page, "cert-code-qr").src) == [cert_bytes.decode()]
        assert "已登记设备（3）" in texts(find(page, "enroll-devices"))
        row = next(n for n in range(3) if "U07" in texts(find(page, f"device-{n}")))
        assert "有效" in texts(find(page, f"device-{row}"))
        await click(page, client, f"revoke-{row}")
        assert find(page, f"revoke-reason-{row}").error                        # no reason: said on the field
        assert "已吊销" not in texts(find(page, "enroll-devices"))
        await type_into(page, f"revoke-reason-{row}", "平板遗失")
        await click(page, client, f"revoke-{row}")
        assert "已吊销（平板遗失）" in texts(find(page, f"device-{row}"))

    run(body)
    authority.install_certificate(tablet, saved[next(iter(saved))])
    assert authority.role_of(tablet) == (Role.UNIT, "U07")


# ---- hazard detail: listing, deferral requests ------------------------------------------------------


def test_a_unit_tablet_may_not_list_and_its_deferral_of_a_major_hazard_waits_for_the_bureau(tmp_path, on):
    world = enrolled(tmp_path / "w")
    unit = world.units["u01"]
    hazard = major_hazard(unit)
    on(unit)

    async def body() -> None:
        page, client = await open_page(f"/h/{hazard.id}")
        with pytest.raises(LookupError):
            find(page, "flag-listed")
        assert texts(find(page, "missing-flag-listed")) == "挂牌督办由局保卫处办理"
        assert find(page, "flag-suspended")                                     # 停业整改: the unit's own
        await click(page, client, "action-defer")
        assert "成为暂缓申请" in texts(find(page, "defer-request-note"))
        await type_into(page, "defer-explanation", "需更换整栋楼的消防主机，采购须走招标程序")
        await type_into(page, "step-action-0", "完成招标并安装新主机")
        await type_into(page, "defer-temporary", "每日两次人工巡查，增配灭火器")
        await click(page, client, "defer-confirm")
        assert "等待局保卫处审批" in banner(page, "message-banner")
        waiting = texts(find(page, "detail-deferral-request"))
        assert f"原整改期限 {hazard.deadline.isoformat()} 仍然有效" in waiting
        assert "审批暂缓整改由局保卫处办理" in waiting
        with pytest.raises(LookupError):
            find(page, "approve-deferral")

    run(body)
    stored = hazards.get_hazard(unit, hazard.id)
    assert stored.deadline == hazard.deadline and stored.deferral_request is not None
    with pytest.raises(Forbidden):                                               # the service refuses anyway
        hazards.set_flag(unit, hazard.id, Flag.LISTED)


def test_the_bureau_approves_a_waiting_deferral_and_may_list_the_hazard(tmp_path, on):
    world = enrolled(tmp_path / "w")
    unit = world.units["u01"]
    hazard = major_hazard(unit)
    hazards.defer(unit, hazard.id, "招标采购", [(unit.today() + dt.timedelta(days=150), "安装")],
                  "人工巡查")
    send(unit, world.bureau, tmp_path)
    on(world.bureau)

    async def body() -> None:
        page, client = await open_page(f"/h/{hazard.id}")
        assert find(page, "flag-listed")
        with pytest.raises(LookupError):
            find(page, "missing-flag-listed")
        await click(page, client, "refuse-deferral")
        assert find(page, "decision-note").error                                # a refusal needs its reason
        await type_into(page, "decision-note", "同意，按计划推进")
        await click(page, client, "approve-deferral")
        assert "已同意暂缓" in banner(page, "message-banner")
        with pytest.raises(LookupError):
            find(page, "detail-deferral-request")

    run(body)
    decided = hazards.get_hazard(world.bureau, hazard.id)
    assert decided.deferral_request is None and decided.deferral is not None
    assert decided.deadline > hazard.deadline


# ---- campaign duties, new inspection, re-check -------------------------------------------------------


def test_accepting_a_submitted_duty_is_offered_to_the_bureau_only(tmp_path, on):
    world = enrolled(tmp_path / "w")
    unit = world.units["u01"]
    key = duties.unit_duties(unit, "U01")[0].key
    duties.submit_obligation(unit, "U01", key, [duties.EvidenceFile("plan.pdf", b"%PDF-1.4\n%%EOF\n")])
    send(unit, world.bureau, tmp_path)

    async def unit_side() -> None:
        page, _client = await open_page("/campaign")          # a unit's tablet opens on its own unit
        assert find(page, "campaign-unit").value == "U01"
        with pytest.raises(LookupError):
            find(page, "accept-0")
        assert texts(find(page, "missing-duty-0")) == "审核报送事项由局保卫处办理"

    async def bureau_side() -> None:
        on(world.bureau)
        page, client = await open_page("/campaign")
        await page.session.dispatch_event(find(page, "campaign-unit")._i, "select", "U01")
        await settle(client)
        await click(page, client, "accept-0")
        await until(client, lambda: banner(page, "message-banner"))   # the store is written off the event loop
        assert "已" in banner(page, "message-banner")

    on(unit)
    run(unit_side)
    run(bureau_side)
    assert duties.unit_duties(world.bureau, "U01")[0].status.value == "accepted"


def test_spot_checks_the_circular_and_the_summary_are_offered_to_the_bureau_only(tmp_path, on):
    world = enrolled(tmp_path / "w")

    async def unit_side() -> None:
        page, _client = await open_page("/new")
        kinds = [s.value for s in find(page, "kind").segments]
        assert InspectionKind.SPOT_CHECK.value not in kinds
        assert texts(find(page, "missing-spot-check")) == "开展抽查由局保卫处办理"

    async def unit_reports() -> None:
        page, _client = await open_page("/reports")
        assert texts(find(page, "missing-circular")) == "发布通报由局保卫处办理"
        assert texts(find(page, "missing-summary")) == "生成全局总结由局保卫处办理"
        assert find(page, "generate-monthly")                                   # its own unit's report stays
        with pytest.raises(LookupError):
            find(page, "generate-circular")

    async def unit_recheck() -> None:
        page, _client = await open_page("/recheck")
        assert InspectionKind.SPOT_CHECK.value not in [s.value for s in find(page, "kind").segments]
        assert texts(find(page, "missing-spot-check")) == "开展抽查由局保卫处办理"

    async def bureau_side() -> None:
        for route in ("/new", "/recheck"):
            page, _client = await open_page(route)
            assert InspectionKind.SPOT_CHECK.value in [s.value for s in find(page, "kind").segments]
            with pytest.raises(LookupError):
                find(page, "missing-spot-check")

    on(world.units["u01"])
    run(unit_side)
    run(unit_recheck)
    run(unit_reports)
    on(world.bureau)
    run(bureau_side)
    with pytest.raises(Forbidden):
        inspections.start_inspection(world.units["u01"], "U01", InspectionKind.SPOT_CHECK, ["王喆", "李秀兰"])


def test_a_unit_recheck_leaves_a_spot_check_hazard_to_the_bureau(tmp_path, on):
    world = enrolled(tmp_path / "w")
    bureau, unit = world.bureau, world.units["u01"]
    spot = inspections.start_inspection(bureau, "U01", InspectionKind.SPOT_CHECK, ["局检查员甲", "局检查员乙"])
    area = inspections.add_area(bureau, spot.id, "basement", "地下一层")
    item = bureau.catalog.checklist("basement").items[0].id
    inspections.record_response(bureau, spot.id, area.id, item, Verdict.FAIL)
    found = hazards.raise_hazard(bureau, spot.id, area.id, item)
    send(bureau, unit, tmp_path, "b1.fsb")
    evidence = photos.add_evidence_photo(unit, found.id, jpeg(320, 240), "fixed.jpg")
    hazards.rectify(unit, found.id, "已整改", (evidence.sha256,))
    recheck = rechecks.start_recheck(unit, "U01", ["李秀兰"])
    on(unit)

    async def body() -> None:
        page, _client = await open_page(f"/i/{recheck.id}/recheck")
        assert texts(find(page, "rc-missing-0")) == "复查局抽查发现的隐患由局保卫处办理"
        with pytest.raises(LookupError):
            find(page, "rc-pass-0")
        page, _client = await open_page(f"/h/{found.id}")
        assert texts(find(page, "missing-edit")) == "修改局抽查发现的隐患由局保卫处办理"
        assert find(page, "flag-suspended")                                     # the unit may still flag it

    run(body)


# ---- 核验 ---------------------------------------------------------------------------------------------


def _issued(unit: Context) -> tuple[str, bytes]:
    inspection, _area, _found = walk(unit, failures=1)
    notice = notices.issue_notice(unit, inspection.id, Signatures((Signature(unit.actor),), Signature("科室负责人")))
    return notice.number, notices.notice_pdf(unit, notice.id)


def _page_png(pdf: bytes, where: Path) -> bytes:
    (where / "n.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(where / "n.pdf"),
                    str(where / "page")], check=True)
    return (where / "page.png").read_bytes()


def test_a_photo_of_a_printed_notice_is_authentic_with_its_hazards_as_they_stand(tmp_path, on):
    world = enrolled(tmp_path / "w")
    unit = world.units["u01"]
    number, pdf = _issued(unit)
    image = _page_png(pdf, tmp_path)
    on(unit)

    async def body() -> None:
        page, client = await open_page("/verify")
        await choose(page, client, "verify-photo", "notice.png", image)
        await until(client, lambda: find(page, "verdict"))       # zbar runs off the event loop
        verdict = texts(find(page, "verdict"))
        assert "真实有效" in verdict
        assert number in texts(find(page, "fact-number"))
        assert "待整改" in texts(find(page, "notice-hazard-0"))

    run(body)


def test_an_altered_qr_text_is_not_authentic(tmp_path, on):
    world = enrolled(tmp_path / "w")
    unit = world.units["u01"]
    _number, pdf = _issued(unit)
    [payload] = read_qr_codes(_page_png(pdf, tmp_path))
    forged = json.dumps({**json.loads(payload), "h": "0" * 64})   # another content hash, same signature
    on(unit)

    async def body() -> None:
        page, client = await open_page("/verify")
        await type_into(page, "verify-paste", forged)
        await click(page, client, "verify-text")
        verdict = texts(find(page, "verdict"))
        assert "不可信" in verdict and "签名不符" in verdict
        assert find(page, "verdict").bgcolor == ft.Colors.RED_800                 # in colour as well as words

    run(body)


def test_every_new_screen_reads_in_english_with_no_message_key_showing(tmp_path, on, monkeypatch):
    world = enrolled(tmp_path / "w")
    unit = world.units["u01"]
    hazard = major_hazard(unit)
    hazards.defer(unit, hazard.id, "招标采购", [(unit.today() + dt.timedelta(days=150), "安装")], "人工巡查")
    fresh = device(tmp_path / "fresh")

    async def look(route: str) -> str:
        monkeypatch.setenv("FIRESWEEP_LANG", "en")
        page, client = await open_page(route)
        if route == "/verify":
            await type_into(page, "verify-paste", "not a notice")
            await click(page, client, "verify-text")
        return " ".join(texts(view) for view in page.views)

    for ctx, route, expected in ((fresh, "/settings", "Working alone"), (unit, "/settings", "unit device"),
                                 (world.bureau, "/settings", "Enrolled devices (2)"),
                                 (unit, f"/h/{hazard.id}", "Only the bureau's security division may"),
                                 (unit, "/verify", "NOT AUTHENTIC")):
        on(ctx)
        seen: dict[str, str] = {}

        async def body(route=route, seen=seen) -> None:
            seen["text"] = await look(route)

        run(body)
        assert expected in seen["text"], route
        assert "ui_authority." not in seen["text"] and "action." not in seen["text"], route


def test_a_unit_tablet_is_offered_its_own_unit_only_in_new_inspection(tmp_path, on):
    world = enrolled(tmp_path)
    on(world.units["u01"])

    async def body() -> None:
        page, _client = await open_page("/new")
        assert find(page, "unit-U01")
        with pytest.raises(LookupError):
            find(page, "unit-U02")

    run(body)
