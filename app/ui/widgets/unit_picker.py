"""Pick one of the campaign's units by typing part of its name or code (like New Inspection's).

A 36-entry dropdown in a narrow box cut names ("U08 示例市中医医") and could not be searched; this
lists the matches under a search box, each name whole, and shows the chosen unit with a way to
clear it.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, hook

__all__ = ["unit_picker"]

MAX_SHOWN = 6


def unit_picker(ui: UiSession, ident: str, chosen: str, on_pick: Callable[[str], object],
                width: float) -> ft.Control:
    """`on_pick(code)` with the code tapped, or "" when the choice is cleared."""
    t, lang = ui.t, ui.lang
    units = ui.catalog.units.units
    matches = ft.Column(spacing=0, width=width)
    search = ft.TextField(label=t("ui_day.unit_search"), prefix_icon=ft.Icons.SEARCH, width=width,
                          on_change=lambda _e: show())

    def show() -> None:
        query = (search.value or "").strip().lower()
        if not query:
            matches.controls = []
            return
        found = [u for u in units if query in u.name_zh.lower() or query in u.name_en.lower()
                 or query in u.code.lower()]
        matches.controls = [
            hook(f"{ident}-{u.code}", ft.ListTile(
                title=ft.Text(u.name(lang), size=15), subtitle=ft.Text(u.code, size=12), min_height=MIN_TOUCH,
                dense=True, leading=ft.Icon(ft.Icons.LOCAL_HOSPITAL),
                on_click=lambda _e, code=u.code: on_pick(code),
            ), label=u.name(lang))
            for u in found[:MAX_SHOWN]
        ] or [ft.Text(t("ui_new.no_match"), size=14)]
        if len(found) > MAX_SHOWN:
            matches.controls.append(ft.Text(t("ui_new.more_matches", count=len(found) - MAX_SHOWN), size=13))

    parts: list[ft.Control] = []
    if chosen:
        parts.append(hook(f"{ident}-chosen", ft.Chip(
            label=ft.Text(ui.unit_name(chosen), size=15), leading=ft.Icon(ft.Icons.LOCAL_HOSPITAL),
            on_delete=lambda _e: on_pick(""), delete_icon_tooltip=t("ui_day.unit_clear"),
            height=MIN_TOUCH,
        ), label=ui.unit_name(chosen)))
    parts += [hook(ident, search), matches]
    return ft.Column(parts, spacing=4, tight=True)
