"""A file chosen in the user's browser, onto the server: Flet's signed upload into a private folder.

Why: reading a pick "with data" sends the whole file inside one websocket message, and the server's
websocket closes the connection on a message over 16 MiB, so a 20 MB phone photo or a bundle with
photos vanished without a word. `firesweep app` (see `app.cli.serve`) turns on Flet's upload
endpoint (a PUT to a URL signed for one file and a limited time) into a fresh private temporary
folder and names it in `UPLOAD_DIR_ENV`. Photos (`photo_input`) and bundles (`sync`) both come
through `upload` here; each reads its file and then removes the folder the upload made.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import flet as ft

from app.ui import web_guard
from app.ui.session import UiSession

__all__ = ["UPLOAD_DIR_ENV", "UPLOAD_ENDPOINT", "upload_dir", "safe_name", "upload"]

UPLOAD_DIR_ENV = "FIRESWEEP_UPLOAD_DIR"
UPLOAD_ENDPOINT = "upload"            # flet_web's default PUT endpoint


def upload_dir() -> Path | None:
    """The private folder uploads land in, when the server was started with one (else None)."""
    value = os.environ.get(UPLOAD_DIR_ENV)
    return Path(value) if value and Path(value).is_dir() else None


def safe_name(name: str, default: str = "upload") -> str:
    """The user's file name with nothing that could leave its folder or trouble a file system."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", Path(name).name).lstrip(".")[:120] or default


def _url(ui: UiSession, relative: str, seconds: int) -> str:
    """A signed URL for one upload, registered as usable once and by this browser only (web_guard)."""
    web_guard.issue_upload(ui.client, relative, seconds)
    try:
        return ui.page.get_upload_url(relative, seconds)
    except RuntimeError:
        # a session that was not told where its upload endpoint is: sign for the default one
        from flet_web.uploads import build_upload_url

        return build_upload_url(UPLOAD_ENDPOINT, relative, seconds, None)


async def upload(ui: UiSession, file: ft.FilePickerFile, root: Path, timeout: int,
                 progress: Callable[[float], None] = lambda _f: None) -> Path | str:
    """Upload `file` into a folder of its own under `root`: its path there, or why it did not arrive.

    The caller reads the file and removes `path.parent`. `progress` gets the fraction sent so far
    (it may show it or not: nothing here depends on it updating the page).
    """
    target = root / uuid.uuid4().hex / safe_name(file.name)   # our folder name: no path tricks, no clashes
    relative = f"{target.parent.name}/{target.name}"
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str | None] = loop.create_future()

    def settle(problem: str | None) -> None:
        if not done.done():
            done.set_result(problem)

    def on_upload(e: ft.FilePickerUploadEvent) -> None:
        if e.file_name != file.name or done.done():
            return
        if e.error:
            settle(e.error)
        elif (e.progress or 0) >= 1.0:
            settle(None)
        else:
            progress(e.progress or 0.0)

    def answered(status: int) -> None:
        """The server's own word that the PUT is over, before the browser relays its "100%"."""
        loop.call_soon_threadsafe(settle, None if 200 <= status < 300 else f"HTTP {status}")

    ui.picker.on_upload = on_upload
    ui.page.update()   # the client reports an upload's progress only to a picker it knows listens
    progress(0.0)
    forget = web_guard.watch_upload(relative, answered)
    try:
        await ui.picker.upload([ft.FilePickerUploadFile(upload_url=_url(ui, relative, timeout), method="PUT",
                                                        id=file.id, name=file.name)])
        problem = await asyncio.wait_for(done, timeout)
    except (TimeoutError, RuntimeError, OSError) as error:
        problem = str(error) or type(error).__name__
    finally:
        forget()
        ui.picker.on_upload = None
    if problem is None and not (target.is_file() and target.stat().st_size == file.size):
        problem = "incomplete"
    if problem is None:
        return target
    shutil.rmtree(target.parent, ignore_errors=True)
    return problem
