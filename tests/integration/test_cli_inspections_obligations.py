"""`firesweep inspections` (the ids `notice --inspection` needs) and `firesweep obligation submit|accept|return`."""

from __future__ import annotations

import json

import pytest

from tests.integration.cli_world import pin_clock, records, run, unit_data

ROW_KEYS = {"id", "unit", "kind", "date", "inspectors", "status", "areas", "hazards", "notices", "covers"}
DUTY_KEYS = {"unit", "obligation", "name", "due", "status", "submitted_late", "submissions", "evidence", "note",
             "submitted_by", "reviewed_by", "return_reason"}


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    pin_clock(monkeypatch)


@pytest.fixture
def world(tmp_path):
    root = tmp_path / "data"
    _ctx, inspection, _hazards = unit_data(root, failures=2)
    return root, inspection.id


def test_inspections_lists_ids_with_what_each_found(world, capsys, tmp_path):
    root, inspection = world
    rows = json.loads(run(capsys, "inspections", "--data", str(root), "--json").out)
    assert len(rows) == 1 and set(rows[0]) == ROW_KEYS
    assert rows[0] | {"id": ""} == {
        "id": "", "unit": "U01", "kind": "self_check", "date": "2026-07-10", "inspectors": ["王喆"], "status": "draft",
        "areas": 1, "hazards": 2, "notices": [], "covers": 0}
    assert rows[0]["id"] == inspection
    # the id found here is what `notice --inspection` takes
    issued = run(capsys, "notice", "--data", str(root), "--inspection", inspection, "--receiver", "张科长",
                 "--out", str(tmp_path / "n.pdf"))
    assert issued.code == 0, issued.err
    text = run(capsys, "inspections", "--data", str(root), "--unit", "U01")
    assert text.code == 0
    assert (f"{inspection}  U01  自查  2026-07-10  已完成  检查人员：王喆  部位 1  隐患 2  "
            "通知书：第一中心医院保消〔2026〕1号") in text.out
    assert "共 1 次检查。" in text.out


@pytest.mark.parametrize("filters, count", [
    (("--unit", "U02"), 0), (("--status", "draft"), 1), (("--status", "completed"), 0),
    (("--kind", "self_check"), 1), (("--kind", "spot_check"), 0),
])
def test_inspections_filter_by_unit_status_and_kind(world, capsys, filters, count):
    root, _ = world
    result = run(capsys, "inspections", "--data", str(root), *filters, "--json")
    assert result.code == 0 and len(json.loads(result.out)) == count


def test_inspections_of_an_unknown_unit_or_status_are_refused(world, capsys):
    root, _ = world
    unknown = run(capsys, "--lang", "en", "inspections", "--data", str(root), "--unit", "U99")
    assert unknown.code == 2 and unknown.err.strip() == "No unit with id U99"
    assert run(capsys, "inspections", "--data", str(root), "--status", "lost").code == 2


def evidence(tmp_path):
    path = tmp_path / "方案.pdf"
    path.write_bytes(b"%PDF-1.4\n% a scanned plan\n")
    return path


def test_a_duty_is_submitted_returned_resubmitted_and_accepted(world, capsys, tmp_path):
    root, _ = world
    duty = ("--data", str(root), "--unit", "U01", "--obligation", "responsibility_letters")
    submitted = run(capsys, "obligation", "submit", *duty, "--file", str(evidence(tmp_path)), "--by", "王喆",
                    "--note", "第一版", "--json")
    assert submitted.code == 0, submitted.err
    out = json.loads(submitted.out)
    assert set(out) == DUTY_KEYS
    assert (out["status"], out["submitted_by"], out["note"], out["submissions"]) == ("submitted", "王喆", "第一版", 1)
    assert out["evidence"][0]["name"] == "方案.pdf" and out["evidence"][0]["kind"] == "pdf"

    before = records(root)
    no_reason = run(capsys, "obligation", "return", *duty, "--by", "局保卫处李明")
    assert no_reason.code == 2 and no_reason.err.strip().endswith("必须填写")
    assert records(root) == before
    returned = run(capsys, "obligation", "return", *duty, "--by", "局保卫处李明", "--reason", "缺少签字页")
    assert returned.code == 0
    assert returned.out.strip().endswith("已退回：缺少签字页（审核人：局保卫处李明）。")
    again = run(capsys, "obligation", "submit", *duty, "--file", str(evidence(tmp_path)), "--by", "王喆")
    assert again.code == 0 and "已报送" in again.out
    accepted = run(capsys, "obligation", "accept", *duty, "--by", "局保卫处李明", "--json")
    out = json.loads(accepted.out)
    assert (out["status"], out["reviewed_by"], out["submissions"], out["return_reason"]) == (
        "accepted", "局保卫处李明", 2, "")


def test_an_accepted_duty_cannot_be_returned_or_submitted_again(world, capsys, tmp_path):
    root, _ = world
    duty = ("--data", str(root), "--unit", "U01", "--obligation", "plan")
    run(capsys, "obligation", "submit", *duty, "--file", str(evidence(tmp_path)), "--by", "王喆")
    assert run(capsys, "obligation", "accept", *duty, "--by", "李明").code == 0
    before = records(root)
    refused = run(capsys, "obligation", "return", *duty, "--by", "李明", "--reason", "重看")
    assert refused.code == 2 and refused.err.strip() == "不能把工作事项从“已通过”改为“已退回”：不允许这样改变状态"
    english = run(capsys, "--lang", "en", "obligation", "submit", *duty, "--file", str(evidence(tmp_path)),
                  "--by", "王喆")
    assert english.code == 2 and "“Accepted”" in english.err
    assert records(root) == before


@pytest.mark.parametrize("options, message", [
    (("--obligation", "plan"), "输入有误（佐证材料）：必须填写"),
    (("--obligation", "plan", "--file", "/nonexistent/a.pdf"), "文件 /nonexistent/a.pdf 不存在"),
    (("--obligation", "nothing_such"), "找不到工作事项：nothing_such"),
    (("--obligation", "plan", "--generate"), "--generate 只用于工作月报"),
])
def test_bad_submissions_are_refused_and_change_nothing(world, capsys, options, message):
    root, _ = world
    before = records(root)
    result = run(capsys, "obligation", "submit", "--data", str(root), "--unit", "U01", "--by", "王喆", *options)
    assert result.code == 2 and message in result.err, result.err
    assert records(root) == before


def test_a_monthly_report_is_generated_and_submitted(world, capsys):
    root, _ = world
    result = run(capsys, "obligation", "submit", "--data", str(root), "--unit", "U01", "--obligation",
                 "monthly_report:2026-06", "--generate", "--by", "王喆", "--json")
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert out["status"] == "submitted" and out["evidence"][0]["kind"] == "report"
    assert out["evidence"][0]["name"] == "monthly-U01-2026-06.pdf"
