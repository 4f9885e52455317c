"""Settings: the language (this session) and this device's settings, which are kept in the data
directory (app/services/settings.py): inspector profile, notice number prefix, PIN lock; the data
directory and the version, read-only.

A refused value shows its reason under the field it came from and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app import __version__
from app.domain.errors import AppError
from app.i18n import LANGS, describe_error
from app.services import settings
from app.services.notices import next_number
from app.ui.session import Outcome, UiSession
from app.ui.widgets.common import action_button, heading, hook
from app.ui.widgets.enrollment import prefix_by_certificate
from app.ui.widgets.enrollment import section as enrollment_section

LANG_NAMES = {"zh-CN": "中文", "en": "English"}


def _size(n: float) -> str:
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
    return ft.Column(
        [
            heading(t("ui_settings.title"), ident="screen-settings"),
            ft.Text(t("app.language"), size=18, weight=ft.FontWeight.W_500),
            _language(ui),
            *_section(t("ui_device.inspector_title"), t("ui_device.inspector_explain")),
            *_inspector(ui, current),
            *_section(t("ui_device.prefix_title"), t("ui_device.prefix_explain")),
            *(prefix_by_certificate(ui)   # enrolled: the certificate's prefix and block number notices
              or _prefix(ui, current)),
            *_section(t("ui_device.pin_title"), t("ui_device.pin_explain")),
            *_pin_lock(ui, current),
            *enrollment_section(ui),   # 设备登记: the trust model, joining the campaign (app/ui/enrollment.py)
            *_section(t("ui_device.data_title"), t("ui_device.data_explain")),
            hook("data-info", ft.Column(_data_lines(ui), spacing=4)),
            *_section(t("ui_device.about_title")),
            hook("app-version", ft.Text(t("ui_device.version", version=__version__), size=14)),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )


# ---- a refused value shows its reason under its field -------------------------------------------------

def _attempt(ui: UiSession, fields: dict[str, ft.TextField], work: Callable[..., Any], *args: Any) -> Outcome:
    """`ui.attempt`, except that a refusal about one of `fields` is said under that field."""
    try:
        return Outcome(True, work(*args))
    except AppError as error:   # not `ui.attempt`: the reason goes under its field, not only in the banner
        ui.refuse_under(error, fields)
        return Outcome(False)


async def _attempt_slow(ui: UiSession, fields: dict[str, ft.TextField], work: Callable[..., Any],
                        *args: Any) -> Outcome:
    """`_attempt` for scrypt and the store: off the event loop."""
    try:
        return Outcome(True, await ui.slow(work, *args))
    except AppError as error:   # as in `_attempt`: under its field
        ui.refuse_under(error, fields)
        return Outcome(False)


def _clear(*fields: ft.TextField) -> None:
    for field in fields:
        field.error = None


# ---- the sections ----------------------------------------------------------------------------------------

def _language(ui: UiSession) -> ft.Control:
    """This session only: the same screen is drawn again in the other language."""
    def switch(lang: str) -> None:
        ui.state.lang = lang
        ui.render()   # the same screen, now in the other language

    return ft.Row([
        hook(f"lang-{lang.split('-')[0]}", ft.Button(
            content=LANG_NAMES[lang], height=48, on_click=lambda _e, x=lang: switch(x),
            icon=ft.Icons.CHECK if ui.lang == lang else None,
        ))
        for lang in LANGS
    ], spacing=12, wrap=True)


def _inspector(ui: UiSession, current: settings.DeviceSettings) -> list[ft.Control]:
    t, width = ui.t, ui.field_width
    profile = current.inspector
    name = ft.TextField(label=t("ui_device.inspector_name"), value=profile.name or ui.state.actor,
                        hint_text=t("ui_settings.actor_hint"), width=width)
    phone = ft.TextField(label=t("ui_device.inspector_phone"), value=profile.phone, width=width,
                         keyboard_type=ft.KeyboardType.PHONE)
    title = ft.TextField(label=t("ui_device.inspector_role"), value=profile.title, width=width)

    def save_inspector(_e) -> None:
        _clear(name, phone, title)
        done = _attempt(ui, {"inspector": name, "phone": phone}, settings.set_inspector, ui.ctx, name.value or "",
                        phone.value or "", title.value or "")
        if not done:
            return
        ui.state.actor = done.value.inspector.name   # acts as this inspector from now on
        ui.info(t("ui_device.inspector_saved", name=done.value.inspector.name))

    return [hook("inspector-name", name), hook("inspector-phone", phone), hook("inspector-title", title),
            action_button(t("ui_device.save"), ft.Icons.SAVE, save_inspector, "save-inspector")]


def _prefix(ui: UiSession, current: settings.DeviceSettings) -> list[ft.Control]:
    t = ui.t
    prefix = ft.TextField(label=t("ui_device.prefix_label"), value=current.notice_prefix,
                          hint_text=t("ui_device.prefix_hint"), width=min(ui.field_width, 360), max_length=12)
    example = ft.Text(t("ui_device.prefix_example", example=next_number(ui.ctx, current.notice_prefix)), size=14)
    default_note = ft.Text(t("ui_device.prefix_default"), size=13, color=ft.Colors.ON_SURFACE_VARIANT,
                           visible=current.prefix_is_default)

    def save_prefix(_e) -> None:
        _clear(prefix)
        if not (done := _attempt(ui, {"notice_prefix": prefix}, settings.set_notice_prefix, ui.ctx,
                                 prefix.value or "")):
            return
        prefix.value = done.value.notice_prefix
        example.value = t("ui_device.prefix_example", example=next_number(ui.ctx, done.value.notice_prefix))
        default_note.visible = False
        ui.info(t("ui_device.prefix_saved", prefix=done.value.notice_prefix))

    return [hook("notice-prefix", prefix), hook("prefix-example", example), default_note,
            action_button(t("ui_device.save"), ft.Icons.SAVE, save_prefix, "save-prefix")]


def _pin_lock(ui: UiSession, current: settings.DeviceSettings) -> list[ft.Control]:
    t, width = ui.t, min(ui.field_width, 360)

    def pin_field(label: str) -> ft.TextField:
        return ft.TextField(label=t(label), password=True, can_reveal_password=True, max_length=8,
                            keyboard_type=ft.KeyboardType.NUMBER, width=width)

    old_pin, new_pin, again = pin_field("ui_device.pin_current"), pin_field("ui_device.pin_new"), \
        pin_field("ui_device.pin_confirm")
    pin_fields = {"old_pin": old_pin, "pin": new_pin}

    async def save_pin(_e) -> None:
        _clear(old_pin, new_pin, again)
        if (new_pin.value or "") != (again.value or ""):
            again.error = t.reason("pin_mismatch")
            ui.page.update()
            return
        was_set = settings.get_settings(ui.ctx).pin_set
        if not await _attempt_slow(ui, pin_fields, settings.set_pin, ui.ctx, new_pin.value or "",
                                   old_pin.value or None):
            return
        ui.render()
        ui.info(t("ui_device.pin_changed" if was_set else "ui_device.pin_saved"))

    async def remove_pin(_e) -> None:
        _clear(old_pin, new_pin, again)
        if not await _attempt_slow(ui, pin_fields, settings.remove_pin, ui.ctx, old_pin.value or ""):
            return
        ui.render()
        ui.info(t("ui_device.pin_removed"))

    status = hook("pin-status", ft.Text(t("ui_device.pin_on" if current.pin_set else "ui_device.pin_off"),
                                        size=16, weight=ft.FontWeight.W_500,
                                        color=ft.Colors.GREEN_800 if current.pin_set else ft.Colors.ON_SURFACE_VARIANT))
    if not current.pin_set:
        return [status, hook("pin-new", new_pin), hook("pin-again", again),
                action_button(t("ui_device.pin_set"), ft.Icons.LOCK, save_pin, "set-pin")]
    return [
        status, hook("pin-old", old_pin), hook("pin-new", new_pin), hook("pin-again", again),
        ft.Row([action_button(t("ui_device.pin_change"), ft.Icons.PASSWORD, save_pin, "change-pin"),
                action_button(t("ui_device.pin_remove"), ft.Icons.LOCK_OPEN, remove_pin, "remove-pin",
                              filled=False)], wrap=True, spacing=12, run_spacing=12),
        *_idle(ui, current, width),
    ]


def _idle(ui: UiSession, current: settings.DeviceSettings, width: float) -> list[ft.Control]:
    """Minutes without a touch before the PIN lock closes the app; and locking it now."""
    t = ui.t
    idle = ft.TextField(label=t("ui_device.idle_label"), value=str(current.idle_minutes), width=width,
                        keyboard_type=ft.KeyboardType.NUMBER)

    def save_idle(_e) -> None:
        _clear(idle)
        if done := _attempt(ui, {"idle_minutes": idle}, settings.set_idle_minutes, ui.ctx, idle.value or ""):
            ui.info(t("ui_device.idle_saved", minutes=done.value.idle_minutes))

    return [
        hook("idle-minutes", idle),
        ft.Row([action_button(t("ui_device.save"), ft.Icons.TIMER_OUTLINED, save_idle, "save-idle"),
                action_button(t("ui_device.lock_now"), ft.Icons.LOCK, lambda _e: ui.lock_now(), "lock-now",
                              filled=False)], wrap=True, spacing=12, run_spacing=12),
    ]


def _data_lines(ui: UiSession) -> list[ft.Control]:
    """The data directory, its free space and what it holds (read-only)."""
    t = ui.t
    try:
        info = settings.data_info(ui.ctx)
    except AppError as error:   # not `ui.attempt`: said in place of the figures, not in the banner
        return [ft.Text(describe_error(error, ui.lang), color=ft.Colors.RED_800)]
    return [
        ft.Text(t("ui_device.data_path", path=info.path), size=14, selectable=True),
        ft.Text(t("ui_device.data_free", size=_size(info.free_bytes)), size=14),
        ft.Text(t("ui_device.data_counts", inspections=info.inspections, hazards=info.hazards,
                  notices=info.notices), size=14),
    ]
