"""Handing a finished file to the user, and showing how far slow work has got.

In a browser the file is a download (the bytes travel with the save call: the browser cannot
read a path on the server). In the desktop window the save dialog writes the bytes where the
user chose, and a report then opens in the system's viewer. On an Android or iOS build the
system's save dialog takes the bytes (what it returns may be a content URI, not a path we can
open), and "open" is the system's share sheet: open in a PDF viewer, print, send.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

import flet as ft

from app.ui.session import UiSession

__all__ = ["deliver", "on_mobile", "Busy"]


async def deliver(ui: UiSession, name: str, content: bytes, title: str, open_after: bool = False) -> str | None:
    """Save `content` as `name`; returns where it went on a desktop or a tablet build (its URI there), None in
    a browser or if cancelled. With `open_after`, a saved file is opened (desktop) or shared (tablet build)."""
    saved = await ui.picker.save_file(dialog_title=title, file_name=name, src_bytes=content)
    if on_mobile(ui.page):
        if saved and open_after:     # cancelled means cancelled: no share sheet either
            await ft.Share().share_files([ft.ShareFile.from_bytes(content, mime_type=_mime(name), name=name)],
                                         title=title)
        return saved
    if ui.page.web or not saved:
        return None
    target = Path(saved)
    if not target.is_file():   # a platform whose dialog only returns the chosen path
        target.write_bytes(content)
    if open_after:
        await ft.UrlLauncher().launch_url(target.as_uri())
    return saved


def on_mobile(page: ft.Page) -> bool:
    """An Android or iOS build (a browser on a tablet is `web`, and downloads)."""
    return not page.web and page.platform is not None and page.platform.is_mobile()


def _mime(name: str) -> str:
    return {".pdf": "application/pdf", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".csv": "text/csv"}.get(Path(name).suffix.lower(), "application/octet-stream")


class Busy:
    """A progress bar with a line of text, hidden until work starts.

    `reporter()` gives a callback a worker thread may call with the fraction done: the value is
    handed to the event loop, which alone may touch controls.
    """

    def __init__(self, ident: str):
        self.text = ft.Text("", size=14)
        self.bar = ft.ProgressBar(value=None, bar_height=8, border_radius=4)
        self.control = ft.Semantics(identifier=ident, content=ft.Column([self.text, self.bar], spacing=4),
                                    visible=False)

    def start(self, message: str, determinate: bool = False) -> None:
        self.text.value = message
        self.bar.value = 0 if determinate else None
        self.control.visible = True
        self.control.label = message

    def stop(self) -> None:
        self.control.visible = False

    def reporter(self) -> Callable[[float], None]:
        loop = asyncio.get_running_loop()

        def show(value: float) -> None:
            self.bar.value = max(0.0, min(1.0, value))
            with contextlib.suppress(RuntimeError):   # the screen was left meanwhile: nothing to show
                self.bar.update()

        def report(value: float) -> None:   # called from the worker thread: hand it to the loop
            loop.call_soon_threadsafe(show, value)

        return report
