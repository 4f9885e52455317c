"""`render_report`: the one call behind `firesweep report` and the Reports screen."""

from __future__ import annotations

import datetime as dt

import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.errors import InvalidInput
from app.i18n import describe_error
from app.services.report_files import render_report, report_months

JULY_10 = dt.datetime(2026, 7, 10, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def ctx(tmp_path):
    return build(tmp_path / "data", FixedClock(JULY_10))


def test_months_run_from_the_campaigns_first_month_to_this_one(ctx):
    assert report_months(ctx) == [(2026, 6), (2026, 7)]


def test_a_month_not_yet_begun_is_refused_with_a_reason(ctx):
    with pytest.raises(InvalidInput) as caught:
        render_report(ctx, "monthly", unit="U01", month=(2026, 8))
    assert "2026-08 还没有开始" in describe_error(caught.value, "zh-CN")
    assert "2026-08 has not begun" in describe_error(caught.value, "en")


def test_a_monthly_report_needs_a_unit(ctx):
    with pytest.raises(InvalidInput):
        render_report(ctx, "monthly")


@pytest.mark.parametrize(("kind", "fmt"), [("summary", "xlsx"), ("circular", "csv"), ("quarterly", "pdf")])
def test_only_the_ledger_comes_as_a_spreadsheet(ctx, kind, fmt):
    with pytest.raises(ValueError):
        render_report(ctx, kind, fmt=fmt)


def test_files_are_named_for_what_they_hold(ctx):
    assert render_report(ctx, "monthly", unit="U01").name == "monthly-U01-2026-07.pdf"
    ledger = render_report(ctx, "ledger", fmt="csv")
    assert ledger.name == "ledger-all-2026-07-10.csv" and ledger.mime == "text/csv"
    assert render_report(ctx, "ledger", unit="U02", fmt="xlsx").content.startswith(b"PK")
