"""Who is acting: chosen from the inspection's team, or typed (a colleague not on the list).

The audit records this person, not only the device; the re-check uses it to keep the person who
recorded a rectification from verifying it. The choice lives in the UI session (`ui.state.actor`),
so it survives moving between screens.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, hook

__all__ = ["actor_picker"]

OTHER = "__other__"


def actor_picker(ui: UiSession, team: tuple[str, ...], ident: str, on_change: Callable[[], None],
                 label_key: str = "ui_actor.label") -> ft.Control:
    """A dropdown of `team` plus "someone else" (a text field appears): sets `ui.state.actor`."""
    t = ui.t
    current = ui.state.actor or (team[0] if team else "")
    names = list(dict.fromkeys([*team, *([current] if current else [])]))
    typed = ft.TextField(label=t("ui_actor.typed"), width=ui.field_width, visible=False, height=MIN_TOUCH + 8)
    choice = ft.Dropdown(
        label=t(label_key), value=current or None, width=ui.field_width,
        options=[ft.DropdownOption(key=n, text=n) for n in names] + [ft.DropdownOption(key=OTHER,
                                                                                         text=t("ui_actor.other"))],
    )

    def chosen(_e) -> None:
        typed.visible = choice.value == OTHER
        if choice.value and choice.value != OTHER:
            ui.state.actor = choice.value
            on_change()
        ui.page.update()

    def typed_in(_e) -> None:
        name = (typed.value or "").strip()
        if name:
            ui.state.actor = name
            on_change()
            ui.page.update()

    choice.on_select = chosen
    typed.on_submit = typed_in
    typed.on_blur = typed_in
    return hook(ident, ft.Column([choice, typed], spacing=4), label=t(label_key))
