"""Withdraw and timeline on the real TinyDB store: refused once on an issued notice; the timeline
reads only the hazard's own file."""

from __future__ import annotations

import datetime as dt

import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.errors import IllegalTransition
from app.domain.model import InspectionKind, Verdict
from app.domain.notice import Signature
from app.media.signature import render_signature
from app.services import hazards, inspections, notices, photos, queries
from tests.integration.photo_fixtures import jpeg

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))


@pytest.fixture
def raised(tmp_path):
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U03", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspections.add_area(ctx, inspection.id, "substation", "门诊楼地下一层配电室")
    inspections.record_response(ctx, inspection.id, area.id, "ss-01", Verdict.FAIL)
    hazard = hazards.raise_hazard(ctx, inspection.id, area.id, "ss-01")
    return ctx, inspection, hazard


def test_a_hazard_on_an_issued_notice_cannot_be_withdrawn(raised):
    ctx, inspection, hazard = raised
    photos.add_hazard_photo(ctx, hazard.id, jpeg(800, 600), "p.jpg")   # the item needs a photo
    pad = render_signature([[(0.1, 0.5), (0.5, 0.2), (0.9, 0.6)]])
    notice = notices.issue_notice(ctx, inspection.id, notices.Signatures((Signature("王喆", pad),),
                                                                           Signature("李堃", pad)))
    assert hazards.notices_listing(ctx, hazard) == [notice.number]
    before = list(ctx.repo.audit())
    with pytest.raises(IllegalTransition) as caught:
        hazards.withdraw_hazard(ctx, hazard.id, "误报")
    assert caught.value.reason == "on_issued_notice"
    assert list(ctx.repo.audit()) == before
    assert not build(ctx.repo.root, CLOCK).repo.get_hazard(hazard.id).deleted


def test_a_withdrawal_is_durable_and_its_reason_reads_back_after_reopening(raised):
    ctx, _inspection, hazard = raised
    hazards.withdraw_hazard(ctx, hazard.id, "与上一条重复")
    again = build(ctx.repo.root, CLOCK)
    assert again.repo.get_hazard(hazard.id).deleted
    assert hazards.ledger(again).total == 0
    last = queries.hazard_timeline(again, hazard.id)[-1]
    assert (last.action, last.note) == ("withdraw", "与上一条重复")


def test_the_timeline_reads_the_hazards_own_file_not_the_whole_history(raised):
    ctx, _inspection, hazard = raised
    hazards.start_rectifying(ctx, hazard.id)
    elsewhere = inspections.start_inspection(ctx, "U05", InspectionKind.SELF_CHECK, ["王喆"])
    root = ctx.repo.root
    # another unit's file turns unreadable: a scan of every audit table would trip on it
    (root / "units" / elsewhere.unit / "inspections.json").write_text("{ not json")
    fresh = build(root, CLOCK)
    actions = [e.action for e in queries.hazard_timeline(fresh, hazard.id)]
    assert actions == ["create", "transition:rectifying"]
    with pytest.raises(Exception):   # noqa: B017 - the whole-history scan does trip (any error)
        list(fresh.repo.audit())
