"""Print a finished PDF from the browser: hand it to the browser's own PDF viewer, which prints.

A Flet page cannot call `window.print()`, and the browser cannot read a file on the server, so
the PDF is put in the folder the web client is served from (`web_assets`) under a random,
unguessable name, and opened in a new tab; the viewer's print button (or Ctrl+P) prints it. The
server lets only the browser that asked read it, for ten minutes (`web_guard.issue_view`): a
URL seen once cannot be replayed from another client.
The folder is a temporary one removed when the server stops. Without a served folder (the
desktop window, a phone) there is no browser viewer: `publish` returns None and the caller
saves the file instead, to print from the system.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import flet as ft

from app.ui import web_guard
from app.ui.session import UiSession
from app.ui.web_guard import VIEW_PREFIX
from app.ui.widgets.delivery import deliver

__all__ = ["WEB_ROOT_ENV", "publish", "print_pdf"]

WEB_ROOT_ENV = "FIRESWEEP_WEB_ROOT"   # set by web_assets.prepare_web_assets
VIEW_SECONDS = 600                     # long enough to print; the copy is not readable after


def publish(content: bytes) -> str | None:
    """The served path of a fresh copy of `content`, or None when nothing is served."""
    root = os.environ.get(WEB_ROOT_ENV)
    if not root or not Path(root).is_dir():
        return None
    folder = Path(root) / VIEW_PREFIX.strip("/")
    folder.mkdir(exist_ok=True)
    name = f"{secrets.token_urlsafe(18)}.pdf"
    (folder / name).write_bytes(content)
    return f"{VIEW_PREFIX}{name}"


async def print_pdf(ui: UiSession, file_name: str, content: bytes, title: str) -> bool:
    """Open the PDF for printing (web) or save it to print from the system; True when opened."""
    path = publish(content) if ui.page.web else None
    if path is None:
        await deliver(ui, file_name, content, title)
        return False
    web_guard.issue_view(ui.client, path, VIEW_SECONDS)
    await ft.UrlLauncher().launch_url(path, web_only_window_name="_blank")
    return True
