"""The first photo of a draft hazard stores the hazard with it, or (refused) stores neither."""

from __future__ import annotations

import datetime as dt

import pytest

from app.bootstrap import build
from app.domain.errors import PhotoRejected
from app.domain.model import InspectionKind, Severity, Verdict
from app.services import inspections, photos, queries
from tests.integration.photo_fixtures import jpeg

WARD = "inpatient_ward"


def failed(tmp_path):
    ctx = build(tmp_path / "data", actor="王喆")
    visit = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
    area = inspections.add_area(ctx, visit.id, WARD, "住院部3号楼5层")
    item = ctx.catalog.checklist(WARD).items[0].id
    inspections.record_response(ctx, visit.id, area.id, item, Verdict.FAIL)
    fields = {"description": "走廊堆放病床", "deadline": dt.date(2026, 7, 20), "severity": Severity.GENERAL,
              "responsible": "李秀兰", "measures": ""}
    return ctx, visit.id, area.id, item, fields


def test_a_good_first_photo_stores_the_hazard_with_what_was_typed(tmp_path):
    ctx, visit, area, item, fields = failed(tmp_path)
    photo = photos.add_draft_hazard_photo(ctx, visit, area, item, jpeg(), "a.jpg", fields=fields)
    hazard = queries.hazard_for_item(build(tmp_path / "data"), visit, area, item)
    assert hazard.id == photo.owner_id and hazard.responsible == "李秀兰" and hazard.photos == (photo.sha256,)


def test_a_refused_first_photo_stores_no_hazard(tmp_path):
    ctx, visit, area, item, fields = failed(tmp_path)
    with pytest.raises(PhotoRejected):
        photos.add_draft_hazard_photo(ctx, visit, area, item, b"not an image", "a.jpg", fields=fields)
    assert queries.hazard_for_item(build(tmp_path / "data"), visit, area, item) is None
