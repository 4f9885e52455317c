"""One photo, large, with its stamp: who took it and when, what it belongs to; annotate or remove it.

Annotating never edits the evidence: the service stores a new photo drawn from this one (listed on
the same hazard) and this screen moves to it. Removal is soft and audited, after a confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import flet as ft

from app.domain.model import Hazard, Photo, PhotoOwner
from app.services.hazards import get_hazard
from app.services.inspections import get_inspection
from app.services.photos import annotate_photo, get_photo, photo_bytes, remove_photo
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.annotation_pad import AnnotationPad, Tool
from app.ui.widgets.common import MIN_TOUCH, action_button, big_button, heading, hook, inner_button

__all__ = ["build", "back_route"]

RAIL = 100 + 60     # the navigation rail, the body's padding and a scroll bar when wide (see shell.Router)


def back_route(record: Photo, hazard: Hazard | None, came_from: str) -> str:
    """Where the back arrow goes: the photo's owner, as the user reached it.

    The hazard form of a failed item is where a hazard photo is usually taken; `?from=detail`
    (a link from the hazard detail screen) or a hazard without an item go to the detail.
    """
    if hazard is None:
        return routes.home()
    if came_from == "detail" or not hazard.item_id or record.owner is not PhotoOwner.HAZARD:
        return routes.hazard_detail(hazard.id)
    return routes.hazard(hazard.inspection_id, hazard.area_id, hazard.item_id)


def _query(route: str, name: str) -> str:
    _, _, query = (route or "").partition("?")
    pairs = dict(part.partition("=")[::2] for part in query.split("&") if part)
    return pairs.get(name, "")


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def _details(ui: UiSession, record: Photo, hazard: Hazard | None) -> ft.Control:
    t = ui.t
    zone = ZoneInfo(ui.catalog.campaign.timezone)
    lines = [
        # the camera's own time when the file carries it; otherwise say it is only the upload time
        t("ui_day.photo_taken", who=record.taken_by or "—", when=record.taken_at[:16]) if record.taken_at else
        t("ui_day.photo_uploaded", who=record.taken_by or "—",
          when=record.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
        t("ui_photo.pixels", width=record.width, height=record.height)
        + (t("ui_photo.original", size=_size(record.original_size)) if record.original_size else ""),
        t(f"ui_photo.owner_{record.owner.value}", text=hazard.description if hazard else record.owner_id),
    ]
    if record.annotated_from:
        lines.append(t("ui_photo.annotated"))
    if record.removed:
        lines.append(t("ui_photo.removed"))
    return hook("photo-details", ft.Column([ft.Text(line, size=15, selectable=True) for line in lines], spacing=4),
                label="\n".join(lines))


@dataclass
class _Toolbar:
    """The annotation mode's controls: the tool choice, undo / cancel / save, and the hint."""

    pad: AnnotationPad
    tools: ft.Row
    undo: ft.Control
    save: ft.Control
    cancel: ft.Control
    hint: ft.Text
    column: ft.Column

    def draw(self, ui: UiSession) -> None:
        """The tool buttons (the chosen one filled), and what undo, save and the hint say now."""
        t, pad = ui.t, self.pad
        tools: tuple[tuple[Tool, ft.IconData], ...] = (
            ("circle", ft.Icons.CIRCLE_OUTLINED), ("arrow", ft.Icons.ARROW_OUTWARD))
        self.tools.controls = [
            big_button(t(f"ui_photo.tool_{kind}"), icon, ft.Colors.RED_700, self._choose(ui, kind), f"tool-{kind}",
                       selected=pad.tool == kind, height=56)
            for kind, icon in tools
        ]
        count = len(pad.shapes)
        inner_button(self.undo).disabled = inner_button(self.save).disabled = count == 0
        self.hint.value = t("ui_photo.hint") if count == 0 else t("ui_photo.shape_count", count=count)

    def _choose(self, ui: UiSession, kind: Tool):
        def pick(_e) -> None:
            self.pad.tool = kind
            self.draw(ui)
        return pick


def _pad(ui: UiSession, record: Photo) -> AnnotationPad:
    """The photo as large as the screen allows, leaving room for the header and the buttons."""
    page = ui.page
    width = page.width or 800
    max_w = width - RAIL if ui.wide else width - 24
    max_h = max((page.height or 1280) - (320 if ui.wide else 380), 200)
    return AnnotationPad(photo_bytes(ui.ctx, record.sha256), record.width or 1, record.height or 1, max_w, max_h)


def _toolbar(ui: UiSession, pad: AnnotationPad) -> _Toolbar:
    t = ui.t
    tools = ft.Row(spacing=8)
    undo = action_button(t("ui_photo.undo"), ft.Icons.UNDO, lambda _e: pad.undo(), "annotate-undo", filled=False)
    save = action_button(t("ui_photo.save"), ft.Icons.SAVE, None, "annotate-save")
    cancel = action_button(t("ui_photo.cancel"), ft.Icons.CLOSE, None, "annotate-cancel", filled=False)
    column = ft.Column([tools, ft.Row([undo, cancel, save], spacing=8, wrap=True, run_spacing=8)],
                       spacing=8, visible=False)
    hint = ft.Text(t("ui_photo.hint"), size=14, color=ft.Colors.ON_SURFACE_VARIANT)
    return _Toolbar(pad, tools, undo, save, cancel, hint, column)


def _save_shapes(ui: UiSession, record: Photo, bar: _Toolbar):
    """Save: a new photo with the shapes drawn in, then that photo's screen (from the same place)."""
    async def save(_e) -> None:
        if not bar.pad.shapes:
            return
        inner_button(bar.save).disabled = True
        ui.page.update()
        drawn = await ui.attempt_slow(annotate_photo, ui.ctx, record.id, list(bar.pad.shapes))
        if not drawn:
            bar.draw(ui)
            return
        suffix = "?from=detail" if _query(ui.page.route, "from") == "detail" else ""
        await ui.go(routes.photo(drawn.value.id) + suffix)
        ui.info(ui.t("ui_photo.saved"))
    return save


def _confirm_remove(ui: UiSession, record: Photo, back: str):
    """Remove: asks first; removed, back to where the photo was reached from."""
    t, page = ui.t, ui.page

    async def really(_e) -> None:
        page.pop_dialog()
        if not ui.attempt(remove_photo, ui.ctx, record.id):
            return
        await ui.go(back)
        ui.info(t("ui_photo.removed_done"))

    def confirm(_e) -> None:
        page.show_dialog(ft.AlertDialog(
            modal=True,
            title=ft.Text(t("ui_photo.remove_title")),
            content=ft.Text(t("ui_photo.remove_body")),
            actions=[
                action_button(t("ui_photo.cancel"), None, lambda _e: page.pop_dialog(), "remove-cancel",
                              filled=False),
                action_button(t("ui_photo.remove"), ft.Icons.DELETE, really, "remove-confirm",
                              style=ft.ButtonStyle(bgcolor=ft.Colors.RED_700, color=ft.Colors.WHITE)),
            ],
        ))
    return confirm


def _header(ui: UiSession, back: str) -> ft.Control:
    return ft.Row([
        hook("photo-back", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=ui.t("ui_photo.back"),
                                         on_click=lambda _e: ui.navigate(back), width=MIN_TOUCH, height=MIN_TOUCH)),
        heading(ui.t("ui_photo.title"), ident="screen-photo"),
    ])


def build(ui: UiSession, photo: str) -> ft.Control:
    t, ctx = ui.t, ui.ctx
    record = get_photo(ctx, photo)
    hazard = None if record.owner is PhotoOwner.RESPONSE else get_hazard(ctx, record.owner_id)
    if hazard is not None:
        ui.adopt_inspector(get_inspection(ctx, hazard.inspection_id).inspectors)
    back = back_route(record, hazard, _query(ui.page.route, "from"))
    pad = _pad(ui, record)
    bar = _toolbar(ui, pad)
    annotate = action_button(t("ui_photo.annotate"), ft.Icons.DRAW, None, "annotate")
    remove = action_button(t("ui_photo.remove"), ft.Icons.DELETE_OUTLINE, None, "remove-photo", filled=False)
    remove.visible = annotate.visible = not record.removed    # a removed photo is kept as it is
    viewing = ft.Row([annotate, remove], spacing=12, wrap=True, run_spacing=8)
    details = _details(ui, record, hazard)
    body = ft.Column(spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)

    def set_mode(on: bool) -> None:
        pad.enabled = on
        bar.column.visible, bar.hint.visible = on, on
        viewing.visible, details.visible = not on, not on
        # a scrolling page would take a vertical finger drag for a scroll: hold it still while drawing
        body.scroll = None if on else ft.ScrollMode.AUTO
        if not on:
            pad.clear()
        bar.draw(ui)

    def on_change() -> None:
        bar.draw(ui)
        ui.page.update()

    pad.on_change = on_change
    inner_button(annotate).on_click = lambda _e: set_mode(True)
    inner_button(bar.cancel).on_click = lambda _e: set_mode(False)
    inner_button(bar.save).on_click = _save_shapes(ui, record, bar)
    inner_button(remove).on_click = _confirm_remove(ui, record, back)
    set_mode(False)
    body.controls = [_header(ui, back), pad.control, bar.hint, bar.column, viewing, details]
    return body
