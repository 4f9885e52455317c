"""The ledger's filters and the hazard detail's actions on a real Flet page over an in-memory connection.

Data is made through the services in a real TinyDB directory; what a tap stored is read back
through the services from a fresh context (the disk), never from the screen.
"""

from __future__ import annotations

import datetime as dt

import flet as ft
import pytest

from app.bootstrap import build
from app.domain.errors import IllegalTransition, InvalidInput
from app.domain.model import Flag, HazardStatus, InspectionKind, Severity
from app.i18n import describe_error
from app.services import hazards, inspections, queries
from tests.ui.inprocess import click, find, open_page, run, settle
from tests.ui.ledger_data import evidence_jpeg, seed

S = HazardStatus
WARD = "inpatient_ward"


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    return tmp_path / "data"


def shown(page) -> list[str]:
    """Descriptions in the ledger's rows, top to bottom."""
    found, n = [], 0
    while True:
        try:
            row = find(page, f"ledger-{n}")
        except LookupError:
            return found
        found.append(row.content.controls[1].controls[0].value)
        n += 1


async def pick(page, client, identifier: str, value: str) -> None:
    box = find(page, identifier)
    box.value = value
    await page.session.dispatch_event(box._i, "select", None)
    await settle(client)


async def pick_unit(page, client, code: str) -> None:
    """Type the unit's code into the unit search, then tap its line."""
    box = find(page, "filter-unit")
    box.value = code
    await page.session.dispatch_event(box._i, "change", code)
    await settle(client)
    await click(page, client, f"filter-unit-{code}")


def event_text(page, n: int) -> str:
    """What the timeline's n-th entry says happened."""
    return find(page, f"timeline-{n}").controls[1].controls[1].value


def hook_of(page, identifier: str) -> ft.Semantics:
    """The Semantics hook itself (`find` gives what it wraps)."""
    from tests.ui.inprocess import _walk

    return next(c for view in page.views for c in _walk(view)
                if isinstance(c, ft.Semantics) and c.identifier == identifier)


def stored(data, hazard_id: str):
    return build(data).repo.get_hazard(hazard_id)


def test_filters_narrow_the_ledger_go_into_the_route_and_survive_a_reload(data):
    async def body() -> None:
        seed(data)
        page, client = await open_page("/ledger")
        assert len(shown(page)) == 3 and "病房内私拉电线" in shown(page)[0]     # overdue first
        await pick_unit(page, client, "U01")
        assert page.route == "/ledger?unit=U01"
        assert len(shown(page)) == 2
        await pick(page, client, "filter-status", S.RECTIFYING.value)
        assert page.route == "/ledger?unit=U01&status=rectifying"
        assert shown(page) == ["安全出口指示灯不亮"]
        again, _ = await open_page(page.route)       # a reload: a new session on the same route
        assert shown(again) == ["安全出口指示灯不亮"]
        assert find(again, "filter-unit-chosen").label.value == "示例市第一中心医院"
        assert find(again, "filter-status").value == "rectifying"
        await click(again, _, "filter-clear")
        assert again.route == "/ledger" and len(shown(again)) == 3

    run(body)


@pytest.mark.parametrize(("route", "expected"), [
    ("/ledger?severity=major", ["病房内私拉电线"]),
    ("/ledger?overdue=1", ["病房内私拉电线"]),
    ("/ledger?flag=listed", ["病房内私拉电线"]),
    ("/ledger?department=%E8%8D%AF%E5%89%82%E7%A7%91", ["药库通道堆放纸箱"]),
    ("/ledger?text=%E7%BA%B8%E7%AE%B1", ["药库通道堆放纸箱"]),
    ("/ledger?status=verified", []),
    ("/ledger?status=nonsense&unit=U99", None),         # a hand-edited link: unknown values are ignored
])
def test_each_filter_from_the_route(data, route, expected):
    async def body() -> None:
        seed(data)
        page, _client = await open_page(route)
        rows = shown(page)
        if expected is None:
            assert len(rows) == 3
        else:
            assert [r.split("】")[-1] for r in rows] == expected
        if expected == []:
            assert find(page, "ledger-empty").value == "没有符合筛选条件的隐患。"

    run(body)


def test_typing_words_and_ticking_overdue_filter_too(data):
    async def body() -> None:
        seed(data)
        page, client = await open_page("/ledger")
        search = find(page, "filter-text")
        search.value = "电线 赵敏"
        await page.session.dispatch_event(search._i, "submit", None)
        await settle(client)
        assert routes_query(page.route) == {"text": "电线 赵敏"}
        assert len(shown(page)) == 1
        overdue = find(page, "filter-overdue")
        overdue.value = True
        await page.session.dispatch_event(overdue._i, "change", None)
        await settle(client)
        assert routes_query(page.route) == {"text": "电线 赵敏", "overdue": "1"}
        assert len(shown(page)) == 1

    run(body)


def routes_query(route: str) -> dict[str, str]:
    from app.ui.routes import query

    return query(route)


def test_load_more_pages_fifty_at_a_time(data):
    async def body() -> None:
        ctx = build(data, actor="王喆")
        inspection = inspections.start_inspection(ctx, "U02", InspectionKind.SELF_CHECK, ["王喆"])
        area = inspections.add_area(ctx, inspection.id, WARD, "病房")
        with ctx.repo.transaction():   # one commit for all 51
            for n in range(51):
                hazards.raise_hazard(ctx, inspection.id, area.id, description=f"隐患{n:02d}")
        page, client = await open_page("/ledger?unit=U02")
        assert len(shown(page)) == 50 and hook_of(page, "ledger-more").visible
        await click(page, client, "ledger-more")
        assert len(shown(page)) == 51 and not hook_of(page, "ledger-more").visible

    run(body)


def test_a_row_opens_the_hazard_and_back_returns_to_the_same_filters(data):
    async def body() -> None:
        _ctx, wires, _exit, _clutter = seed(data)
        page, client = await open_page("/ledger?unit=U01&severity=major")
        await click(page, client, "ledger-0")
        assert page.route.startswith(f"/h/{wires.id}?back=")
        assert find(page, "detail-description").value == "病房内私拉电线"
        assert "住院部3号楼5层" in find(page, "detail-area").controls[1].value
        assert find(page, "detail-responsible").controls[1].value == "赵敏"
        assert "已逾期 10 天" in find(page, "detail-deadline").controls[1].value
        assert find(page, "detail-flags").controls[1].value == "挂牌督办"
        assert find(page, "timeline-0")                         # created
        assert find(page, "timeline-1")                         # listed
        assert find(page, "action-start") and find(page, "action-defer") and find(page, "action-rectify")
        with pytest.raises(LookupError):
            find(page, "action-recheck")                       # only once rectified
        await click(page, client, "back-to-ledger")
        assert page.route == "/ledger?unit=U01&severity=major"

    run(body)


def test_assigning_and_editing_saves_through_the_service_and_shows_in_the_timeline(data):
    async def body() -> None:
        _ctx, _wires, _exit, clutter = seed(data)
        page, client = await open_page(f"/h/{clutter.id}")
        await click(page, client, "action-edit")
        find(page, "edit-responsible").value = "钱坤"
        find(page, "edit-measures").value = "清理通道，设置禁止堆放标识"
        find(page, "edit-funds").value = "1,200.5"
        find(page, "edit-deadline").value = "2031-01-15"
        find(page, "edit-severity").selected = [Severity.MAJOR.value]
        await click(page, client, "edit-save")
        saved = stored(data, clutter.id)
        assert (saved.responsible, saved.measures) == ("钱坤", "清理通道，设置禁止堆放标识")
        assert str(saved.funds) == "1200.50"
        assert (saved.deadline, saved.severity) == (dt.date(2031, 1, 15), Severity.MAJOR)
        assert find(page, "message-banner").content.controls[0].value == "已保存"
        assert find(page, "detail-funds").controls[1].value == "¥1,200.50 元"
        assert "整改责任人" in event_text(page, 1)

    run(body)


def test_a_refused_edit_shows_the_error_and_changes_nothing(data):
    async def body() -> None:
        _ctx, _wires, _exit, clutter = seed(data)
        before = (stored(data, clutter.id), queries.hazard_timeline(build(data), clutter.id))
        page, client = await open_page(f"/h/{clutter.id}")
        await click(page, client, "action-edit")
        find(page, "edit-responsible").value = "钱坤"
        find(page, "edit-funds").value = "一千"
        await click(page, client, "edit-save")
        banner = find(page, "error-banner")
        assert banner.content.controls[0].value == describe_error(
            InvalidInput("funds", "not_a_number", value="一千"), "zh-CN")
        assert "整改资金" in banner.content.controls[0].value
        assert (stored(data, clutter.id), queries.hazard_timeline(build(data), clutter.id)) == before
        find(page, "edit-funds").value = "0"
        find(page, "edit-deadline").value = "2031-02-30"                  # not a day: refused on the field
        await click(page, client, "edit-save")
        assert "2031-02-30" in find(page, "edit-deadline").error
        assert stored(data, clutter.id) == before[0]

    run(body)


def test_start_rectifying_then_rectify_with_a_real_evidence_photo(data):
    async def body() -> None:
        _ctx, _wires, _exit, clutter = seed(data)
        page, client = await open_page(f"/h/{clutter.id}")
        await click(page, client, "action-start")
        assert stored(data, clutter.id).status is S.RECTIFYING
        assert find(page, "hazard-status").content.value == "整改中"
        with pytest.raises(LookupError):
            find(page, "action-start")                         # no longer allowed
        await click(page, client, "action-rectify")
        find(page, "rectify-note").value = "纸箱已清走，通道畅通"
        await click(page, client, "rectify-confirm")            # no photo yet: refused
        assert "至少一张整改照片" in find(page, "error-banner").content.controls[0].value
        assert stored(data, clutter.id).status is S.RECTIFYING
        picker = find(page, "rectify-add-photo").action.file_picker
        data_ = evidence_jpeg()
        await picker.on_result(ft.FilePickerResultEvent(
            name="result", control=picker, files=[ft.FilePickerFile(id=1, name="fixed.jpg", size=len(data_),
                                                                    bytes=data_)]))
        assert find(page, "pending-evidence-0")
        assert find(page, "rectify-count").value == "已添加整改照片 1 张"
        await click(page, client, "rectify-confirm")
        saved = stored(data, clutter.id)
        assert saved.status is S.RECTIFIED and saved.rectification.note == "纸箱已清走，通道畅通"
        assert len(saved.rectification.photos) == 1
        assert build(data).photos.has(saved.rectification.photos[0])
        assert find(page, "evidence-0")                        # shown under the rectification
        assert find(page, "action-recheck")                    # now it waits for a follow-up
        with pytest.raises(LookupError):
            find(page, "action-rectify")

    run(body)


def test_defer_with_a_phased_plan_whose_steps_can_be_added_and_removed(data):
    async def body() -> None:
        ctx, _wires, wires, _clutter = seed(data)   # the general one, not yet due
        today = ctx.today()
        page, client = await open_page(f"/h/{wires.id}")
        await click(page, client, "action-defer")
        await click(page, client, "defer-add-step")
        await click(page, client, "defer-add-step")
        await click(page, client, "step-remove-1")
        find(page, "defer-explanation").value = "需更换整层线路，须列入年度预算"
        find(page, "step-date-0").value = (today + dt.timedelta(days=7)).isoformat()
        find(page, "step-action-0").value = "拆除私拉电线，临时供电"
        find(page, "step-date-1").value = (today + dt.timedelta(days=90)).isoformat()
        find(page, "step-action-1").value = "整层线路改造"
        find(page, "defer-temporary").value = "专人每日巡查，配置灭火器"
        await click(page, client, "defer-confirm")
        saved = stored(data, wires.id)
        assert saved.status is S.DEFERRED
        assert [(s.due, s.action) for s in saved.deferral.plan] == [
            (today + dt.timedelta(days=7), "拆除私拉电线，临时供电"), (today + dt.timedelta(days=90), "整层线路改造")]
        assert saved.deadline == today + dt.timedelta(days=90)
        assert saved.deferral.temporary_measures == "专人每日巡查，配置灭火器"
        assert find(page, "detail-deferral")

    run(body)


def test_a_deferral_with_a_past_step_is_refused_and_nothing_changes(data):
    async def body() -> None:
        ctx, _wires, wires, _clutter = seed(data)   # the general one, not yet due
        before = stored(data, wires.id)
        page, client = await open_page(f"/h/{wires.id}")
        await click(page, client, "action-defer")
        find(page, "defer-explanation").value = "资金"
        find(page, "step-date-0").value = (ctx.today() - dt.timedelta(days=1)).isoformat()
        find(page, "step-action-0").value = "改造"
        find(page, "defer-temporary").value = "值守"
        await click(page, client, "defer-confirm")
        assert find(page, "error-banner").content.controls[0].value == describe_error(
            IllegalTransition("hazard", "rectifying", "deferred", "plan_dates"), "zh-CN")
        assert stored(data, wires.id) == before

    run(body)


def test_an_overdue_hazard_cannot_be_deferred_any_more(data):
    async def body() -> None:
        ctx, wires, _exit, _clutter = seed(data)   # ten days past its deadline
        before = stored(data, wires.id)
        page, client = await open_page(f"/h/{wires.id}")
        await click(page, client, "action-defer")
        find(page, "defer-explanation").value = "资金"
        find(page, "step-date-0").value = (ctx.today() + dt.timedelta(days=30)).isoformat()
        find(page, "step-action-0").value = "改造"
        find(page, "defer-temporary").value = "值守"
        await click(page, client, "defer-confirm")
        assert find(page, "error-banner").content.controls[0].value == describe_error(
            IllegalTransition("hazard", "open", "deferred", "deferral_after_deadline"), "zh-CN")
        assert stored(data, wires.id) == before

    run(body)


def test_flags_go_on_and_off(data):
    async def body() -> None:
        _ctx, _wires, _exit, clutter = seed(data)
        page, client = await open_page(f"/h/{clutter.id}")
        await click(page, client, "flag-suspended")
        assert stored(data, clutter.id).flags == (Flag.SUSPENDED,)
        await click(page, client, "flag-expert_review")
        assert stored(data, clutter.id).flags == (Flag.SUSPENDED, Flag.EXPERT_REVIEW)
        await click(page, client, "flag-suspended")
        assert stored(data, clutter.id).flags == (Flag.EXPERT_REVIEW,)
        actions = [e.action for e in queries.hazard_timeline(build(data), clutter.id)]
        assert actions[-3:] == ["flag:suspended:on", "flag:expert_review:on", "flag:suspended:off"]
        assert event_text(page, 3) == "取消“停业整改”"

    run(body)


def test_withdraw_asks_for_a_reason_then_removes_the_hazard_from_the_ledger(data):
    async def body() -> None:
        _ctx, _wires, _exit, clutter = seed(data)
        page, client = await open_page(f"/h/{clutter.id}?back=%2Fledger%3Funit%3DU03")
        await click(page, client, "action-withdraw")
        await click(page, client, "withdraw-confirm")               # no reason: refused on the field
        assert "撤销原因" in find(page, "withdraw-reason").error
        assert not stored(data, clutter.id).deleted
        await click(page, client, "withdraw-cancel")
        assert not stored(data, clutter.id).deleted
        await click(page, client, "action-withdraw")
        find(page, "withdraw-reason").value = "与另一条重复登记"
        await click(page, client, "withdraw-confirm")
        assert stored(data, clutter.id).deleted
        assert page.route == "/ledger?unit=U03"
        assert shown(page) == [] and find(page, "ledger-empty")
        last = queries.hazard_timeline(build(data), clutter.id)[-1]
        assert (last.action, last.note) == ("withdraw", "与另一条重复登记")

    run(body)


def test_a_verified_hazard_offers_no_actions_but_clearing_its_flags(data):
    async def body() -> None:
        ctx, _wires, _exit, clutter = seed(data)
        hazards.set_flag(ctx, clutter.id, Flag.LISTED)
        hazards.rectify(ctx, clutter.id, "已清理", ("a" * 64,))
        checker = build(data, actor="李秀兰")
        follow = inspections.start_inspection(checker, "U03", InspectionKind.FOLLOW_UP, ["李秀兰"],
                                              source_hazards=(clutter.id,))
        hazards.verify(checker, clutter.id, follow.id, passed=True)
        page, client = await open_page(f"/h/{clutter.id}")
        for gone in ("action-edit", "action-start", "action-rectify", "action-defer", "action-withdraw",
                     "flag-suspended", "action-recheck"):
            with pytest.raises(LookupError):
                find(page, gone)
        assert find(page, "detail-verifications")
        await click(page, client, "flag-listed")
        assert stored(data, clutter.id).flags == ()

    run(body)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from app.demo import build_demo

    root = tmp_path_factory.mktemp("demo") / "data"
    build_demo(root, "small", 1)
    return root


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_demo_hazard_opens_with_only_the_actions_its_status_allows(demo, monkeypatch, lang):
    """Deferred, verified, reopened…: real-looking data, both languages, and the buttons follow ALLOWED."""
    from app.domain.lifecycle import ALLOWED

    monkeypatch.setenv("FIRESWEEP_DATA", str(demo))
    monkeypatch.setenv("FIRESWEEP_LANG", lang)

    async def body() -> None:
        ctx = build(demo)
        everything = hazards.ledger(ctx, page_size=1000).items
        assert {h.status for h in everything} == set(S)
        for hazard in everything:
            page, _client = await open_page(f"/h/{hazard.id}", width=390, height=844)
            assert find(page, "detail-description").value == hazard.description
            allowed = ALLOWED[hazard.status]
            for ident, shown_when in (("action-start", S.RECTIFYING in allowed),
                                      ("action-rectify", S.RECTIFIED in allowed),
                                      ("action-defer", S.DEFERRED in allowed),
                                      ("action-recheck", hazard.status is S.RECTIFIED),
                                      ("action-edit", hazard.status is not S.VERIFIED)):
                try:
                    find(page, ident)
                    present = True
                except LookupError:
                    present = False
                assert present == shown_when, (hazard.status, ident)
            if hazard.deferral:
                assert find(page, "detail-deferral")
            if hazard.verifications:
                assert find(page, "detail-verifications")
            assert len(queries.hazard_timeline(ctx, hazard.id)) >= 1
            assert find(page, "timeline-0")

    run(body)
