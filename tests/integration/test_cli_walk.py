"""`firesweep answer` and `firesweep item-hazard`: the walk-through's rule on the command line."""

from __future__ import annotations

import datetime as dt

from app.bootstrap import build
from app.cli import main
from app.domain.model import InspectionKind
from app.services import inspections, queries

WARD = "inpatient_ward"


def test_fail_then_save_raises_the_hazard_and_pass_withdraws_it_saying_so(tmp_path, capsys):
    data = tmp_path / "data"
    ctx = build(data, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
    area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
    item = ctx.catalog.checklist(WARD).items[0].id
    where = ["--data", str(data), "--inspection", inspection.id, "--area", area.id, "--item", item]

    assert main(["answer", *where, "--verdict", "fail"]) == 0
    assert queries.hazard_for_item(build(data), inspection.id, area.id, item) is None   # a draft: nothing yet
    assert main(["item-hazard", *where, "--responsible", "李秀兰", "--deadline", "2026-07-20"]) == 0
    saved = queries.hazard_for_item(build(data), inspection.id, area.id, item)
    assert (saved.responsible, saved.deadline) == ("李秀兰", dt.date(2026, 7, 20))
    capsys.readouterr()
    assert main(["answer", *where, "--verdict", "pass"]) == 0
    assert "已撤销" in capsys.readouterr().out
    assert queries.hazard_for_item(build(data), inspection.id, area.id, item) is None


def test_item_hazard_on_an_item_not_failed_is_refused_with_exit_2_and_stores_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    ctx = build(data, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
    area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
    item = ctx.catalog.checklist(WARD).items[0].id
    where = ["--data", str(data), "--inspection", inspection.id, "--area", area.id, "--item", item]
    assert main(["item-hazard", *where]) == 2
    assert "不合格" in capsys.readouterr().err
    assert [h for h in build(data).repo.hazards() if not h.deleted] == []


def test_the_hazards_command_has_the_apps_default_view_and_raised_today(tmp_path, capsys):
    from tests.ui.ledger_data import seed

    data = tmp_path / "data"
    seed(data)
    assert main(["hazards", "--data", str(data), "--view", "action", "--raised-today", "--text", "人民医院"]) == 0
    out = capsys.readouterr().out
    assert "纸箱" in out and "电线" not in out
