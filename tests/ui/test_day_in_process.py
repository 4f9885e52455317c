"""The inspector's day (issue 17) on a real Flet page over an in-memory connection.

A hazard from 不合格 is a draft until saved; back cancels it (asking when something was typed);
typed input survives a detour and a reload; changing the answer withdraws the hazard and the
home counts follow. What the app stored is read back through the services from the disk.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.bootstrap import build
from app.domain.model import InspectionKind, Verdict
from app.services import campaign_status, inspections, queries
from tests.ui.inprocess import click, find, open_page, run, settle

WARD = "inpatient_ward"


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    return tmp_path / "data"


def walk_of(data):
    ctx = build(data, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
    area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
    item = ctx.catalog.checklist(WARD).items[0]
    return inspection, area, item, f"/i/{inspection.id}/a/{area.id}/{item.id}"


async def type_into(page, client, identifier: str, text: str) -> None:
    field = find(page, identifier)
    field.value = text
    await page.session.dispatch_event(field._i, "change", text)
    await settle(client)


def hazard_of(data, inspection, area, item):
    return queries.hazard_for_item(build(data), inspection.id, area.id, item.id)


def answer_of(data, inspection, area, item):
    return queries.answers_of_area(build(data), inspection.id, area.id).get(item.id)


def test_back_on_an_untouched_draft_cancels_it_and_the_item_is_unanswered_again(data):
    async def body() -> None:
        inspection, area, item, walk = walk_of(data)
        page, client = await open_page(walk)
        await click(page, client, "verdict-fail")
        assert page.route == walk + "/hazard"
        assert "草稿" in find(page, "screen-hazard").value
        assert hazard_of(data, inspection, area, item) is None
        assert campaign_status.home_summary(build(data)).open == 0
        await click(page, client, "back-to-item")
        assert page.route == walk
        assert answer_of(data, inspection, area, item) is None
        assert hazard_of(data, inspection, area, item) is None

    run(body)


def test_back_after_typing_asks_first_and_keep_editing_loses_nothing(data):
    async def body() -> None:
        inspection, area, item, walk = walk_of(data)
        page, client = await open_page(walk)
        await click(page, client, "verdict-fail")
        await type_into(page, client, "hazard-responsible", "李秀兰")
        await click(page, client, "back-to-item")
        assert page.route == walk + "/hazard"                  # not gone: a question first
        await click(page, client, "discard-keep")
        assert find(page, "hazard-responsible").value == "李秀兰"
        await click(page, client, "back-to-item")
        await click(page, client, "discard-confirm")
        assert page.route == walk
        assert answer_of(data, inspection, area, item) is None and hazard_of(data, inspection, area, item) is None

    run(body)


def test_typed_fields_survive_a_detour_and_a_reload_and_save_stores_them(data):
    async def body() -> None:
        inspection, area, item, walk = walk_of(data)
        page, client = await open_page(walk)
        await click(page, client, "verdict-fail")
        await type_into(page, client, "hazard-description", "走廊堆放病床")
        await type_into(page, client, "hazard-responsible", "李秀兰")
        await type_into(page, client, "hazard-measures", "当日清走")
        await page.push_route("/settings")                        # a detour (like the photo screen)
        await settle(client)
        assert page.route == "/settings"
        again, again_client = await open_page(walk + "/hazard")  # and a reload
        assert find(again, "hazard-description").value == "走廊堆放病床"
        assert find(again, "hazard-responsible").value == "李秀兰"
        assert find(again, "hazard-measures").value == "当日清走"
        await click(again, again_client, "save-hazard")
        saved = hazard_of(data, inspection, area, item)
        assert (saved.description, saved.responsible, saved.measures) == ("走廊堆放病床", "李秀兰", "当日清走")
        reopened, _ = await open_page(walk + "/hazard")           # saved: the draft is gone, the hazard shows
        assert "草稿" not in find(reopened, "screen-hazard").value
        assert find(reopened, "hazard-measures").value == "当日清走"

    run(body)


def test_changing_a_failed_item_to_pass_withdraws_its_hazard_and_the_counts_follow(data):
    async def body() -> None:
        inspection, area, item, walk = walk_of(data)
        page, client = await open_page(walk)
        await click(page, client, "verdict-fail")
        await click(page, client, "save-hazard")
        assert campaign_status.home_summary(build(data)).open == 1
        again, again_client = await open_page(walk)
        await click(again, again_client, "verdict-pass")
        assert hazard_of(data, inspection, area, item) is None
        assert answer_of(data, inspection, area, item).verdict is Verdict.PASS
        assert campaign_status.home_summary(build(data)).open == 0
        events = [e for e in build(data).repo.audit() if e.entity == "hazard" and e.action == "withdraw"]
        assert len(events) == 1 and "合格" in events[0].note

    run(body)


def rows(page) -> list[str]:
    found, n = [], 0
    while True:
        try:
            found.append(find(page, f"ledger-{n}").content.controls[1].controls[0].value)
        except LookupError:
            return found
        n += 1


def test_the_ledger_shows_what_needs_action_by_default_and_closed_work_behind_a_filter(data):
    from app.services import hazards
    from tests.ui.ledger_data import evidence_jpeg, seed

    async def body() -> None:
        ctx, _wires, exit_, _clutter = seed(data)
        from app.services import photos

        shot = photos.add_evidence_photo(ctx, exit_.id, evidence_jpeg(), "fix.jpg")
        hazards.rectify(ctx, exit_.id, "已更换指示灯", (shot.sha256,))
        page, _client = await open_page("/ledger")
        assert not any("安全出口指示灯不亮" in r for r in rows(page))          # rectified: not in the default view
        assert len(rows(page)) == 2
        everything, _ = await open_page("/ledger?status=all")
        assert any("安全出口指示灯不亮" in r for r in rows(everything))

    run(body)


def test_the_ledger_search_finds_a_unit_by_name_and_raised_today_finds_new_hazards(data):
    from tests.ui.ledger_data import seed

    async def body() -> None:
        seed(data)
        page, client = await open_page("/ledger")
        search = find(page, "filter-text")
        search.value = "人民医院"     # part of U03 示例市人民医院, in no description
        await page.session.dispatch_event(search._i, "submit", None)
        await settle(client)
        assert page.route.startswith("/ledger?text=")
        assert rows(page) and all("纸箱" in r for r in rows(page))
        today, _ = await open_page("/ledger?raised=today")
        assert len(rows(today)) == 3                           # all three were raised today

    run(body)


@pytest.mark.parametrize(("tile", "route", "count"), [
    ("count-open", "/ledger", 3), ("count-overdue", "/ledger?overdue=1", 1),
    ("count-major", "/ledger?severity=major&status=live", 1), ("count-listed", "/ledger?flag=listed&status=live", 1),
])
def test_each_home_tile_opens_the_ledger_with_its_filter_and_the_same_number(data, tile, route, count):
    from tests.ui.ledger_data import seed

    async def body() -> None:
        seed(data)
        page, client = await open_page("/")
        assert find(page, "home-drafts-title")
        await click(page, client, tile)
        assert page.route == route
        assert len(rows(page)) == count

    run(body)


def test_the_review_warns_of_a_fail_whose_hazard_was_never_saved_and_leads_to_its_form(data):
    async def body() -> None:
        inspection, _area, _item, walk = walk_of(data)
        page, client = await open_page(walk)
        await click(page, client, "verdict-fail")
        again, again_client = await open_page(f"/i/{inspection.id}/review")
        assert "还没有保存" in find(again, "unsaved-hazards").value
        await click(again, again_client, "open-unsaved")
        assert again.route == walk + "/hazard"

    run(body)
