"""The PIN lock: a lock screen at start and after idle minutes, drawn instead of the route.

`LockGuard` belongs to one browser session. It locks when the session starts or reconnects (a
reload) and when nobody touched the app for the idle minutes of the settings. While locked the
page holds only the lock screen: the route's screen is not built, open dialogs are closed, so
nothing of the records is in the page, the DOM or the accessibility tree. Unlocking draws the
route again (the route never changed).

Activity is every event the client sends for this session: clicks, route changes, and the
value patches a text field sends while typing. Flet 1.0 has no page-wide pointer event, so the
guard wraps the session's two entry points for client messages (`dispatch_event`,
`apply_patch`) — one place, and every screen is covered without touching its handlers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import flet as ft

from app.services import settings
from app.ui.session import UiSession
from app.ui.widgets.common import hook

__all__ = ["LockGuard", "CHECK_SECONDS", "idle_seconds"]

CHECK_SECONDS = 5.0             # how often the idle time is looked at (tests make it shorter)
PIN_MAX = 8
KEY_SIZE = 76                   # keypad buttons: well over the 48 px touch minimum
_NOT_ACTIVITY = {"connect", "disconnect", "close", "app_lifecycle_state_change"}


def idle_seconds(minutes: int) -> float:
    """The idle time that locks, from the setting in minutes (tests replace this)."""
    return minutes * 60.0


class LockGuard:
    def __init__(self, ui: UiSession, clock: Callable[[], float] = time.monotonic):
        self.ui = ui
        self.clock = clock
        self.locked = False
        self.last_activity = clock()
        self.entered = ""
        self.message = ""
        self.closed = False
        self._dots = ft.Text("", size=32, weight=ft.FontWeight.BOLD)
        self._message = ft.Text("", size=16, color=ft.Colors.RED_800, text_align=ft.TextAlign.CENTER)
        self._countdown: Future | None = None
        ui.lock_now = self.lock

    # ---- wiring ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Lock now if a PIN is set; watch client messages and the idle time from here on."""
        self.locked = self._pin_set()
        session = self.ui.page.session
        dispatch, apply = session.dispatch_event, session.apply_patch

        async def dispatch_event(control_id: int, event_name: str, event_data: Any) -> None:
            if event_name == "connect":          # a reload (or the tablet waking): ask for the PIN again
                self.lock(render=False)
            elif event_name == "close":
                self.closed = True
            elif event_name not in _NOT_ACTIVITY:
                self.touch()
            await dispatch(control_id, event_name, event_data)
            if event_name == "connect" and self.locked:
                self.ui.render()

        def apply_patch(control_id: int, patch: dict[str, Any]) -> None:
            self.touch()
            apply(control_id, patch)

        # Flet 1.0.5 has no hook before a client message reaches the controls: this session's own
        # methods are wrapped on purpose (same signatures), hence the ignores.
        session.dispatch_event = dispatch_event  # type: ignore[method-assign]
        session.apply_patch = apply_patch  # type: ignore[method-assign]
        self.ui.page.run_task(self._watch)

    def touch(self) -> None:
        self.last_activity = self.clock()

    def _pin_set(self) -> bool:
        return settings.get_settings(self.ui.ctx).pin_set

    async def _watch(self) -> None:
        while not self.closed:
            await asyncio.sleep(CHECK_SECONDS)
            if self.locked or self.closed:
                continue
            current = settings.get_settings(self.ui.ctx)
            if current.pin_set and self.clock() - self.last_activity >= idle_seconds(current.idle_minutes):
                try:
                    self.lock()
                except RuntimeError:   # the session went away under us
                    return

    # ---- locking and unlocking ------------------------------------------------------------------

    def lock(self, render: bool = True) -> None:
        """Lock (only when a PIN is set): close dialogs and draw the lock screen in place of the route."""
        if self.locked or not self._pin_set():
            return
        self.locked = True
        self.entered, self.message = "", ""
        page = self.ui.page
        while page.pop_dialog() is not None:
            pass
        self.ui.on_picked = None
        if render:
            self.ui.render()

    def draw(self, view: ft.View) -> None:
        """Put the lock screen, and only it, in the view (called by the router while locked)."""
        wait = settings.lock_wait(self.ui.ctx)
        if wait:   # a wait from earlier wrong tries (this tab or another) still runs
            self._start_countdown(wait)
        view.navigation_bar = None
        view.controls = [ft.SafeArea(self._screen(), expand=True)]
        self.ui.page.on_keyboard_event = self._keyboard   # a laptop's keys work like the pad

    def _screen(self) -> ft.Control:
        t = self.ui.t
        self._refresh()
        keys = [*"123456789", "back", "0", "ok"]
        rows = [ft.Row([self._key(k) for k in keys[i:i + 3]], spacing=16, alignment=ft.MainAxisAlignment.CENTER)
                for i in range(0, 12, 3)]
        return hook("screen-lock", ft.Container(
            ft.Column(
                [
                    ft.Icon(ft.Icons.LOCK_OUTLINE, size=56, color=ft.Colors.RED_700),
                    hook("lock-title", ft.Text(t("app.title"), size=24, weight=ft.FontWeight.BOLD,
                                               text_align=ft.TextAlign.CENTER)),
                    hook("lock-prompt", ft.Text(t("ui_lock.prompt"), size=18, text_align=ft.TextAlign.CENTER)),
                    hook("pin-dots", self._dots),
                    hook("lock-message", self._message),
                    *rows,
                ],
                horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=14, scroll=ft.ScrollMode.AUTO,
                alignment=ft.MainAxisAlignment.CENTER,
            ),
            alignment=ft.Alignment.CENTER, expand=True, padding=16,
        ))

    def _key(self, key: str) -> ft.Control:
        t = self.ui.t
        style = ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=16), padding=0)
        button: ft.Control
        if key == "back":
            button = ft.IconButton(ft.Icons.BACKSPACE_OUTLINED, icon_size=30, on_click=self._back,
                                   width=KEY_SIZE, height=KEY_SIZE, tooltip=t("ui_lock.back"))
            return hook("pin-back", button, label=t("ui_lock.back"))
        if key == "ok":
            button = ft.FilledButton(content=ft.Text(t("ui_lock.unlock"), size=18, weight=ft.FontWeight.BOLD),
                                     on_click=self._submit, width=KEY_SIZE, height=KEY_SIZE, style=style)
            return hook("pin-ok", button)
        button = ft.OutlinedButton(content=ft.Text(key, size=28, weight=ft.FontWeight.W_500),
                                   on_click=lambda _e, k=key: self._press(k),
                                   width=KEY_SIZE, height=KEY_SIZE, style=style)
        return hook(f"pin-key-{key}", button)

    def _refresh(self) -> None:
        n = len(self.entered)
        self._dots.value = "●" * n + "○" * max(4 - n, 0)
        self._message.value = self.message   # always visible: a Semantics hook must not wrap a hidden control

    def _update(self) -> None:
        self._refresh()
        self.ui.page.update()   # the page, not the two texts: they may not be mounted yet (updates are batched)

    def _press(self, digit: str) -> None:
        if len(self.entered) < PIN_MAX:
            self.entered += digit
        self._update()

    def _back(self, _e=None) -> None:
        self.entered = self.entered[:-1]
        self._update()

    async def _keyboard(self, e: ft.KeyboardEvent) -> None:
        if not self.locked:
            return
        key = e.key.removeprefix("Numpad ").strip()
        if len(key) == 1 and key.isdigit():
            self._press(key)
        elif key == "Backspace":
            self._back()
        elif key == "Enter":
            await self._submit()

    async def _submit(self, _e=None) -> None:
        t = self.ui.t
        entered, self.entered = self.entered, ""
        result = await self.ui.slow(settings.check_pin, self.ui.ctx, entered)   # scrypt: off the event loop
        if result.ok:
            self.locked, self.message = False, ""
            self.touch()
            self.ui.render()    # the same route as before locking
            return
        if result.wait_seconds:
            self._start_countdown(result.wait_seconds)
        else:
            self.message = t("ui_lock.wrong", left=result.tries_left)
        self._update()

    def _start_countdown(self, seconds: int) -> None:
        """Say how long to wait, second by second (the wait itself is kept in the store)."""
        if self._countdown is not None and not self._countdown.done():
            self._countdown.cancel()
        self.message = self.ui.t("ui_lock.wait", seconds=seconds)
        self._countdown = self.ui.page.run_task(self._count, seconds)

    async def _count(self, seconds: int) -> None:
        for left in range(seconds - 1, -1, -1):
            await asyncio.sleep(1)
            if not self.locked or self.closed:
                return
            self.message = self.ui.t("ui_lock.wait", seconds=left) if left else self.ui.t("ui_lock.try_again")
            try:
                self._update()
            except RuntimeError:
                return
