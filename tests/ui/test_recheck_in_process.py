"""The re-check (回头看) screens on a real Flet page over an in-memory connection, with a real data directory."""

from __future__ import annotations

import datetime as dt

import flet as ft
import pytest

from app.bootstrap import build
from app.domain.errors import InvalidInput
from app.domain.model import HazardStatus, InspectionKind, InspectionStatus
from app.i18n import Translator, describe_error
from app.services import hazards, inspections, photos, rechecks
from tests.integration.photo_fixtures import jpeg
from tests.ui.inprocess import _walk, click, find, open_page, run, settle

RECTIFIER, CHECKER = "王喆", "李秀兰"
S = HazardStatus
T = Translator("zh-CN")


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FIRESWEEP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    return tmp_path / "data"


def seed(data, unit: str = "U01", deadlines: tuple[int, ...] = (20, 5), open_too: bool = False) -> list:
    """A self-check at `unit` a week ago, a hazard per deadline, each rectified by RECTIFIER with a real photo."""
    ctx = build(data, actor=RECTIFIER)
    visit = ctx.today() - dt.timedelta(days=7)
    inspection = inspections.start_inspection(ctx, unit, InspectionKind.SELF_CHECK, [RECTIFIER], visit)
    area = inspections.add_area(ctx, inspection.id, "inpatient_ward", "住院部3号楼5层")
    found = []
    for n, days in enumerate(deadlines):
        hazard = hazards.raise_hazard(ctx, inspection.id, area.id, description=f"{unit}隐患{n}",
                                      deadline=visit + dt.timedelta(days=days))
        evidence = photos.add_evidence_photo(ctx, hazard.id, jpeg(320, 240), f"fix{n}.jpg")
        found.append(hazards.rectify(ctx, hazard.id, f"已整改{n}", (evidence.sha256,)))
    if open_too:
        hazards.raise_hazard(ctx, inspection.id, area.id, description=f"{unit}未整改")
    return found


def started(data, inspectors: tuple[str, ...] = (CHECKER,)) -> str:
    ctx = build(data, actor=inspectors[0])
    return rechecks.start_recheck(ctx, "U01", list(inspectors)).id


def status_of(data, hazard_id: str):
    return hazards.get_hazard(build(data), hazard_id)


def label(page, identifier: str) -> str:
    """The accessible label of a Semantics hook (what a screen reader, and the browser tests, read)."""
    hooks = (c for view in page.views for c in _walk(view) if isinstance(c, ft.Semantics))
    return next(h.label for h in hooks if h.identifier == identifier)


def banner_text(page, identifier: str = "error-banner") -> str:
    return find(page, identifier).content.controls[0].value


async def pick_photo(page, client, card: int, data: bytes = b"") -> None:
    """Tap the card's photo button, then answer the chooser as the browser would (with the file's bytes)."""
    button = find(page, f"rc-photo-{card}")
    await page.session.dispatch_event(button._i, "click", None)
    picker = button.action.file_picker
    content = data or jpeg(640, 480)
    chosen = ft.FilePickerFile(id=1, name="still.jpg", size=len(content), bytes=content)
    event = ft.FilePickerResultEvent(name="result", control=picker, files=[chosen])
    await picker.on_result(event)
    await settle(client)


def test_choosing_a_unit_lists_only_its_rectified_hazards(data):
    seed(data, open_too=True)
    seed(data, unit="U02", deadlines=(3,))

    async def body() -> None:
        page, client = await open_page("/recheck")
        assert "待复查 2 项" in find(page, "unit-U01").subtitle.value
        assert "待复查 1 项" in find(page, "unit-U02").subtitle.value
        with pytest.raises(LookupError):
            find(page, "candidate-0")                     # nothing listed before a unit is chosen
        await click(page, client, "unit-U01")
        listed = [find(page, f"candidate-{n}").content.controls[0].value for n in range(2)]
        assert listed == ["1. U01隐患1", "2. U01隐患0"]    # earliest deadline first, the open one left out
        with pytest.raises(LookupError):
            find(page, "candidate-2")

    run(body)


def test_choosing_follow_up_on_the_new_inspection_screen_leads_here_with_the_unit(data):
    seed(data)

    async def body() -> None:
        page, client = await open_page("/new")
        await click(page, client, "unit-U01")
        kind = find(page, "kind")
        kind.selected = [InspectionKind.FOLLOW_UP.value]
        await page.session.dispatch_event(kind._i, "change", None)
        await settle(client)
        assert page.route == "/recheck?unit=U01"
        assert find(page, "screen-start-recheck")
        assert "U01隐患1" in find(page, "candidate-0").content.controls[0].value

    run(body)


def test_starting_opens_the_recheck_and_pass_verifies(data):
    first, second = seed(data)

    async def body() -> None:
        page, client = await open_page("/recheck?unit=U01")
        find(page, "inspectors").value = CHECKER
        await click(page, client, "start-recheck")
        [follow_up] = [i for i in build(data).repo.inspections() if i.kind is InspectionKind.FOLLOW_UP]
        assert page.route == f"/i/{follow_up.id}/recheck"
        assert find(page, "rc-evidence-0-0")               # the rectification photo, as a thumbnail
        await click(page, client, "rc-pass-0")             # card 0 is the earliest deadline: `second`
        assert status_of(data, second.id).status is S.VERIFIED
        assert status_of(data, first.id).status is S.RECTIFIED
        assert label(page, "rc-result-0").startswith("已通过")
        assert find(page, "rc-progress").controls[0].value == T(
            "ui_recheck.progress", decided=1, total=2, verified=1, reopened=0)
        assert find(page, "rc-progress").controls[1].value == 0.5

    run(body)


def test_a_fail_without_a_photo_is_refused_with_the_banner_and_nothing_changes(data):
    seed(data)
    inspection_id = started(data)

    async def body() -> None:
        page, client = await open_page(f"/i/{inspection_id}/recheck")
        find(page, "rc-note-0").value = "仍有电热毯"
        before = build(data).repo.hazards()
        await click(page, client, "rc-fail-0")
        assert banner_text(page) == describe_error(InvalidInput("photos", "recheck_photo_required"), "zh-CN")
        assert build(data).repo.hazards() == before
        assert find(page, "rc-fail-0")                     # still undecided, the buttons still there

    run(body)


def test_a_fail_with_a_photo_reopens_the_hazard(data):
    _first, second = seed(data)
    inspection_id = started(data)

    async def body() -> None:
        page, client = await open_page(f"/i/{inspection_id}/recheck")
        await pick_photo(page, client, 0)
        assert find(page, "rc-rphoto-0-0")
        assert find(page, "rc-photo-count-0").value == T("ui_recheck.photo_count", count=1)
        find(page, "rc-note-0").value = "仍有电热毯"
        await click(page, client, "rc-fail-0")
        reopened = status_of(data, second.id)
        assert reopened.status is S.REOPENED
        [result] = reopened.verifications
        assert (result.by, result.note, len(result.photos)) == (CHECKER, "仍有电热毯", 1)
        assert label(page, "rc-result-0").startswith("未通过")
        assert find(page, "rc-rphoto-0-0")

    run(body)


def test_the_person_who_rectified_is_told_before_typing_and_another_inspector_verifies(data):
    first, second = seed(data)
    inspection_id = started(data, inspectors=(RECTIFIER, "另一检查员"))

    async def body() -> None:
        page, client = await open_page(f"/i/{inspection_id}/recheck")   # acts as its first inspector
        assert RECTIFIER in find(page, "rc-own-1").content.controls[1].value   # said up front, no opinion box
        with pytest.raises(LookupError):
            find(page, "rc-note-1")
        picker = find(page, "rc-checker").controls[0]
        picker.value = "另一检查员"
        await page.session.dispatch_event(picker._i, "select", None)
        await settle(client)
        await click(page, client, "rc-pass-1")
        [verified] = [h for h in (status_of(data, first.id), status_of(data, second.id)) if h.status is S.VERIFIED]
        assert verified.verifications[0].by == "另一检查员"

    run(body)


def test_finishing_completes_the_inspection_and_says_so_on_home(data):
    seed(data)
    inspection_id = started(data)

    async def body() -> None:
        page, client = await open_page(f"/i/{inspection_id}/recheck")
        await click(page, client, "rc-pass-0")
        await click(page, client, "rc-finish")              # one still undecided: refused
        assert banner_text(page) == describe_error(InvalidInput("hazards", "recheck_pending", count=1), "zh-CN")
        assert inspections.get_inspection(build(data), inspection_id).status is InspectionStatus.DRAFT
        await pick_photo(page, client, 1)
        await click(page, client, "rc-fail-1")
        await click(page, client, "rc-finish")
        assert page.route == "/"
        assert banner_text(page, "message-banner") == T("ui_recheck.summary", verified=1, reopened=1)
        assert find(page, "message-banner").visible
        assert inspections.get_inspection(build(data), inspection_id).status is InspectionStatus.COMPLETED

    run(body)


def test_a_reload_resumes_with_the_decisions_and_picked_photos_from_the_store(data):
    seed(data)
    inspection_id = started(data)

    async def body() -> None:
        page, client = await open_page(f"/i/{inspection_id}/recheck")
        await click(page, client, "rc-pass-0")
        await pick_photo(page, client, 1)
        again, _client = await open_page(f"/i/{inspection_id}/recheck")   # a reload: a new session
        assert label(again, "rc-result-0").startswith("已通过")
        assert find(again, "rc-rphoto-1-0")                 # picked, not yet used: still there
        assert find(again, "rc-progress").controls[1].value == 0.5

    run(body)


def test_a_remark_typed_on_one_card_survives_deciding_another(data):
    seed(data)
    inspection_id = started(data)

    async def body() -> None:
        page, client = await open_page(f"/i/{inspection_id}/recheck")
        note = find(page, "rc-note-1")
        note.value = "灭火毯已更换"
        await page.session.dispatch_event(note._i, "change", None)
        await click(page, client, "rc-pass-0")
        assert find(page, "rc-note-1").value == "灭火毯已更换"

    run(body)


def test_home_starts_a_recheck_and_resumes_a_draft_one_on_its_own_screen(data):
    async def body() -> None:
        page, client = await open_page("/")
        await click(page, client, "start-recheck")
        assert page.route == "/recheck"
        seed(data)
        inspection = started(data)   # today: the newest draft, above the self-check of a week ago
        page, client = await open_page("/")
        await click(page, client, "draft-0")
        assert page.route == f"/i/{inspection}/recheck"

    run(body)


def test_a_remark_typed_survives_a_detour_to_settings_and_a_reload(data):
    seed(data)
    inspection_id = started(data)

    async def body() -> None:
        page, client = await open_page(f"/i/{inspection_id}/recheck")
        note = find(page, "rc-note-0")
        note.value = "灭火毯已更换"
        await page.session.dispatch_event(note._i, "change", None)
        await page.push_route("/settings")
        await settle(client)
        await page.push_route(f"/i/{inspection_id}/recheck")
        await settle(client)
        assert find(page, "rc-note-0").value == "灭火毯已更换"
        again, _ = await open_page(f"/i/{inspection_id}/recheck")
        assert find(again, "rc-note-0").value == "灭火毯已更换"

    run(body)
