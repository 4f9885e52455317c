"""On the bureau's device: sign a tablet's request, and the list of enrolled devices with 吊销 (revoke).

The campaign key's passphrase is asked once for both (the key file is encrypted with it). Signing
allots a fresh block of notice numbers (`authority.sign_request`); a revocation needs its reason and
travels to every device in the bureau's next bundle.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.domain.authority import EnrollRequest, Role
from app.domain.errors import AppError
from app.services import authority
from app.services.enrollment_files import DeviceRow, certificate_file, enrolled_devices
from app.ui.session import UiSession
from app.ui.widgets.common import InputField, action_button, hook, say_under, section_card
from app.ui.widgets.delivery import deliver
from app.ui.widgets.enroll_widgets import code_panel

__all__ = ["bureau_cards"]

STATUS_COLOURS = {"valid": ft.Colors.GREEN_700, "revoked": ft.Colors.RED_700, "expired": ft.Colors.BLUE_GREY_500}


def _sign_form(ui: UiSession, request: EnrollRequest, passphrase: ft.TextField, shown: ft.Column,
               refresh: Callable[[], None]) -> list[ft.Control]:
    t, width = ui.t, min(ui.field_width, 480)
    asks = t("ui_authority.request_asks", role=t(f"ui_authority.role_{request.role.value}"),
             unit=f"{request.unit} {ui.unit_name(request.unit)}" if request.unit else "—",
             label=request.label or "—", device=request.device_id[:12])
    role = ft.Dropdown(label=t("ui_authority.sign_role"), value=request.role.value, width=width, options=[
        ft.DropdownOption(key=r.value, text=t(f"ui_authority.role_{r.value}")) for r in (Role.UNIT, Role.BUREAU)])
    unit = ft.Dropdown(label=t("ui_authority.sign_unit"), value=request.unit or None, width=width, options=[
        ft.DropdownOption(key=u.code, text=f"{u.code} {u.name(ui.lang)}") for u in ui.catalog.units.units])
    issuer = ft.TextField(label=t("ui_authority.issuer_name"), hint_text=t("ui_authority.default_hint"), width=width)
    prefix = ft.TextField(label=t("ui_authority.issuer_prefix"), hint_text=t("ui_authority.default_hint"),
                          width=width, max_length=12)
    fields: dict[str, InputField] = {"unit": unit, "issuer_name": issuer, "notice_prefix": prefix,
                                     "campaign_key": passphrase}

    async def sign(_e) -> None:
        for field in fields.values():
            say_under(field, None)
        try:   # the campaign key is decrypted (scrypt): off the event loop
            cert = await ui.slow(authority.sign_request, ui.ctx, request, Role(role.value or request.role.value),
                                 unit.value or "", issuer.value or "", prefix.value or "", passphrase.value or "")
        except AppError as error:   # not `ui.attempt`: a refused unit, issuer, prefix or passphrase is said under it
            ui.refuse_under(error, fields)
            return
        file = certificate_file(cert)
        refresh()   # the device list now holds it; the certificate stays on screen to be scanned
        ui.info(t("ui_authority.signed", issuer=cert.body.issuer_name, first=cert.body.block_first,
                  last=cert.body.block_last))
        shown.controls = [code_panel(ui, file, t("ui_authority.cert_ready"), t("ui_authority.cert_explain"),
                                     "cert-code")]
        ui.page.update()
        await deliver(ui, file.name, file.content, t("ui_authority.cert_ready"))

    return [
        hook("sign-asks", ft.Text(asks, size=15, weight=ft.FontWeight.W_500), label=asks),
        hook("sign-role", role), hook("sign-unit", unit), hook("sign-issuer", issuer), hook("sign-prefix", prefix),
        action_button(t("ui_authority.sign"), ft.Icons.VERIFIED_USER, sign, "sign-request"),
    ]


def _device_row(ui: UiSession, n: int, row: DeviceRow, passphrase: ft.TextField,
                refresh: Callable[[], None]) -> ft.Control:
    t, body = ui.t, row.cert.body
    who = t(f"ui_authority.role_{body.role.value}") + (f" · {body.unit} {ui.unit_name(body.unit)}" if body.unit else "")
    status = t(f"ui_authority.device_{row.status}") + (f"（{row.revoked_reason}）" if row.revoked_reason else "")
    lines: list[ft.Control] = [
        ft.Row([
            ft.Container(ft.Text(status, size=13, color=ft.Colors.WHITE), bgcolor=STATUS_COLOURS[row.status],
                         padding=ft.Padding(8, 3, 8, 3), border_radius=8),
            ft.Text(who + (t("ui_authority.this_device") if row.own else ""), size=15, weight=ft.FontWeight.W_500,
                    expand=True),
        ], spacing=8),
        ft.Text(t("ui_authority.device_line", issuer=body.issuer_name, prefix=body.issuer_prefix,
                  first=body.block_first, last=body.block_last, end=body.not_after, device=body.device_id[:12]),
                size=13),
    ]
    if row.status == "valid" and not row.own:
        reason = ft.TextField(label=t("ui_authority.revoke_reason"), dense=True, width=min(ui.field_width, 420))

        async def revoke(_e) -> None:
            reason.error = None
            try:
                await ui.slow(authority.revoke, ui.ctx, body.serial, reason.value or "", passphrase.value or "")
            except AppError as error:   # not `ui.attempt`: a refused reason or passphrase is said under it
                ui.refuse_under(error, {"reason": reason, "campaign_key": passphrase})
                return
            refresh()
            ui.info(t("ui_authority.revoked", who=who))

        lines.append(ft.Row([
            hook(f"revoke-reason-{n}", reason),
            action_button(t("ui_authority.revoke"), ft.Icons.BLOCK, revoke, f"revoke-{n}", filled=False,
                          style=ft.ButtonStyle(color=ft.Colors.RED_800)),
        ], wrap=True, spacing=8, run_spacing=8))
    return hook(f"device-{n}", ft.Container(ft.Column(lines, spacing=6), padding=10, border_radius=10,
                                            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW), label=who)


def bureau_cards(ui: UiSession) -> tuple[list[ft.Control], Callable[[EnrollRequest], None]]:
    """The passphrase, the signing card and the device list; and what to do with a request file."""
    t = ui.t
    passphrase = ft.TextField(label=t("ui_authority.passphrase"), password=True, can_reveal_password=True,
                              width=min(ui.field_width, 480), helper=t("ui_authority.passphrase_use"))
    form, shown = ft.Column(spacing=10), ft.Column()

    devices = ft.Column(spacing=10)
    title = ft.Text(size=18, weight=ft.FontWeight.W_500)

    def refresh() -> None:
        """The device list from the store again, in place (a signed certificate stays on screen)."""
        rows = enrolled_devices(ui.ctx)
        title.value = t("ui_authority.devices_title", count=len(rows))
        devices.controls = [_device_row(ui, n, row, passphrase, refresh) for n, row in enumerate(rows)]

    def on_request(request: EnrollRequest) -> None:
        shown.controls = []
        form.controls = _sign_form(ui, request, passphrase, shown, refresh)
        ui.page.update()

    refresh()
    cards = [
        hook("campaign-passphrase", passphrase),
        section_card("enroll-sign", t("ui_authority.sign_title"), t("ui_authority.sign_explain"),
                     [hook("sign-form", form), hook("sign-shown", shown)]),
        hook("enroll-devices", ft.Container(ft.Column([
            title, ft.Text(t("ui_authority.devices_explain"), size=13, color=ft.Colors.ON_SURFACE_VARIANT), devices,
        ], spacing=10), padding=16, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW)),
    ]
    return cards, on_request
