"""`firesweep campaign`: the bureau's table, the circular's units and reminders, as text and JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.bootstrap import build
from app.cli import main
from app.demo.obligations import simulate_obligations
from app.domain.clock import FixedClock
from app.services import campaign_dashboard as board_service

NOON_27 = dt.datetime(2026, 6, 27, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Every unit's paperwork up to 06-27 (seeded): some late with the plan, the self-check due soon."""
    root = tmp_path_factory.mktemp("cli") / "data"
    clock = FixedClock(dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    ctx = build(root, clock, actor="demo")
    simulate_obligations(ctx, clock, [u.code for u in ctx.catalog.units.units], 1, dt.date(2026, 6, 27))
    return root


@pytest.fixture(autouse=True)
def june_27(monkeypatch):
    """The CLI reads the system clock: pin it to 2026-06-27 noon in Shanghai."""
    import app.bootstrap as bootstrap

    real = bootstrap.build
    monkeypatch.setattr(bootstrap, "build", lambda d, clock=None, **kw: real(
        d, clock or FixedClock(NOON_27), **kw))
    import app.cli.campaign as cli_campaign

    monkeypatch.setattr(cli_campaign, "build", bootstrap.build)


def test_json_lists_every_unit_and_names_the_late_ones(data, capsys):
    assert main(["campaign", "--data", str(data), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2026-06-27" and len(out["units"]) == 36
    late = [u["unit"] for u in out["units"] if u["late_obligations"]]
    # paperwork two days late is a reminder, not a circular (lateness is graded: LATE_GRACE_DAYS)
    assert late and out["circular"] == []
    assert {r["obligation"] for r in out["reminders"]["due_soon"]} == {"self_check_done"}
    assert all(r["days"] < 0 for r in out["reminders"]["late"])
    plan = next(o for o in out["units"][0]["obligations"] if o["obligation"] == "plan")
    assert plan["due"] == "2026-06-25" and plan["status"] in ("accepted", "submitted", "late")


def test_text_names_the_same_units_with_reasons(data, capsys):
    assert main(["campaign", "--data", str(data)]) == 0
    text = capsys.readouterr().out
    ctx = build(data, FixedClock(NOON_27))
    named = [u.unit for u in board_service.dashboard(ctx).named]
    assert "专项行动工作进度（截至 2026-06-27）" in text and named == [] and "拟通报单位：无" in text
    assert "已逾期（" in text and "7 天内到期" in text


def test_one_units_view_in_english(data, capsys):
    assert main(["--lang", "en", "campaign", "--data", str(data), "--unit", "U05"]) == 0
    text = capsys.readouterr().out
    assert "U05 Sample City Second People's Hospital: obligations (as of 2026-06-27)" in text
    assert "Self-check phase completed" in text and "Due in the next 7 days (1):" in text


def test_an_unknown_unit_is_refused(data, capsys):
    assert main(["campaign", "--data", str(data), "--unit", "U99"]) == 2
    assert "U99" in capsys.readouterr().err


def test_the_circular_pdf_names_the_late_units_and_their_late_duties(data):
    from app.documents.reports_pdf import render_circular
    from app.services.report_summary import circular_data
    from tests.integration.pdf_tools import pdf_text, squash

    ctx = build(data, FixedClock(dt.datetime(2026, 7, 10, 4, 0, tzinfo=dt.UTC)))   # the plan 15 days late
    circular = circular_data(ctx)
    late = [u for u in circular.lagging if u.late]
    assert late and [u.unit for u in circular.lagging] == [u.unit for u in board_service.dashboard(ctx).named]
    assert all(days > 7 for u in late for days in u.late_days)
    text = squash(pdf_text(render_circular(circular)))
    assert "专项行动工作事项逾期7天以上未报送" in text and "工作事项报送逾期的单位" in text
    assert "抽查发现问题整改不到位的单位" not in text        # no spot-check yet: no graver section
    first = late[0]
    assert first.name in text
    duty, days = first.late[0], first.late_days[0]
    due = f"{duty.due.year}年{duty.due.month}月{duty.due.day}日"
    assert f"{duty.name_zh}（应于{due}前报送，已逾期{days}天）" in text
    assert days == (dt.date(2026, 7, 10) - duty.due).days


def test_a_departments_responsibility_letter_is_written_to_a_file(tmp_path, capsys):
    from tests.integration.pdf_tools import pdf_text, squash
    from tests.integration.test_departments_and_letters import START

    root = tmp_path / "data"
    ctx = build(root, FixedClock(START), actor="王喆")
    from app.domain.model import InspectionKind
    from app.services import hazards, inspections

    inspection = inspections.start_inspection(ctx, "U02", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspections.add_area(ctx, inspection.id, "canteen_kitchen", "食堂操作间", department="营养膳食科")
    hazards.raise_hazard(ctx, inspection.id, area.id, description="燃气管道无泄漏报警", responsible="王建国")
    out = tmp_path / "letter.pdf"
    assert main(["campaign", "--data", str(root), "--unit", "U02", "--department", "营养膳食科",
                 "--letter", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    text = squash(pdf_text(out.read_bytes()))
    assert "乙方：营养膳食科" in text and "燃气管道无泄漏报警" in text and "王建国" in text
    assert main(["campaign", "--data", str(root), "--unit", "U02"]) == 0
    assert "营养膳食科：发现 1，已整改 0" in capsys.readouterr().out
    assert main(["campaign", "--data", str(root), "--letter", str(out)]) == 2
