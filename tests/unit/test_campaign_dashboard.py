"""The dashboard's figures and the circular's selection of units (thresholds from the config)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from app.domain import obligations as rules
from app.domain.campaign import CircularThresholds
from app.domain.clock import FixedClock
from app.domain.model import HazardStatus, InspectionKind, Severity
from app.domain.obligations import Evidence, EvidenceKind, ObligationStatus
from app.services import campaign_dashboard as board_service
from app.services.context import save
from app.services.report_summary import circular_data
from tests.unit.factories import as_actor, make_context, make_hazard, make_hazard_in, make_inspection, shared_catalog

JULY_10 = dt.datetime(2026, 7, 10, 4, 0, tzinfo=dt.UTC)
PROOF = (Evidence(EvidenceKind.PDF, "b" * 64, "proof.pdf"),)


def _submit_due(ctx, unit: str, skip: tuple[str, ...] = ()) -> None:
    """Submit every duty due by today except `skip`, the way the service stores them."""
    campaign = ctx.catalog.campaign
    with ctx.repo.transaction():
        for duty in rules.duties(campaign):
            if duty.due <= ctx.today() and duty.key not in skip:
                record = rules.pending_obligation(duty, unit, campaign.year, ctx.now())
                save(ctx, rules.submit(record, PROOF, ctx.actor, ctx.now()), None, "transition:submitted")


def _world():
    """U01 does everything; U02 misses the June report; U03 has an overdue major hazard;
    U04 rectified one hazard of four. Every other unit submitted everything and found nothing."""
    ctx = make_context(FixedClock(JULY_10))
    make_hazard(ctx, inspection_id=make_inspection(ctx, unit="U03").id, severity=Severity.MAJOR,
                deadline=dt.date(2026, 7, 12))
    for n in range(4):
        status = HazardStatus.RECTIFIED if n == 0 else HazardStatus.OPEN
        make_hazard_in(ctx, status, inspection_id=make_inspection(ctx, unit="U04").id)
    make_hazard_in(ctx, HazardStatus.RECTIFIED, inspection_id=make_inspection(ctx, unit="U01").id)
    make_inspection(as_actor(ctx, "局保卫处"), InspectionKind.SPOT_CHECK, unit="U01", date=dt.date(2026, 7, 8))
    ctx.clock.advance(days=40)   # 08-19: the hazards' 30-day deadlines have passed
    for unit in ctx.catalog.units.units:
        _submit_due(ctx, unit.code, skip=("monthly_report:2026-06",) if unit.code == "U02" else ())
    return ctx


def test_the_circular_names_units_by_late_duties_overdue_majors_and_low_rates():
    ctx = _world()
    lagging = {u.unit: {r.kind for r in u.reasons} for u in circular_data(ctx).lagging}
    assert lagging == {
        "U02": {"late_obligations"},
        "U03": {"overdue_major", "rectification_rate"},
        "U04": {"rectification_rate"},
    }
    late = next(u for u in circular_data(ctx).lagging if u.unit == "U02").late
    assert [o.id for o in late] == ["monthly_report:2026-06"]


def test_thresholds_from_the_config_decide_who_is_named():
    ctx = _world()
    lenient = dataclasses.replace(ctx.catalog.campaign, circular=CircularThresholds(0.0, 1, 1))
    ctx = dataclasses.replace(ctx, catalog=dataclasses.replace(ctx.catalog, campaign=lenient))
    assert [u.unit for u in circular_data(ctx).lagging] == []


def test_a_unit_that_submits_late_is_no_longer_named_once_it_has_submitted():
    ctx = _world()
    _submit_due(ctx, "U02", skip=tuple(d.key for d in rules.duties(ctx.catalog.campaign)
                                       if d.key != "monthly_report:2026-06"))
    assert "U02" not in {u.unit for u in circular_data(ctx).lagging}
    row = next(u for u in board_service.dashboard(ctx).units if u.unit == "U02")
    june = next(d for d in row.duties if d.key == "monthly_report:2026-06")
    assert june.status is ObligationStatus.SUBMITTED and june.submitted_late


def test_the_dashboard_names_the_same_units_as_the_circular():
    ctx = _world()
    board = board_service.dashboard(ctx)
    assert [u.unit for u in board.named] == [u.unit for u in circular_data(ctx).lagging]
    assert len(board.units) == len(shared_catalog().units.units)


def test_the_dashboard_counts_hazards_and_the_last_spot_check():
    board = board_service.dashboard(_world())
    rows = {u.unit: u for u in board.units}
    assert (rows["U04"].found, rows["U04"].rectified, rows["U04"].overdue) == (4, 1, 3)
    assert rows["U04"].rectification_rate == 0.25
    assert rows["U03"].overdue_major == 1
    assert rows["U01"].last_spot_check == dt.date(2026, 7, 8) and rows["U02"].last_spot_check is None
    assert rows["U02"].count(ObligationStatus.LATE) == 1


def test_dashboard_json_lists_the_named_units_and_every_duty():
    data = board_service.dashboard_json(board_service.dashboard(_world()))
    assert data["circular"] == ["U03", "U04", "U02"]      # graded: overdue major, low rate, late paperwork
    u02 = next(u for u in data["units"] if u["unit"] == "U02")
    assert u02["late_obligations"] == 1 and u02["named_in_circular"]
    assert len(u02["obligations"]) == len(rules.duties(shared_catalog().campaign))
    assert data["totals"]["late"] == 1
