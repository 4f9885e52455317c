"""Inspection use cases against the in-memory repository: start, add areas, answer, complete."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.clock import FixedClock
from app.domain.errors import IllegalTransition, InvalidInput, NotFound
from app.domain.model import InspectionKind, InspectionStatus, Verdict
from app.services import hazards, inspections
from tests.unit.factories import OTHER_ACTOR, TODAY, make_area, make_context, make_hazard, make_inspection

PHOTO = "c" * 64


def snapshot(ctx):
    """Everything a failed call must leave alone."""
    repo = ctx.repo
    return (
        {i.id: i for i in repo.inspections()},
        {h.id: h for h in repo.hazards()},
        {(r.id, r) for i in repo.inspections() for r in repo.responses(i.id)},
        {(a.id, a) for i in repo.inspections() for a in repo.areas(i.id)},
        list(repo.audit()),
    )


# start_inspection


def test_start_inspection_makes_a_draft_for_today():
    ctx = make_context()
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, [" 王喆 ", "", "王喆"])
    assert inspection.status is InspectionStatus.DRAFT
    assert inspection.date == TODAY
    assert inspection.inspectors == ("王喆",)  # trimmed, blanks and repeats dropped
    assert inspections.get_inspection(ctx, inspection.id) == inspection


def test_start_inspection_refuses_an_unknown_unit():
    ctx = make_context()
    with pytest.raises(NotFound) as caught:
        make_inspection(ctx, unit="U99")
    assert (caught.value.kind, caught.value.ident) == ("unit", "U99")
    assert list(ctx.repo.audit()) == []


@pytest.mark.parametrize("inspectors", [["王喆"], ["王喆", " 王喆 "], ["王喆", ""]])
def test_a_spot_check_needs_two_different_inspectors(inspectors):
    ctx = make_context()
    with pytest.raises(InvalidInput) as caught:
        make_inspection(ctx, InspectionKind.SPOT_CHECK, inspectors=inspectors)
    assert (caught.value.field, caught.value.reason) == ("inspectors", "two_inspectors")
    assert ctx.repo.inspections() == []


def test_a_spot_check_with_two_inspectors_starts():
    ctx = make_context()
    inspection = make_inspection(ctx, InspectionKind.SPOT_CHECK, inspectors=["王喆", OTHER_ACTOR])
    assert inspection.inspectors == ("王喆", OTHER_ACTOR)


def test_a_spot_check_given_by_its_value_still_needs_two_inspectors():
    ctx = make_context()
    with pytest.raises(InvalidInput) as caught:
        inspections.start_inspection(ctx, "U01", "spot_check", ["王喆"])
    assert caught.value.reason == "two_inspectors"


@pytest.mark.parametrize("inspectors", [[], ["", "  "]])
def test_an_inspection_needs_an_inspector(inspectors):
    with pytest.raises(InvalidInput) as caught:
        make_inspection(make_context(), inspectors=inspectors)
    assert caught.value.reason == "required"


def test_an_inspection_cannot_be_dated_in_the_future():
    ctx = make_context()
    with pytest.raises(InvalidInput) as caught:
        make_inspection(ctx, date=TODAY + dt.timedelta(days=1))
    assert (caught.value.field, caught.value.reason) == ("date", "in_future")
    assert ctx.repo.inspections() == []


def test_today_is_the_shanghai_day_when_checking_for_future_dates():
    ctx = make_context(FixedClock(dt.datetime(2026, 7, 10, 16, 30, tzinfo=dt.UTC)))  # 07-11 00:30 in Shanghai
    assert make_inspection(ctx, date=dt.date(2026, 7, 11)).date == dt.date(2026, 7, 11)


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (dt.date(2026, 6, 20), "self_check"),           # the plan: 6月20日至10月10日
        (dt.date(2026, 6, 19), None),
        (dt.date(2026, 8, 1), "rectification"),
        (dt.date(2026, 9, 20), "consolidation"),
        (dt.date(2026, 11, 1), None),
        (dt.date(2026, 5, 31), None),
    ],
)
def test_phase_is_derived_from_the_campaign_dates(day, phase):
    ctx = make_context(FixedClock(dt.datetime(2026, 12, 1, 4, 0, tzinfo=dt.UTC)))
    assert make_inspection(ctx, date=day).phase == phase


# add_area


def test_add_area_pins_the_checklist_id_version_and_hash():
    ctx = make_context()
    area = make_area(ctx, location_type="basement", name="  地下车库B2 ", department="总务处")
    checklist = ctx.catalog.checklist("basement")
    assert (area.checklist_id, area.checklist_version, area.checklist_sha256) == (
        checklist.id, checklist.version, checklist.sha256,
    )
    assert len(area.checklist_sha256) == 64
    assert area.name == "地下车库B2"
    assert area.department == "总务处"
    assert ctx.repo.areas(area.inspection_id) == [area]


def test_add_area_refuses_an_unknown_location_type():
    ctx = make_context()
    inspection = make_inspection(ctx)
    with pytest.raises(NotFound) as caught:
        inspections.add_area(ctx, inspection.id, "rooftop", "楼顶")
    assert caught.value.kind == "location_type"
    assert ctx.repo.areas(inspection.id) == []


def test_add_area_needs_a_name():
    ctx = make_context()
    inspection = make_inspection(ctx)
    with pytest.raises(InvalidInput) as caught:
        inspections.add_area(ctx, inspection.id, "basement", "   ")
    assert (caught.value.field, caught.value.reason) == ("name", "required")


def test_add_area_to_an_unknown_inspection_is_not_found():
    with pytest.raises(NotFound) as caught:
        make_area(make_context(), inspection_id="nope")
    assert caught.value.kind == "inspection"


# record_response


def test_answering_again_updates_the_same_response_and_audits_both():
    ctx = make_context()
    area = make_area(ctx)
    first = inspections.record_response(ctx, area.inspection_id, area.id, "iw-01", Verdict.FAIL, note="无记录")
    ctx.clock.advance(minutes=5)
    second = inspections.record_response(ctx, area.inspection_id, area.id, "iw-01", Verdict.PASS, note="已补")
    assert second.id == first.id
    assert second.rev > first.rev
    assert ctx.repo.responses(area.inspection_id) == [second]
    events = list(ctx.repo.audit(first.id))
    assert [e.action for e in events] == ["create", "update"]
    assert events[0].before is None
    assert events[0].after["verdict"] == "fail"
    assert events[1].before == {"verdict": "fail", "note": "无记录"}
    assert events[1].after == {"verdict": "pass", "note": "已补"}


def test_answers_to_different_items_or_areas_are_separate_responses():
    ctx = make_context()
    area = make_area(ctx)
    other = make_area(ctx, area.inspection_id, name="住院部2号楼1层")
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-01", Verdict.PASS)
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-02", Verdict.PASS)
    inspections.record_response(ctx, area.inspection_id, other.id, "iw-01", Verdict.PASS)
    assert len(ctx.repo.responses(area.inspection_id)) == 3


def test_answering_again_without_photos_keeps_the_photos():
    ctx = make_context()
    area = make_area(ctx)
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-02", Verdict.FAIL, photos=(PHOTO,))
    again = inspections.record_response(ctx, area.inspection_id, area.id, "iw-02", Verdict.FAIL, note="仍未整改")
    assert again.photos == (PHOTO,)


@pytest.mark.parametrize("item_id", ["iw-99", "bs-01", ""], ids=["unknown", "other-checklist", "empty"])
def test_record_response_refuses_an_item_not_in_the_areas_checklist(item_id):
    ctx = make_context()
    area = make_area(ctx)  # an inpatient ward
    before = snapshot(ctx)
    with pytest.raises(NotFound) as caught:
        inspections.record_response(ctx, area.inspection_id, area.id, item_id, Verdict.FAIL)
    assert caught.value.kind == "item"
    assert snapshot(ctx) == before


def test_record_response_refuses_an_area_of_another_inspection():
    ctx = make_context()
    area = make_area(ctx)
    other = make_inspection(ctx)
    with pytest.raises(NotFound) as caught:
        inspections.record_response(ctx, other.id, area.id, "iw-01", Verdict.PASS)
    assert caught.value.kind == "area"


def test_a_note_over_the_limit_is_refused():
    ctx = make_context()
    area = make_area(ctx)
    with pytest.raises(InvalidInput) as caught:
        inspections.record_response(ctx, area.inspection_id, area.id, "iw-01", Verdict.FAIL, note="字" * 2001)
    assert caught.value.reason == "too_long"
    assert ctx.repo.responses(area.inspection_id) == []


# complete_inspection


def test_a_photo_required_failure_without_a_photo_blocks_completion():
    ctx = make_context()
    area = make_area(ctx)
    assert ctx.catalog.checklist("inpatient_ward").item("iw-02").photo_required
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-02", Verdict.FAIL)
    before = snapshot(ctx)
    with pytest.raises(InvalidInput) as caught:
        inspections.complete_inspection(ctx, area.inspection_id)
    assert (caught.value.reason, caught.value.detail) == ("photo_required", {"count": 1, "item": "iw-02"})
    assert snapshot(ctx) == before


def test_completion_is_allowed_once_the_raised_hazard_has_a_photo():
    ctx = make_context()
    area = make_area(ctx)
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-02", Verdict.FAIL)
    hazard = make_hazard(ctx, "iw-02", inspection_id=area.inspection_id, area_id=area.id)
    with pytest.raises(InvalidInput):
        inspections.complete_inspection(ctx, area.inspection_id)  # a hazard without a photo is not enough
    hazards.update_hazard(ctx, hazard.id, photos=(PHOTO,))
    done = inspections.complete_inspection(ctx, area.inspection_id)
    assert done.status is InspectionStatus.COMPLETED
    assert [e.action for e in ctx.repo.audit(done.id)] == ["create", "transition:completed"]


def test_completion_is_allowed_when_the_answer_has_a_photo():
    ctx = make_context()
    area = make_area(ctx)
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-02", Verdict.FAIL, photos=(PHOTO,))
    assert inspections.complete_inspection(ctx, area.inspection_id).status is InspectionStatus.COMPLETED


def test_a_failure_on_an_item_without_photo_requirement_does_not_block_completion():
    ctx = make_context()
    area = make_area(ctx)
    assert not ctx.catalog.checklist("inpatient_ward").item("iw-01").photo_required
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-01", Verdict.FAIL)
    assert inspections.complete_inspection(ctx, area.inspection_id).status is InspectionStatus.COMPLETED


def test_a_completed_inspection_refuses_changes():
    ctx = make_context()
    area = make_area(ctx)
    inspections.complete_inspection(ctx, area.inspection_id)
    before = snapshot(ctx)
    with pytest.raises(IllegalTransition) as caught:
        inspections.record_response(ctx, area.inspection_id, area.id, "iw-01", Verdict.PASS)
    assert (caught.value.entity, caught.value.current, caught.value.reason) == ("inspection", "completed", "not_draft")
    with pytest.raises(IllegalTransition):
        make_area(ctx, area.inspection_id)
    with pytest.raises(IllegalTransition):
        inspections.complete_inspection(ctx, area.inspection_id)
    assert snapshot(ctx) == before


# progress


def test_area_progress_counts_answers_and_failures_per_area():
    ctx = make_context()
    area = make_area(ctx)
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-01", Verdict.FAIL)
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-02", Verdict.PASS)
    inspections.record_response(ctx, area.inspection_id, area.id, "iw-01", Verdict.NOT_APPLICABLE)
    [progress] = inspections.area_progress(ctx, area.inspection_id)
    assert (progress.total, progress.answered, progress.failed, progress.done) == (12, 2, 0, False)


# audit


def test_every_inspection_change_is_audited_with_actor_device_and_before_after():
    ctx = make_context(actor="张堃")
    inspection = make_inspection(ctx)
    area = make_area(ctx, inspection.id)
    response = inspections.record_response(ctx, inspection.id, area.id, "iw-01", Verdict.PASS)
    inspections.record_response(ctx, inspection.id, area.id, "iw-01", Verdict.FAIL)
    inspections.complete_inspection(ctx, inspection.id)
    events = list(ctx.repo.audit())
    assert [(e.entity, e.entity_id, e.action) for e in events] == [
        ("inspection", inspection.id, "create"),
        ("area", area.id, "create"),
        ("response", response.id, "create"),
        ("response", response.id, "update"),
        ("inspection", inspection.id, "transition:completed"),
    ]
    assert {(e.actor, e.device, e.unit, e.at) for e in events} == {("张堃", "test-device", "U01", ctx.now())}
    assert [e.before for e in events if e.action == "create"] == [None, None, None]
    assert events[-1].before == {"status": "draft"} and events[-1].after == {"status": "completed"}
    assert [e.rev for e in events] == sorted({e.rev for e in events})  # the logical clock only moves on
