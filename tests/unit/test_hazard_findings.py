"""A hazard raised from chosen findings says exactly those, with their requirement and deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.errors import InvalidInput
from app.domain.model import Hazard
from app.services import hazards
from app.store.codec import from_doc, to_doc
from tests.unit.factories import TODAY, make_area, make_context


def ward(ctx):
    return make_area(ctx, location_type="inpatient_ward", name="住院部3号楼5层")


def test_one_chosen_finding_gives_only_its_text_requirement_and_deadline():
    ctx = make_context()
    area = ward(ctx)
    item = ctx.catalog.checklist("inpatient_ward").item("iw-12")
    assert len(item.findings) > 2   # the compound "缺失、被遮挡、失压或过期" item
    hazard = hazards.raise_hazard(ctx, area.inspection_id, area.id, "iw-12", findings=["iw-12-pressure"])
    assert hazard.description == "灭火器压力指针在红区（失压）"
    assert hazard.findings == ("iw-12-pressure",)
    assert hazard.requirement == item.finding("iw-12-pressure").requirement_zh
    assert hazard.deadline == TODAY + dt.timedelta(days=3)
    assert "过期" not in hazard.description and "遮挡" not in hazard.description
    assert area.name not in hazard.description   # the location is printed once, beside it


def test_several_findings_keep_checklist_order_and_the_soonest_deadline():
    ctx = make_context()
    area = ward(ctx)
    hazard = hazards.raise_hazard(ctx, area.inspection_id, area.id, "iw-12",
                                  findings=["iw-12-expired", "iw-12-blocked"])
    assert hazard.findings == ("iw-12-blocked", "iw-12-expired")
    assert hazard.description == "灭火器被遮挡、取用不便；灭火器超过维修期限或报废年限"
    assert hazard.deadline == TODAY   # 立即改正 wins


def test_an_unknown_finding_is_refused_and_nothing_is_stored():
    ctx = make_context()
    area = ward(ctx)
    with pytest.raises(InvalidInput) as caught:
        hazards.raise_hazard(ctx, area.inspection_id, area.id, "iw-12", findings=["iw-07-covered"])
    assert (caught.value.field, caught.value.reason) == ("findings", "unknown_finding")
    assert list(ctx.repo.hazards()) == []


def test_the_major_hint_follows_the_findings_chosen_with_its_reason():
    ctx = make_context()
    area = ward(ctx)
    minor = hazards.raise_hazard(ctx, area.inspection_id, area.id, "iw-09", findings=["iw-09-dim"])
    major = hazards.raise_hazard(ctx, area.inspection_id, area.id, "iw-09", findings=["iw-09-off"])
    assert (minor.major_hint, major.major_hint) == (False, True)
    assert hazards.major_hint_reason(ctx, minor) == ""
    assert "30%" in hazards.major_hint_reason(ctx, major)
    assert "composite criterion" in hazards.major_hint_reason(ctx, major, "en")


def test_choosing_findings_on_a_raised_hazard_rewrites_it_and_none_puts_the_item_back():
    ctx = make_context()
    area = ward(ctx)
    item = ctx.catalog.checklist("inpatient_ward").item("iw-12")
    raised = hazards.raise_hazard(ctx, area.inspection_id, area.id, "iw-12")   # the 不合格 tap
    assert raised.description == item.hazard_zh and raised.findings == ()
    chosen = hazards.choose_findings(ctx, raised.id, ["iw-12-hblocked"])
    assert chosen.description == "消火栓箱被遮挡或箱门无法打开"
    assert chosen.deadline == TODAY and chosen.requirement.startswith("立即清除")
    back = hazards.choose_findings(ctx, raised.id, [])
    assert (back.description, back.findings, back.requirement) == (item.hazard_zh, (), "")
    assert back.deadline == TODAY + dt.timedelta(days=item.period_days)


def test_a_stored_hazard_from_before_findings_still_reads():
    ctx = make_context()
    area = ward(ctx)
    doc = to_doc(hazards.raise_hazard(ctx, area.inspection_id, area.id, "iw-05"))
    old = {k: v for k, v in doc.items() if k not in ("findings", "requirement")}
    hazard = from_doc(Hazard, old)
    assert (hazard.findings, hazard.requirement) == ((), "")
