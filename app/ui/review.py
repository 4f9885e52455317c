"""Review and issue the notice: the hazards with deadlines, signatures on the pad, issue; then the
next steps in reach: print (the browser's PDF viewer), download, done (back to home)."""

from __future__ import annotations

import re

import flet as ft

from app.domain.errors import AppError, InvalidInput
from app.domain.model import Hazard, InspectionStatus, Notice, Severity
from app.domain.notice import Refusal, Signature
from app.services.inspections import (
    area_progress,
    complete_inspection,
    get_inspection,
    missing_photos,
    unsaved_failures,
)
from app.services.integrity import NoticeIntegrity, notice_integrity
from app.services.notices import Signatures, issue_notice, notice_pdf, notice_recipients, notices_of
from app.services.queries import hazards_of_inspection
from app.services.signatures import signature

from . import routes
from .delivery import deliver
from .printing import print_pdf
from .session import UiSession
from .signature_pad import SignaturePad
from .widgets import MIN_TOUCH, action_button, heading, hook, names_line, severity_colour, whole


def _hazard_card(ui: UiSession, n: int, hazard: Hazard, area_names: dict[str, str]) -> ft.Control:
    t = ui.t
    major = hazard.severity is Severity.MAJOR
    return hook(f"hazard-{n}", ft.Container(
        ft.Column([
            ft.Text(f"{n + 1}. {hazard.description}", size=16, weight=ft.FontWeight.W_500),
            ft.Text(t("ui_review.hazard_line", area=area_names.get(hazard.area_id, ""),
                      deadline=hazard.deadline.isoformat(), severity=t(f"severity.{hazard.severity.value}"),
                      responsible=whole(hazard.responsible) if hazard.responsible else t("ui_review.no_responsible"),
                      photos=len(hazard.photos)),
                    size=14, color=severity_colour(major)),
        ], spacing=4),
        padding=12, border_radius=10, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    ), label=hazard.description)


def _file_name(notice: Notice) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", notice.number) + ".pdf"


def build(ui: UiSession, inspection: str) -> ft.Control:
    t, ctx = ui.t, ui.ctx
    record = get_inspection(ctx, inspection)
    ui.adopt_inspector(record.inspectors)
    ctx = ui.ctx   # acting as that inspector from here on
    progress = area_progress(ctx, inspection)
    hazards = hazards_of_inspection(ctx, inspection)
    notices = notices_of(ctx, inspection)
    area_names = {p.area.id: p.area.name for p in progress}
    unanswered = sum(p.total - p.answered for p in progress)
    draft = record.status is InspectionStatus.DRAFT

    controls: list[ft.Control] = [
        ft.Row([
            hook("back-to-areas", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=t("ui_walk.back"), width=MIN_TOUCH,
                                                height=MIN_TOUCH,
                                                on_click=lambda _e: ui.navigate(routes.areas(inspection)))),
            heading(t("ui_review.title"), ident="screen-review"),
        ]),
        ft.Text(t("ui_areas.subtitle", unit=ui.unit_name(record.unit), kind=t(f"inspection_kind.{record.kind.value}"),
                  date=record.date.isoformat(), inspectors=names_line(record.inspectors)), size=15),
    ]
    if unanswered:
        controls.append(hook("unanswered", ft.Text(t("ui_review.unanswered", count=unanswered),
                                                   color=ft.Colors.DEEP_ORANGE_800)))
    if draft and (lacking := missing_photos(ctx, inspection)):
        controls.append(hook("missing-photos", ft.Text(t("ui_review.missing_photos", count=len(lacking)),
                                                       color=ft.Colors.RED_800)))
    if draft and (unsaved := unsaved_failures(ctx, inspection)):   # a 不合格 whose hazard form was left unsaved
        first = unsaved[0]
        controls.append(hook("unsaved-hazards", ft.Text(t("ui_day.unsaved_failures", count=len(unsaved)),
                                                        color=ft.Colors.RED_800)))
        controls.append(action_button(t("ui_day.open_unsaved"), ft.Icons.EDIT_NOTE,
                                      lambda _e: ui.navigate(routes.hazard(inspection, first.area_id, first.item_id)),
                                      "open-unsaved", filled=False))
    controls.append(ft.Text(t("ui_review.hazards", count=len(hazards)), size=18, weight=ft.FontWeight.W_500))
    controls += [_hazard_card(ui, n, h, area_names) for n, h in enumerate(hazards)]

    async def download(notice: Notice) -> None:
        try:
            pdf = notice_pdf(ui.ctx, notice.id)
        except AppError as error:
            ui.error(error)
            return
        await deliver(ui, _file_name(notice), pdf, t("ui_review.download"), open_after=True)

    async def print_notice(notice: Notice) -> None:
        try:
            pdf = notice_pdf(ui.ctx, notice.id)
        except AppError as error:
            ui.error(error)
            return
        if await print_pdf(ui, _file_name(notice), pdf, t("ui_day.print")):
            ui.info(t("ui_day.print_opened"))

    for n, notice in enumerate(notices):
        sound = notice_integrity(ctx, notice.id)   # an altered PDF or snapshot is marked, never hidden
        mark: list[ft.Control] = [] if sound is NoticeIntegrity.OK else [
            hook(f"notice-integrity-{n}", ft.Text(t(f"reliability.notice_{sound.value}"), color=ft.Colors.RED_800,
                                                  weight=ft.FontWeight.W_500))]
        controls.append(hook(f"notice-{n}", ft.Container(ft.Column([
            ft.Row([ft.Icon(ft.Icons.TASK_ALT if sound is NoticeIntegrity.OK else ft.Icons.GPP_BAD,
                            color=ft.Colors.GREEN_700 if sound is NoticeIntegrity.OK else ft.Colors.RED_800),
                    ft.Text(t("ui_review.issued", number=whole(notice.number, 24)), size=16, expand=True)]),
            *mark,
            ft.Row([
                action_button(t("ui_day.print"), ft.Icons.PRINT,
                              lambda _e, x=notice: ui.page.run_task(print_notice, x), f"print-notice-{n}"),
                action_button(t("ui_review.download"), ft.Icons.DOWNLOAD,
                              lambda _e, x=notice: ui.page.run_task(download, x), f"download-notice-{n}",
                              filled=False),
            ], wrap=True, spacing=12, run_spacing=8),
        ]), padding=12, border_radius=10,
            bgcolor=ft.Colors.GREEN_50 if sound is NoticeIntegrity.OK else ft.Colors.RED_50), label=notice.number))

    pending = notice_recipients(ctx, inspection) if hazards else []
    if not draft and not pending:
        controls.append(ft.Row([action_button(t("ui_day.done"), ft.Icons.HOME, lambda _e: ui.navigate(routes.home()),
                                              "review-done", filled=not notices)], wrap=True))
        return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)
    if not hazards:
        controls += [ft.Text(t("ui_review.no_hazards")),
                     action_button(t("ui_review.complete"), ft.Icons.DONE_ALL, complete_only(ui, inspection),
                                   "complete-inspection")]
        return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)
    if not pending:   # every hazard is in the security office's own areas: no notice to issue
        controls += [ft.Text(t("ui_notice.no_recipient")),
                     action_button(t("ui_review.complete"), ft.Icons.DONE_ALL, complete_only(ui, inspection),
                                   "complete-inspection")]
        return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)
    controls += _signature_section(ui, inspection, list(record.inspectors), pending)
    return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)


def complete_only(ui: UiSession, inspection: str):
    """The handler of the complete-inspection button."""
    async def complete(_e) -> None:
        try:
            complete_inspection(ui.ctx, inspection)
        except AppError as error:
            ui.error(error)
            return
        ui.render()
        ui.info(ui.t("ui_day.completed"))
    return complete


def _signature_section(ui: UiSession, inspection: str, team: list[str], pending: list[str]) -> list[ft.Control]:
    """Who receives this notice, every inspector's signature, and the receiver's (or a refusal
    with a witness): the rules are `check_signatures`'; drawing is required here."""
    t = ui.t
    clear = t("ui_review.clear")
    recipient = ft.Dropdown(label=t("ui_notice.recipient"), value=pending[0], width=340,
                            options=[ft.DropdownOption(key=name, text=name) for name in pending])
    inspector_pads = [(name, SignaturePad(f"sign-inspector-{n}", clear)) for n, name in enumerate(team)]
    receiver_name = ft.TextField(label=t("ui_review.receiver_name"), width=340)
    receiver_pad = SignaturePad("sign-receiver", clear)
    refused = ft.Switch(label=t("ui_notice.refused"), value=False, height=MIN_TOUCH)   # a 48 px tap target
    witness_name = ft.TextField(label=t("ui_notice.witness_name"), width=340)
    witness_pad = SignaturePad("sign-witness", clear)
    witness_box = ft.Column([hook("witness-name", witness_name), witness_pad.control], visible=False)
    busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), ft.Text(t("ui_review.issuing"))],
                  visible=False)

    def toggle(_e) -> None:
        witness_box.visible = bool(refused.value)
        ui.page.update()

    refused.on_change = toggle

    def undrawn() -> str | None:
        """Who must still draw: the receiver (or the witness of a refusal), and at least one
        inspector. Which inspectors must sign is the service's rule (a spot-check: all)."""
        if all(pad.empty for _name, pad in inspector_pads):
            return inspector_pads[0][0]
        if refused.value:
            return (witness_name.value or t("ui_notice.witness_name")) if witness_pad.empty else None
        return (receiver_name.value or t("ui_review.receiver_sign")) if receiver_pad.empty else None

    async def issue(_e) -> None:
        missing = undrawn()
        if missing is not None:
            ui.error(InvalidInput("signatures", "signature_not_drawn", name=missing))
            return
        busy.visible = True
        ui.page.update()
        try:
            # signatures and the PDF are Pillow / reportlab work: off the event loop
            inspectors = tuple([await ui.slow(signature, name, pad.strokes) for name, pad in inspector_pads
                                if not pad.empty])
            if refused.value:
                witness = await ui.slow(signature, witness_name.value or "", witness_pad.strokes)
                receiver, refusal = Signature((receiver_name.value or "").strip()), Refusal(witness, ui.ctx.now())
            else:
                receiver, refusal = await ui.slow(signature, receiver_name.value or "", receiver_pad.strokes), None
            issued = await ui.slow(issue_notice, ui.ctx, inspection, Signatures(inspectors, receiver, refusal),
                          recipient.value or "")
        except AppError as error:
            busy.visible = False
            ui.error(error)
            return
        ui.render()
        ui.info(t("ui_day.notice_issued", number=issued.number))

    controls: list[ft.Control] = [
        ft.Text(t("ui_review.signatures"), size=18, weight=ft.FontWeight.W_500),
        ft.Text(t("ui_notice.sign_hint"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        hook("notice-recipient", recipient),
    ]
    for name, pad in inspector_pads:
        controls += [ft.Text(t("ui_review.inspector_sign", name=name), size=15), pad.control]
    controls += [
        ft.Text(t("ui_review.receiver_sign"), size=15),
        hook("receiver-name", receiver_name),
        receiver_pad.control,
        hook("receiver-refused", refused),
        witness_box,
        busy,
        action_button(t("ui_review.issue"), ft.Icons.ASSIGNMENT_TURNED_IN, issue, "issue-notice"),
    ]
    return controls
