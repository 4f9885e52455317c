"""The app on a real Flet `Page` over an in-memory connection: no browser, no server.

`FakeClient` plays the part of the Flutter client just enough for our screens: it records what
the server sends, answers `push_route` and reports the route change back, like a browser would.
Controls are found by their Semantics identifier, the same hooks the browser tests use.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import flet as ft
from flet.messaging.connection import Connection
from flet.messaging.protocol import MessageAction
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from app.ui.shell import start

__all__ = ["FakeClient", "open_page", "find", "click", "settle", "run"]


class FakeClient(Connection):
    def __init__(self, loop: asyncio.AbstractEventLoop):
        super().__init__()
        self.loop = loop
        self.page_url = "http://127.0.0.1"
        self.pubsubhub = PubSubHub(loop=loop)
        self.messages: list[Any] = []
        self.session: Session | None = None
        self.tasks: set[asyncio.Task] = set()

    def send_message(self, message) -> None:
        self.messages.append(message)
        if message.action is MessageAction.SESSION_CRASHED:
            raise AssertionError(f"a handler failed: {message.body}")
        body = getattr(message, "body", None)
        if message.action is MessageAction.INVOKE_METHOD and body.name == "push_route":
            task = self.loop.create_task(self._route(body))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _route(self, body) -> None:
        session = self.session
        session.handle_invoke_method_results(body.control_id, body.call_id, None, None)
        session.page.route = body.args["route"]
        await session.dispatch_event(session.page._i, "route_change", {"route": body.args["route"]})


async def open_page(route: str = "/", width: int = 800, height: int = 1280) -> tuple[ft.Page, FakeClient]:
    client = FakeClient(asyncio.get_running_loop())
    session = Session(client)
    client.session = session
    page = session.page
    page.route, page.width, page.height, page.web = route, width, height, True
    session.get_page_patch()   # the client's register step: mounts the page's own dialogs and overlay
    await start(page)
    return page, client


def _children(control: Any) -> Iterator[Any]:
    for f in dataclasses.fields(control):
        if f.name.startswith("_") or f.name == "parent":
            continue
        value = getattr(control, f.name, None)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ft.BaseControl):
                yield item


def _walk(control: Any) -> Iterator[Any]:
    yield control
    for child in _children(control):
        yield from _walk(child)


def find(page: ft.Page, identifier: str) -> Any:
    """The control inside the Semantics hook `identifier` (the hook itself if it has no content)."""
    for control in (c for view in page.views for c in _walk(view)):
        if isinstance(control, ft.Semantics) and control.identifier == identifier:
            return control.content or control
    for dialog in page._dialogs.controls:
        for control in _walk(dialog):
            if isinstance(control, ft.Semantics) and control.identifier == identifier:
                return control.content or control
    raise LookupError(identifier)


async def settle(client: FakeClient) -> None:
    """Let route changes and the handlers they start finish."""
    for _ in range(20):
        await asyncio.sleep(0)
        if client.tasks:
            await asyncio.gather(*list(client.tasks))


async def until(client: FakeClient, condition: Callable[[], Any], seconds: float = 90) -> None:
    """Wait for work a screen started off the event loop (reportlab, zbar, scrypt, the store) to show.

    A test waits for what the screen shows, not for the store: the store is written before the
    screen is rebuilt, so a control the new state brings may not be there yet.
    """
    for _ in range(int(seconds * 20)):
        await settle(client)
        try:
            if condition():
                return
        except LookupError:   # the control it waits for is not there yet
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def click(page: ft.Page, client: FakeClient, identifier: str) -> None:
    control = find(page, identifier)
    await page.session.dispatch_event(control._i, "click", None)
    await settle(client)


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run an async test body on its own loop in a worker thread.

    The browser tests' Playwright (sync API) keeps an event loop running in the main thread for
    the whole session, so a pytest-asyncio test after them could not start its loop there.
    """
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, test()).result()
