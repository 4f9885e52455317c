"""Campaign figures per unit and for the home screen, from real records on disk."""

from __future__ import annotations

import datetime as dt

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.model import InspectionKind, Severity, Verdict
from app.services import campaign_status
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service


def test_unit_status_and_home_summary_count_what_was_recorded(tmp_path):
    clock = FixedClock(dt.datetime(2026, 7, 6, 2, 0, tzinfo=dt.UTC))  # a Monday in the rectification phase
    ctx = build(tmp_path / "data", clock, actor="王喆")
    ctx.photos.put(b"evidence", ".jpg")
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspection_service.add_area(ctx, inspection.id, "basement", "地下一层")
    for item in ("bs-01", "bs-02", "bs-03"):
        inspection_service.record_response(ctx, inspection.id, area.id, item, Verdict.FAIL)
    due_today = hazard_service.raise_hazard(ctx, inspection.id, area.id, "bs-01", severity=Severity.MAJOR,
                                            deadline=dt.date(2026, 7, 6))
    hazard_service.raise_hazard(ctx, inspection.id, area.id, "bs-02", deadline=dt.date(2026, 7, 12))
    fixed = hazard_service.raise_hazard(ctx, inspection.id, area.id, "bs-03", deadline=dt.date(2026, 8, 1))
    hazard_service.rectify(ctx, fixed.id, "已清理", photos=("a" * 64,))

    home = campaign_status.home_summary(ctx)
    assert home.phase.id == "rectification" and home.days_left_in_phase == (dt.date(2026, 9, 15) - home.today).days
    assert [d.id for d in home.drafts] == [inspection.id]
    assert (home.open, home.overdue, home.major, home.due_this_week) == (2, 0, 1, 2)

    clock.advance(days=1)  # the major hazard due yesterday is now overdue and proposed for listing
    home = campaign_status.home_summary(ctx)
    assert (home.overdue, home.proposed_for_listing) == (1, 1)
    status = campaign_status.unit_status(ctx, "U01")
    assert (status.hazards_found, status.rectified, status.overdue_major) == (3, 1, 1)
    assert status.areas_by_type == {"basement": 1}
    assert abs(status.rectification_rate - 1 / 3) < 1e-9
    assert due_today.id in {h.id for h in hazard_service.ledger(ctx, overdue=True).items}
    assert len(campaign_status.campaign_status(ctx)) == 36
