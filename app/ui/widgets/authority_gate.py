"""What this device may do, asked before a button is offered, and a short line where one is missing.

The permission table (`app.domain.permissions`) is the one rule; screens ask it through
`authority.permitted` and never decide on their own. A hidden button leaves a line that says who
does it instead ("挂牌督办由局保卫处办理"), so a user is never left wondering. The services refuse
anyway: this only spares the user a refusal.
"""

from __future__ import annotations

import flet as ft

from app.domain.errors import Forbidden
from app.domain.permissions import Action
from app.services import authority
from app.ui.session import UiSession
from app.ui.widgets.common import hook

__all__ = ["may", "why_not", "missing_line"]


def may(ui: UiSession, action: Action, unit: str | None) -> bool:
    """Whether this device may do `action` at `unit` (always, on a store never enrolled)."""
    return authority.permitted(ui.ctx, action, unit)


def why_not(ui: UiSession, action: Action, unit: str | None, what: str | None = None) -> str | None:
    """The line to show where the action's button would be, or None when it is allowed.

    `what` names the act where the table's action is broader than the button (editing a
    spot-check's hazard is part of the spot-check).
    """
    try:
        authority.require(ui.ctx, action, unit)
    except Forbidden as refused:
        name = what or ui.t(f"action.{action.value}")
        if refused.rule == "bureau_only":
            return ui.t("ui_authority.missing_bureau", action=name)
        return ui.t("ui_authority.missing_own_unit", action=name, unit=ui.unit_name(unit or ""))
    return None


def missing_line(ui: UiSession, action: Action, unit: str | None, ident: str,
                 what: str | None = None) -> ft.Control | None:
    """A small grey line with a lock saying who does `action`; None when this device may do it."""
    text = why_not(ui, action, unit, what)
    if text is None:
        return None
    return hook(ident, ft.Row([
        ft.Icon(ft.Icons.LOCK_OUTLINE, size=18, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Text(text, size=14, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
    ], spacing=6), label=text)
