"""The reports screen takes the unit's 工作情况, keeps it, and prints it in its reports."""

from __future__ import annotations

from app.bootstrap import build
from app.services.work_reports import report_key, work_report
from tests.integration.pdf_tools import pdf_text, squash
from tests.ui.inprocess import click, find, run, until
from tests.ui.test_reports_sync_in_process import open_on, unit_data  # noqa: F401 (fixtures)


def test_the_units_work_is_kept_and_printed_in_its_monthly_and_own_reports(unit_data, monkeypatch, saved):  # noqa: F811
    async def body() -> None:
        page, client = await open_on(monkeypatch, unit_data, "/reports")
        find(page, "monthly-unit").value = "U01"
        find(page, "monthly-month").value = "2026-07"
        find(page, "monthly-work-meetings").value = "7月3日召开专项行动推进会"
        await click(page, client, "generate-monthly")
        await until(client, lambda: "monthly-U01-2026-07.pdf" in saved)
        find(page, "unit-report-unit").value = "U01"
        find(page, "unit-work-problems").value = "老旧病房楼疏散楼梯改造受场地限制"
        await click(page, client, "generate-unit-report")
        await until(client, lambda: any(k.startswith("rectification-U01") for k in saved))

    run(body)
    assert "7月3日召开专项行动推进会" in squash(pdf_text(saved["monthly-U01-2026-07.pdf"]))
    own = squash(pdf_text(next(v for k, v in saved.items() if k.startswith("rectification-U01"))))
    assert "老旧病房楼疏散楼梯改造受场地限制" in own and "自查整改工作情况的报告" in own
    ctx = build(unit_data)
    assert work_report(ctx, "U01", report_key("monthly", (2026, 7))).meetings == "7月3日召开专项行动推进会"
    assert work_report(ctx, "U01", "rectification").problems == "老旧病房楼疏散楼梯改造受场地限制"
