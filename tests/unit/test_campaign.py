"""Campaign phases and deadlines come from data and follow the calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.campaign import parse_campaign
from app.domain.errors import ConfigInvalid
from app.resources import checklists_dir

TEXT = (checklists_dir() / "campaign.toml").read_text("utf-8")


def test_phases_follow_the_configured_dates():
    campaign = parse_campaign(TEXT, "campaign.toml")
    assert campaign.phase_on(dt.date(2026, 6, 30)).id == "self_check"
    assert campaign.phase_on(dt.date(2026, 7, 1)).id == "rectification"
    assert campaign.phase_on(dt.date(2026, 9, 15)).id == "rectification"
    assert campaign.phase_on(dt.date(2026, 9, 16)).id == "consolidation"
    assert campaign.phase_on(dt.date(2026, 10, 11)) is None
    assert campaign.summary_due == dt.date(2026, 9, 26)


def test_changing_the_year_moves_every_date():
    campaign = parse_campaign(TEXT.replace("year = 2026", "year = 2027"), "campaign.toml")
    assert campaign.phases[0].start == dt.date(2027, 6, 1)


def test_monthly_report_is_due_before_the_25th():
    campaign = parse_campaign(TEXT, "campaign.toml")
    assert campaign.monthly_due(2026, 7) == dt.date(2026, 7, 24)
    monthly = [d.due for d in campaign.deadlines() if d.kind == "monthly_report"]
    assert monthly[0] == dt.date(2026, 6, 24) and monthly[-1] == dt.date(2026, 10, 24)
    upcoming = campaign.next_deadlines(dt.date(2026, 7, 25), limit=2)
    assert [d.due for d in upcoming] == [dt.date(2026, 8, 24), dt.date(2026, 9, 15)]


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
