"""What every screen is handed: the page, the services' context as this user, and a few verbs.

A screen is a function `build(ui, **route_params) -> ft.Control`. It reads through services,
acts through services and moves on with `ui.go(route)`; it never keeps records of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar, cast

import flet as ft

from app.domain.errors import AppError, InvalidInput
from app.i18n import Translator, describe_error
from app.services.context import Context
from app.services.inspections import get_inspection
from app.services.queries import checklist_of, get_area
from app.ui.state import ViewState
from app.ui.widgets.common import InputField, say_under

__all__ = ["Outcome", "UiSession"]

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What `UiSession.attempt` hands back: whether the service call went through, and its value.

    Truthy when it went through, so a handler reads `if not (done := ui.attempt(...)): return`.
    A value of `None` is a valid success, which is why this is not just "the value or None".
    """

    ok: bool
    result: T | None = None     # what the service returned; read it as `value`, after the check

    def __bool__(self) -> bool:
        return self.ok

    @property
    def value(self) -> T:
        """The service's return value. Only a success has one: reading it after a refusal is a bug."""
        if not self.ok:
            raise ValueError("a refused attempt has no value")
        return cast(T, self.result)   # T may itself allow None (a service that returns nothing)


class UiSession:
    def __init__(self, page: ft.Page, base_ctx: Context, state: ViewState, picker: ft.FilePicker):
        self.page = page
        self.state = state
        self.picker = picker
        self._base_ctx = base_ctx
        self.render: Callable[[], None] = lambda: None       # set by the shell's router
        self.banner: Callable[[str, bool], None] = lambda message, error: None
        self.on_picked: Callable[[list[ft.FilePickerFile]], Any] | None = None
        self.lock_now: Callable[[], None] = lambda: None     # set by the PIN lock (app/ui/lock.py)
        self.client: str | None = None   # the browser's client cookie (app/ui/web_guard.py), when served
        picker.on_result = self._picked

    @property
    def t(self) -> Translator:
        return self.state.t

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def ctx(self) -> Context:
        """The shared context acting as this session's inspector (the audit's "who")."""
        return replace(self._base_ctx, actor=self.state.actor) if self.state.actor else self._base_ctx

    def adopt_inspector(self, inspectors: tuple[str, ...]) -> None:
        """Nobody signed in yet (e.g. after a reload): act as the inspection's first inspector."""
        if not self.state.actor and inspectors:
            self.state.actor = inspectors[0]

    def open_area(self, inspection_id: str, area_id: str):
        """The inspection, one of its areas and the area's checklist, acting as its inspector
        from here on; returns the context to use with them."""
        inspection = get_inspection(self.ctx, inspection_id)
        self.adopt_inspector(inspection.inspectors)
        ctx = self.ctx
        area = get_area(ctx, inspection_id, area_id)
        return ctx, inspection, area, checklist_of(ctx, area)

    @property
    def catalog(self):
        return self._base_ctx.catalog

    @property
    def wide(self) -> bool:
        return (self.page.width or 800) >= 600

    @property
    def field_width(self) -> float:
        """Text fields: a comfortable width on a tablet, the full width (less padding) on a phone."""
        return 560 if self.wide else max((self.page.width or 390) - 24, 200)

    def unit_name(self, code: str) -> str:
        unit = self.catalog.units.get(code)
        return unit.name(self.lang) if unit else code

    async def go(self, route: str) -> None:
        if route == self.page.route:
            self.render()
        else:
            await self.page.push_route(route)

    def navigate(self, route: str) -> None:
        """`go` from a synchronous handler."""
        self.page.run_task(self.go, route)

    def error(self, error: AppError | str) -> None:
        message = describe_error(error, self.lang) if isinstance(error, AppError) else error
        self.banner(message, True)

    def refuse_under(self, error: AppError, fields: Mapping[str, InputField]) -> None:
        """Show a refusal under the input it is about (an `InvalidInput` naming one of `fields`),
        else in the banner."""
        field = fields.get(error.field) if isinstance(error, InvalidInput) else None
        if field is None or not isinstance(error, InvalidInput):
            self.error(error)
            return
        say_under(field, self.t.reason(error.reason, **error.detail))
        self.page.update()

    def info(self, message: str) -> None:
        self.banner(message, False)

    def attempt(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> Outcome[T]:
        """Call a service; if it refuses (an `AppError`: bad input, forbidden, busy store), show why
        in the user's language and report failure. Services change nothing when they refuse, so the
        screen only has to stop; anything that is not an `AppError` is a bug and propagates."""
        try:
            return Outcome(True, work(*args, **kwargs))
        except AppError as error:
            self.error(error)
            return Outcome(False)

    async def attempt_slow(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> Outcome[T]:
        """`attempt` for Pillow / reportlab / bundle work, run off the event loop like `slow`."""
        try:
            return Outcome(True, await self.slow(work, *args, **kwargs))
        except AppError as error:
            self.error(error)
            return Outcome(False)

    async def slow(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run Pillow / reportlab work off the event loop, so the UI keeps painting."""
        return await asyncio.to_thread(work, *args, **kwargs)

    async def _picked(self, event: ft.FilePickerResultEvent) -> None:
        handler = self.on_picked
        if handler is not None and event.files:
            result = handler(event.files)
            if asyncio.iscoroutine(result):
                await result
