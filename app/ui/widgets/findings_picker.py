"""The findings of a failed item as check boxes: the inspector ticks what is seen.

Each tick tells the form the findings now chosen; the form shows what the hazard will say (its
description, requirement, deadline and hint follow them) and keeps the choice with its draft, so
the notice says exactly the findings ticked. Shown only for items that list findings.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.domain.checklist import ChecklistItem, Finding
from app.ui.session import UiSession
from app.ui.widgets.common import hook

__all__ = ["findings_picker"]


def _deadline(ui: UiSession, finding: Finding) -> str:
    if finding.deadline_days == 0:
        return ui.t("ui_findings.immediate")
    return ui.t("ui_findings.days", days=finding.deadline_days)


def _row(ui: UiSession, finding: Finding, checked: bool, on_change: Callable[[str, bool], None]) -> ft.Control:
    """One finding: a check box with its wording, and under it the requirement and deadline."""
    lang = ui.lang
    box = ft.Checkbox(label=finding.text(lang), value=checked, label_style=ft.TextStyle(size=16),
                      on_change=lambda e: on_change(finding.id, bool(e.control.value)))
    detail = ui.t("ui_findings.detail", requirement=finding.requirement(lang), deadline=_deadline(ui, finding))
    lines: list[ft.Control] = [hook(f"finding-{finding.id}", box, label=finding.text(lang)),
                               ft.Container(ft.Text(detail, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                                            padding=ft.Padding.only(left=48))]
    if finding.major_hint:
        lines.append(ft.Container(ft.Text(ui.t("ui_findings.major", reason=finding.major_reason(lang)), size=13,
                                          color=ft.Colors.DEEP_ORANGE_800), padding=ft.Padding.only(left=48)))
    return ft.Column(lines, spacing=2)


def findings_picker(ui: UiSession, item: ChecklistItem, chosen_ids: tuple[str, ...],
                    on_chosen: Callable[[tuple[str, ...]], None]) -> ft.Control | None:
    """Check boxes for `item`'s findings, or None when it has none; `on_chosen(ids)` hears each change."""
    if not item.findings:
        return None
    chosen = set(chosen_ids)

    def changed(finding_id: str, on: bool) -> None:
        (chosen.add if on else chosen.discard)(finding_id)
        on_chosen(tuple(f.id for f in item.findings if f.id in chosen))   # in the checklist's order

    rows = [_row(ui, f, f.id in chosen, changed) for f in item.findings]
    return hook("findings", ft.Column(
        [ft.Text(ui.t("ui_findings.title"), size=16, weight=ft.FontWeight.BOLD),
         ft.Text(ui.t("ui_findings.hint"), size=13), *rows],
        spacing=8,
    ))
