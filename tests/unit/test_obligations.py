"""Obligation rules: due dates from the config, late after the due date in Shanghai, the cycle."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain import obligations as rules
from app.domain.campaign import parse_campaign
from app.domain.clock import CAMPAIGN_TZ, FixedClock
from app.domain.errors import IllegalTransition, InvalidInput
from app.domain.obligations import Evidence, EvidenceKind, ObligationStatus
from app.resources import checklists_dir
from app.services import obligations as service
from app.services.campaign_status import late_obligations
from tests.unit.factories import make_context, shared_catalog

CAMPAIGN_TOML = (checklists_dir() / "campaign.toml").read_text(encoding="utf-8")
PROOF = (Evidence(EvidenceKind.PDF, "a" * 64, "plan.pdf"),)
AT = dt.datetime(2026, 6, 20, 2, 0, tzinfo=dt.UTC)


def _duty(kind: str, period: str = "") -> rules.Duty:
    return next(d for d in rules.duties(shared_catalog().campaign) if d.kind == kind and d.period == period)


def _pending(kind: str = "plan", period: str = "") -> rules.UnitObligation:
    return rules.pending_obligation(_duty(kind, period), "U01", 2026, AT)


def test_due_dates_come_from_the_campaign_config():
    campaign = shared_catalog().campaign
    due = {d.key: d.due for d in rules.duties(campaign)}
    assert due["plan"] == dt.date(2026, 6, 25)
    assert due["self_check_done"] == dt.date(2026, 6, 30)
    assert due["rectification_report"] == dt.date(2026, 9, 15)
    assert due["summary"] == dt.date(2026, 9, 26)
    assert due["responsibility_letters"] == campaign.obligations[2].due


def test_changing_the_config_moves_every_due_date():
    edited = CAMPAIGN_TOML.replace('due = "06-25"', 'due = "06-28"').replace("year = 2026", "year = 2027")
    campaign = parse_campaign(edited, "campaign.toml")
    due = {d.key: d.due for d in rules.duties(campaign)}
    assert due["plan"] == dt.date(2027, 6, 28)
    assert due["monthly_report:2027-07"] == dt.date(2027, 7, 25)


def test_there_is_a_monthly_report_for_each_month_of_the_campaign_due_on_the_25th():
    campaign = shared_catalog().campaign
    monthly = [d for d in rules.duties(campaign) if d.kind == rules.MONTHLY]
    months = [(campaign.start.replace(day=1) + dt.timedelta(days=31 * n)).strftime("%Y-%m") for n in range(5)]
    assert [d.period for d in monthly] == months == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert all(d.due.day == campaign.monthly_before_day for d in monthly)
    assert len({d.key for d in rules.duties(campaign)}) == len(rules.duties(campaign))   # keys are unique


def test_duties_are_in_date_order():
    dues = [d.due for d in rules.duties(shared_catalog().campaign)]
    assert dues == sorted(dues)


def test_a_pending_duty_is_late_only_after_its_due_day():
    pending = _pending()   # due 06-25
    assert rules.effective_status(pending, dt.date(2026, 6, 25)) is ObligationStatus.PENDING
    assert rules.effective_status(pending, dt.date(2026, 6, 26)) is ObligationStatus.LATE


def test_late_is_judged_on_the_shanghai_calendar_not_utc():
    ctx = make_context(FixedClock(dt.datetime(2026, 6, 25, 15, 59, tzinfo=dt.UTC)))   # 23:59 in Shanghai
    assert "plan" not in {o.id for o in late_obligations(ctx, "U01", ctx.today())}
    ctx.clock.advance(minutes=2)                                                      # 00:01 on the 26th
    assert ctx.today() == dt.date(2026, 6, 26)
    assert "plan" in {o.id for o in late_obligations(ctx, "U01", ctx.today())}


def test_submitted_after_the_due_day_in_shanghai_counts_as_submitted_late():
    on_time = rules.submit(_pending(), PROOF, "王喆", dt.datetime(2026, 6, 25, 15, 59, tzinfo=dt.UTC))
    late = rules.submit(_pending(), PROOF, "王喆", dt.datetime(2026, 6, 25, 16, 1, tzinfo=dt.UTC))
    assert not rules.submitted_late(on_time, CAMPAIGN_TZ)
    assert rules.submitted_late(late, CAMPAIGN_TZ)


def test_submitted_and_accepted_duties_are_never_late():
    submitted = rules.submit(_pending(), PROOF, "王喆", AT)
    far = dt.date(2026, 12, 31)
    assert rules.effective_status(submitted, far) is ObligationStatus.SUBMITTED
    assert rules.effective_status(rules.accept(submitted, "局", AT), far) is ObligationStatus.ACCEPTED


def test_a_returned_duty_carries_its_reason_and_turns_late_after_the_due_day():
    returned = rules.give_back(rules.submit(_pending(), PROOF, "王喆", AT), " 缺少领导小组名单 ", "局", AT)
    assert returned.status is ObligationStatus.RETURNED and returned.return_reason == "缺少领导小组名单"
    assert rules.effective_status(returned, dt.date(2026, 6, 25)) is ObligationStatus.RETURNED
    assert rules.effective_status(returned, dt.date(2026, 6, 26)) is ObligationStatus.LATE
    again = rules.submit(returned, PROOF, "王喆", AT)
    assert again.status is ObligationStatus.SUBMITTED and again.submissions == 2 and again.return_reason == ""


def test_submitting_needs_evidence():
    with pytest.raises(InvalidInput) as error:
        rules.submit(_pending(), (), "王喆", AT)
    assert error.value.reason == "required"


def test_returning_needs_a_reason():
    submitted = rules.submit(_pending(), PROOF, "王喆", AT)
    with pytest.raises(InvalidInput):
        rules.give_back(submitted, "  ", "局", AT)


@pytest.mark.parametrize("move", ["accept", "return"])
def test_only_a_submitted_duty_can_be_accepted_or_returned(move):
    def decide(o):
        return rules.accept(o, "局", AT) if move == "accept" else rules.give_back(o, "x", "局", AT)

    with pytest.raises(IllegalTransition):
        decide(_pending())
    accepted = rules.accept(rules.submit(_pending(), PROOF, "王喆", AT), "局", AT)
    with pytest.raises(IllegalTransition):
        decide(accepted)


def test_an_accepted_duty_cannot_be_submitted_again():
    accepted = rules.accept(rules.submit(_pending(), PROOF, "王喆", AT), "局", AT)
    with pytest.raises(IllegalTransition):
        rules.submit(accepted, PROOF, "王喆", AT)


def test_every_device_names_the_same_duty_with_the_same_id():
    a = rules.pending_obligation(_duty("plan"), "U01", 2026, AT)
    b = rules.pending_obligation(_duty("plan"), "U01", 2026, AT + dt.timedelta(days=3))
    assert a.id == b.id and len(a.id) == 32 and int(a.id, 16) >= 0
    assert a.id != rules.pending_obligation(_duty("plan"), "U02", 2026, AT).id


def test_due_soon_is_within_seven_days_and_still_to_submit():
    pending = _pending()   # due 06-25
    assert rules.is_due_soon(pending, dt.date(2026, 6, 18))
    assert not rules.is_due_soon(pending, dt.date(2026, 6, 17))
    assert not rules.is_due_soon(pending, dt.date(2026, 6, 26))
    assert not rules.is_due_soon(rules.submit(pending, PROOF, "王喆", AT), dt.date(2026, 6, 20))


def test_unit_reminders_list_what_is_due_this_week_and_what_is_late():
    ctx = make_context(FixedClock(dt.datetime(2026, 6, 28, 4, 0, tzinfo=dt.UTC)))   # 06-28 noon in Shanghai
    found = service.reminders(ctx, "U01")
    assert [r.key for r in found.late] == ["monthly_report:2026-06", "plan"]
    assert [r.key for r in found.due_soon] == ["self_check_done"]
    assert found.late[0].days == -3 and found.due_soon[0].days == 2


def test_bureau_reminders_cover_every_unit():
    ctx = make_context(FixedClock(dt.datetime(2026, 6, 28, 4, 0, tzinfo=dt.UTC)))
    found = service.reminders(ctx)
    assert len({r.unit for r in found.late}) == len(ctx.catalog.units.units)


def test_a_stored_due_date_never_overrides_the_config():
    ctx = make_context()
    states = service.unit_duties(ctx, "U01", [dataclasses.replace(_pending(), due=dt.date(2030, 1, 1))])
    state = next(s for s in states if s.key == "plan")
    assert state.status is ObligationStatus.LATE and state.record.due == _duty("plan").due
