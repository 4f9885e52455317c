"""The bureau issued new checklist versions: say what changed before the next area uses them.

Shown where a new inspection starts, once per version until the inspector taps "got it"
(`checklist_versions.acknowledge`); areas already started keep the version they began with.
"""

from __future__ import annotations

import flet as ft

from app.services import checklist_versions
from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, hook

__all__ = ["checklist_changes"]


def checklist_changes(ui: UiSession) -> ft.Control:
    """A banner listing each new version and its added / removed / changed items; empty when none."""
    t = ui.t
    found = checklist_versions.changes(ui.ctx)
    box = ft.Container(visible=bool(found), padding=12, border_radius=10, bgcolor=ft.Colors.AMBER_50,
                       border=ft.Border.all(1, ft.Colors.AMBER_700))
    if not found:
        return hook("checklist-changes", box)
    lines: list[ft.Control] = [ft.Text(t("checklist_versions.banner"), size=15, weight=ft.FontWeight.W_500)]
    for change in found:
        c = change.checklist
        lines.append(ft.Text(t("checklist_versions.line", name=c.name(ui.lang), version=c.version,
                               previous=change.previous_version or "—", added=len(change.changes.added),
                               removed=len(change.changes.removed), changed=len(change.changes.changed),
                               at=change.issued_at[:10]), size=14))
        for key in ("added", "removed", "changed"):
            for item_id in getattr(change.changes, key):
                text = c.item(item_id).text(ui.lang) if key != "removed" else item_id
                lines.append(ft.Text(t(f"checklist_versions.{key}", item=f"{item_id} {text}" if key != "removed"
                                       else text), size=13, color=ft.Colors.ON_SURFACE_VARIANT))

    def got_it(_e) -> None:
        checklist_versions.acknowledge(ui.ctx, [c.checklist.sha256 for c in found])
        box.visible = False
        ui.page.update()

    lines.append(hook("checklist-changes-ack", ft.TextButton(t("checklist_versions.ack"), height=MIN_TOUCH,
                                                             on_click=got_it)))
    box.content = ft.Column(lines, spacing=4)
    return hook("checklist-changes", box)
