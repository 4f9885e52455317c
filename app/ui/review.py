"""Review and issue the notice: the hazards with deadlines, signatures on the pad, issue, download."""

from __future__ import annotations

import re

import flet as ft

from app.domain.errors import AppError
from app.domain.model import Hazard, InspectionStatus, Notice, Severity
from app.services.inspections import area_progress, complete_inspection, get_inspection, missing_photos
from app.services.integrity import NoticeIntegrity, notice_integrity
from app.services.notices import Signatures, issue_notice, notice_pdf, notices_of
from app.services.queries import hazards_of_inspection
from app.services.signatures import signature

from . import routes
from .delivery import deliver
from .session import UiSession
from .signature_pad import SignaturePad
from .widgets import action_button, heading, hook, severity_colour


def _hazard_card(ui: UiSession, n: int, hazard: Hazard, area_names: dict[str, str]) -> ft.Control:
    t = ui.t
    major = hazard.severity is Severity.MAJOR
    return hook(f"hazard-{n}", ft.Container(
        ft.Column([
            ft.Text(f"{n + 1}. {hazard.description}", size=16, weight=ft.FontWeight.W_500),
            ft.Text(t("ui_review.hazard_line", area=area_names.get(hazard.area_id, ""),
                      deadline=hazard.deadline.isoformat(), severity=t(f"severity.{hazard.severity.value}"),
                      responsible=hazard.responsible or t("ui_review.no_responsible"), photos=len(hazard.photos)),
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
            hook("back-to-areas", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=t("ui_walk.back"),
                                                on_click=lambda _e: ui.navigate(routes.areas(inspection)))),
            heading(t("ui_review.title"), ident="screen-review"),
        ]),
        ft.Text(t("ui_areas.subtitle", unit=ui.unit_name(record.unit), kind=t(f"inspection_kind.{record.kind.value}"),
                  date=record.date.isoformat(), inspectors="、".join(record.inspectors)), size=15),
    ]
    if unanswered:
        controls.append(hook("unanswered", ft.Text(t("ui_review.unanswered", count=unanswered),
                                                   color=ft.Colors.DEEP_ORANGE_800)))
    if draft and (lacking := missing_photos(ctx, inspection)):
        controls.append(hook("missing-photos", ft.Text(t("ui_review.missing_photos", count=len(lacking)),
                                                       color=ft.Colors.RED_800)))
    controls.append(ft.Text(t("ui_review.hazards", count=len(hazards)), size=18, weight=ft.FontWeight.W_500))
    controls += [_hazard_card(ui, n, h, area_names) for n, h in enumerate(hazards)]

    async def download(notice: Notice) -> None:
        try:
            pdf = notice_pdf(ui.ctx, notice.id)
        except AppError as error:
            ui.error(error)
            return
        await deliver(ui, _file_name(notice), pdf, t("ui_review.download"), open_after=True)

    for n, notice in enumerate(notices):
        sound = notice_integrity(ctx, notice.id)   # an altered PDF or snapshot is marked, never hidden
        mark: list[ft.Control] = [] if sound is NoticeIntegrity.OK else [
            hook(f"notice-integrity-{n}", ft.Text(t(f"reliability.notice_{sound.value}"), color=ft.Colors.RED_800,
                                                  weight=ft.FontWeight.W_500))]
        controls.append(hook(f"notice-{n}", ft.Container(ft.Column([
            ft.Row([ft.Icon(ft.Icons.TASK_ALT if sound is NoticeIntegrity.OK else ft.Icons.GPP_BAD,
                            color=ft.Colors.GREEN_700 if sound is NoticeIntegrity.OK else ft.Colors.RED_800),
                    ft.Text(t("ui_review.issued", number=notice.number), size=16, expand=True)]),
            *mark,
            action_button(t("ui_review.download"), ft.Icons.DOWNLOAD,
                          lambda _e, x=notice: ui.page.run_task(download, x), f"download-notice-{n}"),
        ]), padding=12, border_radius=10,
            bgcolor=ft.Colors.GREEN_50 if sound is NoticeIntegrity.OK else ft.Colors.RED_50), label=notice.number))

    if not draft:
        return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)
    if not hazards:
        async def complete(_e) -> None:
            try:
                complete_inspection(ui.ctx, inspection)
            except AppError as error:
                ui.error(error)
                return
            ui.render()

        controls += [ft.Text(t("ui_review.no_hazards")),
                     action_button(t("ui_review.complete"), ft.Icons.DONE_ALL, complete, "complete-inspection")]
        return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)

    clear = t("ui_review.clear")
    inspector_pads = [(name, SignaturePad(f"sign-inspector-{n}", clear)) for n, name in enumerate(record.inspectors)]
    receiver_name = ft.TextField(label=t("ui_review.receiver_name"), width=340)
    receiver_pad = SignaturePad("sign-receiver", clear)
    busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), ft.Text(t("ui_review.issuing"))],
                  visible=False)

    async def issue(_e) -> None:
        busy.visible = True
        ui.page.update()
        try:
            # signatures and the PDF are Pillow / reportlab work: off the event loop
            inspectors = tuple([await ui.slow(signature, name, pad.strokes) for name, pad in inspector_pads])
            receiver = await ui.slow(signature, receiver_name.value or "", receiver_pad.strokes)
            await ui.slow(issue_notice, ui.ctx, inspection, Signatures(inspectors, receiver))
        except AppError as error:
            busy.visible = False
            ui.error(error)
            return
        ui.render()

    controls += [
        ft.Text(t("ui_review.signatures"), size=18, weight=ft.FontWeight.W_500),
        ft.Text(t("ui_review.sign_hint"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
    ]
    for name, pad in inspector_pads:
        controls += [ft.Text(t("ui_review.inspector_sign", name=name), size=15), pad.control]
    controls += [
        ft.Text(t("ui_review.receiver_sign"), size=15),
        hook("receiver-name", receiver_name),
        receiver_pad.control,
        busy,
        action_button(t("ui_review.issue"), ft.Icons.ASSIGNMENT_TURNED_IN, issue, "issue-notice"),
    ]
    return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)
