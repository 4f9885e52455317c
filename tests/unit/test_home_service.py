"""Home for the person holding the tablet: whose reminders, and today's work."""

from __future__ import annotations

from app.domain.model import InspectionKind
from app.services import home, inspections
from tests.unit.factories import make_context


def test_a_device_with_one_units_inspections_is_no_bureau_device_and_one_with_several_is():
    ctx = make_context()
    assert home.home_is_bureau(ctx)                      # nothing of its own yet: the bureau's view
    inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    assert not home.home_is_bureau(ctx)                  # a unit's tablet
    inspections.start_inspection(ctx, "U03", InspectionKind.SPOT_CHECK, ["王喆", "李秀兰"])
    assert home.home_is_bureau(ctx)


def test_todays_work_counts_todays_visits():
    ctx = make_context()
    inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    assert home.today_work(ctx).inspections_today == 1
