"""The hazard form of a failed item: prefilled from the checklist, with photos.

A 不合格 tap only records the answer: the hazard is a draft until Save (`save_item_hazard`), so
the ledger and the counts never hold one nobody confirmed. What is typed is kept as a form draft
on disk as it changes (`form_drafts`), so a photo to annotate, another screen or a reload loses
nothing. The draft's first photo stores the hazard (a photo needs its owner). Back on an unsaved
form cancels it, asking first when anything was typed: the answer returns to what it was and a
hazard stored for a photo is withdrawn, audited (`cancel_failed_answer`).
"""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.domain.checklist import ChecklistItem
from app.domain.errors import AppError, NotFound
from app.domain.model import Hazard, Severity, Verdict
from app.services.form_drafts import discard_draft, keep_draft, load_draft
from app.services.hazards import choose_findings, draft_hazard, get_hazard, major_hint_reason, save_item_hazard
from app.services.inspections import cancel_failed_answer
from app.services.photos import add_draft_hazard_photo, add_hazard_photo, photo_bytes, photos_of
from app.services.queries import answers_of_area, hazard_for_item

from . import routes
from .camera import CameraButton
from .findings_picker import findings_picker
from .photo_input import PhotoInput
from .session import UiSession
from .widgets import MIN_TOUCH, action_button, heading, hook, parse_day, segment_label

THUMB_W, THUMB_H = 160, 120
FIELDS = ("description", "deadline", "severity", "responsible", "measures")


def form_key(inspection: str, area: str, item: str) -> str:
    """The form draft of one item's hazard form (the walk-through writes `previous` into it)."""
    return f"hazard:{inspection}:{area}:{item}"


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
    key = form_key(inspection, area, item)
    draft = load_draft(ctx, key)
    stored = hazard_for_item(ctx, inspection, area, item)
    hazard = stored or draft_hazard(ctx, inspection, area, item)
    state = {"id": stored.id if stored else None, "unsaved": stored is None or bool(draft.get("unsaved"))}
    start = _initial(hazard)
    values = {f: str(draft.get(f, start[f])) for f in FIELDS}

    description = ft.TextField(label=t("ui_hazard.description"), value=values["description"], multiline=True,
                               min_lines=2, max_lines=5, width=ui.field_width,
                               helper=t("ui_hazard.checklist_wording", text=entry.hazard_en) if lang == "en" else None,
                               helper_max_lines=3)
    deadline = ft.TextField(label=t("ui_hazard.deadline"), value=values["deadline"],
                            hint_text="YYYY-MM-DD", width=ui.field_width,
                            helper=_deadline_help(ui, record.date, entry, hazard.findings))
    severity = ft.SegmentedButton(
        selected=[values["severity"]],
        segments=[ft.Segment(value=s.value, label=segment_label(t(f"severity.{s.value}"))) for s in Severity],
    )
    major_note = hook("major-hint", ft.Text(_major_words(ui, major_hint_reason(ctx, hazard, lang)), size=14,
                                            color=ft.Colors.DEEP_ORANGE_800))
    major_note.visible = major_note.content.visible = hazard.major_hint   # a hook must not wrap a hidden control
    findings = {"ids": tuple(draft.get("findings", hazard.findings))}

    def findings_chosen(ids: tuple[str, ...]) -> None:
        """Findings ticked or cleared: show what the hazard will say (stored at once once it exists)."""
        try:
            fresh = (choose_findings(ui.ctx, state["id"], ids) if state["id"]
                     else draft_hazard(ui.ctx, inspection, area, item, findings=ids))
        except AppError as error:
            ui.error(error)
            return
        findings["ids"] = fresh.findings
        description.value, deadline.value = fresh.description, fresh.deadline.isoformat()
        deadline.helper = _deadline_help(ui, record.date, entry, fresh.findings)
        major_note.content.value = _major_words(ui, major_hint_reason(ui.ctx, fresh, lang))
        major_note.visible = major_note.content.visible = fresh.major_hint
        keep()
        ui.page.update()

    picker = findings_picker(ui, entry, findings["ids"], findings_chosen)
    responsible = ft.TextField(label=t("ui_hazard.responsible"), value=values["responsible"], width=ui.field_width)
    measures = ft.TextField(label=t("ui_hazard.measures"), value=values["measures"], multiline=True, max_lines=4,
                            width=ui.field_width)

    photo_row = ft.Row(_thumbnails(ui, stored) if stored else [], wrap=True, spacing=8, run_spacing=8)
    photo_count = ft.Text(t("ui_hazard.photo_count", count=len(photo_row.controls)), size=14)
    busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), ft.Text(t("ui_hazard.processing"))],
                  visible=False)

    def typed() -> dict:
        return {"description": description.value or "", "deadline": deadline.value or "",
                "severity": (severity.selected or [start["severity"]])[0], "responsible": responsible.value or "",
                "measures": measures.value or "", "findings": list(findings["ids"])}

    kept_note = ft.Text(t("ui_day.draft_kept") if any(f in draft for f in FIELDS) else " ", size=13,
                        color=ft.Colors.ON_SURFACE_VARIANT)

    def keep(_e=None) -> None:
        """Every change goes to the form draft on disk: a detour or a reload keeps it (and says so once it is)."""
        keep_draft(ui.ctx, key, typed())
        kept_note.value = t("ui_day.draft_kept")

    for field in (description, deadline, responsible, measures):
        field.on_change = keep
    severity.on_change = keep

    def refresh() -> None:
        fresh = get_hazard(ui.ctx, state["id"])
        photo_row.controls = _thumbnails(ui, fresh)
        photo_count.value = t("ui_hazard.photo_count", count=len(photo_row.controls))

    def form_fields() -> dict:
        return {"description": description.value or "", "deadline": parse_day(deadline.value or "") or hazard.deadline,
                "severity": Severity(typed()["severity"]), "responsible": responsible.value or "",
                "measures": measures.value or "", "findings": findings["ids"]}

    def show_busy(text: str | None) -> None:
        busy.controls[1].value = text or t("ui_hazard.processing")
        busy.visible = text is not None

    async def store_photo(name: str, data: bytes) -> None:
        """The one way in for a picked file and a camera shot: checked, stamped, stored."""
        show_busy(t("ui_hazard.processing"))
        ui.page.update()
        try:
            # Pillow decodes, shrinks and stamps: seconds on a tablet, so off the event loop
            if state["id"] is None:   # the draft's first photo stores its hazard with it (or neither)
                photo = await ui.slow(add_draft_hazard_photo, ui.ctx, inspection, area, item, data, name,
                                      fields=form_fields())
                state["id"] = photo.owner_id
                keep_draft(ui.ctx, key, {**typed(), "unsaved": True})
            else:
                await ui.slow(add_hazard_photo, ui.ctx, state["id"], data, name)
        except AppError as error:
            ui.error(error)
        finally:
            show_busy(None)
            if state["id"]:
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
            save_item_hazard(ui.ctx, inspection, area, item, description=description.value or "", deadline=day,
                             severity=Severity(severity.selected[0]), responsible=responsible.value or "",
                             measures=measures.value or "", findings=findings["ids"])
            discard_draft(ui.ctx, key)
        except AppError as error:
            ui.error(error)
            return
        ui.page.show_dialog(ft.SnackBar(hook("saved-note", ft.Text(t("ui_day.hazard_saved")))))
        answers = answers_of_area(ui.ctx, inspection, area)
        following = next((it for it in checklist.items if it.id not in answers), None)
        await ui.go(routes.walk(inspection, area, following.id) if following else routes.areas(inspection))

    async def leave() -> None:
        try:
            if state["unsaved"]:
                cancel_failed_answer(ui.ctx, inspection, area, item, load_draft(ui.ctx, key).get("previous") or None)
            discard_draft(ui.ctx, key)
        except AppError as error:
            ui.error(error)
            return
        await ui.go(routes.walk(inspection, area, item))

    def back(_e) -> None:
        """Back cancels an unsaved hazard (or drops unsaved edits), asking first if anything was typed."""
        if typed() != start or (state["unsaved"] and state["id"]):
            ask_discard(ui, leave, state["unsaved"])
        else:
            ui.page.run_task(leave)

    title = t("ui_hazard.title") + (t("ui_day.draft_mark") if state["unsaved"] else "")
    return ft.Column(
        [
            ft.Row([
                hook("back-to-item", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=t("ui_walk.back"), on_click=back,
                                                   width=MIN_TOUCH, height=MIN_TOUCH)),
                heading(title, ident="screen-hazard"),
            ]),
            ft.Text(f"{place.name} · {entry.id} {entry.text(lang)}", size=15),
            *([picker] if picker else []),
            hook("hazard-description", description),
            hook("hazard-deadline", deadline),
            ft.Text(t("ui_hazard.severity"), size=16),
            hook("severity", severity),
            major_note,
            hook("hazard-responsible", responsible),
            hook("hazard-measures", measures),
            ft.Row([add_photo, camera.control, hook("photo-count", photo_count)], spacing=16, wrap=True,
                   run_spacing=8),
            busy,
            photo_row,
            action_button(t("ui_hazard.save"), ft.Icons.SAVE, save, "save-hazard"),
            hook("draft-kept", kept_note),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )
