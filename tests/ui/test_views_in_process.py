"""Screen logic on a real Flet page over an in-memory connection (fast; no browser needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.bootstrap import build
from app.domain.errors import InvalidInput
from app.domain.model import InspectionKind, Severity, Verdict
from app.i18n import describe_error
from app.services import inspections, queries
from tests.ui.inprocess import click, find, open_page, run, settle

WARD = "inpatient_ward"


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    return tmp_path / "data"


@pytest.mark.parametrize(("lang", "words"), [("zh-CN", "日期“2026-02-30”无效"), ("en", "“2026-02-30” is not a date")])
def test_a_wrong_date_is_refused_with_a_message_in_the_users_language(data, monkeypatch, lang, words):
    async def body() -> None:
        monkeypatch.setenv("FIRESWEEP_LANG", lang)
        page, client = await open_page("/new")
        await click(page, client, "unit-U01")
        find(page, "inspectors").value = "王喆"
        find(page, "date").value = "2026-02-30"
        await click(page, client, "start-inspection")
        assert words in find(page, "date").error
        assert page.route == "/new"
        assert build(data).repo.inspections() == []

    run(body)


def test_searching_units_narrows_the_list(data):
    async def body() -> None:
        page, _client = await open_page("/new")
        search = find(page, "unit-search")
        search.value = "儿童"
        await page.session.dispatch_event(search._i, "change", None)
        assert find(page, "unit-U12")
        with pytest.raises(LookupError):
            find(page, "unit-U01")

    run(body)


def test_a_service_refusal_shows_in_the_banner_and_stores_nothing(data):
    async def body() -> None:
        page, client = await open_page("/new")
        await click(page, client, "unit-U01")
        find(page, "kind").selected = [InspectionKind.SPOT_CHECK.value]
        find(page, "inspectors").value = "王喆"          # a spot-check needs two
        await click(page, client, "start-inspection")
        banner = find(page, "error-banner")
        assert banner.content.controls[0].value == describe_error(InvalidInput("inspectors", "two_inspectors"), "zh-CN")
        assert build(data).repo.inspections() == []

    run(body)


def test_starting_an_inspection_opens_its_areas_and_signs_in_the_first_inspector(data):
    async def body() -> None:
        page, client = await open_page("/new")
        await click(page, client, "unit-U03")
        find(page, "inspectors").value = "李秀兰、王喆"
        find(page, "date").value = "2026-07-10"
        await click(page, client, "start-inspection")
        [inspection] = build(data).repo.inspections()
        assert inspection.unit == "U03" and inspection.inspectors == ("李秀兰", "王喆")
        assert inspection.date == dt.date(2026, 7, 10)
        assert page.route == f"/i/{inspection.id}"
        assert find(page, "screen-areas")

    run(body)


def test_fail_opens_the_hazard_form_prefilled_from_the_item_and_save_raises_it(data):
    async def body() -> None:
        ctx = build(data, actor="王喆")
        inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
        area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
        item = next(i for i in ctx.catalog.checklist(WARD).items if i.period_days > 0 and i.major_hint)
        page, client = await open_page(f"/i/{inspection.id}/a/{area.id}/{item.id}")
        await click(page, client, "verdict-fail")
        assert page.route == f"/i/{inspection.id}/a/{area.id}/{item.id}/hazard"
        assert queries.hazard_for_item(ctx, inspection.id, area.id, item.id) is None   # a draft until saved
        due = dt.date(2026, 7, 10) + dt.timedelta(days=item.period_days)
        assert find(page, "hazard-deadline").value == due.isoformat()
        assert find(page, "hazard-description").value == item.hazard_zh
        assert find(page, "major-hint")                               # the item hints at a major hazard

        find(page, "severity").selected = [Severity.MAJOR.value]
        find(page, "hazard-deadline").value = "2026-08-01"
        await click(page, client, "save-hazard")
        saved = queries.hazard_for_item(ctx, inspection.id, area.id, item.id)
        assert (saved.severity, saved.deadline) == (Severity.MAJOR, dt.date(2026, 8, 1))
        assert queries.answers_of_area(ctx, inspection.id, area.id)[item.id].verdict is Verdict.FAIL
        assert "/a/" in page.route and not page.route.endswith("/hazard")   # on to the next open item

    run(body)


def test_switching_language_redraws_the_current_screen(data):
    async def body() -> None:
        page, client = await open_page("/settings")
        assert find(page, "screen-settings").value == "设置"
        await click(page, client, "lang-en")
        await settle(client)
        assert find(page, "screen-settings").value == "Settings"
        assert page.title == "Fire Hazard Sweep"

    run(body)
