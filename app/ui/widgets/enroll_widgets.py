"""Pieces the enrollment screens share: a file chooser for requests and certificates, a QR panel.

The chooser is the photo input's (`PhotoInput`: bytes, a desktop path or the signed upload of
`uploads`) with other file types: the JSON file itself, or a photo of its QR code.
"""

from __future__ import annotations

import flet as ft

from app.services.enrollment_files import EnrollFile
from app.services.qr_codes import code_image
from app.ui.session import UiSession
from app.ui.widgets.common import action_button, hook
from app.ui.widgets.delivery import deliver
from app.ui.widgets.photo_input import PhotoInput

__all__ = ["EnrollFileInput", "ENROLL_TYPES", "code_panel"]

ENROLL_TYPES = ["json", "png", "jpg", "jpeg"]


class EnrollFileInput(PhotoInput):
    """A request or certificate file (or a photo of its code), through the photo input's paths."""

    def pick_action(self, title: str) -> ft.PickFiles:
        return ft.PickFiles(self.ui.picker, file_type=ft.FilePickerFileType.CUSTOM, allowed_extensions=ENROLL_TYPES,
                            allow_multiple=False, with_data=self.upload_root is None and self.ui.page.web,
                            dialog_title=title, cancel_upload_on_window_blur=False)


def code_panel(ui: UiSession, file: EnrollFile, title: str, explain: str, ident: str) -> ft.Control:
    """The file as a QR code to scan, its name, and a button that saves it again."""
    async def save_again(_e) -> None:
        await deliver(ui, file.name, file.content, title)

    return hook(ident, ft.Container(ft.Column([
        ft.Text(title, size=16, weight=ft.FontWeight.BOLD),
        ft.Text(explain, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        hook(f"{ident}-qr", ft.Image(src=code_image(file.text), width=280, height=280, fit=ft.BoxFit.CONTAIN),
             label=file.name),
        ft.Text(file.name, size=13, selectable=True),
        action_button(ui.t("ui_authority.save_again"), ft.Icons.DOWNLOAD, save_again, f"{ident}-save", filled=False),
    ], spacing=8, horizontal_alignment=ft.CrossAxisAlignment.START), padding=12, border_radius=12,
        bgcolor=ft.Colors.WHITE, border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT)), label=title)
