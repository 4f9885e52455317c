"""What can be done to a hazard from its detail screen, each through a service in `app.services.hazards`.

Only the actions its status allows (`lifecycle.ALLOWED`) and this device may do (the permission
table, `authority_gate`) are shown; where one is missing a line says who does it. Each opens an inline form
below the buttons (withdraw asks in a dialog); a refusal shows the service's localized error and
changes nothing; a success draws the screen again from the store and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import flet as ft

from app.domain.errors import AppError, InvalidInput
from app.domain.lifecycle import ALLOWED, is_serious
from app.domain.model import Flag, Hazard, HazardStatus, InspectionKind, PhotoOwner, Severity
from app.domain.permissions import Action
from app.i18n import describe_error
from app.services.guard import inspection_kind_of
from app.services.hazards import defer, rectify, set_flag, start_rectifying, update_hazard, withdraw_hazard
from app.services.photos import add_evidence_photo, photo_bytes, photos_of
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.actor_picker import actor_picker
from app.ui.widgets.authority_gate import missing_line
from app.ui.widgets.common import MIN_TOUCH, action_button, hook, parse_day, segment_label
from app.ui.widgets.photo_input import PhotoInput

__all__ = ["actions_panel", "thumbnail"]

S = HazardStatus
THUMB = 96


def thumbnail(ui: UiSession, sha256: str, width: int, height: int) -> ft.Control:
    """A stored thumbnail; a placeholder when its file has not reached this device (yet)."""
    try:
        return ft.Image(src=photo_bytes(ui.ctx, sha256), width=width, height=height, fit=ft.BoxFit.COVER,
                        border_radius=8)
    except AppError:   # not `ui.attempt`: nothing to say, a placeholder takes its place
        return ft.Container(ft.Icon(ft.Icons.BROKEN_IMAGE, size=40), width=width, height=height,
                            alignment=ft.Alignment.CENTER, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH, border_radius=8)


def _done(ui: UiSession, message: str) -> None:
    """Draw the screen again from the store, then say what happened."""
    ui.render()
    ui.info(message)


def _edit_form(ui: UiSession, hazard: Hazard) -> ft.Control:
    t = ui.t
    width = ui.field_width
    responsible = ft.TextField(label=t("ui_hazard_detail.responsible"), value=hazard.responsible, width=width)
    measures = ft.TextField(label=t("ui_hazard_detail.measures"), value=hazard.measures, multiline=True,
                            min_lines=2, max_lines=5, width=width)
    funds = ft.TextField(label=t("ui_hazard_detail.funds"), value=str(hazard.funds), width=width,
                         hint_text=t("ui_hazard_detail.funds_hint"), keyboard_type=ft.KeyboardType.NUMBER)
    deadline = ft.TextField(label=t("ui_hazard_detail.deadline"), value=hazard.deadline.isoformat(), width=width,
                            hint_text=t("ui_hazard_detail.deadline_hint"))
    severity = ft.SegmentedButton(
        selected=[hazard.severity.value],
        segments=[ft.Segment(value=s.value, label=segment_label(t(f"severity.{s.value}"))) for s in Severity],
    )

    def save(_e) -> None:
        day = parse_day(deadline.value or "")
        deadline.error = None if day else t("ui_hazard_detail.bad_date", value=deadline.value or "")
        if day is None:
            ui.page.update()
            return
        if ui.attempt(update_hazard, ui.ctx, hazard.id, responsible=responsible.value or "",
                      measures=measures.value or "", funds=funds.value or "0", deadline=day,
                      severity=Severity(severity.selected[0])):
            _done(ui, t("ui_hazard_detail.saved"))

    return ft.Column([
        hook("edit-responsible", responsible), hook("edit-measures", measures), hook("edit-funds", funds),
        hook("edit-deadline", deadline), hook("edit-severity", severity),
        action_button(t("ui_hazard_detail.save"), ft.Icons.SAVE, save, "edit-save"),
    ], spacing=12)


def _pending_evidence(ui: UiSession, hazard: Hazard):
    """Evidence photos uploaded for the next rectification (after the last one, if any): a reload keeps them."""
    since = hazard.rectification.at if hazard.rectification else None
    return [p for p in photos_of(ui.ctx, hazard.id, hazard.unit)
            if p.owner is PhotoOwner.RECTIFICATION and (since is None or p.created_at > since)]


def _rectify_form(ui: UiSession, hazard: Hazard) -> ft.Control:
    t = ui.t
    note = ft.TextField(label=t("ui_hazard_detail.note_label"), multiline=True, min_lines=2, max_lines=5,
                        width=ui.field_width)
    thumbs = ft.Row(wrap=True, spacing=8, run_spacing=8)
    count = ft.Text("", size=14)
    busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), ft.Text(t("ui_hazard_detail.processing"))],
                  visible=False)

    def show() -> list[str]:
        pending = _pending_evidence(ui, hazard)
        thumbs.controls = [hook(f"pending-evidence-{n}", thumbnail(ui, p.thumb_sha256, THUMB, THUMB))
                           for n, p in enumerate(pending)]
        count.value = t("ui_hazard_detail.evidence_count", count=len(pending))
        return [p.sha256 for p in pending]

    async def store(name: str, data: bytes) -> None:
        busy.visible = True
        ui.page.update()
        try:   # Pillow checks, shrinks and stamps it: off the event loop
            await ui.attempt_slow(add_evidence_photo, ui.ctx, hazard.id, data, name)
        finally:
            busy.visible = False
            show()
            ui.page.update()

    photo_input = PhotoInput(ui, store)   # any size the pipeline takes, uploaded when it is big
    ui.on_picked = photo_input.handle
    show()
    add = hook("rectify-add-photo", ft.Button(
        content=t("ui_hazard_detail.add_evidence"), icon=ft.Icons.ADD_A_PHOTO, height=MIN_TOUCH,
        action=photo_input.pick_action(t("ui_hazard_detail.add_evidence")),
    ))

    def with_evidence() -> None:
        """Rectify with the evidence photos uploaded for it so far (`show` lists them and redraws them)."""
        rectify(ui.ctx, hazard.id, note.value or "", tuple(show()))

    def confirm(_e) -> None:
        if ui.attempt(with_evidence):
            _done(ui, t("ui_hazard_detail.rectified"))

    team = tuple(name for name in (ui.state.actor, hazard.responsible) if name)
    return ft.Column([
        actor_picker(ui, team, "rectify-by", lambda: None, "ui_actor.rectified_by"),
        hook("rectify-note", note), ft.Row([add, hook("rectify-count", count)], wrap=True, spacing=12), busy, thumbs,
        action_button(t("ui_hazard_detail.confirm_rectified"), ft.Icons.TASK_ALT, confirm, "rectify-confirm"),
    ], spacing=12)


Step = tuple[ft.TextField, ft.TextField]   # one step of a deferral's phased plan: its date and what is done


def _plan_editor(ui: UiSession, width: float) -> tuple[ft.Column, list[Step], Callable[..., None]]:
    """The phased plan's rows (one to start with, each due 30 days after the one before), the steps
    behind them, and the handler that adds one."""
    t = ui.t
    steps: list[Step] = []
    rows = ft.Column(spacing=8)

    def draw() -> None:
        rows.controls = [ft.Row([
            hook(f"step-date-{n}", date), hook(f"step-action-{n}", action),
            hook(f"step-remove-{n}", ft.IconButton(ft.Icons.DELETE_OUTLINE, tooltip=t("ui_hazard_detail.remove_step"),
                                                   width=MIN_TOUCH, height=MIN_TOUCH,
                                                   on_click=lambda _e, n=n: remove(n))),
        ], wrap=True, spacing=8) for n, (date, action) in enumerate(steps)]

    def add(_e=None) -> None:
        last = parse_day(steps[-1][0].value or "") if steps else None
        due = (last or ui.ctx.today()) + dt.timedelta(days=30)
        steps.append((ft.TextField(label=t("ui_hazard_detail.step_date"), value=due.isoformat(), width=150,
                                   hint_text="YYYY-MM-DD"),
                      ft.TextField(label=t("ui_hazard_detail.step_action"), width=width - 216 if ui.wide else width)))
        draw()

    def remove(n: int) -> None:
        del steps[n]
        draw()

    add()
    return rows, steps, add


def _defer_form(ui: UiSession, hazard: Hazard) -> ft.Control:
    t = ui.t
    width = ui.field_width
    explanation = ft.TextField(label=t("ui_hazard_detail.explanation_label"), multiline=True, min_lines=2,
                               max_lines=5, width=width)
    temporary = ft.TextField(label=t("ui_hazard_detail.temporary_label"), multiline=True, min_lines=2, max_lines=4,
                             width=width)
    rows, steps, add = _plan_editor(ui, width)

    def confirm(_e) -> None:
        plan, bad = [], False
        for date, action in steps:
            day = parse_day(date.value or "")
            date.error = None if day else t("ui_hazard_detail.bad_date", value=date.value or "")
            bad = bad or day is None
            plan.append((day, action.value or ""))
        if bad:
            ui.page.update()
            return
        if not (done := ui.attempt(defer, ui.ctx, hazard.id, explanation.value or "", plan, temporary.value or "")):
            return
        moved = done.value
        if moved.deferral_request is not None and moved.status is not S.DEFERRED:
            _done(ui, t("ui_authority.defer_requested"))
            return
        _done(ui, t("ui_hazard_detail.deferred", date=moved.deadline.isoformat()))

    serious = is_serious(hazard)   # a major or listed hazard's deferral waits for the bureau
    note = [hook("defer-request-note", ft.Text(t("ui_authority.defer_becomes_request"), size=14,
                                               color=ft.Colors.DEEP_ORANGE_800))] if serious else []
    return ft.Column([
        *note,
        hook("defer-explanation", explanation), ft.Text(t("ui_hazard_detail.plan"), size=15), rows,
        action_button(t("ui_hazard_detail.add_step"), ft.Icons.ADD, add, "defer-add-step", filled=False),
        hook("defer-temporary", temporary),
        action_button(t("ui_hazard_detail.confirm_defer"), ft.Icons.SCHEDULE, confirm, "defer-confirm"),
    ], spacing=12)


def _withdraw_dialog(ui: UiSession, hazard: Hazard, back: str) -> None:
    t = ui.t
    reason = ft.TextField(label=t("ui_hazard_detail.withdraw_reason"), multiline=True, min_lines=2, max_lines=4,
                          width=min(ui.field_width, 480))

    async def confirm(_e) -> None:
        try:
            withdraw_hazard(ui.ctx, hazard.id, reason.value or "")
        except InvalidInput as error:    # no reason given: say so on the field, keep the dialog open
            reason.error = describe_error(error, ui.lang)
            ui.page.update()
            return
        except AppError as error:   # not `ui.attempt`: the dialog closes before the banner shows why
            ui.page.pop_dialog()
            ui.error(error)
            return
        ui.page.pop_dialog()
        await ui.go(back)
        ui.page.show_dialog(ft.SnackBar(ft.Text(t("ui_hazard_detail.withdrawn_done"))))

    ui.page.show_dialog(ft.AlertDialog(
        modal=True, title=ft.Text(t("ui_hazard_detail.withdraw_title")),
        content=ft.Column([ft.Text(t("ui_hazard_detail.withdraw_explain"), size=14), hook("withdraw-reason", reason)],
                          tight=True, spacing=12),
        actions=[
            action_button(t("ui_hazard_detail.cancel"), None, lambda _e: ui.page.pop_dialog(), "withdraw-cancel",
                          filled=False),
            action_button(t("ui_hazard_detail.withdraw_confirm"), ft.Icons.DELETE_FOREVER, confirm, "withdraw-confirm",
                          style=ft.ButtonStyle(bgcolor=ft.Colors.RED_700)),
        ],
    ))


def actions_panel(ui: UiSession, hazard: Hazard, on_notice: bool, back: str) -> ft.Control:
    """The buttons the hazard's status allows, and the form of the one chosen."""
    panel = _Panel(ui, hazard)
    spot = inspection_kind_of(ui.ctx, hazard) is InspectionKind.SPOT_CHECK
    buttons = _status_buttons(panel, spot)
    flags = _flag_buttons(panel, spot, on_notice, back)
    return ft.Column([
        ft.Row(buttons, wrap=True, spacing=12, run_spacing=12),
        ft.Row(flags, wrap=True, spacing=12, run_spacing=12),
        *panel.missing,
        hook("action-form", panel.form),
    ], spacing=12)


@dataclass
class _Panel:
    """What the action buttons share: the hazard, the place the chosen action's form opens in, and
    one line per action this device may not do, saying who does it."""

    ui: UiSession
    hazard: Hazard
    form: ft.Column = field(default_factory=ft.Column)   # a hook's content must exist and be visible
    missing: list[ft.Control] = field(default_factory=list)

    def permits(self, action: Action, ident: str, what: str | None = None) -> bool:
        line = missing_line(self.ui, action, self.hazard.unit, f"missing-{ident}", what)
        if line is not None and not any(getattr(m, "identifier", "") == f"missing-{ident}" for m in self.missing):
            self.missing.append(line)
        return line is None

    def form_button(self, key: str, icon: ft.IconData, make, ident: str, filled: bool = True) -> ft.Control:
        """A button that opens `make(ui, hazard)` below the buttons, titled with the button's words."""
        ui, title = self.ui, self.ui.t(key)

        def open_form(_e) -> None:
            self.form.controls = [ft.Divider(), ft.Text(title, size=16, weight=ft.FontWeight.BOLD),
                                  make(ui, self.hazard)]
            ui.page.update()

        return action_button(title, icon, open_form, ident, filled=filled)


def _status_buttons(panel: _Panel, spot: bool) -> list[ft.Control]:
    """Edit, start, rectify, defer, re-check: as the lifecycle and the permission table allow."""
    ui, t, hazard = panel.ui, panel.ui.t, panel.hazard
    allowed = ALLOWED[hazard.status]

    def start(_e) -> None:
        if ui.attempt(start_rectifying, ui.ctx, hazard.id):
            _done(ui, t("ui_hazard_detail.started"))

    buttons: list[ft.Control] = []
    if hazard.status is not S.VERIFIED and panel.permits(Action.SPOT_CHECK if spot else Action.EDIT_HAZARD, "edit",
                                                         t("ui_authority.edit_spot_check") if spot else None):
        buttons.append(panel.form_button("ui_hazard_detail.edit", ft.Icons.EDIT, _edit_form, "action-edit"))
    if S.RECTIFYING in allowed and panel.permits(Action.RECTIFY, "rectify"):
        buttons.append(action_button(t("ui_hazard_detail.start"), ft.Icons.BUILD, start, "action-start"))
    if S.RECTIFIED in allowed and panel.permits(Action.RECTIFY, "rectify"):
        buttons.append(panel.form_button("ui_hazard_detail.rectify", ft.Icons.TASK_ALT, _rectify_form,
                                         "action-rectify"))
    if S.DEFERRED in allowed and hazard.deferral_request is None and panel.permits(
            Action.DEFER_REQUEST if is_serious(hazard) else Action.DEFER, "defer"):
        key = "ui_authority.defer_request" if is_serious(hazard) else "ui_hazard_detail.defer"
        buttons.append(panel.form_button(key, ft.Icons.SCHEDULE, _defer_form, "action-defer", False))
    if hazard.status is S.RECTIFIED:
        buttons.append(action_button(t("ui_hazard_detail.recheck"), ft.Icons.FACT_CHECK,
                                     lambda _e: ui.navigate(routes.start_recheck(hazard.unit)), "action-recheck"))
    return buttons


def _flag_buttons(panel: _Panel, spot: bool, on_notice: bool, back: str) -> list[ft.Control]:
    """Set or clear each flag (listed, suspended, expert review), and withdraw."""
    ui, t, hazard = panel.ui, panel.ui.t, panel.hazard
    closed = hazard.status is S.VERIFIED

    def flag(which: Flag, on: bool):
        def toggle(_e) -> None:
            if ui.attempt(set_flag, ui.ctx, hazard.id, which, on):
                _done(ui, t("ui_hazard_detail.flag_done", flag=t(f"error_term.{which.value}")))
        return toggle

    flags: list[ft.Control] = []
    for which in Flag:
        name = t(f"error_term.{which.value}")
        if (which in hazard.flags or not closed) and not panel.permits(
                Action.LIST if which is Flag.LISTED else Action.FLAG, f"flag-{which.value}"):
            continue
        if which in hazard.flags:
            flags.append(action_button(t("ui_hazard_detail.flag_clear", flag=name), ft.Icons.FLAG,
                                       flag(which, False), f"flag-{which.value}"))
        elif not closed:
            flags.append(action_button(t("ui_hazard_detail.flag_set", flag=name), ft.Icons.OUTLINED_FLAG,
                                       flag(which, True), f"flag-{which.value}", filled=False))
    if not closed and not on_notice and panel.permits(Action.WITHDRAW_SPOT_CHECK if spot else Action.WITHDRAW,
                                                      "withdraw"):
        flags.append(action_button(t("ui_hazard_detail.withdraw"), ft.Icons.DELETE_OUTLINE,
                                   lambda _e: _withdraw_dialog(ui, hazard, back), "action-withdraw", filled=False,
                                   style=ft.ButtonStyle(color=ft.Colors.RED_800)))
    return flags
