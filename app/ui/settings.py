"""Settings for this session: the language (switches at once) and who is inspecting."""

from __future__ import annotations

import flet as ft

from app.i18n import LANGS

from .session import UiSession
from .widgets import action_button, heading, hook

LANG_NAMES = {"zh-CN": "中文", "en": "English"}


def build(ui: UiSession) -> ft.Control:
    t = ui.t

    def switch(lang: str) -> None:
        ui.state.lang = lang
        ui.render()   # the same screen, now in the other language

    language = ft.Row([
        hook(f"lang-{lang.split('-')[0]}", ft.Button(
            content=LANG_NAMES[lang], height=48, on_click=lambda _e, x=lang: switch(x),
            icon=ft.Icons.CHECK if ui.lang == lang else None,
        ))
        for lang in LANGS
    ], spacing=12)
    actor = ft.TextField(label=t("ui_settings.actor"), value=ui.state.actor, hint_text=t("ui_settings.actor_hint"),
                         width=360)

    def save_actor(_e) -> None:
        ui.state.actor = (actor.value or "").strip()
        ui.info(t("ui_settings.actor_saved", name=ui.state.actor or "—"))

    return ft.Column(
        [
            heading(t("ui_settings.title"), ident="screen-settings"),
            ft.Text(t("app.language"), size=18, weight=ft.FontWeight.W_500),
            language,
            ft.Text(t("ui_settings.actor_title"), size=18, weight=ft.FontWeight.W_500),
            ft.Text(t("ui_settings.actor_explain"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            hook("actor-name", actor),
            action_button(t("ui_settings.save"), ft.Icons.SAVE, save_actor, "save-actor"),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )
