"""Read-only queries the screens use: one area's answers, its hazards, where a draft resumes."""

from __future__ import annotations

import pytest

from app.domain.errors import NotFound
from app.domain.model import Verdict
from app.services import inspections, queries
from app.services.signatures import signature
from tests.unit.factories import make_area, make_context, make_hazard, make_inspection


def answer(ctx, area, count, verdict=Verdict.PASS):
    for item in ctx.catalog.checklist(area.checklist_id).items[:count]:
        inspections.record_response(ctx, area.inspection_id, area.id, item.id, verdict)


def test_a_draft_resumes_at_the_first_unanswered_item_of_the_first_unfinished_area():
    ctx = make_context()
    inspection = make_inspection(ctx)
    first = make_area(ctx, inspection.id, name="住院部1层")
    second = make_area(ctx, inspection.id, location_type="basement", name="地下一层")
    answer(ctx, first, 12)
    answer(ctx, second, 3)
    where = queries.resume_point(ctx, inspection.id)
    assert (where.area_id, where.item_id) == (second.id, ctx.catalog.checklist("basement").items[3].id)


def test_a_fully_answered_draft_has_nowhere_to_resume():
    ctx = make_context()
    area = make_area(ctx)
    answer(ctx, area, 12, Verdict.NOT_APPLICABLE)
    assert queries.resume_point(ctx, area.inspection_id) == queries.Resume(None, None)


def test_answers_of_an_area_leave_other_areas_out():
    ctx = make_context()
    inspection = make_inspection(ctx)
    one, other = make_area(ctx, inspection.id), make_area(ctx, inspection.id, name="5层")
    answer(ctx, one, 2)
    answer(ctx, other, 5)
    assert len(queries.answers_of_area(ctx, inspection.id, one.id)) == 2


def test_the_hazard_of_an_item_is_found_by_area_and_item():
    ctx = make_context()
    hazard = make_hazard(ctx, "iw-03")
    assert queries.hazard_for_item(ctx, hazard.inspection_id, hazard.area_id, "iw-03") == hazard
    assert queries.hazard_for_item(ctx, hazard.inspection_id, hazard.area_id, "iw-04") is None
    assert queries.hazards_of_inspection(ctx, hazard.inspection_id) == [hazard]


def test_an_unknown_area_is_not_found():
    ctx = make_context()
    inspection = make_inspection(ctx)
    with pytest.raises(NotFound):
        queries.get_area(ctx, inspection.id, "nope")


def test_a_signature_without_strokes_is_the_name_only():
    assert signature(" 王喆 ", [[], []]).png is None
    drawn = signature("王喆", [[(0.1, 0.5), (0.9, 0.4)]])
    assert drawn.name == "王喆" and drawn.png.startswith(b"\x89PNG")
