"""The hazard form of a failed item: prefilled from the checklist, with photos.

A 不合格 tap only records the answer: the hazard is a draft until Save (`save_item_hazard`), so
the ledger and the counts never hold one nobody confirmed. What is typed is kept as a form draft
on disk as it changes (`form_drafts`), so a photo to annotate, another screen or a reload loses
nothing. The draft's first photo stores the hazard (a photo needs its owner). Back on an unsaved
form cancels it, asking first when anything was typed: the answer returns to what it was and a
hazard stored for a photo is withdrawn, audited (`cancel_failed_answer`).
"""

from __future__ import annotations

import asyncio
import datetime as dt

import flet as ft

from app.domain.checklist import Checklist, ChecklistItem
from app.domain.errors import NotFound
from app.domain.model import Hazard, Photo, Severity, Verdict
from app.services.form_drafts import discard_draft, keep_draft, load_draft
from app.services.hazards import choose_findings, draft_hazard, get_hazard, major_hint_reason, save_item_hazard
from app.services.inspections import cancel_failed_answer
from app.services.photos import add_draft_hazard_photo, add_hazard_photo, photo_bytes, photos_of
from app.services.queries import answers_of_area, hazard_for_item
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.camera import CameraButton
from app.ui.widgets.common import MIN_TOUCH, action_button, heading, hook, parse_day, segment_label
from app.ui.widgets.findings_picker import findings_picker
from app.ui.widgets.photo_input import PhotoInput

THUMB_W, THUMB_H = 160, 120
BUSY_AFTER = 0.4   # seconds a photo may take before "processing" shows
FIELDS = ("description", "deadline", "severity", "responsible", "measures")


def form_key(inspection: str, area: str, item: str) -> str:
    """The form draft of one item's hazard form (the walk-through writes `previous` into it)."""
    return f"hazard:{inspection}:{area}:{item}"


def _thumbnails(ui: UiSession, hazard: Hazard, shown: dict[str, ft.Control] | None = None) -> list[ft.Control]:
    """Each photo's thumbnail; a tap opens it large, to check the stamp, annotate or remove it.

    `shown`: the thumbnails on screen, by photo id. One still in its place is kept as it is, so
    adding a photo sends the browser one new image, not every one again (each is bytes in the page).
    """
    shown = shown or {}

    def thumbnail(n: int, photo: Photo) -> ft.Control:
        kept = shown.get(photo.id)
        if isinstance(kept, ft.Semantics) and kept.identifier == f"photo-{n}":
            return kept
        tile = hook(f"photo-{n}", ft.Container(
            ft.Image(src=photo_bytes(ui.ctx, photo.thumb_sha256), width=THUMB_W, height=THUMB_H,
                     fit=ft.BoxFit.COVER, border_radius=8),
            on_click=lambda _e, photo_id=photo.id: ui.navigate(routes.photo(photo_id)), ink=True, border_radius=8,
        ), label=ui.t("ui_photo.title"))
        tile.data = photo.id
        return tile

    return [thumbnail(n, p) for n, p in enumerate(photos_of(ui.ctx, hazard.id, hazard.unit))]


def _deadline_help(ui: UiSession, date: dt.date, entry: ChecklistItem, findings: tuple[str, ...]) -> str:
    """How the default deadline is set: the checklist's days from the inspection date (the soonest finding's)."""
    days = min((f.deadline_days for f in entry.findings if f.id in findings), default=entry.period_days)
    return ui.t("ui_hazard.deadline_help", days=days, date=date.isoformat()) if days else ui.t("ui_hazard.deadline_now")


def _major_words(ui: UiSession, reason: str) -> str:
    """The hint that a failure may be a major fire hazard, with the GB 35181 reason when known."""
    return ui.t("ui_walk.major_hint") + (f"\n{reason}" if reason else "")


def _initial(hazard: Hazard) -> dict:
    return {"description": hazard.description, "deadline": hazard.deadline.isoformat(),
            "severity": hazard.severity.value, "responsible": hazard.responsible, "measures": hazard.measures,
            "findings": list(hazard.findings)}


def ask_discard(ui: UiSession, on_discard, unsaved_hazard: bool = True) -> None:
    """Typed input is never thrown away without a question (a draft hazard, or edits to a saved one)."""
    t = ui.t
    title, explain = ("ui_day.discard_title", "ui_day.discard_explain") if unsaved_hazard else \
        ("ui_day.discard_edits_title", "ui_day.discard_edits_explain")

    async def discard(_e) -> None:
        ui.page.pop_dialog()
        await on_discard()

    ui.page.show_dialog(ft.AlertDialog(
        modal=True, title=ft.Text(t(title)), content=ft.Text(t(explain)),
        actions=[
            action_button(t("ui_day.keep_editing"), None, lambda _e: ui.page.pop_dialog(), "discard-keep",
                          filled=False),
            action_button(t("ui_day.discard"), ft.Icons.DELETE_OUTLINE, discard, "discard-confirm"),
        ],
    ))


def _not_failed(ui: UiSession, inspection: str, area: str, item: str) -> ft.Control:
    return ft.Column([ft.Text(ui.t("ui_hazard.not_failed")),
                      action_button(ui.t("ui_walk.back"), ft.Icons.ARROW_BACK,
                                    lambda _e: ui.navigate(routes.walk(inspection, area, item)), "back")])


def build(ui: UiSession, inspection: str, area: str, item: str) -> ft.Control:
    t, lang = ui.t, ui.lang
    ctx, record, place, checklist = ui.open_area(inspection, area)
    try:
        entry = checklist.item(item)
    except KeyError:
        raise NotFound("item", item) from None
    answer = answers_of_area(ctx, inspection, area).get(item)
    if answer is None or answer.verdict is not Verdict.FAIL:
        return _not_failed(ui, inspection, area, item)
    form = _HazardForm(ui, (inspection, area, item), record.date, entry)
    picker = findings_picker(ui, entry, form.findings, form.findings_chosen)
    return ft.Column(
        [
            _title_row(form),
            ft.Text(f"{place.name} · {entry.id} {entry.text(lang)}", size=15),
            *([picker] if picker else []),
            hook("hazard-description", form.description),
            hook("hazard-deadline", form.deadline),
            ft.Text(t("ui_hazard.severity"), size=16),
            hook("severity", form.severity),
            form.major_note,
            hook("hazard-responsible", form.responsible),
            hook("hazard-measures", form.measures),
            _photo_buttons(form),
            form.busy,
            form.photo_row,
            _save_button(form, checklist),
            hook("draft-kept", form.kept_note),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )


class _HazardForm:
    """One failed item's hazard form while it is on screen: its fields, the hazard's id once it is
    stored (the draft's first photo stores it), and the form draft on disk every change goes to."""

    def __init__(self, ui: UiSession, where: tuple[str, str, str], date: dt.date, entry: ChecklistItem):
        self.ui = ui
        self.inspection, self.area, self.item = where
        self.key = form_key(*where)
        self.date, self.entry = date, entry
        self.draft = load_draft(ui.ctx, self.key)
        stored = hazard_for_item(ui.ctx, *where)
        self.hazard = stored or draft_hazard(ui.ctx, *where)
        self.hazard_id: str | None = stored.id if stored else None
        self.unsaved = stored is None or bool(self.draft.get("unsaved"))
        self.start = _initial(self.hazard)
        self.findings: tuple[str, ...] = tuple(self.draft.get("findings", self.hazard.findings))
        self._make_fields({f: str(self.draft.get(f, self.start[f])) for f in FIELDS})
        self.photo_row = ft.Row(_thumbnails(ui, stored) if stored else [], wrap=True, spacing=8, run_spacing=8)
        self.photo_count = ft.Text(ui.t("ui_hazard.photo_count", count=len(self.photo_row.controls)), size=14)
        self.busy_text = ft.Text(ui.t("ui_hazard.processing"))
        self.busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), self.busy_text], visible=False)
        self.kept_note = ft.Text(ui.t("ui_day.draft_kept") if any(f in self.draft for f in FIELDS) else " ",
                                 size=13, color=ft.Colors.ON_SURFACE_VARIANT)

    def _make_fields(self, values: dict[str, str]) -> None:
        ui, t, hazard = self.ui, self.ui.t, self.hazard
        self.description = ft.TextField(
            label=t("ui_hazard.description"), value=values["description"], multiline=True, min_lines=2, max_lines=5,
            width=ui.field_width, helper_max_lines=3,
            helper=t("ui_hazard.checklist_wording", text=self.entry.hazard_en) if ui.lang == "en" else None)
        self.deadline = ft.TextField(label=t("ui_hazard.deadline"), value=values["deadline"],
                                     hint_text="YYYY-MM-DD", width=ui.field_width,
                                     helper=_deadline_help(ui, self.date, self.entry, hazard.findings))
        self.severity = ft.SegmentedButton(
            selected=[values["severity"]],
            segments=[ft.Segment(value=s.value, label=segment_label(t(f"severity.{s.value}"))) for s in Severity],
        )
        self.major_text = ft.Text(_major_words(ui, major_hint_reason(ui.ctx, hazard, ui.lang)), size=14,
                                  color=ft.Colors.DEEP_ORANGE_800)
        self.major_note = hook("major-hint", self.major_text)
        # a hook must not wrap a hidden control
        self.major_note.visible = self.major_text.visible = hazard.major_hint
        self.responsible = ft.TextField(label=t("ui_hazard.responsible"), value=values["responsible"],
                                        width=ui.field_width)
        self.measures = ft.TextField(label=t("ui_hazard.measures"), value=values["measures"], multiline=True,
                                     max_lines=4, width=ui.field_width)
        for field in (self.description, self.deadline, self.responsible, self.measures):
            field.on_change = self.keep
        self.severity.on_change = self.keep

    def typed(self) -> dict:
        return {"description": self.description.value or "", "deadline": self.deadline.value or "",
                "severity": (self.severity.selected or [self.start["severity"]])[0],
                "responsible": self.responsible.value or "", "measures": self.measures.value or "",
                "findings": list(self.findings)}

    def keep(self, _e=None) -> None:
        """Every change goes to the form draft on disk: a detour or a reload keeps it (and says so once it is)."""
        keep_draft(self.ui.ctx, self.key, self.typed())
        self.kept_note.value = self.ui.t("ui_day.draft_kept")

    def form_fields(self) -> dict:
        return {"description": self.description.value or "",
                "deadline": parse_day(self.deadline.value or "") or self.hazard.deadline,
                "severity": Severity(self.typed()["severity"]), "responsible": self.responsible.value or "",
                "measures": self.measures.value or "", "findings": self.findings}

    def findings_chosen(self, ids: tuple[str, ...]) -> None:
        """Findings ticked or cleared: show what the hazard will say (stored at once once it exists)."""
        ui = self.ui
        done = (ui.attempt(choose_findings, ui.ctx, self.hazard_id, ids) if self.hazard_id
                else ui.attempt(draft_hazard, ui.ctx, self.inspection, self.area, self.item, findings=ids))
        if not done:
            return
        fresh = done.value
        self.findings = fresh.findings
        self.description.value, self.deadline.value = fresh.description, fresh.deadline.isoformat()
        self.deadline.helper = _deadline_help(ui, self.date, self.entry, fresh.findings)
        self.major_text.value = _major_words(ui, major_hint_reason(ui.ctx, fresh, ui.lang))
        self.major_note.visible = self.major_text.visible = fresh.major_hint
        self.keep()
        ui.page.update()

    def refresh_photos(self, hazard_id: str) -> None:
        fresh = get_hazard(self.ui.ctx, hazard_id)
        shown = {c.data: c for c in self.photo_row.controls if c.data}
        self.photo_row.controls = _thumbnails(self.ui, fresh, shown)
        self.photo_count.value = self.ui.t("ui_hazard.photo_count", count=len(self.photo_row.controls))

    def show_busy(self, text: str | None) -> None:
        self.busy_text.value = text or self.ui.t("ui_hazard.processing")
        self.busy.visible = text is not None

    async def _busy_if_slow(self) -> None:
        """Show "processing" only when a photo takes longer than BUSY_AFTER: a spinner flashed for
        a quick one only costs the client frames (its animation is the browser's busiest work)."""
        await asyncio.sleep(BUSY_AFTER)
        self.show_busy(self.ui.t("ui_hazard.processing"))
        self.ui.page.update()

    async def store_photo(self, name: str, data: bytes) -> None:
        """The one way in for a picked file and a camera shot: checked, stamped, stored."""
        ui = self.ui
        slow = asyncio.ensure_future(self._busy_if_slow())
        try:
            # Pillow decodes, shrinks and stamps: seconds on a tablet, so off the event loop
            if self.hazard_id is None:   # the draft's first photo stores its hazard with it (or neither)
                if photo := await ui.attempt_slow(add_draft_hazard_photo, ui.ctx, self.inspection, self.area,
                                                  self.item, data, name, fields=self.form_fields()):
                    self.hazard_id = photo.value.owner_id
                    ui.attempt(keep_draft, ui.ctx, self.key, {**self.typed(), "unsaved": True})
            else:
                await ui.attempt_slow(add_hazard_photo, ui.ctx, self.hazard_id, data, name)
        finally:
            slow.cancel()
            self.show_busy(None)
            if self.hazard_id:
                self.refresh_photos(self.hazard_id)
            ui.page.update()

    def save(self, day: dt.date) -> None:
        """Store the hazard, then drop the form draft: durable before the screen says saved."""
        save_item_hazard(self.ui.ctx, self.inspection, self.area, self.item, description=self.description.value or "",
                         deadline=day, severity=Severity(self.severity.selected[0]),
                         responsible=self.responsible.value or "", measures=self.measures.value or "",
                         findings=self.findings)
        discard_draft(self.ui.ctx, self.key)

    def withdraw(self) -> None:
        """Cancel an unsaved hazard (the answer returns to what it was before 不合格); drop the draft."""
        if self.unsaved:
            cancel_failed_answer(self.ui.ctx, self.inspection, self.area, self.item,
                                 load_draft(self.ui.ctx, self.key).get("previous") or None)
        discard_draft(self.ui.ctx, self.key)


def _title_row(form: _HazardForm) -> ft.Control:
    """Back (which cancels an unsaved hazard or drops unsaved edits, asking first) and the title."""
    ui, t = form.ui, form.ui.t

    async def leave() -> None:
        if ui.attempt(form.withdraw):
            await ui.go(routes.walk(form.inspection, form.area, form.item))

    def back(_e) -> None:
        """Back cancels an unsaved hazard (or drops unsaved edits), asking first if anything was typed."""
        if form.typed() != form.start or (form.unsaved and form.hazard_id):
            ask_discard(ui, leave, form.unsaved)
        else:
            ui.page.run_task(leave)

    title = t("ui_hazard.title") + (t("ui_day.draft_mark") if form.unsaved else "")
    return ft.Row([
        hook("back-to-item", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=t("ui_walk.back"), on_click=back,
                                           width=MIN_TOUCH, height=MIN_TOUCH)),
        heading(title, ident="screen-hazard"),
    ])


def _photo_buttons(form: _HazardForm) -> ft.Control:
    """Add a photo from a file, or take one with the camera; both go to `store_photo`."""
    ui, t = form.ui, form.ui.t
    picked = PhotoInput(ui, form.store_photo, form.show_busy)
    ui.on_picked = picked.handle
    add_photo = hook("add-photo", ft.Button(content=t("ui_hazard.add_photo"), icon=ft.Icons.ADD_A_PHOTO, height=56,
                                            action=picked.pick_action(t("ui_hazard.add_photo"))))
    camera = CameraButton(ui, form.store_photo)
    return ft.Row([add_photo, camera.control, hook("photo-count", form.photo_count)], spacing=16, wrap=True,
                  run_spacing=8)


def _save_button(form: _HazardForm, checklist: Checklist) -> ft.Control:
    """Save, then on to the next unanswered item of the area (or back to the areas)."""
    ui, t = form.ui, form.ui.t

    async def save(_e) -> None:
        day = parse_day(form.deadline.value or "")
        form.deadline.error = None if day else t("ui_new.bad_date", value=form.deadline.value or "")
        if day is None:
            ui.page.update()
            return
        if not ui.attempt(form.save, day):
            return
        ui.page.show_dialog(ft.SnackBar(hook("saved-note", ft.Text(t("ui_day.hazard_saved")))))
        answers = answers_of_area(ui.ctx, form.inspection, form.area)
        following = next((it for it in checklist.items if it.id not in answers), None)
        await ui.go(routes.walk(form.inspection, form.area, following.id) if following
                    else routes.areas(form.inspection))

    return action_button(t("ui_hazard.save"), ft.Icons.SAVE, save, "save-hazard")
