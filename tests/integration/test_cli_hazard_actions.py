"""`firesweep hazard ACTION ID`: each action the hazard screen has, its refusal (exit 2, localized, nothing
changed) and its JSON, through the same services as the screen."""

from __future__ import annotations

import json

import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.services import settings
from app.services.hazards import get_hazard
from app.services.queries import hazard_timeline
from tests.integration.cli_world import START, photo_file, pin_clock, records, run, unit_data

HAZARD_KEYS = {"id", "unit", "inspection", "description", "status", "severity", "deadline", "overdue", "flags",
               "responsible", "department", "measures", "funds", "withdrawn", "rectification", "deferral",
               "verifications", "deferral_request"}


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    pin_clock(monkeypatch)


@pytest.fixture
def world(tmp_path):
    root = tmp_path / "data"
    _ctx, _inspection, hazards = unit_data(root)
    return root, [h.id for h in hazards]


def reread(root, hazard_id):
    return get_hazard(build(root, FixedClock(START)), hazard_id)


def test_start_acts_as_the_person_named_and_prints_the_hazard(world, capsys):
    root, (hazard, *_) = world
    result = run(capsys, "hazard", "start", hazard, "--data", str(root), "--by", "李堃", "--json")
    assert result.code == 0, result.err
    out = json.loads(result.out)
    assert set(out) == {"hazard"} and set(out["hazard"]) == HAZARD_KEYS
    assert out["hazard"]["status"] == "rectifying"
    assert hazard_timeline(build(root, FixedClock(START)), hazard)[-1].actor == "李堃"


def test_starting_twice_is_refused_in_the_users_language_and_changes_nothing(world, capsys):
    root, (hazard, *_) = world
    assert run(capsys, "hazard", "start", hazard, "--data", str(root), "--by", "王喆").code == 0
    before = records(root)
    result = run(capsys, "hazard", "start", hazard, "--data", str(root), "--by", "王喆")
    assert result.code == 2
    assert result.err.strip() == "不能把隐患从“整改中”改为“整改中”：不允许这样改变状态"
    english = run(capsys, "--lang", "en", "hazard", "start", hazard, "--data", str(root), "--by", "王喆")
    assert english.code == 2 and english.err.startswith("Cannot change hazard from “Rectifying”")
    assert records(root) == before


def test_the_acting_person_defaults_to_the_devices_inspector_and_is_required(world, capsys):
    root, (hazard, *_) = world
    before = records(root)
    result = run(capsys, "hazard", "start", hazard, "--data", str(root))
    assert result.code == 2 and "--by" in result.err and "设置" in result.err
    assert records(root) == before
    settings.set_inspector(build(root, FixedClock(START)), "付红梅")
    assert run(capsys, "hazard", "start", hazard, "--data", str(root)).code == 0
    assert hazard_timeline(build(root, FixedClock(START)), hazard)[-1].actor == "付红梅"


def test_assign_sets_responsible_department_measures_funds_and_deadline(world, capsys):
    root, (hazard, *_) = world
    result = run(capsys, "hazard", "assign", hazard, "--data", str(root), "--by", "王喆", "--responsible", "王建国",
                 "--department", "总务科", "--measures", "更换灭火器", "--funds", "1,200.5", "--deadline", "2026-08-01",
                 "--severity", "major", "--json")
    assert result.code == 0, result.err
    out = json.loads(result.out)["hazard"]
    assert (out["responsible"], out["department"], out["measures"], out["funds"], out["deadline"],
            out["severity"]) == ("王建国", "总务科", "更换灭火器", "1200.50", "2026-08-01", "major")


@pytest.mark.parametrize("options, message", [
    ((), "没有要修改的内容"),
    (("--deadline", "2026-02-30"), "输入有误（--deadline）：“2026-02-30”不是 YYYY-MM-DD 格式的日期"),
    (("--deadline", "2026-07-01"), "整改期限 2026-07-01 早于检查日期"),
    (("--funds", "-5"), "输入有误（整改资金）：“-5”超出允许范围"),
])
def test_bad_assignments_are_refused_and_change_nothing(world, capsys, options, message):
    root, (hazard, *_) = world
    before = records(root)
    result = run(capsys, "hazard", "assign", hazard, "--data", str(root), "--by", "王喆", *options)
    assert result.code == 2 and message in result.err
    assert records(root) == before


def test_rectify_needs_a_note_and_a_photo_then_records_them(world, capsys, tmp_path):
    root, (hazard, *_) = world
    before = records(root)
    no_photo = run(capsys, "hazard", "rectify", hazard, "--data", str(root), "--by", "王喆", "--note", "已更换")
    assert no_photo.code == 2 and "需要整改说明和至少一张整改照片" in no_photo.err
    missing = run(capsys, "hazard", "rectify", hazard, "--data", str(root), "--by", "王喆", "--note", "已更换",
                  "--photo", str(tmp_path / "nope.jpg"))
    assert missing.code == 2 and missing.err.strip() == "照片“nope.jpg”未保存：文件不存在"
    no_note = run(capsys, "hazard", "rectify", hazard, "--data", str(root), "--by", "王喆",
                  "--photo", str(photo_file(tmp_path)))
    assert no_note.code == 2
    assert records(root) == before   # the photo stored before the refusal left no record behind
    done = run(capsys, "hazard", "rectify", hazard, "--data", str(root), "--by", "王喆", "--note", "已更换",
               "--photo", str(photo_file(tmp_path)), str(photo_file(tmp_path, "after.jpg", 200)), "--json")
    assert done.code == 0, done.err
    fix = json.loads(done.out)["hazard"]["rectification"]
    assert fix["note"] == "已更换" and fix["by"] == "王喆" and len(fix["photos"]) == 2
    assert reread(root, hazard).status.value == "rectified"


def rectify_all(capsys, root, hazards, folder, by="王喆"):
    for n, hazard in enumerate(hazards):
        result = run(capsys, "hazard", "rectify", hazard, "--data", str(root), "--by", by, "--note", "已整改",
                     "--photo", str(photo_file(folder, f"fix{n}.jpg", 160 + n)))
        assert result.code == 0, result.err


def open_rechecks(capsys, root) -> list[dict]:
    result = run(capsys, "inspections", "--data", str(root), "--kind", "follow_up", "--status", "draft", "--json")
    return json.loads(result.out)


def test_the_rectifier_cannot_verify_and_no_recheck_is_left_behind(world, capsys, tmp_path):
    root, hazards = world
    rectify_all(capsys, root, hazards[:1], tmp_path)
    before = records(root)
    result = run(capsys, "hazard", "verify", hazards[0], "--data", str(root), "--by", "王喆")
    assert result.code == 2 and "复查人不能是登记整改的同一人" in result.err
    assert records(root) == before and open_rechecks(capsys, root) == []


def test_verify_and_reopen_go_through_one_recheck_which_finishes_with_the_last(world, capsys, tmp_path):
    root, hazards = world
    first, second = hazards[:2]
    rectify_all(capsys, root, [first, second], tmp_path)
    passed = run(capsys, "hazard", "verify", first, "--data", str(root), "--by", "张伟", "--opinion", "已核实",
                 "--json")
    assert passed.code == 0, passed.err
    out = json.loads(passed.out)
    recheck = out["recheck"]
    assert set(recheck) == {"id", "kind", "date", "status", "started", "finished", "total", "verified", "reopened",
                            "pending"}
    assert (recheck["kind"], recheck["started"], recheck["total"], recheck["pending"]) == ("follow_up", True, 2, 1)
    assert out["hazard"]["status"] == "verified"
    assert out["hazard"]["verifications"][0] | {"at": ""} == {
        "passed": True, "by": "张伟", "at": "", "inspection": recheck["id"], "note": "已核实", "photos": []}

    before = records(root)
    no_photo = run(capsys, "hazard", "reopen", second, "--data", str(root), "--by", "张伟")
    assert no_photo.code == 2 and "复查未通过须附至少一张照片" in no_photo.err
    assert records(root) == before

    failed = run(capsys, "hazard", "reopen", second, "--data", str(root), "--by", "张伟", "--opinion", "仍有杂物",
                 "--photo", str(photo_file(tmp_path, "still.jpg")))
    assert failed.code == 0, failed.err
    assert f"继续复查 {recheck['id']}" in failed.out and "复查未通过，重新整改（复查人：张伟）" in failed.out
    assert "复查已完成" in failed.out
    assert reread(root, second).status.value == "reopened"
    assert len(reread(root, second).verifications[-1].photos) == 1
    assert open_rechecks(capsys, root) == []


def test_a_hazard_not_rectified_cannot_be_verified(world, capsys):
    root, (hazard, *_) = world
    result = run(capsys, "--lang", "en", "hazard", "verify", hazard, "--data", str(root), "--by", "张伟")
    assert result.code == 2 and result.err.startswith("Cannot change hazard from “Open” to")


def test_defer_takes_dated_steps_and_moves_the_deadline(world, capsys):
    root, (hazard, *_) = world
    base = ("hazard", "defer", hazard, "--data", str(root), "--by", "王喆", "--explanation", "需停电施工",
            "--temporary", "专人值守")
    before = records(root)
    bad = run(capsys, *base, "--step", "2026-08-01 采购")
    assert bad.code == 2 and "输入有误（--step）：“2026-08-01 采购”应写成 YYYY-MM-DD:整改步骤" in bad.err
    past = run(capsys, *base, "--step", "2026-07-01:采购")
    assert past.code == 2 and "分步整改方案的日期须按顺序且不早于今天" in past.err
    none = run(capsys, *base)
    assert none.code == 2 and "暂缓整改需要书面说明" in none.err
    assert records(root) == before
    done = run(capsys, *base, "--step", "2026-08-01:采购设备", "--step", "2026-09-15:停电更换", "--json")
    assert done.code == 0, done.err
    out = json.loads(done.out)["hazard"]
    assert out["status"] == "deferred" and out["deadline"] == "2026-09-15"
    assert out["deferral"] == {"explanation": "需停电施工", "temporary_measures": "专人值守", "plan": [
        {"due": "2026-08-01", "action": "采购设备"}, {"due": "2026-09-15", "action": "停电更换"}],
        "requested_on": "2026-07-10", "original_deadline": out["deferral"]["original_deadline"], "approved_by": ""}
    assert out["deferral_request"] is None, "a general hazard's deferral takes effect at once"


def test_flags_go_on_and_off_and_a_closed_hazard_takes_none(world, capsys, tmp_path):
    root, (hazard, other, *_) = world
    on = run(capsys, "hazard", "flag", hazard, "listed", "--data", str(root), "--by", "王喆")
    assert on.code == 0 and "已标记“挂牌督办”" in on.out
    run(capsys, "hazard", "flag", hazard, "expert_review", "--data", str(root), "--by", "王喆")
    off = run(capsys, "hazard", "unflag", hazard, "listed", "--data", str(root), "--by", "王喆", "--json")
    assert json.loads(off.out)["hazard"]["flags"] == ["expert_review"]
    rectify_all(capsys, root, [other], tmp_path)
    assert run(capsys, "hazard", "verify", other, "--data", str(root), "--by", "张伟").code == 0
    closed = run(capsys, "hazard", "flag", other, "suspended", "--data", str(root), "--by", "王喆")
    assert closed.code == 2 and "隐患已复查销号" in closed.err
    unknown = run(capsys, "hazard", "flag", hazard, "urgent", "--data", str(root), "--by", "王喆")
    assert unknown.code == 2 and "命令用法有误" in unknown.err


def test_withdraw_needs_a_reason_and_takes_the_hazard_off_the_ledger(world, capsys):
    root, (hazard, *_) = world
    refused = run(capsys, "hazard", "withdraw", hazard, "--data", str(root), "--by", "王喆")
    assert refused.code == 2 and "必须填写" in refused.err
    done = run(capsys, "hazard", "withdraw", hazard, "--data", str(root), "--by", "王喆", "--reason", "误登记",
               "--json")
    assert done.code == 0 and json.loads(done.out)["hazard"]["withdrawn"] is True
    ledger = json.loads(run(capsys, "hazards", "--data", str(root), "--json").out)
    assert hazard not in {h["id"] for h in ledger}
    gone = run(capsys, "hazard", "start", hazard, "--data", str(root), "--by", "王喆")
    assert gone.code == 2 and gone.err.strip() == f"找不到隐患：{hazard}"


def test_a_spot_check_recheck_needs_two_inspectors_and_can_be_named_to_continue(world, capsys, tmp_path):
    root, hazards = world
    first, second = hazards[:2]
    rectify_all(capsys, root, [first, second], tmp_path)
    alone = run(capsys, "hazard", "verify", first, "--data", str(root), "--by", "张伟", "--kind", "spot_check")
    assert alone.code == 2 and "局抽查至少需要两名检查人员" in alone.err
    assert json.loads(run(capsys, "inspections", "--data", str(root), "--kind", "spot_check", "--json").out) == []
    pair = run(capsys, "hazard", "verify", first, "--data", str(root), "--by", "张伟", "--kind", "spot_check",
               "--inspector", "张伟", "--inspector", "赵敏", "--json")
    assert pair.code == 0, pair.err
    spot = json.loads(pair.out)["recheck"]
    assert (spot["kind"], spot["started"], spot["pending"]) == ("spot_check", True, 1)
    named = run(capsys, "hazard", "verify", second, "--data", str(root), "--by", "赵敏", "--recheck", spot["id"],
                "--json")
    assert named.code == 0, named.err
    done = json.loads(named.out)["recheck"]
    assert (done["id"], done["started"], done["finished"], done["status"]) == (spot["id"], False, True, "completed")
    closed = run(capsys, "hazard", "reopen", second, "--data", str(root), "--by", "赵敏", "--recheck", spot["id"])
    assert closed.code == 2 and "检查已完成，不能再修改" in closed.err
