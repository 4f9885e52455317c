"""Review and issue the notice: the hazards with deadlines, signatures on the pad, issue; then the
next steps in reach: print (the browser's PDF viewer), download, done (back to home)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import flet as ft

from app.domain.errors import AppError, InvalidInput
from app.domain.model import Hazard, Inspection, InspectionStatus, Notice, Severity
from app.domain.notice import Refusal, Signature
from app.i18n import Translator
from app.services.inspections import (
    AreaProgress,
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
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, action_button, heading, hook, names_line, severity_colour, whole
from app.ui.widgets.delivery import deliver
from app.ui.widgets.printing import print_pdf
from app.ui.widgets.signature_pad import SignaturePad


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
    t = ui.t
    record = get_inspection(ui.ctx, inspection)
    ui.adopt_inspector(record.inspectors)
    ctx = ui.ctx   # acting as that inspector from here on
    progress = area_progress(ctx, inspection)
    hazards = hazards_of_inspection(ctx, inspection)
    notices = notices_of(ctx, inspection)
    area_names = {p.area.id: p.area.name for p in progress}
    draft = record.status is InspectionStatus.DRAFT
    controls: list[ft.Control] = [
        *_header(ui, record),
        *_warnings(ui, inspection, progress, draft),
        ft.Text(t("ui_review.hazards", count=len(hazards)), size=18, weight=ft.FontWeight.W_500),
        *[_hazard_card(ui, n, h, area_names) for n, h in enumerate(hazards)],
        *[_notice_card(ui, n, notice) for n, notice in enumerate(notices)],
        *_closing(ui, record, bool(hazards), bool(notices)),
    ]
    return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)


def _header(ui: UiSession, record: Inspection) -> list[ft.Control]:
    t = ui.t
    return [
        ft.Row([
            hook("back-to-areas", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=t("ui_walk.back"), width=MIN_TOUCH,
                                                height=MIN_TOUCH,
                                                on_click=lambda _e: ui.navigate(routes.areas(record.id)))),
            heading(t("ui_review.title"), ident="screen-review"),
        ]),
        ft.Text(t("ui_areas.subtitle", unit=ui.unit_name(record.unit), kind=t(f"inspection_kind.{record.kind.value}"),
                  date=record.date.isoformat(), inspectors=names_line(record.inspectors)), size=15),
    ]


def _warnings(ui: UiSession, inspection: str, progress: list[AreaProgress], draft: bool) -> list[ft.Control]:
    """What is still missing before a notice: unanswered items, photos, hazard forms left unsaved."""
    t, ctx = ui.t, ui.ctx
    controls: list[ft.Control] = []
    if unanswered := sum(p.total - p.answered for p in progress):
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
    return controls


def _notice_card(ui: UiSession, n: int, notice: Notice) -> ft.Control:
    """An issued notice, marked when its PDF or snapshot was altered (never hidden); print and download."""
    t = ui.t

    async def download() -> None:
        if pdf := ui.attempt(notice_pdf, ui.ctx, notice.id):
            await deliver(ui, _file_name(notice), pdf.value, t("ui_review.download"), open_after=True)

    async def print_notice() -> None:
        if not (pdf := ui.attempt(notice_pdf, ui.ctx, notice.id)):
            return
        if await print_pdf(ui, _file_name(notice), pdf.value, t("ui_day.print")):
            ui.info(t("ui_day.print_opened"))

    sound = notice_integrity(ui.ctx, notice.id)
    ok = sound is NoticeIntegrity.OK
    mark: list[ft.Control] = [] if ok else [
        hook(f"notice-integrity-{n}", ft.Text(t(f"reliability.notice_{sound.value}"), color=ft.Colors.RED_800,
                                              weight=ft.FontWeight.W_500))]
    return hook(f"notice-{n}", ft.Container(ft.Column([
        ft.Row([ft.Icon(ft.Icons.TASK_ALT if ok else ft.Icons.GPP_BAD,
                        color=ft.Colors.GREEN_700 if ok else ft.Colors.RED_800),
                ft.Text(t("ui_review.issued", number=whole(notice.number, 24)), size=16, expand=True)]),
        *mark,
        ft.Row([
            action_button(t("ui_day.print"), ft.Icons.PRINT, lambda _e: ui.page.run_task(print_notice),
                          f"print-notice-{n}"),
            action_button(t("ui_review.download"), ft.Icons.DOWNLOAD, lambda _e: ui.page.run_task(download),
                          f"download-notice-{n}", filled=False),
        ], wrap=True, spacing=12, run_spacing=8),
    ]), padding=12, border_radius=10, bgcolor=ft.Colors.GREEN_50 if ok else ft.Colors.RED_50), label=notice.number)


def _closing(ui: UiSession, record: Inspection, any_hazards: bool, any_notices: bool) -> list[ft.Control]:
    """The end of the screen: done; complete without a notice; or sign and issue one."""
    t, inspection = ui.t, record.id
    draft = record.status is InspectionStatus.DRAFT
    pending = notice_recipients(ui.ctx, inspection) if any_hazards else []
    if not draft and not pending:
        return [ft.Row([action_button(t("ui_day.done"), ft.Icons.HOME, lambda _e: ui.navigate(routes.home()),
                                      "review-done", filled=not any_notices)], wrap=True)]
    if not any_hazards:
        return [ft.Text(t("ui_review.no_hazards")),
                action_button(t("ui_review.complete"), ft.Icons.DONE_ALL, complete_only(ui, inspection),
                              "complete-inspection")]
    if not pending:   # every hazard is in the security office's own areas: no notice to issue
        return [ft.Text(t("ui_notice.no_recipient")),
                action_button(t("ui_review.complete"), ft.Icons.DONE_ALL, complete_only(ui, inspection),
                              "complete-inspection")]
    return _signature_section(ui, inspection, list(record.inspectors), pending)


def complete_only(ui: UiSession, inspection: str):
    """The handler of the complete-inspection button."""
    async def complete(_e) -> None:
        if not ui.attempt(complete_inspection, ui.ctx, inspection):
            return
        ui.render()
        ui.info(ui.t("ui_day.completed"))
    return complete


@dataclass
class _Pads:
    """The signature pads of a notice: every inspector's, the receiver's, and a witness's when the
    receiver refuses to sign."""

    inspectors: list[tuple[str, SignaturePad]]
    receiver_name: ft.TextField
    receiver: SignaturePad
    refused: ft.Switch
    witness_name: ft.TextField
    witness: SignaturePad

    def undrawn(self, t: Translator) -> str | None:
        """Who must still draw: the receiver (or the witness of a refusal), and at least one
        inspector. Which inspectors must sign is the service's rule (a spot-check: all)."""
        if all(pad.empty for _name, pad in self.inspectors):
            return self.inspectors[0][0]
        if self.refused.value:
            return (self.witness_name.value or t("ui_notice.witness_name")) if self.witness.empty else None
        return (self.receiver_name.value or t("ui_review.receiver_sign")) if self.receiver.empty else None

    async def signatures(self, ui: UiSession) -> Signatures:
        """The drawn strokes as signature images: Pillow work, off the event loop."""
        inspectors = tuple([await ui.slow(signature, name, pad.strokes) for name, pad in self.inspectors
                            if not pad.empty])
        if self.refused.value:
            witness = await ui.slow(signature, self.witness_name.value or "", self.witness.strokes)
            receiver, refusal = Signature((self.receiver_name.value or "").strip()), Refusal(witness, ui.ctx.now())
        else:
            receiver, refusal = await ui.slow(signature, self.receiver_name.value or "", self.receiver.strokes), None
        return Signatures(inspectors, receiver, refusal)


def _signature_section(ui: UiSession, inspection: str, team: list[str], pending: list[str]) -> list[ft.Control]:
    """Who receives this notice, every inspector's signature, and the receiver's (or a refusal
    with a witness): the rules are `check_signatures`'; drawing is required here."""
    t = ui.t
    clear = t("ui_review.clear")
    recipient = ft.Dropdown(label=t("ui_notice.recipient"), value=pending[0], width=340,
                            options=[ft.DropdownOption(key=name, text=name) for name in pending])
    pads = _Pads([(name, SignaturePad(f"sign-inspector-{n}", clear)) for n, name in enumerate(team)],
                 ft.TextField(label=t("ui_review.receiver_name"), width=340), SignaturePad("sign-receiver", clear),
                 ft.Switch(label=t("ui_notice.refused"), value=False, height=MIN_TOUCH),   # a 48 px tap target
                 ft.TextField(label=t("ui_notice.witness_name"), width=340), SignaturePad("sign-witness", clear))
    witness_box = ft.Column([hook("witness-name", pads.witness_name), pads.witness.control], visible=False)
    busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), ft.Text(t("ui_review.issuing"))],
                  visible=False)

    def toggle(_e) -> None:
        witness_box.visible = bool(pads.refused.value)
        ui.page.update()

    pads.refused.on_change = toggle

    async def issue(_e) -> None:
        missing = pads.undrawn(t)
        if missing is not None:
            ui.error(InvalidInput("signatures", "signature_not_drawn", name=missing))
            return
        busy.visible = True
        ui.page.update()
        try:   # signatures and the PDF are Pillow / reportlab work: off the event loop
            signed = await pads.signatures(ui)
            issued = await ui.slow(issue_notice, ui.ctx, inspection, signed, recipient.value or "")
        except AppError as error:   # not `ui.attempt`: the spinner goes before the banner's page update
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
    for name, pad in pads.inspectors:
        controls += [ft.Text(t("ui_review.inspector_sign", name=name), size=15), pad.control]
    return [*controls, ft.Text(t("ui_review.receiver_sign"), size=15), hook("receiver-name", pads.receiver_name),
            pads.receiver.control, hook("receiver-refused", pads.refused), witness_box, busy,
            action_button(t("ui_review.issue"), ft.Icons.ASSIGNMENT_TURNED_IN, issue, "issue-notice")]
