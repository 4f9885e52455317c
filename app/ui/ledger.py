"""The hazard ledger (台账), read-only for now: status, deadline, description; overdue first."""

from __future__ import annotations

import flet as ft

from app.domain import lifecycle
from app.domain.model import Hazard, HazardStatus, Severity
from app.services.hazards import ledger

from .session import UiSession
from .widgets import heading, hook, severity_colour

PAGE_SIZE = 50
STATUS_COLOURS = {
    HazardStatus.OPEN: ft.Colors.BLUE_800, HazardStatus.RECTIFYING: ft.Colors.INDIGO_700,
    HazardStatus.RECTIFIED: ft.Colors.TEAL_700, HazardStatus.VERIFIED: ft.Colors.GREEN_800,
    HazardStatus.REOPENED: ft.Colors.RED_800, HazardStatus.DEFERRED: ft.Colors.BROWN_600,
}


def _row(ui: UiSession, n: int, hazard: Hazard) -> ft.Control:
    t = ui.t
    overdue = lifecycle.is_overdue(hazard, ui.ctx.today())
    status = t(f"status.{hazard.status.value}")
    marks = (t("hazard.overdue_mark") if overdue else "") + (
        f"【{t('severity.major')}】" if hazard.severity is Severity.MAJOR else "")
    line = t("ui_ledger.line", unit=ui.unit_name(hazard.unit), deadline=hazard.deadline.isoformat())
    return hook(f"ledger-{n}", ft.Container(
        ft.Row([
            ft.Container(ft.Text(status, size=13, color=ft.Colors.WHITE), bgcolor=STATUS_COLOURS[hazard.status],
                         width=76 if ui.lang != "en" else 96, alignment=ft.Alignment.CENTER,
                         padding=ft.Padding.symmetric(vertical=4), border_radius=12),
            ft.Column([
                ft.Text(marks + hazard.description, size=15, weight=ft.FontWeight.W_500,
                        color=ft.Colors.RED_800 if overdue else severity_colour(False)),
                ft.Text(line, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            ], spacing=2, expand=True),
        ], vertical_alignment=ft.CrossAxisAlignment.START),
        padding=10, border_radius=8, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    ), label=f"{status} {hazard.deadline.isoformat()} {hazard.description}")


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    shown = ft.Column(spacing=8)
    state = {"page": 0}
    total = ft.Text("", size=14)
    more = hook("ledger-more", ft.OutlinedButton(content=t("ui_ledger.more"), height=48))

    def load() -> None:
        found = ledger(ui.ctx, page=state["page"], page_size=PAGE_SIZE)
        start = len(shown.controls)
        shown.controls += [_row(ui, start + n, h) for n, h in enumerate(found.items)]
        total.value = t("hazard.ledger_total", count=found.total)
        more.visible = len(shown.controls) < found.total

    def load_more(_e) -> None:
        state["page"] += 1
        load()

    more.content.on_click = load_more
    load()
    empty = [ft.Text(t("ui_ledger.empty"))] if not shown.controls else []
    return ft.Column(
        [heading(t("ui_ledger.title"), ident="screen-ledger"), hook("ledger-total", total), *empty, shown,
         more],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )
