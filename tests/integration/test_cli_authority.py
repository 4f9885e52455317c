"""The authority on the command line: enroll a tablet by files, merge its bundle at the bureau, and 核验
a printed notice from a picture of its page (exit 0 authentic, 1 not)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
from pathlib import Path

from app.domain.model import Severity
from app.domain.notice import Signature, decode_qr, encode_qr
from app.media.qr_scan import read_qr_codes
from app.services import authority, hazards, notices
from app.services.notice_check import verify_payload
from tests.conftest import require_tool
from tests.integration.authority_world import enrolled
from tests.integration.cli_world import pin_clock, run
from tests.integration.sync_world import device, walk


def test_a_tablet_enrolls_by_files_and_the_bureau_merges_its_bundle(tmp_path, capsys, monkeypatch):
    pin_clock(monkeypatch)
    bureau, tablet = tmp_path / "bureau", tmp_path / "tablet"
    assert run(capsys, "bureau", "init", "--data", str(bureau), "--name", "示例市卫生健康委员会保卫处",
               "--prefix", "示卫消整").code == 0
    assert run(capsys, "enroll", "request", "--data", str(tablet), "--unit", "U05", "--out",
               str(tmp_path / "req.json")).code == 0
    signed = run(capsys, "enroll", "sign", str(tmp_path / "req.json"), "--data", str(bureau), "--out",
                 str(tmp_path / "cert.json"))
    assert signed.code == 0 and "示例市中西医结合医院保卫处" not in signed.out and "U05" in signed.out
    installed = run(capsys, "enroll", "install", str(tmp_path / "cert.json"), "--data", str(tablet))
    assert installed.code == 0 and "U05" in installed.out
    listing = json.loads(run(capsys, "enroll", "list", "--data", str(bureau), "--json").out)
    assert listing["enrolled"] and {d["unit"] for d in listing["devices"]} == {"", "U05"}
    refused = run(capsys, "enroll", "sign", str(tmp_path / "req.json"), "--data", str(tablet), "--out",
                  str(tmp_path / "x.json"))
    assert refused.code == 2 and "局保卫处" in refused.err


def test_a_unit_device_asking_to_approve_a_deferral_is_refused_with_exit_2(tmp_path, capsys, monkeypatch):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    _, _, [hazard, _] = walk(unit)
    hazards.update_hazard(unit, hazard.id, severity=Severity.MAJOR)
    pin_clock(monkeypatch, unit.now())
    later = (hazard.deadline + dt.timedelta(days=20)).isoformat()
    asked = run(capsys, "hazard", "defer", hazard.id, "--data", str(unit.repo.root), "--by", "张三",
                "--explanation", "需停电施工", "--step", f"{later}:更换线路", "--temporary", "专人看守")
    assert asked.code == 0 and "待局保卫处审批" in asked.out
    refused = run(capsys, "hazard", "approve-deferral", hazard.id, "--data", str(unit.repo.root), "--by", "张三")
    assert refused.code == 2 and "审批暂缓整改" in refused.err


def _issued(ctx):
    inspection, _, _ = walk(ctx, failures=1)
    people = notices.Signatures((Signature(ctx.actor),), Signature("科室负责人"))
    return notices.issue_notice(ctx, inspection.id, people)


def _page_png(pdf: bytes, folder: Path) -> Path:
    require_tool("pdftoppm")
    (folder / "n.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(folder / "n.pdf"), str(folder / "page")],
                   check=True)
    return next(folder.glob("page*.png"))


def test_notice_verify_reads_the_qr_of_a_rendered_page_and_says_authentic(tmp_path, capsys, monkeypatch):
    require_tool("zbarimg")   # the zbar library pyzbar loads comes with it
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    notice = _issued(unit)
    page = _page_png(notices.notice_pdf(unit, notice.id), tmp_path)
    pin_clock(monkeypatch, unit.now())
    result = run(capsys, "notice", "verify", "--image", str(page), "--data", str(unit.repo.root))
    assert result.code == 0, result.out + result.err
    assert "真实有效" in result.out and notice.number in result.out and "示例市第一中心医院保卫处" in result.out
    assert "待整改" in result.out, "the hazards' current state is shown"
    as_json = json.loads(run(capsys, "notice", "verify", "--image", str(page), "--data", str(unit.repo.root),
                             "--json").out)
    assert as_json["authentic"] and as_json["recipient"] == notice.recipient


def test_an_altered_number_or_hash_or_an_unknown_signer_is_not_authentic(tmp_path, capsys, monkeypatch):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    notice = _issued(unit)
    page_text = _qr_text(unit, notice)
    claim = decode_qr(page_text)
    pin_clock(monkeypatch, unit.now())
    data = str(unit.repo.root)
    assert run(capsys, "notice", "verify", "--payload", page_text, "--data", data).code == 0
    other_number = encode_qr(dataclasses.replace(claim, number=claim.number.replace("1号", "2号")))
    result = run(capsys, "notice", "verify", "--payload", other_number, "--data", data)
    assert result.code == 1 and "签名无效" in result.out
    other_hash = encode_qr(dataclasses.replace(claim, snapshot_sha256="0" * 64))
    assert run(capsys, "notice", "verify", "--payload", other_hash, "--data", data).code == 1
    stranger = device(tmp_path / "stranger")
    foreign = _qr_text(stranger, _issued(stranger))
    result = run(capsys, "notice", "verify", "--payload", foreign, "--data", data)
    assert result.code == 1 and "不在本机信任的设备中" in result.out
    assert run(capsys, "notice", "verify", "--payload", "hello", "--data", data).code == 1


def test_the_bureau_verifies_a_units_notice_through_its_certificate(tmp_path):
    world = enrolled(tmp_path)
    notice = _issued(world.units["u01"])
    verdict = verify_payload(world.bureau, _qr_text(world.units["u01"], notice))
    assert verdict.authentic and not verdict.in_store and verdict.signer == "示例市第一中心医院保卫处"
    assert authority.is_enrolled(world.bureau)


def _qr_text(ctx, notice) -> str:
    """The QR text the notice carries, read back from its PDF's page the way a scanner would."""
    require_tool("zbarimg")
    folder = ctx.repo.root.parent / f"scan-{notice.id[:6]}"
    folder.mkdir()
    return read_qr_codes(_page_png(notices.notice_pdf(ctx, notice.id), folder).read_bytes())[0]
