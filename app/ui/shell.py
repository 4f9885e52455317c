"""Page set-up shared by every screen: title, bundled CJK font, theme, language."""

from __future__ import annotations

import flet as ft

from app import resources
from app.i18n import Translator, resolve_lang


def apply_theme(page: ft.Page) -> None:
    """Use the bundled CJK font everywhere: the web client would otherwise fetch Noto from a CDN."""
    page.fonts = {resources.FONT_FAMILY: resources.font_asset()}
    page.theme = ft.Theme(font_family=resources.FONT_FAMILY, color_scheme_seed=ft.Colors.RED_700)
    page.theme_mode = ft.ThemeMode.LIGHT


async def start(page: ft.Page) -> None:
    t = Translator(resolve_lang())
    page.title = t("app.title")
    apply_theme(page)
    page.add(
        ft.SafeArea(
            ft.Column(
                [
                    ft.Semantics(
                        identifier="app-title",
                        content=ft.Text(t("app.title"), size=32, weight=ft.FontWeight.BOLD),
                    ),
                    ft.Text(t("app.subtitle"), size=18),
                ]
            )
        )
    )
