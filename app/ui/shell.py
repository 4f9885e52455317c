"""Page set-up shared by every screen: title, bundled CJK font, theme, language, services."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import flet as ft

from app import resources
from app.bootstrap import build
from app.datadir import ENV_VAR, resolve_data_dir
from app.domain.errors import AppError
from app.i18n import Translator, describe_error, resolve_lang
from app.services.campaign_status import home_summary
from app.services.context import Context

from .home import home_view


@cache
def context_for(data_dir: Path) -> Context:
    """One context per process and data directory: every browser tab shares it (and its lock)."""
    return build(data_dir)


def apply_theme(page: ft.Page) -> None:
    """Use the bundled CJK font everywhere: the web client would otherwise fetch Noto from a CDN."""
    page.fonts = {resources.FONT_FAMILY: resources.font_asset()}
    page.theme = ft.Theme(font_family=resources.FONT_FAMILY, color_scheme_seed=ft.Colors.RED_700)
    page.theme_mode = ft.ThemeMode.LIGHT


async def start(page: ft.Page) -> None:
    t = Translator(resolve_lang())
    page.title = t("app.title")
    page.padding = 16
    apply_theme(page)
    try:
        ctx = context_for(resolve_data_dir(os.environ.get(ENV_VAR)))
        units = ctx.catalog.units

        def unit_name(code: str) -> str:
            unit = units.get(code)
            return unit.name(t.lang) if unit else code

        body: ft.Control = home_view(home_summary(ctx), t, ctx.catalog.campaign.name(t.lang), unit_name)
    except AppError as error:
        body = ft.Column([
            ft.Semantics(identifier="app-title", content=ft.Text(t("app.title"), size=32, weight=ft.FontWeight.BOLD)),
            ft.Semantics(identifier="error", content=ft.Text(describe_error(error, t.lang), color=ft.Colors.RED_800)),
        ])
    page.add(ft.SafeArea(body, expand=True))
