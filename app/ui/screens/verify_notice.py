"""核验 (/verify): is a printed 整改通知书 authentic? From a photo of the page or the QR's text, offline.

A photo comes through the picker (which offers the camera on a tablet) and the same upload path
as hazard photos (`PhotoInput`); the QR is read and checked by services (`qr_codes`,
`notice_check`). The answer is said in colour AND words, big: authentic or not, and why not; then
the notice's number, issuer, date, recipient, its hazards as they stand now, and a newer version
that supersedes it.
"""

from __future__ import annotations

import flet as ft

from app.services.notice_check import NoticeVerdict, verify_payload
from app.services.qr_codes import verify_notice_image
from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, action_button, heading, hook
from app.ui.widgets.photo_input import PhotoInput

__all__ = ["build"]


def _verdict_banner(ui: UiSession, verdict: NoticeVerdict) -> ft.Control:
    t = ui.t
    ok = verdict.authentic
    title = t("ui_authority.authentic" if ok else "ui_authority.not_authentic")
    why = (t("ui_authority.signature_only") if ok and not verdict.in_store else
           t("ui_authority.authentic_explain") if ok else t(f"ui_authority.verdict_{verdict.reason}"))
    colour = ft.Colors.GREEN_800 if ok else ft.Colors.RED_800
    return hook("verdict", ft.Container(ft.Row([
        ft.Icon(ft.Icons.VERIFIED if ok else ft.Icons.GPP_BAD, size=56, color=ft.Colors.WHITE),
        ft.Column([ft.Text(title, size=30, weight=ft.FontWeight.BOLD, color=ft.Colors.WHITE),
                   ft.Text(why, size=15, color=ft.Colors.WHITE)], spacing=4, expand=True),
    ], spacing=16), padding=20, border_radius=12, bgcolor=colour), label=f"{title} {why}")


def _facts(ui: UiSession, verdict: NoticeVerdict) -> list[ft.Control]:
    t, claim = ui.t, verdict.claim
    if claim is None:
        return []
    rows = [("number", claim.number), ("issuer", claim.issuer), ("date", claim.issued_on.isoformat())]
    if verdict.signer:
        rows.append(("signer", verdict.signer))
    if verdict.recipient:
        rows.append(("recipient", verdict.recipient))
    out: list[ft.Control] = [hook(f"fact-{key}", ft.Row([
        ft.Text(t(f"ui_authority.fact_{key}"), size=14, color=ft.Colors.ON_SURFACE_VARIANT, width=110),
        ft.Text(value, size=16, weight=ft.FontWeight.W_500, expand=True, selectable=True),
    ]), label=f"{t(f'ui_authority.fact_{key}')} {value}") for key, value in rows]
    if verdict.superseded_by:
        text = t("ui_authority.superseded", number=verdict.superseded_by)
        out.append(hook("superseded", ft.Container(ft.Row([
            ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.AMBER_900),
            ft.Text(text, size=16, weight=ft.FontWeight.BOLD, color=ft.Colors.AMBER_900, expand=True),
        ]), padding=10, border_radius=8, bgcolor=ft.Colors.AMBER_50), label=text))
    return out


def _hazards(ui: UiSession, verdict: NoticeVerdict) -> list[ft.Control]:
    t = ui.t
    if not verdict.authentic:
        return []
    if not verdict.in_store:
        return [hook("hazards-unknown", ft.Text(t("ui_authority.hazards_unknown"), size=14))]
    rows: list[ft.Control] = [ft.Text(t("ui_authority.hazards_now"), size=17, weight=ft.FontWeight.BOLD)]
    for n, hazard in enumerate(verdict.hazards):
        status = t("ui_authority.hazard_withdrawn") if hazard.status == "withdrawn" else t(f"status.{hazard.status}")
        line = t("ui_authority.hazard_line", status=status, deadline=hazard.deadline.isoformat())
        rows.append(hook(f"notice-hazard-{n}", ft.Container(ft.Column([
            ft.Text(f"{n + 1}. {hazard.description}", size=15, weight=ft.FontWeight.W_500),
            ft.Text(line, size=14, color=ft.Colors.ON_SURFACE_VARIANT),
        ], spacing=2), padding=8, border_radius=8, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW),
            label=f"{hazard.description} {line}"))
    return rows


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    result = ft.Column(spacing=10)
    busy = ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), ft.Text(t("ui_authority.reading"))],
                  visible=False)

    def show(verdict: NoticeVerdict) -> None:
        result.controls = [_verdict_banner(ui, verdict), *_facts(ui, verdict), *_hazards(ui, verdict)]
        ui.page.update()

    async def from_photo(_name: str, data: bytes) -> None:
        busy.visible = True
        result.controls = []
        ui.page.update()
        try:   # Pillow and zbar: off the event loop
            verdict = await ui.attempt_slow(verify_notice_image, ui.ctx, data)
        finally:
            busy.visible = False
        if verdict:
            show(verdict.value)

    photo_input = PhotoInput(ui, from_photo)
    ui.on_picked = photo_input.handle
    pasted = ft.TextField(label=t("ui_authority.paste_label"), hint_text=t("ui_authority.paste_hint"),
                          multiline=True, min_lines=2, max_lines=5, width=ui.field_width)

    def from_text(_e) -> None:
        if not (pasted.value or "").strip():
            pasted.error = t("ui_authority.paste_required")
            ui.page.update()
            return
        pasted.error = None
        show(verify_payload(ui.ctx, pasted.value or ""))

    photo = hook("verify-photo", ft.Button(
        content=t("ui_authority.photo_button"), icon=ft.Icons.PHOTO_CAMERA, height=MIN_TOUCH + 8,
        action=photo_input.pick_action(t("ui_authority.photo_button")),
    ))
    return ft.Column([
        heading(t("ui_authority.verify_title"), ident="screen-verify"),
        ft.Text(t("ui_authority.verify_explain"), size=14, color=ft.Colors.ON_SURFACE_VARIANT),
        photo,
        busy,
        hook("verify-result", result),
        ft.Divider(),
        hook("verify-paste", pasted),
        action_button(t("ui_authority.check_text"), ft.Icons.QR_CODE_2, from_text, "verify-text", filled=False),
    ], spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)
