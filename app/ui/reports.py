"""Reports: the monthly unit report, the campaign summary, the hazard ledger and the circular.

Each card gathers what its report needs (unit, month, format) and makes the file through
`app.services.report_files`, the same call as `firesweep report`. Rendering is reportlab work,
so it runs off the event loop behind a progress bar; the file is then downloaded (browser) or
saved and opened (desktop).
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.domain.errors import AppError
from app.domain.permissions import Action
from app.services.report_files import render_report, report_months

from . import routes
from .authority_gate import missing_line
from .delivery import Busy, deliver
from .session import UiSession
from .widgets import action_button, heading, hook, section_card, segment_label

ALL = "*"   # the ledger's "every unit" choice


def _unit_options(ui: UiSession, everything: bool) -> list[ft.DropdownOption]:
    units = [ft.DropdownOption(key=u.code, text=f"{u.code} {u.name(ui.lang)}") for u in ui.catalog.units.units]
    return ([ft.DropdownOption(key=ALL, text=ui.t("ui_reports.all_units"))] if everything else []) + units


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    width = min(ui.field_width, 420)
    buttons: list[ft.Control] = []

    busy = {kind: Busy(f"busy-{kind}") for kind in ("monthly", "summary", "ledger", "circular")}

    async def generate(kind: str, title: str, unit: str | None = None, month: tuple[int, int] | None = None,
                       fmt: str = "pdf") -> None:
        what = t(f"report.{kind}")   # the report's name inside a sentence ("the campaign summary")
        busy[kind].start(t("ui_reports.generating", report=what))
        for button in buttons:
            button.disabled = True
        ui.page.update()
        try:
            report = await ui.slow(render_report, ui.ctx, kind, unit=unit, month=month, fmt=fmt)
        except AppError as error:
            ui.error(error)
            return
        finally:
            busy[kind].stop()
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

    async def monthly() -> None:
        year, number = (int(part) for part in (month.value or "").split("-"))
        await generate("monthly", t("ui_reports.monthly_title"), unit=monthly_unit.value, month=(year, number))

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
            busy["monthly"].control,
            generate_button("generate-monthly", monthly),
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
