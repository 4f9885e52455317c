"""The hazard form of a failed item: prefilled from the checklist, with photos.

The hazard already exists when this opens (raised with the 不合格 tap), so a photo can be added
straight away and a reload loses nothing; Save stores the edits.
"""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.domain.checklist import ChecklistItem
from app.domain.errors import AppError, NotFound
from app.domain.model import Hazard, Severity, Verdict
from app.services.hazards import get_hazard, major_hint_reason, raise_hazard, update_hazard
from app.services.photos import add_hazard_photo, photo_bytes, photos_of
from app.services.queries import answers_of_area, hazard_for_item

from . import routes
from .camera import CameraButton
from .findings_picker import findings_picker
from .photo_input import PhotoInput
from .session import UiSession
from .widgets import action_button, heading, hook, parse_day, segment_label

THUMB_W, THUMB_H = 160, 120


def _thumbnails(ui: UiSession, hazard: Hazard) -> list[ft.Control]:
    """Each photo's thumbnail; a tap opens it large, to check the stamp, annotate or remove it."""
    photos = photos_of(ui.ctx, hazard.id, hazard.unit)
    return [
        hook(f"photo-{n}", ft.Container(
            ft.Image(src=photo_bytes(ui.ctx, p.thumb_sha256), width=THUMB_W, height=THUMB_H, fit=ft.BoxFit.COVER,
                     border_radius=8),
            on_click=lambda _e, photo_id=p.id: ui.navigate(routes.photo(photo_id)), ink=True, border_radius=8,
        ), label=ui.t("ui_photo.title"))
        for n, p in enumerate(photos)
    ]


def _deadline_help(ui: UiSession, date: dt.date, entry: ChecklistItem, findings: tuple[str, ...]) -> str:
    """How the default deadline is set: the checklist's days from the inspection date (the soonest finding's)."""
    days = min((f.deadline_days for f in entry.findings if f.id in findings), default=entry.period_days)
    return ui.t("ui_hazard.deadline_help", days=days, date=date.isoformat()) if days else ui.t("ui_hazard.deadline_now")


def _major_words(ui: UiSession, reason: str) -> str:
    """The hint that a failure may be a major fire hazard, with the GB 35181 reason when known."""
    return ui.t("ui_walk.major_hint") + (f"\n{reason}" if reason else "")


def build(ui: UiSession, inspection: str, area: str, item: str) -> ft.Control:
    t, lang = ui.t, ui.lang
    ctx, record, place, checklist = ui.open_area(inspection, area)
    try:
        entry = checklist.item(item)
    except KeyError:
        raise NotFound("item", item) from None
    hazard = hazard_for_item(ctx, inspection, area, item)
    if hazard is None:   # failed, but the hazard was not stored (e.g. an older draft): raise it now
        answer = answers_of_area(ctx, inspection, area).get(item)
        if answer is None or answer.verdict is not Verdict.FAIL:
            return ft.Column([ft.Text(t("ui_hazard.not_failed")),
                              action_button(t("ui_walk.back"), ft.Icons.ARROW_BACK,
                                            lambda _e: ui.navigate(routes.walk(inspection, area, item)), "back")])
        hazard = raise_hazard(ctx, inspection, area, item)
    hazard_id = hazard.id

    description = ft.TextField(label=t("ui_hazard.description"), value=hazard.description, multiline=True,
                               min_lines=2, max_lines=5, width=ui.field_width,
                               helper=t("ui_hazard.checklist_wording", text=entry.hazard_en) if lang == "en" else None,
                               helper_max_lines=3)
    deadline = ft.TextField(label=t("ui_hazard.deadline"), value=hazard.deadline.isoformat(),
                            hint_text="YYYY-MM-DD", width=ui.field_width,
                            helper=_deadline_help(ui, record.date, entry, hazard.findings))
    severity = ft.SegmentedButton(
        selected=[hazard.severity.value],
        segments=[ft.Segment(value=s.value, label=segment_label(t(f"severity.{s.value}"))) for s in Severity],
    )
    major_note = hook("major-hint", ft.Text(_major_words(ui, major_hint_reason(ctx, hazard, lang)), size=14,
                                            color=ft.Colors.DEEP_ORANGE_800))
    major_note.visible = major_note.content.visible = hazard.major_hint   # a hook must not wrap a hidden control

    def findings_chosen(fresh: Hazard, reason: str) -> None:
        """A finding ticked or cleared (already stored): show what the hazard now says."""
        description.value, deadline.value = fresh.description, fresh.deadline.isoformat()
        deadline.helper = _deadline_help(ui, record.date, entry, fresh.findings)
        major_note.content.value = _major_words(ui, reason)
        major_note.visible = major_note.content.visible = fresh.major_hint
        ui.page.update()

    picker = findings_picker(ui, entry, hazard, findings_chosen)
    responsible = ft.TextField(label=t("ui_hazard.responsible"), value=hazard.responsible, width=ui.field_width)
    measures = ft.TextField(label=t("ui_hazard.measures"), value=hazard.measures, multiline=True, max_lines=4,
                            width=ui.field_width)

    photo_row = ft.Row(_thumbnails(ui, hazard), wrap=True, spacing=8, run_spacing=8)
    photo_count = ft.Text(t("ui_hazard.photo_count", count=len(photo_row.controls)), size=14)
    busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), ft.Text(t("ui_hazard.processing"))],
                  visible=False)

    def refresh() -> None:
        fresh = get_hazard(ui.ctx, hazard_id)
        photo_row.controls = _thumbnails(ui, fresh)
        photo_count.value = t("ui_hazard.photo_count", count=len(photo_row.controls))

    def show_busy(text: str | None) -> None:
        busy.controls[1].value = text or t("ui_hazard.processing")
        busy.visible = text is not None

    async def store_photo(name: str, data: bytes) -> None:
        """The one way in for a picked file and a camera shot: checked, stamped, stored."""
        show_busy(t("ui_hazard.processing"))
        ui.page.update()
        try:
            # Pillow decodes, shrinks and stamps: seconds on a tablet, so off the event loop
            await ui.slow(add_hazard_photo, ui.ctx, hazard_id, data, name)
        except AppError as error:
            ui.error(error)
        finally:
            show_busy(None)
            refresh()
            ui.page.update()

    picked = PhotoInput(ui, store_photo, show_busy)
    ui.on_picked = picked.handle
    add_photo = hook("add-photo", ft.Button(content=t("ui_hazard.add_photo"), icon=ft.Icons.ADD_A_PHOTO, height=56,
                                            action=picked.pick_action(t("ui_hazard.add_photo"))))
    camera = CameraButton(ui, store_photo)

    async def save(_e) -> None:
        day = parse_day(deadline.value or "")
        deadline.error = None if day else t("ui_new.bad_date", value=deadline.value or "")
        if day is None:
            ui.page.update()
            return
        try:
            update_hazard(ui.ctx, hazard_id, description=description.value or "", deadline=day,
                          severity=Severity(severity.selected[0]), responsible=responsible.value or "",
                          measures=measures.value or "")
        except AppError as error:
            ui.error(error)
            return
        answers = answers_of_area(ui.ctx, inspection, area)
        following = next((it for it in checklist.items if it.id not in answers), None)
        await ui.go(routes.walk(inspection, area, following.id) if following else routes.areas(inspection))

    return ft.Column(
        [
            ft.Row([
                hook("back-to-item", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=t("ui_walk.back"),
                                                   on_click=lambda _e: ui.navigate(routes.walk(inspection, area,
                                                                                               item)))),
                heading(t("ui_hazard.title"), ident="screen-hazard"),
            ]),
            ft.Text(f"{place.name} · {entry.id} {entry.text(lang)}", size=15),
            *([picker] if picker else []),
            hook("hazard-description", description),
            hook("hazard-deadline", deadline),
            ft.Text(t("ui_hazard.severity"), size=16),
            hook("severity", severity),
            major_note,
            responsible,
            measures,
            ft.Row([add_photo, camera.control, hook("photo-count", photo_count)], spacing=16, wrap=True,
                   run_spacing=8),
            busy,
            photo_row,
            action_button(t("ui_hazard.save"), ft.Icons.SAVE, save, "save-hazard"),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )
