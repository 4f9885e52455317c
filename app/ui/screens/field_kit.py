"""The laptop's field-kit panel (/field-kit): the address tablets open, the pairing code and its
QR, and the pairings, each of which can be revoked.

Only the laptop's own browser (loopback) manages pairings; on a tablet the screen says so. The
panel looks again every few seconds while it is shown, so a tablet that just paired appears and the
code it used is replaced by the new one without a tap.
"""

from __future__ import annotations

import asyncio
import weakref

import flet as ft

from app.domain.pairing import Pairing
from app.services import pairing
from app.ui import web_guard
from app.ui.pairing import FieldKit, active
from app.ui.session import UiSession
from app.ui.widgets.common import action_button, heading, hook

__all__ = ["build"]

REFRESH_S = 2.0
_watching: weakref.WeakSet[UiSession] = weakref.WeakSet()


def build(ui: UiSession) -> ft.Control:
    t, kit = ui.t, active()
    caller = web_guard.current_caller()
    if kit is None or (caller is not None and caller.lan):
        reason = "ui_field_kit.off" if kit is None else "ui_field_kit.laptop_only"
        return ft.Column([heading(t("ui_field_kit.title"), ident="screen-field-kit"),
                          hook("field-kit-off", ft.Text(t(reason), size=16))])
    _watch(ui, kit)
    return ft.Column([
        heading(t("ui_field_kit.title"), ident="screen-field-kit"),
        ft.Text(t("ui_field_kit.explain"), size=14, color=ft.Colors.ON_SURFACE_VARIANT),
        *_code_section(ui, kit),
        ft.Divider(height=8),
        ft.Text(t("ui_field_kit.pairings"), size=18, weight=ft.FontWeight.W_500),
        *_pairing_rows(ui, pairing.pairings(ui.ctx)),
    ], spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)


def _code_section(ui: UiSession, kit: FieldKit) -> list[ft.Control]:
    t = ui.t

    def renew(_e: ft.Event) -> None:
        kit.code.renew()
        ui.render()

    return [
        hook("field-kit-url", ft.Text(t("ui_field_kit.open", url=kit.base_url), size=18)),
        ft.Row([
            ft.Image(src=pairing.qr_png(kit.link()), width=220, height=220),
            ft.Column([
                ft.Text(t("ui_field_kit.code"), size=16),
                hook("pair-code-shown", ft.Text(kit.code.code, size=48, weight=ft.FontWeight.BOLD),
                     label=kit.code.code),
                action_button(t("ui_field_kit.renew"), ft.Icons.REFRESH, renew, "pair-renew", filled=False),
            ], spacing=8),
        ], spacing=24, wrap=True),
        ft.Text(t("ui_field_kit.code_rules"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
    ]


def _pairing_rows(ui: UiSession, found: list[Pairing]) -> list[ft.Control]:
    t = ui.t
    if not found:
        return [hook("pairings-none", ft.Text(t("ui_field_kit.none"), size=14))]
    rows: list[ft.Control] = []
    for i, p in enumerate(found):
        when = p.paired_at.astimezone().strftime("%Y-%m-%d %H:%M")
        status = t("ui_field_kit.active") if p.active else t("ui_field_kit.revoked")
        text = t("ui_field_kit.row", inspector=p.inspector, id=p.id, when=when, status=status)
        revoke = (action_button(t("ui_field_kit.revoke"), ft.Icons.BLOCK, _revoker(ui, p.id), f"revoke-{i}",
                                filled=False) if p.active else ft.Container())
        rows.append(hook(f"pairing-{i}", ft.Row([
            ft.Column([ft.Text(text, size=16), ft.Text(p.device, size=12, color=ft.Colors.ON_SURFACE_VARIANT,
                                                       max_lines=1, overflow=ft.TextOverflow.ELLIPSIS)],
                      spacing=2, expand=True),
            revoke,
        ]), label=text))
    return rows


def _revoker(ui: UiSession, pairing_id: str):
    def revoke(_e: ft.Event) -> None:
        if not (done := ui.attempt(pairing.revoke, ui.ctx, pairing_id)):
            return
        ui.render()
        ui.info(ui.t("ui_field_kit.revoked_one", inspector=done.value.inspector))

    return revoke


def _watch(ui: UiSession, kit: FieldKit) -> None:
    """Redraw the panel when the code or the pairings change, while it is the screen shown."""
    if ui in _watching:
        return
    _watching.add(ui)

    def snapshot() -> tuple:
        return kit.code.code, tuple((p.id, p.active) for p in pairing.pairings(ui.ctx))

    async def loop() -> None:
        seen = snapshot()
        try:
            while ui.page.route.rstrip("/") == "/field-kit":
                await asyncio.sleep(REFRESH_S)
                now = snapshot()
                if now != seen and ui.page.route.rstrip("/") == "/field-kit":
                    seen = now
                    ui.render()
        except RuntimeError:       # the session went away
            pass
        finally:
            _watching.discard(ui)

    ui.page.run_task(loop)
