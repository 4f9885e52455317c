"""What one browser session remembers while the app is open: language and who is inspecting.

Ids of what is on screen live in the route (`app.ui.routes`), never here, so a reload or a
second tab lands on the same place; everything else lives in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import Translator, resolve_lang

__all__ = ["ViewState"]


@dataclass
class ViewState:
    lang: str
    actor: str = ""             # who is inspecting: the device's inspector profile (Settings) at start

    def __post_init__(self) -> None:
        self.lang = resolve_lang(self.lang)

    @property
    def t(self) -> Translator:
        return Translator(self.lang)
