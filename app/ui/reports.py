"""Reports: the monthly unit report, the campaign summary, the hazard ledger and the circular.

Each card gathers what its report needs (unit, month, format) and makes the file through
`app.services.report_files`, the same call as `firesweep report`. Rendering is reportlab work,
so it runs off the event loop behind a progress bar; the file is then downloaded (browser) or
saved and opened (desktop).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import flet as ft

from app.domain.errors import AppError
from app.domain.permissions import Action
from app.domain.reports import WorkReport
from app.services.report_files import render_report, report_months
from app.services.work_reports import report_key, save_work_report, work_report

from . import routes
from .authority_gate import missing_line
from .delivery import Busy, deliver
from .session import UiSession
from .widgets import action_button, heading, hook, section_card, segment_label
from .work_report import MONTHLY_ITEMS, RECTIFICATION_ITEMS, SUMMARY_ITEMS, WorkForm

ALL = "*"   # the ledger's "every unit" choice


def _unit_options(ui: UiSession, everything: bool) -> list[ft.DropdownOption]:
    units = [ft.DropdownOption(key=u.code, text=f"{u.code} {u.name(ui.lang)}") for u in ui.catalog.units.units]
    return ([ft.DropdownOption(key=ALL, text=ui.t("ui_reports.all_units"))] if everything else []) + units


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    width = min(ui.field_width, 420)
    buttons: list[ft.Control] = []

    busy = {kind: Busy(f"busy-{kind}") for kind in ("monthly", "summary", "ledger", "circular", "unit")}

    async def generate(kind: str, title: str, unit: str | None = None, month: tuple[int, int] | None = None,
                       fmt: str = "pdf", work: WorkReport | None = None, spinner: str = "") -> None:
        spinner = spinner or kind
        what = t(f"report.{kind}")   # the report's name inside a sentence ("the campaign summary")
        busy[spinner].start(t("ui_reports.generating", report=what))
        for button in buttons:
            button.disabled = True
        ui.page.update()
        try:
            if work is not None and unit:   # the unit's words are kept (durably) before the report uses them
                key = report_key(kind, month)
                await ui.slow(save_work_report, ui.ctx, unit, key, work)
            report = await ui.slow(partial(render_report, ui.ctx, kind, unit=unit, month=month, fmt=fmt, work=work))
        except AppError as error:
            ui.error(error)
            return
        finally:
            busy[spinner].stop()
            for button in buttons:
                button.disabled = False
            ui.page.update()
        await deliver(ui, report.name, report.content, title, open_after=True)
        ui.info(t("ui_reports.done", report=what, name=report.name))

    def generate_button(ident: str, on_click: Callable[[], object]) -> ft.Control:
        control = action_button(t("ui_reports.generate"), ft.Icons.DOWNLOAD, lambda _e: ui.page.run_task(on_click),
                                ident)
        buttons.append(control.content)
        return control

    # monthly: a unit and a month that has begun (the latest first)
    units = ui.catalog.units.units
    monthly_unit = ft.Dropdown(label=t("ui_reports.unit"), options=_unit_options(ui, False), width=width,
                               value=units[0].code if units else None, enable_filter=True, editable=True)
    months = list(reversed(report_months(ui.ctx)))
    month = ft.Dropdown(
        label=t("ui_reports.month"), width=min(width, 220), value=f"{months[0][0]}-{months[0][1]:02d}",
        options=[ft.DropdownOption(key=f"{y}-{m:02d}", text=t("ui_reports.month_option", year=y, month=f"{m:02d}"))
                 for y, m in months],
    )

    monthly_work = WorkForm(ui, "monthly-work", MONTHLY_ITEMS, width)

    def chosen_month() -> tuple[int, int]:
        year, number = (int(part) for part in (month.value or "").split("-"))
        return year, number

    def load_monthly(_e=None) -> None:
        if monthly_unit.value and ui.catalog.units.get(monthly_unit.value):
            monthly_work.load(work_report(ui.ctx, monthly_unit.value, report_key("monthly", chosen_month())))
            if _e is not None:
                ui.page.update()

    monthly_unit.on_select = month.on_select = load_monthly
    load_monthly()

    async def monthly() -> None:
        await generate("monthly", t("ui_reports.monthly_title"), unit=monthly_unit.value, month=chosen_month(),
                       work=monthly_work.value())

    # a unit's own reports: its rectification-phase report or its summary, with its words
    own_unit = ft.Dropdown(label=t("ui_reports.unit"), options=_unit_options(ui, False), width=width,
                           value=units[0].code if units else None, enable_filter=True, editable=True)
    own_kind = ft.SegmentedButton(selected=["rectification"], segments=[
        ft.Segment(value=k, label=segment_label(t(f"ui_work.kind_{k}"))) for k in ("rectification", "summary")])
    own_work = WorkForm(ui, "unit-work", SUMMARY_ITEMS, width)

    def load_own(_e=None) -> None:
        kind = own_kind.selected[0]
        for name, field in own_work.fields.items():
            field.visible = name in (RECTIFICATION_ITEMS if kind == "rectification" else SUMMARY_ITEMS)
        if own_unit.value and ui.catalog.units.get(own_unit.value):
            own_work.load(work_report(ui.ctx, own_unit.value, report_key(kind)))
        if _e is not None:
            ui.page.update()

    own_unit.on_select = own_kind.on_change = load_own
    load_own()

    async def own_report() -> None:
        kind = own_kind.selected[0]
        await generate(kind, t(f"ui_work.kind_{kind}"), unit=own_unit.value, work=own_work.value(), spinner="unit")

    # ledger: one unit or all, as PDF, xlsx or CSV
    ledger_unit = ft.Dropdown(label=t("ui_reports.unit"), options=_unit_options(ui, True), width=width, value=ALL,
                              enable_filter=True, editable=True)
    ledger_format = ft.SegmentedButton(
        selected=["pdf"], segments=[ft.Segment(value=f, label=segment_label(f.upper() if f != "xlsx" else f))
                                    for f in ("pdf", "xlsx", "csv")],
    )

    async def ledger() -> None:
        unit = None if ledger_unit.value in (None, ALL) else ledger_unit.value
        await generate("ledger", t("ui_reports.ledger_title"), unit=unit, fmt=ledger_format.selected[0])

    async def summary() -> None:
        await generate("summary", t("ui_reports.summary_title"))

    async def circular() -> None:
        await generate("circular", t("ui_reports.circular_title"))

    cards = [
        section_card("report-monthly", t("ui_reports.monthly_title"), t("ui_reports.monthly_explain"), [
            ft.Row([hook("monthly-unit", monthly_unit), hook("monthly-month", month)], wrap=True, spacing=12,
                   run_spacing=12),
            monthly_work.control,
            busy["monthly"].control,
            generate_button("generate-monthly", monthly),
        ]),
        section_card("report-unit", t("ui_work.card_title"), t("ui_work.card_explain"), [
            ft.Row([hook("unit-report-unit", own_unit), hook("unit-report-kind", own_kind)], wrap=True, spacing=12,
                   run_spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            own_work.control,
            busy["unit"].control,
            generate_button("generate-unit-report", own_report),
        ]),
        section_card("report-summary", t("ui_reports.summary_title"), t("ui_reports.summary_explain"),
              [busy["summary"].control, missing_line(ui, Action.BUREAU_REPORT, None, "missing-summary")
               or generate_button("generate-summary", summary)]),
        section_card("report-ledger", t("ui_reports.ledger_title"), t("ui_reports.ledger_explain"), [
            ft.Row([hook("ledger-unit", ledger_unit), hook("ledger-format", ledger_format)], wrap=True, spacing=12,
                   run_spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            busy["ledger"].control,
            generate_button("generate-ledger", ledger),
        ]),
        section_card("report-circular", t("ui_reports.circular_title"), t("ui_reports.circular_explain"),
              [busy["circular"].control, missing_line(ui, Action.CIRCULAR, None, "missing-circular")
               or generate_button("generate-circular", circular)]),
    ]
    return ft.Column(
        [
            ft.Row([heading(t("ui_reports.title"), ident="screen-reports"),
                    action_button(t("ui_reports.campaign"), ft.Icons.INSIGHTS,
                                  lambda _e: ui.navigate(routes.campaign()), "open-campaign", filled=False)],
                   alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True, run_spacing=8),
            *cards,
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
