"""The campaign dashboard's two charts (flet-charts): duties by status, rectification rate by unit."""

from __future__ import annotations

import flet as ft
import flet_charts as fch

from app.domain.figures import percent_text
from app.domain.obligations import ObligationStatus
from app.i18n import Translator
from app.services.campaign_dashboard import Dashboard

__all__ = ["STATUS_COLOURS", "status_pie", "rate_bars"]

STATUS_COLOURS = {
    ObligationStatus.ACCEPTED: ft.Colors.GREEN_700,
    ObligationStatus.SUBMITTED: ft.Colors.BLUE_600,
    ObligationStatus.PENDING: ft.Colors.BLUE_GREY_300,
    ObligationStatus.RETURNED: ft.Colors.AMBER_800,
    ObligationStatus.LATE: ft.Colors.RED_700,
}
BAR_STEP = 26   # px per unit: 36 units scroll sideways on a phone instead of squeezing


def status_pie(board: Dashboard, t: Translator) -> ft.Control:
    """A ring of every unit's duties by status, with a legend of counts beside it."""
    totals = board.totals()
    shown = [s for s in STATUS_COLOURS if totals.get(s)]
    chart = fch.PieChart(
        sections=[fch.PieChartSection(value=totals[s], color=STATUS_COLOURS[s], radius=42) for s in shown],
        center_space_radius=34, sections_space=1, width=180, height=180,
    )
    legend = ft.Column([
        ft.Row([ft.Container(width=14, height=14, bgcolor=STATUS_COLOURS[s], border_radius=3),
                ft.Text(f"{t(f'obligation_status.{s.value}')}  {totals.get(s, 0)}", size=14)], spacing=8)
        for s in STATUS_COLOURS
    ], spacing=6, tight=True)
    return ft.Row([chart, legend], spacing=16, vertical_alignment=ft.CrossAxisAlignment.CENTER)


def rate_bars(board: Dashboard, t: Translator, threshold: float) -> ft.Control:
    """Each unit's rectification rate (0–100 %); units a circular would name in red."""
    groups = []
    labels = []
    for x, row in enumerate(board.units):
        rate = row.rectification_rate
        groups.append(fch.BarChartGroup(x=x, rods=[fch.BarChartRod(
            to_y=round((rate or 0) * 100, 1), width=14, border_radius=2,
            color=ft.Colors.RED_700 if row.named else ft.Colors.TEAL_600,
            tooltip=f"{row.unit} {percent_text(rate, t('ui_campaign.none'))}",
        )]))
        labels.append(fch.ChartAxisLabel(value=x, label=ft.Text(row.unit[1:], size=10)))
    chart = fch.BarChart(
        groups=groups, min_y=0, max_y=100, interactive=True,
        left_axis=fch.ChartAxis(label_size=36, labels=[
            fch.ChartAxisLabel(value=v, label=ft.Text(f"{v}%", size=10)) for v in (0, 50, 100)
        ]),
        bottom_axis=fch.ChartAxis(label_size=20, labels=labels),
        horizontal_grid_lines=fch.ChartGridLines(interval=round(threshold * 100) or 50, width=1,
                                                 color=ft.Colors.OUTLINE_VARIANT),
        width=max(320, BAR_STEP * len(board.units) + 48), height=220,
    )
    return ft.Row([chart], scroll=ft.ScrollMode.AUTO)
