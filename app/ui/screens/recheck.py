"""A re-check (回头看) in progress: one card per hazard, pass (销号) or fail (重新整改) each, then finish.

Everything shown is read back from the store after each step (`recheck_items`), so a reload or
a second tablet sees the same decisions; a photo is stored as soon as it is picked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import flet as ft

from app.domain.errors import AppError, IllegalTransition
from app.domain.lifecycle import may_verify
from app.domain.model import Inspection, InspectionKind, InspectionStatus
from app.domain.permissions import Action
from app.services.form_drafts import keep_draft, load_draft
from app.services.guard import inspection_kind_of
from app.services.inspections import get_inspection
from app.services.photos import photo_bytes
from app.services.rechecks import (
    RecheckItem,
    add_recheck_photo,
    finish_recheck,
    recheck_items,
    recheck_progress,
    record_recheck,
)
from app.ui import routes
from app.ui.screens.start_recheck import area_name, when
from app.ui.session import UiSession
from app.ui.widgets.actor_picker import actor_picker
from app.ui.widgets.authority_gate import missing_line
from app.ui.widgets.common import MIN_TOUCH, VERDICT_COLOURS, action_button, big_button, heading, hook, names_line
from app.ui.widgets.photo_input import PhotoInput

THUMB_W, THUMB_H = 120, 90


def _thumbs(ui: UiSession, shas: list[str], ident: str) -> ft.Row:
    images: list[ft.Control] = []
    for n, sha in enumerate(shas):
        try:
            data = photo_bytes(ui.ctx, sha)
        except AppError:   # the file has not arrived on this device (yet)
            continue
        images.append(hook(f"{ident}-{n}", ft.Image(src=data, width=THUMB_W, height=THUMB_H, fit=ft.BoxFit.COVER,
                                                    border_radius=8)))
    return ft.Row(images, wrap=True, spacing=8, run_spacing=8)


def _evidence(ui: UiSession, n: int, item: RecheckItem) -> ft.Control:
    t, fix = ui.t, item.hazard.rectification
    if fix is None:
        return ft.Container()
    thumbs = _thumbs(ui, list(item.evidence_thumbs), f"rc-evidence-{n}")
    return ft.Container(ft.Column([
        ft.Text(t("ui_recheck.evidence", note=fix.note), size=15),
        ft.Text(t("ui_recheck.evidence_by", by=fix.by, at=when(ui, fix.at)), size=13,
                color=ft.Colors.ON_SURFACE_VARIANT),
        thumbs if thumbs.controls else ft.Text(t("ui_recheck.no_evidence_photos"), size=13),
    ], spacing=6), padding=10, border_radius=8, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST)


def _outcome(ui: UiSession, n: int, item: RecheckItem) -> ft.Control:
    """What this re-check decided, or that the hazard was settled elsewhere."""
    t, result = ui.t, item.verification
    if result is None:
        text = t("ui_recheck.elsewhere", status=t(f"status.{item.hazard.status.value}"))
        return hook(f"rc-result-{n}", ft.Text(text, size=15, color=ft.Colors.BLUE_GREY_700), label=text)
    key = "ui_recheck.passed_by" if result.passed else "ui_recheck.failed_by"
    text = t(key, by=result.by, at=when(ui, result.at))
    colour = VERDICT_COLOURS["pass" if result.passed else "fail"]
    rows: list[ft.Control] = [ft.Row([
        ft.Icon(ft.Icons.VERIFIED if result.passed else ft.Icons.REPLAY, color=colour),
        ft.Text(text, size=16, weight=ft.FontWeight.W_500, color=colour, expand=True),
    ])]
    if result.note:
        rows.append(ft.Text(t("ui_recheck.remark", note=result.note), size=14))
    shots = _thumbs(ui, [p.thumb_sha256 for p in item.recheck_photos], f"rc-rphoto-{n}")
    if shots.controls:
        rows.append(shots)
    return hook(f"rc-result-{n}", ft.Container(
        ft.Column(rows, spacing=6), padding=10, border_radius=8,
        bgcolor=ft.Colors.GREEN_50 if result.passed else ft.Colors.RED_50,
    ), label=text)


def build(ui: UiSession, inspection: str) -> ft.Control:
    record = get_inspection(ui.ctx, inspection)
    ui.adopt_inspector(record.inspectors)
    items = recheck_items(ui.ctx, inspection)   # also refuses an inspection that is no re-check
    rc = _Recheck(ui, inspection, record.status is InspectionStatus.DRAFT)
    ui.on_picked = rc.photos_picked if rc.draft else None
    rc.fill(items)
    return ft.Column([*_header(rc, record), rc.cards, _footer(rc)], spacing=12, scroll=ft.ScrollMode.AUTO,
                     expand=True)


@dataclass
class _Recheck:
    """The re-check on screen: its cards and progress, drawn again from the store after each step,
    the remarks typed but not yet saved, and the card whose photo button was tapped last."""

    ui: UiSession
    inspection: str
    draft: bool
    target: str | None = None   # the hazard whose card's photo button was tapped last
    progress_text: ft.Text = field(default_factory=lambda: ft.Text(size=15))
    progress_bar: ft.ProgressBar = field(default_factory=lambda: ft.ProgressBar(value=0, bar_height=10,
                                                                                border_radius=5))
    cards: ft.Column = field(default_factory=lambda: ft.Column(spacing=12))
    notes: dict[str, str] = field(init=False)
    busy: ft.Row = field(init=False)
    photo_input: PhotoInput = field(init=False)

    def __post_init__(self) -> None:
        # remarks typed but not yet saved: on disk as they are typed, so a detour (Settings) or a reload keeps them
        self.notes = {k: str(v) for k, v in load_draft(self.ui.ctx, self.form).items()}
        self.busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3),
                            ft.Text(self.ui.t("ui_hazard.processing"))], visible=False)
        self.photo_input = PhotoInput(self.ui, self.store)   # any size the pipeline takes, uploaded when it is big

    @property
    def form(self) -> str:
        return f"recheck:{self.inspection}"

    def keep_note(self, hazard_id: str, text: str) -> None:
        self.notes[hazard_id] = text
        keep_draft(self.ui.ctx, self.form, {hazard_id: text})

    def fill(self, current: list[RecheckItem]) -> None:
        progress = recheck_progress(current)
        done = progress.total - progress.pending
        self.progress_text.value = self.ui.t("ui_recheck.progress", decided=done, total=progress.total,
                                             verified=progress.verified, reopened=progress.reopened)
        self.progress_bar.value = done / progress.total if progress.total else 1
        self.cards.controls = [_card(self, n, item) for n, item in enumerate(current)]

    def refresh(self) -> None:
        """Redraw cards and progress from the store, in place (the list keeps its scroll position)."""
        self.fill(recheck_items(self.ui.ctx, self.inspection))
        self.ui.page.update()

    async def store(self, name: str, data: bytes) -> None:
        # Pillow decodes, shrinks and stamps: seconds on a tablet, so off the event loop
        await self.ui.attempt_slow(add_recheck_photo, self.ui.ctx, self.inspection, self.target, data, name)

    async def photos_picked(self, files: list[ft.FilePickerFile]) -> None:
        pending = [i.hazard.id for i in recheck_items(self.ui.ctx, self.inspection) if i.pending]
        hazard_id = self.target if self.target in pending else (pending[0] if len(pending) == 1 else None)
        if hazard_id is None:   # no card was aimed at (the tap's click event never arrived)
            self.ui.error(self.ui.t("ui_recheck.which_hazard"))
            return
        self.target = hazard_id
        self.busy.visible = True
        self.ui.page.update()
        try:
            await self.photo_input.handle(files)
        finally:
            self.busy.visible = False
            self.refresh()


def _header(rc: _Recheck, record: Inspection) -> list[ft.Control]:
    ui, t = rc.ui, rc.ui.t
    return [
        ft.Row([
            hook("back-to-start", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=t("ui_recheck.back"),
                                                on_click=lambda _e: ui.navigate(routes.start_recheck(record.unit)))),
            heading(t("ui_recheck.title"), ident="screen-recheck"),
        ]),
        ft.Text(t("ui_areas.subtitle", unit=ui.unit_name(record.unit), kind=t(f"inspection_kind.{record.kind.value}"),
                  date=record.date.isoformat(), inspectors=names_line(record.inspectors)), size=15),
        actor_picker(ui, record.inspectors, "rc-checker", rc.refresh) if rc.draft
        else hook("rc-checker", ft.Text(t("ui_recheck.checker", name=ui.ctx.actor), size=14)),
        hook("rc-progress", ft.Column([rc.progress_text, rc.progress_bar], spacing=4)),
        rc.busy,
    ]


def _card(rc: _Recheck, n: int, item: RecheckItem) -> ft.Control:
    ui, t = rc.ui, rc.ui.t
    hazard = item.hazard
    body: list[ft.Control] = [
        ft.Text(f"{n + 1}. {hazard.description}", size=17, weight=ft.FontWeight.BOLD),
        ft.Text(t("ui_recheck.area_deadline", area=area_name(ui, hazard), deadline=hazard.deadline.isoformat()),
                size=14, color=ft.Colors.ON_SURFACE_VARIANT),
        _evidence(ui, n, item),
    ]
    spot = inspection_kind_of(ui.ctx, hazard) is InspectionKind.SPOT_CHECK   # the bureau verifies its own
    refused = missing_line(ui, Action.VERIFY_SPOT_CHECK if spot else Action.VERIFY, hazard.unit, f"rc-missing-{n}")
    if item.pending and rc.draft and refused is not None:
        body.append(refused)
    elif item.pending and rc.draft and not may_verify(hazard, ui.ctx.actor):
        # said before anyone types an opinion: the rectifier cannot verify their own work
        warning = t("ui_recheck.own_rectification", name=ui.ctx.actor)
        body.append(hook(f"rc-own-{n}", ft.Container(
            ft.Row([ft.Icon(ft.Icons.PERSON_OFF, color=ft.Colors.ORANGE_900),
                    ft.Text(warning, size=15, color=ft.Colors.ORANGE_900, expand=True)]),
            padding=10, border_radius=8, bgcolor=ft.Colors.ORANGE_50), label=warning))
    elif item.pending and rc.draft:
        body += _decision(rc, n, item)
    elif not item.pending:
        body.append(_outcome(ui, n, item))
    return hook(f"rc-card-{n}", ft.Container(ft.Column(body, spacing=8), padding=12, border_radius=12,
                                             border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT)),
                label=hazard.description)


def _decision(rc: _Recheck, n: int, item: RecheckItem) -> list[ft.Control]:
    """A pending hazard's remark, photos and the pass / fail buttons."""
    ui, t = rc.ui, rc.ui.t
    hazard_id = item.hazard.id
    note = ft.TextField(label=t("ui_recheck.note"), helper=t("ui_recheck.note_help"),
                        value=rc.notes.get(hazard_id, ""), multiline=True, min_lines=1, max_lines=4,
                        width=ui.field_width,
                        on_change=lambda e: rc.keep_note(hazard_id, e.control.value or ""))
    shots = _thumbs(ui, [p.thumb_sha256 for p in item.recheck_photos], f"rc-rphoto-{n}")
    count = ft.Text(t("ui_recheck.photo_count", count=len(item.recheck_photos)), size=14)

    def aim(_e) -> None:
        rc.target = hazard_id

    add_photo = hook(f"rc-photo-{n}", ft.Button(
        content=t("ui_recheck.add_photo"), icon=ft.Icons.ADD_A_PHOTO, height=MIN_TOUCH, on_click=aim,
        # opened by the client inside the tap (iPad Safari refuses a chooser opened later)
        action=rc.photo_input.pick_action(t("ui_recheck.add_photo")),
    ))

    async def decide(passed: bool) -> None:
        try:
            record_recheck(ui.ctx, rc.inspection, hazard_id, passed, note.value or "")
            rc.keep_note(hazard_id, "")
        except AppError as error:   # not `ui.attempt`: the same-person refusal names the rectifier
            ui.error(_same_person(ui, item, error))
            return
        rc.refresh()

    buttons = [
        big_button(t("ui_recheck.pass"), ft.Icons.CHECK_CIRCLE, VERDICT_COLOURS["pass"],
                   lambda _e: ui.page.run_task(decide, True), f"rc-pass-{n}", height=64),
        big_button(t("ui_recheck.fail"), ft.Icons.REPLAY, VERDICT_COLOURS["fail"],
                   lambda _e: ui.page.run_task(decide, False), f"rc-fail-{n}", height=64),
    ]
    return [
        hook(f"rc-note-{n}", note),
        ft.Row([add_photo, hook(f"rc-photo-count-{n}", count),
                ft.Text(t("ui_recheck.photo_hint"), size=13, color=ft.Colors.ON_SURFACE_VARIANT)],
               spacing=12, wrap=True, run_spacing=4),
        shots,
        ft.Row(buttons, spacing=12) if ui.wide else ft.Column(buttons, spacing=8,
                                                              horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
    ]


def _same_person(ui: UiSession, item: RecheckItem, error: AppError) -> AppError | str:
    """A refusal to verify, said with the rectifier's name when they are the one verifying."""
    fix = item.hazard.rectification
    if isinstance(error, IllegalTransition) and error.reason == "same_person" and fix is not None:
        return ui.t("ui_recheck.same_person", name=fix.by)
    return error


def _footer(rc: _Recheck) -> ft.Control:
    ui, t = rc.ui, rc.ui.t
    if not rc.draft:
        return hook("rc-finished", ft.Text(t("ui_recheck.finished"), size=16, color=ft.Colors.GREEN_800))

    async def finish(_e) -> None:
        if not (done := ui.attempt(finish_recheck, ui.ctx, rc.inspection)):
            return
        message = t("ui_recheck.summary", verified=done.value.verified, reopened=done.value.reopened)
        await ui.go(routes.home())
        await _after_route(ui, routes.home())
        ui.info(message)   # after the route change, which clears the banner

    return action_button(t("ui_recheck.finish"), ft.Icons.DONE_ALL, finish, "rc-finish")


async def _after_route(ui: UiSession, route: str, timeout: float = 3.0) -> None:
    """Wait until the client has reported the move to `route` (its handler redraws and clears the banner)."""
    for _ in range(int(timeout / 0.05)):
        if ui.page.route == route:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0)
