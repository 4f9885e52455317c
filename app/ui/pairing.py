"""A tablet on the field kit's hotspot: the pairing screen, and nothing else until it is paired.

`firesweep app --field-kit` installs a `FieldKit` here. A session that came in on the LAN socket
(`web_guard.current_caller().lan`) is admitted only when its browser is paired: otherwise its page
holds the pairing form and no screen of the app is built, so no record, name or photo reaches it.

`PairingGuard` keeps it so: like the PIN lock it wraps the session's two entry points for client
messages, and at the first message after the pairing was revoked (here or with `firesweep
pairings revoke` in another terminal) it drops the app from the page, ignores that message and
shows the pairing form again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flet as ft

from app.domain.errors import AppError
from app.i18n import Translator, describe_error
from app.services import pairing
from app.services.context import Context
from app.ui import web_guard
from app.ui.session import UiSession
from app.ui.state import ViewState
from app.ui.widgets.common import hook

__all__ = ["FieldKit", "install", "active", "admit"]

_ROUTE_CODE = re.compile(r"^/pair/([0-9]{4,8})/?$")


@dataclass
class FieldKit:
    base_url: str                  # what tablets open: http://<LAN address>:<port>
    code: Any                      # app.domain.pairing.PairingCode, one per server

    def link(self) -> str:
        """The URL in the QR: opens the pairing form with the current code filled in."""
        return f"{self.base_url}/pair/{self.code.code}"


_kit: FieldKit | None = None


def install(kit: FieldKit | None) -> None:
    global _kit
    _kit = kit


def active() -> FieldKit | None:
    return _kit


def admit(page: ft.Page, ctx: Context, state: ViewState, kit: FieldKit,
          open_app: Callable[[], UiSession]) -> None:
    """Open the app for a paired tablet (as its inspector), else show the pairing form."""
    caller = web_guard.current_caller()
    client = caller.client if caller else None
    found = pairing.paired(ctx, client)
    if found is not None:
        _open(page, ctx, state, found.inspector, client, open_app)
    else:
        _PairingForm(page, ctx, state, kit, client, open_app).draw()


def _open(page: ft.Page, ctx: Context, state: ViewState, inspector: str, client: str | None,
          open_app: Callable[[], UiSession]) -> None:
    state.actor = inspector         # the audit's "who" on this tablet
    ui = open_app()
    ui.client = client
    PairingGuard(page, ctx, ui, relock=lambda: admit(page, ctx, state, _kit, open_app) if _kit else None).start()


class _PairingForm:
    def __init__(self, page: ft.Page, ctx: Context, state: ViewState, kit: FieldKit, client: str | None,
                 open_app: Callable[[], UiSession]):
        self.page, self.ctx, self.state, self.kit, self.client, self.open_app = page, ctx, state, kit, client, open_app
        t = Translator(state.lang)
        self.t = t
        match = _ROUTE_CODE.match(page.route or "")
        self.code = ft.TextField(label=t("ui_pairing.code"), value=match.group(1) if match else "", width=320,
                                 keyboard_type=ft.KeyboardType.NUMBER, max_length=8, text_size=28)
        self.name = ft.TextField(label=t("ui_pairing.inspector"), width=320, max_length=40)
        self.message = ft.Text("", color=ft.Colors.RED_800, size=16)

    def draw(self) -> None:
        page, t = self.page, self.t
        while page.pop_dialog() is not None:
            pass
        page.on_route_change = None
        page.on_resize = None
        page.on_keyboard_event = None
        view = page.views[0]
        view.navigation_bar = None
        view.padding = 24
        view.controls = [ft.SafeArea(ft.Column([
            hook("screen-pairing", ft.Text(t("ui_pairing.title"), size=28, weight=ft.FontWeight.BOLD)),
            ft.Text(t("ui_pairing.explain"), size=16),
            hook("pair-code", self.code),
            hook("pair-inspector", self.name),
            hook("pair-submit", ft.Button(t("ui_pairing.submit"), on_click=self._submit, height=56, width=320)),
            hook("pair-error", self.message),
        ], spacing=16, scroll=ft.ScrollMode.AUTO), expand=True)]
        page.update()

    async def _submit(self, _e: ft.Event) -> None:
        if self.client is None:     # only a browser the server gave a client cookie can pair
            return
        try:
            found = pairing.pair(self.ctx, self.kit.code, self.client, self.code.value or "", self.name.value or "",
                                 device=self.page.client_user_agent or "")
        except AppError as error:   # no app session yet (no banner): said on the pairing form itself
            self.message.value = describe_error(error, self.state.lang)
            self.page.update()
            return
        view = self.page.views[0]
        view.controls, view.padding = [], 0
        _open(self.page, self.ctx, self.state, found.inspector, self.client, self.open_app)
        if _ROUTE_CODE.match(self.page.route or ""):
            await self.page.push_route("/")


class PairingGuard:
    """Locks a tablet's session out at its first message after its pairing ended."""

    def __init__(self, page: ft.Page, ctx: Context, ui: UiSession, relock: Callable[[], None]):
        self.page, self.ctx, self.ui, self.relock = page, ctx, ui, relock
        self.admitted = True

    def still_paired(self) -> bool:
        caller = web_guard.current_caller()
        client = caller.client if caller else self.ui.client
        return client == self.ui.client and pairing.paired(self.ctx, client) is not None

    def start(self) -> None:
        session = self.page.session
        dispatch, apply = session.dispatch_event, session.apply_patch

        async def dispatch_event(control_id: int, event_name: str, event_data: Any) -> None:
            if self._refused():
                return
            await dispatch(control_id, event_name, event_data)

        def apply_patch(control_id: int, patch: dict[str, Any]) -> None:
            if self._refused():
                return
            apply(control_id, patch)

        # Flet 1.0.5 has no hook before a client message reaches the controls: this session's own
        # methods are wrapped on purpose (same signatures), hence the ignores.
        session.dispatch_event = dispatch_event  # type: ignore[method-assign]
        session.apply_patch = apply_patch  # type: ignore[method-assign]

    def _refused(self) -> bool:
        """True (and the app gone from the page) when this message comes after the pairing ended."""
        if not self.admitted or self.still_paired():
            return False
        self.admitted = False       # from here on this guard passes messages to the pairing form
        self.ui.render = lambda: None
        self.ui.banner = lambda _message, _error: None
        self.ui.lock_now = lambda: None
        self.relock()
        return True
