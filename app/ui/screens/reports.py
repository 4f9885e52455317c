"""Reports: the monthly unit report, the campaign summary, the hazard ledger and the circular.

Each card gathers what its report needs (unit, month, format) and makes the file through
`app.services.report_files`, the same call as `firesweep report`. Rendering is reportlab work,
so it runs off the event loop behind a progress bar; the file is then downloaded (browser) or
saved and opened (desktop).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial

import flet as ft

from app.domain.permissions import Action
from app.domain.reports import WorkReport
from app.services.report_files import render_report, report_months
from app.services.work_reports import report_key, save_work_report, work_report
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.authority_gate import missing_line
from app.ui.widgets.common import action_button, bare_action_button, heading, hook, section_card, segment_label
from app.ui.widgets.delivery import Busy, deliver
from app.ui.widgets.work_report import MONTHLY_ITEMS, RECTIFICATION_ITEMS, SUMMARY_ITEMS, WorkForm

ALL = "*"   # the ledger's "every unit" choice


def _unit_options(ui: UiSession, everything: bool) -> list[ft.DropdownOption]:
    units = [ft.DropdownOption(key=u.code, text=f"{u.code} {u.name(ui.lang)}") for u in ui.catalog.units.units]
    return ([ft.DropdownOption(key=ALL, text=ui.t("ui_reports.all_units"))] if everything else []) + units


@dataclass
class _Progress:
    """What every card shares: a progress bar per card, and the generate buttons (all disabled while
    one report renders, so two renders never race for the one file dialog)."""

    busy: dict[str, Busy] = field(default_factory=lambda: {
        kind: Busy(f"busy-{kind}") for kind in ("monthly", "summary", "ledger", "circular", "unit")})
    buttons: list[ft.Control] = field(default_factory=list)


def build(ui: UiSession) -> ft.Control:
    width = min(ui.field_width, 420)
    progress = _Progress()
    return ft.Column(
        [
            _header(ui),
            _monthly_card(ui, progress, width),
            _own_card(ui, progress, width),
            _bureau_card(ui, progress, "summary", Action.BUREAU_REPORT),
            _ledger_card(ui, progress, width),
            _bureau_card(ui, progress, "circular", Action.CIRCULAR),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def _header(ui: UiSession) -> ft.Control:
    t = ui.t
    return ft.Row([heading(t("ui_reports.title"), ident="screen-reports"),
                   action_button(t("ui_reports.campaign"), ft.Icons.INSIGHTS,
                                 lambda _e: ui.navigate(routes.campaign()), "open-campaign", filled=False)],
                  alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True, run_spacing=8)


async def _generate(ui: UiSession, progress: _Progress, kind: str, title: str, unit: str | None = None,
                    month: tuple[int, int] | None = None, fmt: str = "pdf", work: WorkReport | None = None,
                    spinner: str = "") -> None:
    """Render one report off the event loop behind its card's progress bar, then hand the file over."""
    t = ui.t
    spinner = spinner or kind
    what = t(f"report.{kind}")   # the report's name inside a sentence ("the campaign summary")
    progress.busy[spinner].start(t("ui_reports.generating", report=what))
    for button in progress.buttons:
        button.disabled = True
    ui.page.update()
    try:
        if work is not None and unit:   # the unit's words are kept (durably) before the report uses them
            saved = await ui.attempt_slow(save_work_report, ui.ctx, unit, report_key(kind, month), work)
            if not saved:
                return
        report = await ui.attempt_slow(partial(render_report, ui.ctx, kind, unit=unit, month=month, fmt=fmt,
                                               work=work))
        if not report:
            return
    finally:
        progress.busy[spinner].stop()
        for button in progress.buttons:
            button.disabled = False
        ui.page.update()
    await deliver(ui, report.value.name, report.value.content, title, open_after=True)
    ui.info(t("ui_reports.done", report=what, name=report.value.name))


def _generate_button(ui: UiSession, progress: _Progress, ident: str,
                     on_click: Callable[[], Awaitable[None]]) -> ft.Control:
    button = bare_action_button(ui.t("ui_reports.generate"), ft.Icons.DOWNLOAD, lambda _e: ui.page.run_task(on_click))
    progress.buttons.append(button)
    return hook(ident, button)


def _unit_dropdown(ui: UiSession, width: float, everything: bool = False) -> ft.Dropdown:
    units = ui.catalog.units.units
    return ft.Dropdown(label=ui.t("ui_reports.unit"), options=_unit_options(ui, everything), width=width,
                       value=ALL if everything else units[0].code if units else None, enable_filter=True,
                       editable=True)


def _monthly_card(ui: UiSession, progress: _Progress, width: float) -> ft.Control:
    """The monthly report: a unit and a month that has begun (the latest first), with the unit's words."""
    t = ui.t
    unit = _unit_dropdown(ui, width)
    months = list(reversed(report_months(ui.ctx)))
    month = ft.Dropdown(
        label=t("ui_reports.month"), width=min(width, 220), value=f"{months[0][0]}-{months[0][1]:02d}",
        options=[ft.DropdownOption(key=f"{y}-{m:02d}", text=t("ui_reports.month_option", year=y, month=f"{m:02d}"))
                 for y, m in months],
    )
    work = WorkForm(ui, "monthly-work", MONTHLY_ITEMS, width)

    def chosen_month() -> tuple[int, int]:
        year, number = (int(part) for part in (month.value or "").split("-"))
        return year, number

    def load(_e=None) -> None:
        if unit.value and ui.catalog.units.get(unit.value):
            work.load(work_report(ui.ctx, unit.value, report_key("monthly", chosen_month())))
            if _e is not None:
                ui.page.update()

    unit.on_select = month.on_select = load
    load()

    async def generate() -> None:
        await _generate(ui, progress, "monthly", t("ui_reports.monthly_title"), unit=unit.value,
                        month=chosen_month(), work=work.value())

    return section_card("report-monthly", t("ui_reports.monthly_title"), t("ui_reports.monthly_explain"), [
        ft.Row([hook("monthly-unit", unit), hook("monthly-month", month)], wrap=True, spacing=12, run_spacing=12),
        work.control,
        progress.busy["monthly"].control,
        _generate_button(ui, progress, "generate-monthly", generate),
    ])


def _own_card(ui: UiSession, progress: _Progress, width: float) -> ft.Control:
    """A unit's own reports: its rectification-phase report or its summary, with its words."""
    t = ui.t
    unit = _unit_dropdown(ui, width)
    kind = ft.SegmentedButton(selected=["rectification"], segments=[
        ft.Segment(value=k, label=segment_label(t(f"ui_work.kind_{k}"))) for k in ("rectification", "summary")])
    work = WorkForm(ui, "unit-work", SUMMARY_ITEMS, width)

    def load(_e=None) -> None:
        chosen = kind.selected[0]
        for name, field_ in work.fields.items():
            field_.visible = name in (RECTIFICATION_ITEMS if chosen == "rectification" else SUMMARY_ITEMS)
        if unit.value and ui.catalog.units.get(unit.value):
            work.load(work_report(ui.ctx, unit.value, report_key(chosen)))
        if _e is not None:
            ui.page.update()

    unit.on_select = kind.on_change = load
    load()

    async def generate() -> None:
        chosen = kind.selected[0]
        await _generate(ui, progress, chosen, t(f"ui_work.kind_{chosen}"), unit=unit.value, work=work.value(),
                        spinner="unit")

    return section_card("report-unit", t("ui_work.card_title"), t("ui_work.card_explain"), [
        ft.Row([hook("unit-report-unit", unit), hook("unit-report-kind", kind)], wrap=True, spacing=12,
               run_spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        work.control,
        progress.busy["unit"].control,
        _generate_button(ui, progress, "generate-unit-report", generate),
    ])


def _ledger_card(ui: UiSession, progress: _Progress, width: float) -> ft.Control:
    """The ledger: one unit or all, as PDF, xlsx or CSV."""
    t = ui.t
    unit = _unit_dropdown(ui, width, everything=True)
    fmt = ft.SegmentedButton(
        selected=["pdf"], segments=[ft.Segment(value=f, label=segment_label(f.upper() if f != "xlsx" else f))
                                    for f in ("pdf", "xlsx", "csv")],
    )

    async def generate() -> None:
        await _generate(ui, progress, "ledger", t("ui_reports.ledger_title"),
                        unit=None if unit.value in (None, ALL) else unit.value, fmt=fmt.selected[0])

    return section_card("report-ledger", t("ui_reports.ledger_title"), t("ui_reports.ledger_explain"), [
        ft.Row([hook("ledger-unit", unit), hook("ledger-format", fmt)], wrap=True, spacing=12,
               run_spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        progress.busy["ledger"].control,
        _generate_button(ui, progress, "generate-ledger", generate),
    ])


def _bureau_card(ui: UiSession, progress: _Progress, report: str, action: Action) -> ft.Control:
    """The campaign summary or the circular (通报): the bureau's; another device sees what it lacks
    instead of the button."""
    t = ui.t

    async def generate() -> None:
        await _generate(ui, progress, report, t(f"ui_reports.{report}_title"))

    return section_card(f"report-{report}", t(f"ui_reports.{report}_title"), t(f"ui_reports.{report}_explain"),
                        [progress.busy[report].control,
                         missing_line(ui, action, None, f"missing-{report}")
                         or _generate_button(ui, progress, f"generate-{report}", generate)])

