"""Photo files from the user's device to the server, of any size the pipeline accepts.

Why not `with_data=True` alone: the web client then sends the whole file inside one websocket
message, and the server's websocket refuses messages over 16 MiB by closing the connection, so a
20 MB phone photo vanished without a word. Instead, when `firesweep app` serves the web client it
turns on Flet's upload endpoint (a signed PUT into a private temporary directory, see
`app.cli.serve`): the picker gives us each file's name and size only, a file over the pipeline's
limit is refused before any byte moves, and the rest are uploaded, read and deleted. A desktop
window gives a path (read directly); with no upload endpoint (e.g. `flet run` in a browser) we
fall back to `with_data` and refuse, by name, a file the socket could not carry.

Reusable: any screen that takes photos (hazard form, re-check, rectification) makes a
`PhotoInput`, puts `pick_action()` on its button and sets `ui.on_picked = input.handle`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from app.domain.errors import PhotoRejected
from app.media.pipeline import MAX_BYTES

from .session import UiSession

__all__ = ["PhotoInput", "UPLOAD_DIR_ENV", "upload_dir", "WEBSOCKET_LIMIT"]

UPLOAD_DIR_ENV = "FIRESWEEP_UPLOAD_DIR"
UPLOAD_ENDPOINT = "upload"            # flet_web's default PUT endpoint
WEBSOCKET_LIMIT = 15 * 1024 * 1024     # what fits in one message under uvicorn's 16 MiB, with framing
UPLOAD_TIMEOUT = 600                   # s: 40 MB over a slow hospital Wi-Fi

Deliver = Callable[[str, bytes], Awaitable[None]]


def upload_dir() -> Path | None:
    """The private directory uploads land in, when the server was started with one."""
    value = os.environ.get(UPLOAD_DIR_ENV)
    return Path(value) if value and Path(value).is_dir() else None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}" if n >= 10 * 1024 * 1024 else f"{n / 1024 / 1024:.1f}"


class PhotoInput:
    """Turns a picker's result into `(name, bytes)` handed to `deliver`, one good file at a time.

    A refused file is reported through `ui.error` (localized, naming the limit) and skipped;
    `progress(text)` shows what is happening (None when done).
    """

    def __init__(self, ui: UiSession, deliver: Deliver, progress: Callable[[str | None], None] = lambda _t: None):
        self.ui = ui
        self.deliver = deliver
        self.progress = progress
        self.uploads = upload_dir() if ui.page.web else None

    def pick_action(self, title: str) -> ft.PickFiles:
        # opened by the client inside the tap itself: iPad Safari refuses a chooser opened later
        # (and a slow tablet must not have its choice taken for a cancel when the window refocuses)
        return ft.PickFiles(self.ui.picker, file_type=ft.FilePickerFileType.IMAGE, allow_multiple=True,
                            with_data=self.uploads is None and self.ui.page.web, dialog_title=title,
                            cancel_upload_on_window_blur=False)

    async def handle(self, files: list[ft.FilePickerFile]) -> None:
        for file in files:
            try:
                data = await self._read(file)
            except PhotoRejected as error:
                self.ui.error(error)
                continue
            if data is None:
                continue
            await self.deliver(file.name, data)
        self.progress(None)

    def _too_big(self, file: ft.FilePickerFile, limit: int) -> bool:
        if file.size and file.size > limit:
            self.ui.error(self.ui.t("ui_upload.too_large", name=file.name, size=_mb(file.size), limit=_mb(limit)))
            return True
        return False

    async def _read(self, file: ft.FilePickerFile) -> bytes | None:
        if file.bytes is not None:
            return file.bytes
        if file.path:                                        # a desktop window: the file is here
            path = Path(file.path)
            if self._too_big(file, MAX_BYTES):
                return None
            try:
                return await self.ui.slow(path.read_bytes)
            except OSError:
                raise PhotoRejected(file.name, "no_such_file") from None
        if self.uploads is None:
            # with_data but nothing came: the client could not read the file, or it was too big for one message
            if not self._too_big(file, WEBSOCKET_LIMIT):
                self.ui.error(self.ui.t("ui_hazard.unreadable", name=file.name))
            return None
        if self._too_big(file, MAX_BYTES):
            return None
        return await self._upload(file, self.uploads)

    def _url(self, relative: str) -> str:
        try:
            return self.ui.page.get_upload_url(relative, UPLOAD_TIMEOUT)
        except RuntimeError:
            # ft.run does not tell the session where its upload endpoint is; sign for the default one
            from flet_web.uploads import build_upload_url

            return build_upload_url(UPLOAD_ENDPOINT, relative, UPLOAD_TIMEOUT, None)

    async def _upload(self, file: ft.FilePickerFile, root: Path) -> bytes | None:
        folder = uuid.uuid4().hex                 # our name, not the user's: no path tricks, no clashes
        relative = f"{folder}/photo{Path(file.name).suffix.lower()[:8]}"
        target = root / relative
        done: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        t = self.ui.t

        def on_upload(e: ft.FilePickerUploadEvent) -> None:
            if e.file_name != file.name or done.done():
                return
            if e.error:
                done.set_result(e.error)
            elif (e.progress or 0) >= 1.0:
                done.set_result(None)
            else:
                self.progress(t("ui_upload.uploading", name=file.name, percent=int((e.progress or 0) * 100)))
                self.ui.page.update()

        self.ui.picker.on_upload = on_upload
        self.progress(t("ui_upload.uploading", name=file.name, percent=0))
        self.ui.page.update()
        try:
            await self.ui.picker.upload([ft.FilePickerUploadFile(upload_url=self._url(relative), method="PUT",
                                                                 id=file.id, name=file.name)])
            error = await asyncio.wait_for(done, UPLOAD_TIMEOUT)
            if error is None and not (target.is_file() and target.stat().st_size == file.size):
                error = "incomplete"
            if error:
                self.ui.error(t("ui_upload.failed", name=file.name, message=error))
                return None
            return await self.ui.slow(target.read_bytes)
        except (TimeoutError, RuntimeError, OSError) as error:
            self.ui.error(t("ui_upload.failed", name=file.name, message=str(error) or type(error).__name__))
            return None
        finally:
            self.ui.picker.on_upload = None
            shutil.rmtree(root / folder, ignore_errors=True)
