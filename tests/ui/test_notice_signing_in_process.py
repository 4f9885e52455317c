"""The review screen's signature part: one notice per department, drawn signatures required."""

from __future__ import annotations

import datetime as dt

import pytest

from app.bootstrap import build
from app.domain.errors import InvalidInput
from app.domain.model import InspectionKind
from app.i18n import describe_error
from app.services import hazards, inspections
from app.ui import routes
from tests.ui.inprocess import click, find, open_page, run


@pytest.fixture
def self_check(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    ctx = build(tmp_path / "data", actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
    for name, department in (("住院部3号楼5层", "心内科"), ("食堂操作间", "营养膳食科")):
        area = inspections.add_area(ctx, inspection.id, "inpatient_ward", name, department=department)
        hazards.raise_hazard(ctx, inspection.id, area.id, description="疏散走道堆放杂物", deadline=dt.date(2026, 7, 20))
    return tmp_path / "data", inspection


def test_the_notice_goes_to_a_chosen_department_and_unsigned_pads_are_refused(self_check):
    data, inspection = self_check

    async def body() -> None:
        page, client = await open_page(routes.review(inspection.id))
        recipient = find(page, "notice-recipient")
        assert [o.key for o in recipient.options] == ["心内科", "营养膳食科"]
        find(page, "receiver-name").value = "张主任"
        await click(page, client, "issue-notice")
        banner = find(page, "error-banner")
        expected = describe_error(InvalidInput("signatures", "signature_not_drawn", name="王喆"), "zh-CN")
        assert banner.content.controls[0].value == expected
        assert build(data).repo.notices() == []

    run(body)
