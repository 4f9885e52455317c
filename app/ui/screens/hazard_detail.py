"""One hazard (`/h/<hazard>`): where and what, its deadline and people, photos, evidence, timeline, actions.

Everything is read through services each time the screen is drawn, so after an action the screen
is simply drawn again. The actions themselves are in `hazard_actions`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import flet as ft

from app.domain import lifecycle
from app.domain.errors import AppError
from app.domain.model import AuditEvent, Hazard, Photo, PhotoOwner, Severity
from app.services.hazards import get_hazard, notices_listing
from app.services.inspections import get_inspection
from app.services.photos import photos_of
from app.services.queries import checklist_of, get_area, hazard_timeline
from app.ui import routes
from app.ui.screens.ledger import STATUS_COLOURS
from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, heading, hook, severity_colour
from app.ui.widgets.deferral_request import pending_request
from app.ui.widgets.hazard_actions import actions_panel, thumbnail

__all__ = ["build", "back_route"]

THUMB_W, THUMB_H = 160, 120


def back_route(route: str) -> str:
    """The (filtered) ledger this hazard was opened from; the plain ledger otherwise."""
    back = routes.query(route).get("back", "")
    return back if back.startswith("/ledger") else routes.ledger()


def _local(ui: UiSession, moment: dt.datetime) -> str:
    return moment.astimezone(ZoneInfo(ui.catalog.campaign.timezone)).strftime("%Y-%m-%d %H:%M")


def _field(label: str, value: str, ident: str | None = None, colour: str | None = None) -> ft.Control:
    text = ft.Text(value, size=15, color=colour)
    block = ft.Column([ft.Text(label, size=12, color=ft.Colors.ON_SURFACE_VARIANT), text], spacing=2)
    return hook(ident, block, label=f"{label} {value}") if ident else block


def _section(title: str, controls: list[ft.Control], ident: str | None = None) -> ft.Control:
    box = ft.Container(
        ft.Column([ft.Text(title, size=17, weight=ft.FontWeight.BOLD), *controls], spacing=8),
        padding=12, border_radius=8, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    )
    return hook(ident, box) if ident else box


def _deadline_text(ui: UiSession, hazard: Hazard) -> tuple[str, str | None]:
    t, today = ui.t, ui.ctx.today()
    date = hazard.deadline.isoformat()
    if hazard.status in lifecycle.DONE:
        return t("ui_hazard_detail.deadline_done", date=date), None
    days = lifecycle.days_left(hazard, today)
    if days < 0:
        return t("ui_hazard_detail.overdue", date=date, days=-days), ft.Colors.RED_800
    if days == 0:
        return t("ui_hazard_detail.due_today", date=date), ft.Colors.DEEP_ORANGE_800
    return t("ui_hazard_detail.days_left", date=date, days=days), None


def _thumbs(ui: UiSession, photos: list[Photo], prefix: str) -> ft.Control:
    """Thumbnails; a tap opens the photo screen (preview and annotate)."""
    if not photos:
        return ft.Text(ui.t("ui_hazard_detail.no_photos"), size=14, color=ft.Colors.ON_SURFACE_VARIANT)
    tiles: list[ft.Control] = []
    for n, photo in enumerate(photos):
        tiles.append(hook(f"{prefix}-{n}", ft.Container(
            thumbnail(ui, photo.thumb_sha256, THUMB_W, THUMB_H), width=THUMB_W, height=THUMB_H, border_radius=8,
            ink=True, alignment=ft.Alignment.CENTER,
            on_click=lambda _e, pid=photo.id: ui.navigate(routes.photo(pid)),
        ), label=photo.original_name or photo.id))
    return ft.Row(tiles, wrap=True, spacing=8, run_spacing=8)


def _event_text(ui: UiSession, event: AuditEvent) -> str:
    t = ui.t
    action = event.action
    if action == "create":
        return t("ui_hazard_detail.created")
    if action == "withdraw":
        return t("ui_hazard_detail.withdrawn")
    if action.startswith("transition:"):
        return t("ui_hazard_detail.transition", status=t(f"status.{action.split(':', 1)[1]}"))
    if action.startswith("flag:"):
        _, flag, state = [*action.split(":"), "", ""][:3]
        return t(f"ui_hazard_detail.flag_{'on' if state == 'on' else 'off'}", flag=t(f"error_term.{flag}"))
    names = [t(f"error_term.{k}") if t.has(f"error_term.{k}") else k for k in (event.after or {})]
    return t("ui_hazard_detail.changed", fields="、".join(names) if ui.lang != "en" else ", ".join(names))


def _timeline(ui: UiSession, events: list[AuditEvent]) -> list[ft.Control]:
    t = ui.t
    rows: list[ft.Control] = []
    for n, event in enumerate(events):
        what = _event_text(ui, event)
        lines: list[ft.Control] = [
            ft.Text(t("ui_hazard_detail.timeline_line", at=_local(ui, event.at), actor=event.actor), size=12,
                    color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Text(what, size=15),
        ]
        if event.note:
            lines.append(ft.Text(t("ui_hazard_detail.note", note=event.note), size=14))
        rows.append(hook(f"timeline-{n}", ft.Row([
            ft.Icon(ft.Icons.CIRCLE, size=10, color=ft.Colors.PRIMARY),
            ft.Column(lines, spacing=2, expand=True),
        ], vertical_alignment=ft.CrossAxisAlignment.START), label=f"{event.actor} {what}"))
    return rows


def _place(ui: UiSession, hazard: Hazard) -> tuple[str, str, str, str]:
    """Area name, department, checklist item and inspection line (blank where not on this device)."""
    t = ui.t
    area_name, item, line = "", t("ui_hazard_detail.ad_hoc"), ""
    try:
        area = get_area(ui.ctx, hazard.inspection_id, hazard.area_id)
        area_name = area.name
        if hazard.item_id:
            entry = checklist_of(ui.ctx, area).item(hazard.item_id)
            item = f"{entry.id} {entry.text(ui.lang)}"
    except (AppError, KeyError):   # not a refusal to show: an area or checklist not on this device
        item = hazard.item_id or item
    try:
        inspection = get_inspection(ui.ctx, hazard.inspection_id)
        line = t("ui_hazard_detail.inspection_line", date=inspection.date.isoformat(),
                 kind=t(f"inspection_kind.{inspection.kind.value}"), by=hazard.raised_by or "—")
    except AppError:   # an inspection not on this device (e.g. a bureau record): the hazard still shows
        pass
    return area_name, hazard.department, item, line


def build(ui: UiSession, hazard: str) -> ft.Control:
    t = ui.t
    record = get_hazard(ui.ctx, hazard)
    notices = notices_listing(ui.ctx, record)
    photos = photos_of(ui.ctx, record.id, record.unit)
    major = record.severity is Severity.MAJOR
    sections = [
        _header(ui, record),
        hook("detail-description", ft.Text(record.description, size=18, weight=ft.FontWeight.W_500,
                                           color=severity_colour(major)), label=record.description),
        ft.ResponsiveRow([
            ft.Container(_section(t("ui_hazard_detail.where"), _where(ui, record)), col={"xs": 12, "md": 6}),
            ft.Container(_section(t("ui_hazard_detail.duty"), _duty(ui, record, notices)), col={"xs": 12, "md": 6}),
        ], spacing=12, run_spacing=12),
        _section(t("ui_hazard_detail.photos"),
                 [_thumbs(ui, [p for p in photos if p.owner is PhotoOwner.HAZARD], "photo")], "detail-photos"),
        _rectification(ui, record, photos),
        _deferral(ui, record),
        pending_request(ui, record),   # a major or listed hazard's deferral, waiting for the bureau
        _verifications(ui, record, [p for p in photos if p.owner is PhotoOwner.RECHECK]),
        _section(t("ui_hazard_detail.actions"),
                 [actions_panel(ui, record, bool(notices), back_route(ui.page.route or ""))], "detail-actions"),
        _section(t("ui_hazard_detail.timeline"), _timeline(ui, hazard_timeline(ui.ctx, record.id)),
                 "detail-timeline"),
    ]
    return ft.Column([s for s in sections if s is not None], spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
                     horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


def _header(ui: UiSession, record: Hazard) -> ft.Control:
    """Back to the ledger it came from, the title, and the status in its colour."""
    t = ui.t
    status = t(f"status.{record.status.value}")
    return ft.Row([
        hook("back-to-ledger", ft.IconButton(ft.Icons.ARROW_BACK, tooltip=t("ui_hazard_detail.back"),
                                             width=MIN_TOUCH, height=MIN_TOUCH,
                                             on_click=lambda _e: ui.navigate(back_route(ui.page.route or "")))),
        heading(t("ui_hazard_detail.title"), ident="screen-hazard-detail"),
        hook("hazard-status", ft.Container(ft.Text(status, size=14, color=ft.Colors.WHITE),
                                           bgcolor=STATUS_COLOURS[record.status], border_radius=12,
                                           padding=ft.Padding.symmetric(horizontal=12, vertical=4)), label=status),
    ], wrap=True)


def _where(ui: UiSession, record: Hazard) -> list[ft.Control]:
    t = ui.t
    area_name, department, item, inspection_line = _place(ui, record)
    return [
        _field(t("ui_hazard_detail.unit"), ui.unit_name(record.unit), "detail-unit"),
        _field(t("ui_hazard_detail.area"), area_name + (
            "　" + t("ui_hazard_detail.department", name=department) if department else ""), "detail-area"),
        _field(t("ui_hazard_detail.item"), item, "detail-item"),
        *([_field(t("ui_hazard_detail.basis"), record.basis, "detail-basis")] if record.basis else []),
        *([_field(t("ui_hazard_detail.inspection"), inspection_line)] if inspection_line else []),
    ]


def _duty(ui: UiSession, record: Hazard, notices: list[str]) -> list[ft.Control]:
    """Severity, deadline, who and what, budget, flags and the notices that name the hazard."""
    t = ui.t
    none = t("ui_hazard_detail.none")
    major = record.severity is Severity.MAJOR
    deadline, deadline_colour = _deadline_text(ui, record)
    flags = "、".join(t(f"error_term.{f.value}") for f in record.flags) or t("ui_hazard_detail.no_flags")
    return [
        _field(t("ui_hazard_detail.severity"), t(f"severity.{record.severity.value}"), "detail-severity",
               severity_colour(major) if major else None),
        _field(t("ui_hazard_detail.deadline"), deadline, "detail-deadline", deadline_colour),
        _field(t("ui_hazard_detail.responsible"), record.responsible or none, "detail-responsible"),
        _field(t("ui_hazard_detail.measures"), record.measures or none, "detail-measures"),
        # nothing entered is "not given", not a budget of ¥0.00
        _field(t("ui_hazard_detail.funds"), t("ui_hazard_detail.funds_value", amount=f"{record.funds:,.2f}")
               if record.funds else none, "detail-funds"),
        _field(t("ui_hazard_detail.flags"), flags, "detail-flags"),
        *([_field(t("ui_hazard_detail.notices"), "、".join(notices), "detail-notices")] if notices else []),
    ]


def _rectification(ui: UiSession, record: Hazard, photos: list[Photo]) -> ft.Control | None:
    """Who rectified it, when, how, and the evidence photos the rectification names."""
    if not record.rectification:
        return None
    t, fix = ui.t, record.rectification
    named = set(fix.photos)
    evidence = [p for p in photos if p.owner is PhotoOwner.RECTIFICATION and p.sha256 in named]
    return _section(t("ui_hazard_detail.evidence"), [
        ft.Text(t("ui_hazard_detail.evidence_line", by=fix.by, at=_local(ui, fix.at)), size=13),
        ft.Text(fix.note, size=15),
        ft.Text(t("ui_hazard_detail.evidence_photos"), size=13), _thumbs(ui, evidence, "evidence"),
    ], "detail-rectification")


def _deferral(ui: UiSession, record: Hazard) -> ft.Control | None:
    if not record.deferral:
        return None
    t, plan = ui.t, record.deferral
    return _section(t("ui_hazard_detail.deferral"), [
        _field(t("ui_hazard_detail.explanation"), plan.explanation),
        _field(t("ui_hazard_detail.plan"), "\n".join(
            t("ui_hazard_detail.plan_step", date=s.due.isoformat(), action=s.action) for s in plan.plan)),
        _field(t("ui_hazard_detail.temporary"), plan.temporary_measures),
    ], "detail-deferral")


def _verifications(ui: UiSession, record: Hazard, recheck: list[Photo]) -> ft.Control | None:
    """Each re-check's result, and the photos taken at re-checks."""
    if not record.verifications:
        return None
    t = ui.t
    return _section(t("ui_hazard_detail.verifications"), [
        ft.Text(t("ui_hazard_detail.verification_line", at=_local(ui, v.at), by=v.by,
                  result=t("ui_hazard_detail.passed" if v.passed else "ui_hazard_detail.failed"))
                + (f"　{v.note}" if v.note else ""), size=14)
        for v in record.verifications
    ] + ([_thumbs(ui, recheck, "recheck")] if recheck else []), "detail-verifications")
