"""Photo files from the user's device to the server, of any size the pipeline accepts.

The picker gives each file's name and size first: a file over the pipeline's limit is refused
before any byte moves. Served by `firesweep app`, the rest come through the signed upload
(`uploads`, which says why not over the websocket); a desktop window gives a path, read directly;
with no upload endpoint (e.g. `flet run` in a browser) we fall back to `with_data` and refuse, by
name, a file one websocket message could not carry.

Reusable: any screen that takes photos (hazard form, re-check, rectification) makes a
`PhotoInput`, puts `pick_action()` on its button and sets `ui.on_picked = input.handle`.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from app.domain.errors import PhotoRejected
from app.media.pipeline import MAX_BYTES
from app.ui import uploads
from app.ui.session import UiSession

__all__ = ["PhotoInput", "WEBSOCKET_LIMIT"]

WEBSOCKET_LIMIT = 15 * 1024 * 1024     # what fits in one message under uvicorn's 16 MiB, with framing
UPLOAD_TIMEOUT = 600                   # s: 40 MB over a slow hospital Wi-Fi
# s: an upload done sooner shows no percentage. A phone photo over this machine's loopback or good
# Wi-Fi arrives before anyone could read one, and each shown step repaints the whole client (in a
# browser without a GPU a frame costs tens of ms, taken from the upload and the photo's processing).
QUIET_UPLOAD = 0.5

Deliver = Callable[[str, bytes], Awaitable[None]]


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f}" if n >= 10 * 1024 * 1024 else f"{n / 1024 / 1024:.1f}"


class PhotoInput:
    """Turns a picker's result into `(name, bytes)` handed to `deliver`, one good file at a time.

    A refused file is reported through `ui.error` (localized, naming the limit) and skipped;
    `progress(text)` shows what is happening (None when done): an upload's percentage once it
    has taken longer than `QUIET_UPLOAD`.
    """

    def __init__(self, ui: UiSession, deliver: Deliver, progress: Callable[[str | None], None] = lambda _t: None):
        self.ui = ui
        self.deliver = deliver
        self.progress = progress
        self.upload_root = uploads.upload_dir() if ui.page.web else None

    def pick_action(self, title: str) -> ft.PickFiles:
        # opened by the client inside the tap itself: iPad Safari refuses a chooser opened later
        # (and a slow tablet must not have its choice taken for a cancel when the window refocuses)
        return ft.PickFiles(self.ui.picker, file_type=ft.FilePickerFileType.IMAGE, allow_multiple=True,
                            with_data=self.upload_root is None and self.ui.page.web, dialog_title=title,
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
        if self.upload_root is None:
            # with_data but nothing came: the client could not read the file, or it was too big for one message
            if not self._too_big(file, WEBSOCKET_LIMIT):
                self.ui.error(self.ui.t("ui_hazard.unreadable", name=file.name))
            return None
        if self._too_big(file, MAX_BYTES):
            return None
        return await self._upload(file, self.upload_root)

    async def _upload(self, file: ft.FilePickerFile, root: Path) -> bytes | None:
        t = self.ui.t
        started = time.monotonic()

        def progress(fraction: float) -> None:
            if time.monotonic() - started < QUIET_UPLOAD:
                return
            self.progress(t("ui_upload.uploading", name=file.name, percent=int(fraction * 100)))
            self.ui.page.update()

        where = await uploads.upload(self.ui, file, root, UPLOAD_TIMEOUT, progress)
        if isinstance(where, str):
            self.ui.error(t("ui_upload.failed", name=file.name, message=where))
            return None
        try:
            return await self.ui.slow(where.read_bytes)
        except OSError as error:
            self.ui.error(t("ui_upload.failed", name=file.name, message=str(error)))
            return None
        finally:
            shutil.rmtree(where.parent, ignore_errors=True)
