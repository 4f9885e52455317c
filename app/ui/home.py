"""Home screen: campaign phase and days left, next deadlines, hazard counts, my drafts."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.i18n import Translator
from app.services.campaign_status import HomeSummary


def _count_card(label: str, value: int, colour: str, ident: str) -> ft.Control:
    return ft.Semantics(
        identifier=ident,
        label=f"{label} {value}",
        content=ft.Container(
            ft.Column([ft.Text(str(value), size=28, weight=ft.FontWeight.BOLD, color=colour), ft.Text(label, size=14)],
                      horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=2),
            padding=12, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST, width=150,
        ),
    )


def home_view(summary: HomeSummary, t: Translator, campaign_name: str,
              unit_name: Callable[[str], str] = str) -> ft.Control:
    lang = t.lang
    if summary.phase is not None:
        phase_line = t("home.phase", phase=summary.phase.name(lang), days=summary.days_left_in_phase)
    else:
        phase_line = t("home.no_phase")
    deadlines = [
        ft.Text(t("home.deadline_line", date=d.due.isoformat(), name=d.name(lang)), size=14)
        for d in summary.next_deadlines
    ] or [ft.Text(t("home.no_deadlines"), size=14)]
    drafts = [
        ft.Text(t("home.draft_line", date=i.date.isoformat(), unit=unit_name(i.unit),
                  kind=t(f"inspection_kind.{i.kind.value}")))
        for i in summary.drafts[:5]
    ] or [ft.Text(t("home.no_drafts"), size=14)]
    return ft.Column(
        [
            ft.Semantics(identifier="app-title",
                         content=ft.Text(t("app.title"), size=32, weight=ft.FontWeight.BOLD)),
            ft.Text(campaign_name, size=16),
            ft.Semantics(identifier="home-phase", content=ft.Text(phase_line, size=18, weight=ft.FontWeight.W_500)),
            ft.Row(
                [
                    _count_card(t("home.open"), summary.open, ft.Colors.BLUE_800, "count-open"),
                    _count_card(t("home.overdue"), summary.overdue, ft.Colors.RED_800, "count-overdue"),
                    _count_card(t("home.major"), summary.major, ft.Colors.DEEP_ORANGE_800, "count-major"),
                    _count_card(t("home.listed"), summary.listed, ft.Colors.PURPLE_800, "count-listed"),
                ],
                wrap=True, spacing=12, run_spacing=12,
            ),
            ft.Text(t("home.next_deadlines"), size=18, weight=ft.FontWeight.W_500),
            *deadlines,
            ft.Text(t("home.drafts"), size=18, weight=ft.FontWeight.W_500),
            *drafts,
        ],
        spacing=10,
        scroll=ft.ScrollMode.AUTO,
    )
