"""Take a photo with the device's camera (flet-camera): a preview in a dialog and a shutter button.

The button shows where flet-camera can work (a browser, Android, iOS). Whether a camera is really
there is only known once asked: asking makes a browser request the camera permission, so we ask
on the tap, not when the form opens. No camera, or a refusal, turns the button off for the rest
of the session with a short note; the file picker next to it always stays.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable

import flet as ft
import flet_camera as fc

from app.ui.session import UiSession
from app.ui.widgets.common import action_button, hook, inner_button

__all__ = ["CameraButton", "camera_possible"]

PREVIEW_SETTLE = 0.3   # s

_STORE_KEY = "firesweep.camera_unavailable"   # the note, once this session found no usable camera
ASK_TIMEOUT = 120     # s: the browser may be waiting for the user to allow the camera
SHOT_TIMEOUT = 30

Deliver = Callable[[str, bytes], Awaitable[None]]


def camera_possible(page: ft.Page) -> bool:
    """flet-camera supports the web client and the two phone platforms, nothing else."""
    return bool(page.web) or page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)


class CameraButton:
    """"Take photo": opens the camera dialog; the JPEG taken goes to `deliver(name, bytes)`."""

    def __init__(self, ui: UiSession, deliver: Deliver):
        self.ui = ui
        self.deliver = deliver
        t = ui.t
        self.button = ft.Button(content=t("ui_camera.take"), icon=ft.Icons.PHOTO_CAMERA, height=56,
                                on_click=self.open)
        self.note = ft.Text("", size=14, color=ft.Colors.ON_SURFACE_VARIANT)
        self.note_hook = hook("camera-note", self.note)
        self.note_hook.visible = False     # on the hook: a Semantics must not wrap a hidden control
        self.control = ft.Row([hook("take-photo", self.button), self.note_hook],
                              spacing=12, wrap=True, visible=camera_possible(ui.page))
        self._dialog: ft.AlertDialog | None = None
        self._camera: fc.Camera | None = None
        self._shutter: ft.Control | None = None
        self._status = ft.Text(t("ui_camera.starting"), color=ft.Colors.WHITE)
        note = self._store().get(_STORE_KEY) if self._store().contains_key(_STORE_KEY) else None
        if note:
            self._disable(note)

    def _store(self):
        return self.ui.page.session.store

    def _disable(self, note: str) -> None:
        self.button.disabled = True
        self.note.value = self.note_hook.label = note
        self.note_hook.visible = True

    def _give_up(self, note: str) -> None:
        self._store().set(_STORE_KEY, note)
        self._disable(note)
        self._close()

    def _close(self) -> None:
        if self._dialog is not None and self._dialog.open:
            self.ui.page.pop_dialog()
        self._dialog = self._camera = None
        self.ui.page.update()

    async def open(self, _e=None) -> None:
        t, page = self.ui.t, self.ui.page
        width = min((page.width or 800) - 64, 720)
        height = round(width * 3 / 4)
        self._camera = camera = fc.Camera(width=width, height=height, preview_enabled=True)
        self._status.value = t("ui_camera.starting")
        self._shutter = shutter = action_button(t("ui_camera.shutter"), ft.Icons.CAMERA, self.shoot, "camera-shutter",
                                                disabled=True, width=160)
        self._dialog = ft.AlertDialog(
            modal=True, title=ft.Text(t("ui_camera.title")),
            content=ft.Container(ft.Stack([camera, ft.Container(self._status, padding=12)]),
                                 width=width, height=height, bgcolor=ft.Colors.BLACK),
            actions=[action_button(t("ui_camera.cancel"), None, lambda _e: self._close(), "camera-cancel",
                                   filled=False), shutter],
            inset_padding=ft.Padding.all(16),
        )
        page.show_dialog(self._dialog)
        try:
            await asyncio.sleep(PREVIEW_SETTLE)   # let the client build the preview before it is asked for cameras
            cameras = await asyncio.wait_for(camera.get_available_cameras(), ASK_TIMEOUT)
            if self._camera is not camera:   # cancelled meanwhile
                return
            if not cameras:
                self._give_up(t("ui_camera.none"))
                return
            chosen = next((c for c in cameras if c.lens_direction is fc.CameraLensDirection.BACK), cameras[0])
            await asyncio.wait_for(camera.initialize(chosen, fc.ResolutionPreset.VERY_HIGH, enable_audio=False),
                                   ASK_TIMEOUT)
        except (RuntimeError, TimeoutError, ft.FletUnsupportedPlatformException) as error:
            if self._camera is camera:
                self._give_up(t("ui_camera.failed", message=_short(error)))
            return
        if self._camera is camera:
            self._status.visible = False
            inner_button(shutter).disabled = False
            page.update()

    async def shoot(self, _e=None) -> None:
        camera, t = self._camera, self.ui.t
        if camera is None:
            return
        if self._shutter is not None:
            inner_button(self._shutter).disabled = True
        self.ui.page.update()
        try:
            data = await asyncio.wait_for(camera.take_picture(), SHOT_TIMEOUT)
        except (RuntimeError, TimeoutError) as error:
            self._give_up(t("ui_camera.failed", message=_short(error)))
            return
        self._close()
        if data:
            name = dt.datetime.now().strftime("camera-%Y%m%d-%H%M%S.jpg")
            await self.deliver(name, bytes(data))


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]

