"""Settings → 设备登记 / Enrollment: the trust model in force, and how this device joins the campaign.

    never enrolled:  works alone  →  make it the bureau's device (bureau init)
                                  →  request to join (file + QR) … install the certificate the bureau signs
    enrolled unit:   role, unit, issuing body, prefix, number block, valid until, campaign key fingerprint
    bureau device:   the same, plus sign a request and the list of enrolled devices (`enrollment_bureau`)

Every step is a service of `app.services.authority` (the CLI's `bureau init` / `enroll …` call the
same); a refusal shows its reason under the field it is about, or in the banner, and changes nothing.
"""

from __future__ import annotations

import json

import flet as ft

from app.domain.authority import CERT_FORMAT, REQUEST_FORMAT, Role
from app.domain.errors import AppError, InvalidInput
from app.services import authority
from app.services.enrollment_files import file_text, fingerprint, request_file
from app.services.sync import trust_model
from app.ui.session import UiSession
from app.ui.widgets.common import action_button, hook, say_under, section_card
from app.ui.widgets.delivery import deliver
from app.ui.widgets.enroll_widgets import EnrollFileInput, code_panel
from app.ui.widgets.enrollment_bureau import bureau_cards

__all__ = ["section", "prefix_by_certificate"]


def _status(ui: UiSession) -> ft.Control:
    """Which trust model is in force and, once enrolled, what this device's certificate says."""
    t = ui.t
    current = authority.state(ui.ctx)
    if trust_model(ui.ctx) != "enrolled" or current.own is None:
        lines: list[ft.Control] = [ft.Text(t("ui_authority.alone"), size=16, weight=ft.FontWeight.W_500),
                                   ft.Text(t("ui_authority.alone_explain"), size=14)]
        return hook("enroll-status", ft.Column(lines, spacing=4), label=t("ui_authority.alone"))
    body = current.own.body
    role = t(f"ui_authority.role_{body.role.value}")
    facts = [
        ("role", role), *([("unit", f"{body.unit} {ui.unit_name(body.unit)}")] if body.unit else []),
        ("issuer", body.issuer_name), ("prefix", body.issuer_prefix),
        ("block", t("ui_authority.block_value", first=body.block_first, last=body.block_last)),
        ("valid", t("ui_authority.valid_value", start=body.not_before, end=body.not_after)),
        ("campaign_key", fingerprint(current.campaign_key)),
    ]
    title = ft.Text(t("ui_authority.enrolled_as", role=role), size=16, weight=ft.FontWeight.W_500,
                    color=ft.Colors.GREEN_800)
    rows: list[ft.Control] = [title, ft.Text(t("ui_authority.enrolled_explain"), size=14)]
    rows += [hook(f"enroll-{key}", ft.Row([
        ft.Text(t(f"ui_authority.cert_{key}"), size=14, color=ft.Colors.ON_SURFACE_VARIANT, width=120),
        ft.Text(str(value), size=15, expand=True),
    ]), label=f"{t(f'ui_authority.cert_{key}')} {value}") for key, value in facts]
    return hook("enroll-status", ft.Column(rows, spacing=4), label=title.value)


def prefix_by_certificate(ui: UiSession) -> list[ft.Control]:
    """On an enrolled device the certificate's prefix and block number its notices, not the setting:
    a line saying so (and no field to edit); [] on a device never enrolled."""
    current = authority.state(ui.ctx)
    if not current.enrolled or current.own is None:
        return []
    body = current.own.body
    text = ui.t("ui_authority.prefix_from_certificate", prefix=body.issuer_prefix, first=body.block_first,
                last=body.block_last)
    return [hook("prefix-by-certificate", ft.Text(text, size=15), label=text)]


def _bureau_init(ui: UiSession) -> ft.Control:
    t, width = ui.t, min(ui.field_width, 480)
    name = ft.TextField(label=t("ui_authority.issuer_name"), hint_text=ui.catalog.campaign.issuer_zh, width=width)
    prefix = ft.TextField(label=t("ui_authority.issuer_prefix"), hint_text=ui.catalog.campaign.notice_prefix,
                          width=width, max_length=12)
    secret = ft.TextField(label=t("ui_authority.passphrase_new"), password=True, can_reveal_password=True,
                          width=width, helper=t("ui_authority.passphrase_help"))
    again = ft.TextField(label=t("ui_authority.passphrase_again"), password=True, can_reveal_password=True,
                         width=width)
    fields = {"issuer_name": name, "notice_prefix": prefix, "campaign": name}

    async def make(_e) -> None:
        for field in (name, prefix, secret, again):
            field.error = None
        if (secret.value or "") != (again.value or ""):
            again.error = t("ui_authority.passphrase_mismatch")
            ui.page.update()
            return
        try:   # a new key, encrypted with the passphrase (scrypt): off the event loop
            await ui.slow(authority.bureau_init, ui.ctx, name.value or "", prefix.value or "", secret.value or "")
        except AppError as error:   # not `ui.attempt`: a refused name or prefix is said under its field
            ui.refuse_under(error, fields)
            return
        ui.render()
        ui.info(t("ui_authority.bureau_done"))

    title, explain = t("ui_authority.bureau_init_title"), t("ui_authority.bureau_init_explain")
    return section_card("enroll-bureau-init", title, explain, [
        hook("bureau-name", name), hook("bureau-prefix", prefix), hook("bureau-passphrase", secret),
        hook("bureau-passphrase-again", again),
        action_button(t("ui_authority.bureau_init"), ft.Icons.ACCOUNT_BALANCE, make, "bureau-init"),
    ])


def _request(ui: UiSession) -> ft.Control:
    t, width = ui.t, min(ui.field_width, 480)
    shown = ft.Column()
    role = ft.Dropdown(label=t("ui_authority.ask_role"), value=Role.UNIT.value, width=width, options=[
        ft.DropdownOption(key=r.value, text=t(f"ui_authority.role_{r.value}")) for r in (Role.UNIT, Role.BUREAU)])
    unit = ft.Dropdown(label=t("ui_authority.ask_unit"), width=width, options=[
        ft.DropdownOption(key=u.code, text=f"{u.code} {u.name(ui.lang)}") for u in ui.catalog.units.units])
    label = ft.TextField(label=t("ui_authority.label"), hint_text=t("ui_authority.label_hint"), width=width)

    async def ask(_e) -> None:
        say_under(unit, None)
        chosen = Role(role.value or Role.UNIT.value)
        try:
            request = authority.make_request(ui.ctx, chosen, unit.value or "", label.value or "")
        except AppError as error:   # not `ui.attempt`: a refused unit is said under its field
            if not isinstance(error, InvalidInput):
                ui.error(error)
                return
            say_under(unit, t.reason(error.reason, **error.detail))
            ui.page.update()
            return
        file = request_file(request)
        shown.controls = [code_panel(ui, file, t("ui_authority.request_ready"), t("ui_authority.request_explain"),
                                     "request-code")]
        ui.page.update()
        await deliver(ui, file.name, file.content, t("ui_authority.request_title_file"))

    title, explain = t("ui_authority.request_join_title"), t("ui_authority.request_join_explain")
    return section_card("enroll-request", title, explain, [
        hook("request-role", role), hook("request-unit", unit), hook("request-label", label),
        action_button(t("ui_authority.request_join"), ft.Icons.QR_CODE_2, ask, "request-join"),
        hook("request-shown", shown),
    ])


def _chooser(ui: UiSession, bureau: bool, on_request) -> ft.Control:
    """One file chooser for what arrives: a certificate is installed; on the bureau's device a request
    opens the signing form (`on_request`). A photo of either code works as well as the file."""
    t = ui.t

    async def received(_name: str, data: bytes) -> None:
        content = file_text(data)
        try:
            kind = json.loads(content.decode("utf-8")).get("format")
        except (ValueError, UnicodeDecodeError, AttributeError):
            kind = None
        if bureau and kind == REQUEST_FORMAT:
            if request := ui.attempt(authority.read_request, content):
                on_request(request.value)
            return
        if kind != CERT_FORMAT and bureau:
            ui.error(InvalidInput("request", "not_a_request"))
            return
        if not (installed := ui.attempt(authority.install_certificate, ui.ctx, content)):
            return
        cert = installed.value
        ui.render()
        ui.info(t("ui_authority.installed", role=t(f"ui_authority.role_{cert.body.role.value}"),
                  issuer=cert.body.issuer_name))

    chooser = EnrollFileInput(ui, received)
    ui.on_picked = chooser.handle
    title = t("ui_authority.open_file_bureau" if bureau else "ui_authority.install")
    return hook("enroll-open-file", ft.Button(content=title, icon=ft.Icons.UPLOAD_FILE, height=56,
                                              action=chooser.pick_action(title)))


def section(ui: UiSession) -> list[ft.Control]:
    """The Settings section, in the order a user needs it."""
    t = ui.t
    role, _unit = authority.role_of(ui.ctx)
    parts: list[ft.Control] = [ft.Divider(height=8), ft.Text(t("ui_authority.title"), size=18,
                                                             weight=ft.FontWeight.W_500), _status(ui)]
    if role is Role.BUREAU:
        cards, on_request = bureau_cards(ui)
        return [*parts, _chooser(ui, True, on_request), *cards]
    install = section_card("enroll-install", t("ui_authority.install_title"), t("ui_authority.install_explain"),
                           [_chooser(ui, False, None)])
    if role is Role.UNIT:
        return [*parts, install]
    return [*parts, _request(ui), install, _bureau_init(ui)]
