"""Every document counts a unit the same way: dashboard, bureau summary, the unit's own summary,
circular, responsibility letter and ledger, for every unit of the demo, read back from the PDFs."""

from __future__ import annotations

import datetime as dt

import pytest

from app import bootstrap
from app.demo import build_demo
from app.documents.reports_pdf import render_summary
from app.documents.unit_report_pdf import render_unit_report
from app.domain.clock import FixedClock
from app.domain.figures import hazard_figures, percent, percent_text
from app.services import campaign_dashboard, campaign_status, reports, unit_reports
from app.services.responsibility import letter_content
from tests.integration.pdf_tools import pdf_text, squash


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("agree") / "data"
    summary = build_demo(path, "small", seed=3)
    return bootstrap.build(path, clock=FixedClock(dt.datetime.combine(summary.today, dt.time(4), tzinfo=dt.UTC)))


def test_one_rounding_half_up_to_a_tenth_of_a_percent():
    assert [percent_text(x) for x in (11 / 15, 0.75, 2 / 3, 0.8, 1.0, 0.0005, None)] == [
        "73.3%", "75%", "66.7%", "80%", "100%", "0.1%", "—"]
    assert str(percent(0.12345)) == str(percent(0.1234999999)) == "12.3"


def test_every_document_agrees_on_every_units_figures(demo):
    ctx = demo
    today = ctx.today()
    board = {row.unit: row for row in campaign_dashboard.dashboard(ctx).units}
    summary = reports.summary_data(ctx)
    circular = {u.unit: u for u in summary.circular.lagging}
    ledger = reports.ledger_rows(ctx)
    summary_text = squash(pdf_text(render_summary(summary)))
    checked = 0
    for unit in summary.units:
        code = unit.unit
        truth = hazard_figures(ctx.repo.hazards(code), today)
        row, status = board[code], campaign_status.unit_status(ctx, code)
        own = unit_reports.unit_report_data(ctx, code, "summary")
        for where, found, rectified, overdue, major_late, listed in (
            ("dashboard", row.found, row.rectified, row.overdue, row.overdue_major, row.listed),
            ("bureau summary", unit.found, unit.rectified, unit.overdue, unit.overdue_major, unit.listed),
            ("unit summary", own.figures.found, own.figures.rectified, own.figures.overdue,
             own.figures.overdue_major, own.figures.listed),
            ("home status", status.hazards_found, status.rectified, status.overdue, status.overdue_major,
             status.listed),
        ):
            assert (found, rectified, overdue, major_late, listed) == (
                truth.found, truth.rectified, truth.overdue, truth.overdue_major, truth.listed), (code, where)
        rate = percent_text(truth.rate)
        assert percent_text(row.rectification_rate) == percent_text(unit.rate) == rate, code
        if code in circular:
            named = circular[code]
            assert (named.found, named.overdue, named.due, named.rectified_due) == (
                truth.found, truth.overdue, truth.due, truth.rectified_due), code
            assert [r.kind for r in row.reasons] == [r.kind for r in named.reasons], code
        else:
            assert not row.reasons, code
        letter = letter_content(ctx, code)
        still = [r for r in ledger if r.unit == code and r.status.value not in ("rectified", "verified")]
        assert len(letter.lines) == len(still) == truth.open, code
        # the documents as printed
        assert f"{unit.name}{truth.found}{truth.rectified}{rate}" in summary_text, code
        own_text = squash(pdf_text(render_unit_report(own)))
        assert f"发现火灾隐患{truth.found}处" in own_text and f"整改率{rate}" in own_text, code
        assert f"尚未整改{truth.open}处" in own_text, code
        checked += bool(truth.found)
    assert checked >= 3, "the small demo gives U01–U03 hazards; the other 33 units count zeros alike"
