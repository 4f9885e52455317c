"""The unit's 工作情况 as the reports screen asks for it: one text field per item, folded away
until wanted, loaded from and saved to the device (`app.services.work_reports`)."""

from __future__ import annotations

import flet as ft

from app.domain.reports import NARRATIVE_ITEMS, WORK_ITEMS, WorkReport
from app.ui.session import UiSession
from app.ui.widgets.common import hook

__all__ = ["WorkForm", "MONTHLY_ITEMS", "RECTIFICATION_ITEMS", "SUMMARY_ITEMS"]

MONTHLY_ITEMS = tuple(name for name, _ in WORK_ITEMS)
RECTIFICATION_ITEMS = (*MONTHLY_ITEMS, "problems")
SUMMARY_ITEMS = (*MONTHLY_ITEMS, *(name for name, _ in NARRATIVE_ITEMS))


class WorkForm:
    """Text fields for `names` of a `WorkReport`, each keyed `<ident>-<name>` for tests."""

    def __init__(self, ui: UiSession, ident: str, names: tuple[str, ...], width: float):
        self.names = names
        self.fields = {
            name: ft.TextField(label=ui.t(f"ui_work.{name}"), multiline=True, min_lines=1, max_lines=4,
                               width=width, dense=True)
            for name in names
        }
        self.control = hook(ident, ft.ExpansionTile(
            title=ft.Text(ui.t("ui_work.title")), subtitle=ft.Text(ui.t("ui_work.hint"), size=12),
            controls=[ft.Container(hook(f"{ident}-{name}", field), padding=ft.Padding.only(bottom=8))
                      for name, field in self.fields.items()],
        ))

    def load(self, work: WorkReport) -> None:
        for name, field in self.fields.items():
            field.value = getattr(work, name)

    def value(self) -> WorkReport:
        return WorkReport(**{name: (field.value or "").strip() for name, field in self.fields.items()})
