"""Re-checks (回头看) against a real TinyDB data directory with real photos: start, pass, fail, finish."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.errors import IllegalTransition, InvalidInput, NotFound
from app.domain.model import HazardStatus, InspectionKind, InspectionStatus, PhotoOwner
from app.services import hazards, inspections, photos, rechecks
from app.services.integrity import verify_data
from tests.integration.photo_fixtures import jpeg

S = HazardStatus
RECTIFIER, CHECKER, PARTNER = "王喆", "李秀兰", "张堃"
START = dt.datetime(2026, 7, 10, 2, 0, tzinfo=dt.UTC)   # 10:00 in Shanghai


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def ctx(tmp_path, clock):
    return build(tmp_path / "data", clock, actor=RECTIFIER)


def as_(ctx, actor):
    """The same store and clock, signed in as someone else."""
    return replace(ctx, actor=actor)


def seed(ctx, clock, unit: str = "U01", deadlines: tuple[int, ...] = (20, 5, 12)) -> list:
    """One self-check at `unit` with a hazard per deadline (days after the visit), each rectified with a photo."""
    inspection = inspections.start_inspection(ctx, unit, InspectionKind.SELF_CHECK, [RECTIFIER], dt.date(2026, 7, 1))
    area = inspections.add_area(ctx, inspection.id, "inpatient_ward", "住院部3号楼5层")
    found = []
    for n, days in enumerate(deadlines):
        hazard = hazards.raise_hazard(ctx, inspection.id, area.id, description=f"隐患{n}",
                                      deadline=dt.date(2026, 7, 1) + dt.timedelta(days=days))
        evidence = photos.add_evidence_photo(ctx, hazard.id, jpeg(), f"fix{n}.jpg")
        clock.advance(minutes=1)
        found.append(hazards.rectify(ctx, hazard.id, "已拆除私接电线", (evidence.sha256,)))
    return found


def snapshot(ctx):
    return {h.id: h for h in ctx.repo.hazards()}, len(list(ctx.repo.audit()))


def test_candidates_are_the_units_rectified_hazards_oldest_deadline_first(ctx, clock):
    rectified = seed(ctx, clock)
    other = seed(ctx, clock, unit="U02", deadlines=(3,))
    still_open = hazards.raise_hazard(ctx, rectified[0].inspection_id, rectified[0].area_id, description="未整改")
    found = rechecks.recheck_candidates(ctx, "U01")
    assert [h.description for h in found] == ["隐患1", "隐患2", "隐患0"]
    assert still_open.id not in {h.id for h in found} and other[0].id not in {h.id for h in found}
    assert rechecks.candidate_counts(ctx) == {"U01": 3, "U02": 1}


def test_a_deferred_hazard_is_not_a_candidate_even_when_its_plan_is_due(ctx, clock):
    [hazard] = seed(ctx, clock, deadlines=(5,))
    deferred = hazards.raise_hazard(ctx, hazard.inspection_id, hazard.area_id, description="线路改造")
    hazards.defer(ctx, deferred.id, "资金需年度预算", [(dt.date(2026, 7, 10), "临时隔离")], "专人值守")
    assert [h.id for h in rechecks.recheck_candidates(ctx, "U01")] == [hazard.id]


def test_starting_pins_the_candidates_in_a_follow_up_draft(ctx, clock):
    seeded = seed(ctx, clock)
    checker = as_(ctx, CHECKER)
    inspection = rechecks.start_recheck(checker, "U01", [CHECKER], dt.date(2026, 7, 10))
    assert inspection.kind is InspectionKind.FOLLOW_UP and inspection.status is InspectionStatus.DRAFT
    assert set(inspection.source_hazards) == {h.id for h in seeded}
    items = rechecks.recheck_items(checker, inspection.id)
    assert [i.hazard.description for i in items] == ["隐患1", "隐患2", "隐患0"]
    assert all(not i.decided and i.pending and len(i.evidence_thumbs) == 1 for i in items)
    assert rechecks.open_rechecks(checker, "U01") == [inspection]


def test_a_spot_check_recheck_needs_two_inspectors_and_nothing_to_recheck_is_refused(ctx, clock):
    seed(ctx, clock)
    checker = as_(ctx, CHECKER)
    with pytest.raises(InvalidInput) as caught:
        rechecks.start_recheck(checker, "U01", [CHECKER], kind=InspectionKind.SPOT_CHECK)
    assert caught.value.reason == "two_inspectors"
    spot = rechecks.start_recheck(checker, "U01", [CHECKER, PARTNER], kind=InspectionKind.SPOT_CHECK)
    assert spot.kind is InspectionKind.SPOT_CHECK and len(spot.source_hazards) == 3
    with pytest.raises(InvalidInput) as caught:
        rechecks.start_recheck(checker, "U02", [CHECKER])
    assert caught.value.reason == "nothing_to_recheck"
    with pytest.raises(InvalidInput):
        rechecks.start_recheck(checker, "U01", [CHECKER], kind=InspectionKind.SELF_CHECK)
    assert all(i.kind is not InspectionKind.FOLLOW_UP for i in ctx.repo.inspections("U02"))


def test_pass_verifies_and_fail_with_a_photo_reopens(ctx, clock):
    first, second, _third = seed(ctx, clock, deadlines=(1, 2, 3))
    checker = as_(ctx, CHECKER)
    inspection = rechecks.start_recheck(checker, "U01", [CHECKER])
    clock.advance(minutes=5)
    passed = rechecks.record_recheck(checker, inspection.id, first.id, True, "已拆除，现场整洁")
    assert passed.status is S.VERIFIED and passed.closed_at == clock.now()
    assert passed.verifications[-1].by == CHECKER and passed.verifications[-1].inspection_id == inspection.id

    photo = rechecks.add_recheck_photo(checker, inspection.id, second.id, jpeg(), "still.jpg")
    assert photo.owner is PhotoOwner.RECHECK
    failed = rechecks.record_recheck(checker, inspection.id, second.id, False, "仍有电热毯")
    assert failed.status is S.REOPENED
    assert failed.verifications[-1].photos == (photo.sha256,) and failed.verifications[-1].note == "仍有电热毯"

    items = rechecks.recheck_items(checker, inspection.id)
    by_id = {i.hazard.id: i for i in items}
    assert by_id[second.id].recheck_photos == (photo,) and by_id[first.id].recheck_photos == ()
    progress = rechecks.recheck_progress(items)
    assert (progress.total, progress.verified, progress.reopened, progress.pending) == (3, 1, 1, 1)
    # the same hazard cannot be decided twice in one re-check
    with pytest.raises(IllegalTransition) as caught:
        rechecks.record_recheck(checker, inspection.id, first.id, False)
    assert caught.value.reason == "already_rechecked"


def test_a_fail_without_a_photo_is_refused_and_changes_nothing(ctx, clock):
    [hazard] = seed(ctx, clock, deadlines=(5,))
    checker = as_(ctx, CHECKER)
    inspection = rechecks.start_recheck(checker, "U01", [CHECKER])
    before = snapshot(ctx)
    with pytest.raises(InvalidInput) as caught:
        rechecks.record_recheck(checker, inspection.id, hazard.id, False, "仍未整改")
    assert (caught.value.field, caught.value.reason) == ("photos", "recheck_photo_required")
    assert snapshot(ctx) == before


def test_the_person_who_rectified_cannot_verify_and_nothing_changes(ctx, clock):
    [hazard] = seed(ctx, clock, deadlines=(5,))
    inspection = rechecks.start_recheck(ctx, "U01", [RECTIFIER])     # the rectifier re-checks their own fix
    before = snapshot(ctx)
    with pytest.raises(IllegalTransition) as caught:
        rechecks.record_recheck(ctx, inspection.id, hazard.id, True)
    assert caught.value.reason == "same_person"
    assert snapshot(ctx) == before


def test_photos_picked_for_a_recheck_survive_a_reopened_store(ctx, clock, tmp_path):
    [hazard] = seed(ctx, clock, deadlines=(5,))
    checker = as_(ctx, CHECKER)
    inspection = rechecks.start_recheck(checker, "U01", [CHECKER])
    photo = rechecks.add_recheck_photo(checker, inspection.id, hazard.id, jpeg(), "still.jpg")
    reopened = build(tmp_path / "data", clock, actor=CHECKER)   # e.g. after a reload or a restart
    [item] = rechecks.recheck_items(reopened, inspection.id)
    assert [p.sha256 for p in item.recheck_photos] == [photo.sha256] and not item.decided
    rechecks.record_recheck(reopened, inspection.id, hazard.id, False)
    assert hazards.get_hazard(reopened, hazard.id).verifications[-1].photos == (photo.sha256,)


def test_a_photo_not_taken_at_this_recheck_cannot_be_named(ctx, clock):
    [hazard] = seed(ctx, clock, deadlines=(5,))
    checker = as_(ctx, CHECKER)
    inspection = rechecks.start_recheck(checker, "U01", [CHECKER])
    evidence = hazard.rectification.photos[0]
    with pytest.raises(NotFound):
        rechecks.record_recheck(checker, inspection.id, hazard.id, False, photos=(evidence,))
    assert hazards.get_hazard(ctx, hazard.id).status is S.RECTIFIED


def test_finishing_waits_for_every_hazard_then_completes_the_inspection(ctx, clock, tmp_path):
    first, second = seed(ctx, clock, deadlines=(1, 2))
    checker = as_(ctx, CHECKER)
    inspection = rechecks.start_recheck(checker, "U01", [CHECKER])
    rechecks.record_recheck(checker, inspection.id, first.id, True)
    with pytest.raises(InvalidInput) as caught:
        rechecks.finish_recheck(checker, inspection.id)
    assert (caught.value.reason, caught.value.detail) == ("recheck_pending", {"count": 1})
    assert inspections.get_inspection(ctx, inspection.id).status is InspectionStatus.DRAFT
    rechecks.add_recheck_photo(checker, inspection.id, second.id, jpeg(), "still.jpg")
    rechecks.record_recheck(checker, inspection.id, second.id, False)
    progress = rechecks.finish_recheck(checker, inspection.id)
    assert (progress.verified, progress.reopened, progress.pending) == (1, 1, 0)
    assert inspections.get_inspection(ctx, inspection.id).status is InspectionStatus.COMPLETED
    assert rechecks.open_rechecks(checker, "U01") == []
    with pytest.raises(IllegalTransition):   # a completed re-check takes no more results or photos
        rechecks.add_recheck_photo(checker, inspection.id, second.id, jpeg(), "late.jpg")
    report = verify_data(tmp_path / "data")
    assert report.sound, report.problems


def test_a_hazard_settled_elsewhere_does_not_hold_up_the_recheck(ctx, clock):
    first, second = seed(ctx, clock, deadlines=(1, 2))
    checker = as_(ctx, CHECKER)
    mine = rechecks.start_recheck(checker, "U01", [CHECKER])
    other = rechecks.start_recheck(as_(ctx, PARTNER), "U01", [PARTNER])
    rechecks.record_recheck(as_(ctx, PARTNER), other.id, second.id, True)
    rechecks.record_recheck(checker, mine.id, first.id, True)
    items = rechecks.recheck_items(checker, mine.id)
    assert [i.pending for i in items] == [False, False] and not items[1].decided
    assert rechecks.finish_recheck(checker, mine.id).verified == 1


def test_results_go_only_to_hazards_the_recheck_covers(ctx, clock):
    [hazard] = seed(ctx, clock, deadlines=(5,))
    checker = as_(ctx, CHECKER)
    inspection = rechecks.start_recheck(checker, "U01", [CHECKER])
    [later] = seed(ctx, clock, deadlines=(9,))    # rectified after the re-check began
    with pytest.raises(NotFound):
        rechecks.record_recheck(checker, inspection.id, later.id, True)
    walk = inspections.start_inspection(checker, "U01", InspectionKind.FOLLOW_UP, [CHECKER])
    with pytest.raises(NotFound):   # a follow-up begun elsewhere, with no pinned hazards, is no re-check here
        rechecks.recheck_items(checker, walk.id)
    assert hazards.get_hazard(ctx, hazard.id).status is S.RECTIFIED
