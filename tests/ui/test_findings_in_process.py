"""The hazard form's findings: ticking one stores it, and the form shows exactly that finding."""

from __future__ import annotations

import datetime as dt

import pytest

from app.bootstrap import build
from app.domain.model import InspectionKind
from app.services import inspections, queries
from tests.ui.inprocess import click, find, open_page, run, settle

WARD = "inpatient_ward"


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    return tmp_path / "data"


def hint_shown(page) -> bool:
    hint = find(page, "major-hint")
    return hint.visible and hint.value.startswith("提示")


async def tick(page, client, identifier: str, on: bool = True) -> None:
    box = find(page, identifier)
    box.value = on
    await page.session.dispatch_event(box._i, "change", None)
    await settle(client)


def test_ticking_findings_rewrites_description_deadline_and_major_hint(data):
    async def body() -> None:
        ctx = build(data, actor="王喆")
        inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
        area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
        page, client = await open_page(f"/i/{inspection.id}/a/{area.id}/iw-09")
        await click(page, client, "verdict-fail")
        assert find(page, "findings")
        assert hint_shown(page)              # no finding chosen yet: the item may be major

        await tick(page, client, "finding-iw-09-dim")
        assert find(page, "hazard-description").value == "应急照明地面照度低于规定值"
        assert find(page, "hazard-deadline").value == "2026-08-09"
        assert not hint_shown(page)

        await tick(page, client, "finding-iw-09-off")
        assert hint_shown(page) and "30%" in find(page, "major-hint").value
        await tick(page, client, "finding-iw-09-dim", on=False)
        assert queries.hazard_for_item(ctx, inspection.id, area.id, "iw-09") is None, "a draft is not stored"
        assert find(page, "hazard-description").value == "切断正常照明后应急照明不能自动点亮"

        await click(page, client, "save-hazard")
        saved = queries.hazard_for_item(ctx, inspection.id, area.id, "iw-09")
        assert (saved.description, saved.findings, saved.deadline) == ("切断正常照明后应急照明不能自动点亮",
                                                                       ("iw-09-off",), dt.date(2026, 7, 25))
        assert saved.requirement, "the finding's own requirement goes with it"

    run(body)


def test_an_item_without_findings_has_no_picker(data):
    async def body() -> None:
        ctx = build(data, actor="王喆")
        inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
        area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
        page, client = await open_page(f"/i/{inspection.id}/a/{area.id}/iw-05")
        await click(page, client, "verdict-fail")
        with pytest.raises(LookupError):
            find(page, "findings")

    run(body)
