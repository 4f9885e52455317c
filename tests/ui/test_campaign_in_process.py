"""The campaign screen and the home reminders on a real Flet page (in-memory connection)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from app.bootstrap import build
from app.domain.model import InspectionKind
from app.domain.obligations import ObligationStatus
from app.services import inspections
from app.services import obligations as service
from tests.ui.inprocess import _walk, click, find, open_page, run, settle, until

PLAN_PDF = b"%PDF-1.4\n% plan\n%%EOF\n"


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    return tmp_path / "data"


def _unit_tablet(data):
    """A unit's tablet: U03's inspections only, so the screens show U03's own duties."""
    ctx = build(data, actor="王喆")
    inspections.start_inspection(ctx, "U03", InspectionKind.SELF_CHECK, ["王喆"], date=dt.date(2026, 7, 1))
    return ctx


def _texts(control) -> list[str]:
    return [c.value for c in _walk(control) if hasattr(c, "value") and isinstance(getattr(c, "value", None), str)]


def test_home_reminds_a_unit_of_its_own_late_duties(data):
    ctx = _unit_tablet(data)
    late = service.reminders(ctx, "U03").late

    async def body() -> None:
        page, _client = await open_page("/")
        block = find(page, "home-reminders")
        words = " ".join(_texts(block))
        assert "示例市人民医院" in words
        if late:   # the campaign's dates have passed on this machine's clock
            assert f"已逾期 {len(late)} 项" in words
            assert late[0].name_zh in words
        assert find(page, "open-campaign")

    run(body)


def test_the_campaign_screen_submits_a_monthly_report_and_the_bureau_accepts_it(data):
    ctx = _unit_tablet(data)
    first = service.unit_duties(ctx, "U03")[0]
    assert first.key == "monthly_report:2026-06"

    async def body() -> None:
        page, client = await open_page("/campaign")
        assert find(page, "campaign-table") and find(page, "chart-status") and find(page, "chart-rate")
        assert find(page, "campaign-unit").value == "U03"
        await click(page, client, "monthly-0")
        await until(client, lambda: find(page, "accept-0"))   # the report renders off the event loop
        assert service.duty_state(ctx, "U03", first.key).status is ObligationStatus.SUBMITTED
        await click(page, client, "accept-0")
        await until(client, lambda: service.duty_state(ctx, "U03", first.key).status is ObligationStatus.ACCEPTED)

    run(body)


def test_returning_needs_a_reason_and_stores_it(data):
    ctx = _unit_tablet(data)
    service.submit_obligation(ctx, "U03", "plan", [service.EvidenceFile("plan.pdf", PLAN_PDF)])
    index = next(n for n, s in enumerate(service.unit_duties(ctx, "U03")) if s.key == "plan")

    async def body() -> None:
        page, client = await open_page("/campaign")
        await click(page, client, f"return-{index}")     # no reason: refused
        for _ in range(40):
            await settle(client)
            await asyncio.sleep(0.02)
        assert service.duty_state(ctx, "U03", "plan").status is ObligationStatus.SUBMITTED
        assert "请填写退回原因" in find(page, f"return-reason-{index}").error
        find(page, f"return-reason-{index}").value = "缺少领导小组名单"
        await click(page, client, f"return-{index}")
        await until(client, lambda: service.duty_state(ctx, "U03", "plan").record.status is ObligationStatus.RETURNED)
        state = service.duty_state(ctx, "U03", "plan")
        assert state.record.status is ObligationStatus.RETURNED and state.record.return_reason == "缺少领导小组名单"

    run(body)


def test_tapping_a_units_row_shows_that_units_duties(data):
    _unit_tablet(data)

    async def body() -> None:
        page, client = await open_page("/campaign")
        table = find(page, "campaign-table").controls[0]
        row = table.rows[4]
        await page.session.dispatch_event(row._i, "select_change", "true")
        await settle(client)
        assert find(page, "campaign-unit").value == "U05"
        assert "2026年6月工作月报" in " ".join(_texts(find(page, "duty-0")))

    run(body)
