"""Settings: the language (this session) and this device's settings, which are kept in the data
directory (app/services/settings.py): inspector profile, notice number prefix, PIN lock; the data
directory and the version, read-only.

A refused value shows its reason under the field it came from and changes nothing.
"""

from __future__ import annotations

import flet as ft

from app import __version__
from app.domain.errors import AppError, InvalidInput
from app.i18n import LANGS, describe_error
from app.services import settings
from app.services.notices import next_number

from .enrollment import prefix_by_certificate
from .enrollment import section as enrollment_section
from .session import UiSession
from .widgets import action_button, heading, hook

LANG_NAMES = {"zh-CN": "中文", "en": "English"}


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return f"{n} B"


def _section(title: str, explain: str | None = None) -> list[ft.Control]:
    parts: list[ft.Control] = [ft.Divider(height=8), ft.Text(title, size=18, weight=ft.FontWeight.W_500)]
    if explain:
        parts.append(ft.Text(explain, size=13, color=ft.Colors.ON_SURFACE_VARIANT))
    return parts


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    current = settings.get_settings(ui.ctx)
    width = ui.field_width

    def refused(error: AppError, fields: dict[str, ft.TextField]) -> None:
        """Show the reason under the field it is about (else in the banner)."""
        field = fields.get(error.field) if isinstance(error, InvalidInput) else None
        if field is None:
            ui.error(error)
            return
        field.error = t.reason(error.reason, **error.detail)
        ui.page.update()

    def clear(*fields: ft.TextField) -> None:
        for field in fields:
            field.error = None

    # ---- language (this session only) -----------------------------------------------------------
    def switch(lang: str) -> None:
        ui.state.lang = lang
        ui.render()   # the same screen, now in the other language

    language = ft.Row([
        hook(f"lang-{lang.split('-')[0]}", ft.Button(
            content=LANG_NAMES[lang], height=48, on_click=lambda _e, x=lang: switch(x),
            icon=ft.Icons.CHECK if ui.lang == lang else None,
        ))
        for lang in LANGS
    ], spacing=12, wrap=True)

    # ---- inspector profile ------------------------------------------------------------------------
    profile = current.inspector
    name = ft.TextField(label=t("ui_device.inspector_name"), value=profile.name or ui.state.actor,
                        hint_text=t("ui_settings.actor_hint"), width=width)
    phone = ft.TextField(label=t("ui_device.inspector_phone"), value=profile.phone, width=width,
                         keyboard_type=ft.KeyboardType.PHONE)
    title = ft.TextField(label=t("ui_device.inspector_role"), value=profile.title, width=width)

    def save_inspector(_e) -> None:
        clear(name, phone, title)
        try:
            saved = settings.set_inspector(ui.ctx, name.value or "", phone.value or "", title.value or "")
        except AppError as error:
            refused(error, {"inspector": name, "phone": phone})
            return
        ui.state.actor = saved.inspector.name   # acts as this inspector from now on
        ui.info(t("ui_device.inspector_saved", name=saved.inspector.name))

    # ---- notice prefix ----------------------------------------------------------------------------
    prefix = ft.TextField(label=t("ui_device.prefix_label"), value=current.notice_prefix,
                          hint_text=t("ui_device.prefix_hint"), width=min(width, 360), max_length=12)
    example = ft.Text(t("ui_device.prefix_example", example=next_number(ui.ctx, current.notice_prefix)), size=14)
    default_note = ft.Text(t("ui_device.prefix_default"), size=13, color=ft.Colors.ON_SURFACE_VARIANT,
                           visible=current.prefix_is_default)

    def save_prefix(_e) -> None:
        clear(prefix)
        try:
            saved = settings.set_notice_prefix(ui.ctx, prefix.value or "")
        except AppError as error:
            refused(error, {"notice_prefix": prefix})
            return
        prefix.value = saved.notice_prefix
        example.value = t("ui_device.prefix_example", example=next_number(ui.ctx, saved.notice_prefix))
        default_note.visible = False
        ui.info(t("ui_device.prefix_saved", prefix=saved.notice_prefix))

    # ---- PIN lock -------------------------------------------------------------------------------------
    def pin_field(label: str) -> ft.TextField:
        return ft.TextField(label=t(label), password=True, can_reveal_password=True, max_length=8,
                            keyboard_type=ft.KeyboardType.NUMBER, width=min(width, 360))

    old_pin, new_pin, again = pin_field("ui_device.pin_current"), pin_field("ui_device.pin_new"), \
        pin_field("ui_device.pin_confirm")
    pin_fields = {"old_pin": old_pin, "pin": new_pin}
    idle = ft.TextField(label=t("ui_device.idle_label"), value=str(current.idle_minutes), width=min(width, 360),
                        keyboard_type=ft.KeyboardType.NUMBER)

    async def save_pin(_e) -> None:
        clear(old_pin, new_pin, again)
        if (new_pin.value or "") != (again.value or ""):
            again.error = t.reason("pin_mismatch")
            ui.page.update()
            return
        was_set = settings.get_settings(ui.ctx).pin_set
        try:   # scrypt and the store: off the event loop
            await ui.slow(settings.set_pin, ui.ctx, new_pin.value or "", old_pin.value or None)
        except AppError as error:
            refused(error, pin_fields)
            return
        ui.render()
        ui.info(t("ui_device.pin_changed" if was_set else "ui_device.pin_saved"))

    async def remove_pin(_e) -> None:
        clear(old_pin, new_pin, again)
        try:
            await ui.slow(settings.remove_pin, ui.ctx, old_pin.value or "")
        except AppError as error:
            refused(error, pin_fields)
            return
        ui.render()
        ui.info(t("ui_device.pin_removed"))

    def save_idle(_e) -> None:
        clear(idle)
        try:
            saved = settings.set_idle_minutes(ui.ctx, idle.value or "")
        except AppError as error:
            refused(error, {"idle_minutes": idle})
            return
        ui.info(t("ui_device.idle_saved", minutes=saved.idle_minutes))

    status = hook("pin-status", ft.Text(t("ui_device.pin_on" if current.pin_set else "ui_device.pin_off"),
                                        size=16, weight=ft.FontWeight.W_500,
                                        color=ft.Colors.GREEN_800 if current.pin_set else ft.Colors.ON_SURFACE_VARIANT))
    if current.pin_set:
        pin_controls: list[ft.Control] = [
            status, hook("pin-old", old_pin), hook("pin-new", new_pin), hook("pin-again", again),
            ft.Row([action_button(t("ui_device.pin_change"), ft.Icons.PASSWORD, save_pin, "change-pin"),
                    action_button(t("ui_device.pin_remove"), ft.Icons.LOCK_OPEN, remove_pin, "remove-pin",
                                  filled=False)], wrap=True, spacing=12, run_spacing=12),
            hook("idle-minutes", idle),
            ft.Row([action_button(t("ui_device.save"), ft.Icons.TIMER_OUTLINED, save_idle, "save-idle"),
                    action_button(t("ui_device.lock_now"), ft.Icons.LOCK, lambda _e: ui.lock_now(), "lock-now",
                                  filled=False)], wrap=True, spacing=12, run_spacing=12),
        ]
    else:
        pin_controls = [status, hook("pin-new", new_pin), hook("pin-again", again),
                        action_button(t("ui_device.pin_set"), ft.Icons.LOCK, save_pin, "set-pin")]

    # ---- data directory and version (read-only) -----------------------------------------------------
    try:
        info = settings.data_info(ui.ctx)
        data_lines = [
            ft.Text(t("ui_device.data_path", path=info.path), size=14, selectable=True),
            ft.Text(t("ui_device.data_free", size=_size(info.free_bytes)), size=14),
            ft.Text(t("ui_device.data_counts", inspections=info.inspections, hazards=info.hazards,
                      notices=info.notices), size=14),
        ]
    except AppError as error:
        data_lines = [ft.Text(describe_error(error, ui.lang), color=ft.Colors.RED_800)]

    return ft.Column(
        [
            heading(t("ui_settings.title"), ident="screen-settings"),
            ft.Text(t("app.language"), size=18, weight=ft.FontWeight.W_500),
            language,
            *_section(t("ui_device.inspector_title"), t("ui_device.inspector_explain")),
            hook("inspector-name", name), hook("inspector-phone", phone), hook("inspector-title", title),
            action_button(t("ui_device.save"), ft.Icons.SAVE, save_inspector, "save-inspector"),
            *_section(t("ui_device.prefix_title"), t("ui_device.prefix_explain")),
            *(prefix_by_certificate(ui) or [   # enrolled: the certificate's prefix and block number notices
                hook("notice-prefix", prefix), hook("prefix-example", example), default_note,
                action_button(t("ui_device.save"), ft.Icons.SAVE, save_prefix, "save-prefix")]),
            *_section(t("ui_device.pin_title"), t("ui_device.pin_explain")),
            *pin_controls,
            *enrollment_section(ui),   # 设备登记: the trust model, joining the campaign (app/ui/enrollment.py)
            *_section(t("ui_device.data_title"), t("ui_device.data_explain")),
            hook("data-info", ft.Column(data_lines, spacing=4)),
            *_section(t("ui_device.about_title")),
            hook("app-version", ft.Text(t("ui_device.version", version=__version__), size=14)),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )
