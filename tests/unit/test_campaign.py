"""Campaign phases and deadlines come from data and follow the calendar."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app.domain.campaign import parse_campaign
from app.domain.errors import ConfigInvalid
from app.resources import checklists_dir

TEXT = (checklists_dir() / "campaign.toml").read_text("utf-8")


def test_phases_follow_the_configured_dates():
    campaign = parse_campaign(TEXT, "campaign.toml")
    assert campaign.phase_on(dt.date(2026, 6, 19)) is None           # the plan: 6月20日至10月10日
    assert campaign.phase_on(dt.date(2026, 6, 20)).id == "self_check"
    assert campaign.phase_on(dt.date(2026, 6, 30)).id == "self_check"
    assert campaign.phase_on(dt.date(2026, 7, 1)).id == "rectification"
    assert campaign.phase_on(dt.date(2026, 9, 15)).id == "rectification"
    assert campaign.phase_on(dt.date(2026, 9, 16)).id == "consolidation"
    assert campaign.phase_on(dt.date(2026, 10, 11)) is None
    assert campaign.summary_due == dt.date(2026, 9, 26)


def test_changing_the_year_moves_every_date():
    campaign = parse_campaign(TEXT.replace("year = 2026", "year = 2027"), "campaign.toml")
    assert campaign.phases[0].start == dt.date(2027, 6, 20)


def test_monthly_report_is_due_on_the_25th_read_as_every_x_ri_qian_deadline_is():
    campaign = parse_campaign(TEXT, "campaign.toml")
    assert campaign.monthly_due(2026, 7) == dt.date(2026, 7, 25)
    monthly = [d.due for d in campaign.deadlines() if d.kind == "monthly_report"]
    assert monthly[0] == dt.date(2026, 6, 25) and monthly[-1] == dt.date(2026, 10, 25)
    plan = next(o for o in campaign.obligations if o.id == "plan")
    assert plan.due == dt.date(2026, 6, 25)                        # "6月25日前": the same reading
    upcoming = campaign.next_deadlines(dt.date(2026, 7, 26), limit=2)
    assert [d.due for d in upcoming] == [dt.date(2026, 8, 25), dt.date(2026, 9, 15)]


def test_a_monthly_report_covers_days_up_to_its_due_date_and_no_day_twice():
    campaign = parse_campaign(TEXT, "campaign.toml")
    periods = [campaign.monthly_period(y, m) for y, m in campaign.report_months()]
    assert periods[0] == (dt.date(2026, 6, 20), dt.date(2026, 6, 25))
    assert campaign.monthly_period(2026, 8) == (dt.date(2026, 7, 26), dt.date(2026, 8, 25))
    for (y, m), (_start, end) in zip(campaign.report_months(), periods, strict=True):
        assert end <= campaign.monthly_due(y, m)
    for (_, before), (after, _) in itertools.pairwise(periods):
        assert after == before + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ('end = "06-30"', 'end = "06-31"', "06-31"),
        ('start = "07-01"', 'start = "06-15"', "overlap"),
        ("year = 2026", 'year = "2026"', "year"),
    ],
)
def test_a_wrong_date_is_refused_with_its_place(old, new, needle):
    with pytest.raises(ConfigInvalid) as caught:
        parse_campaign(TEXT.replace(old, new, 1), "campaign.toml")
    assert needle in caught.value.reason
