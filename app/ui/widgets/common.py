"""Small shared pieces: stable test hooks, headings, big buttons, progress, input parsing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeAlias

import flet as ft

from app.i18n import Translator

__all__ = [
    "hook", "heading", "segment_label", "big_button", "action_button", "bare_action_button", "inner_button",
    "progress_block", "parse_day", "split_names",
    "severity_colour", "VERDICT_COLOURS", "MIN_TOUCH", "section_card", "whole", "names_line",
    "InputField", "say_under",
]

MIN_TOUCH = 48   # px: the smallest thing a gloved finger should have to hit

VERDICT_COLOURS = {
    "pass": ft.Colors.GREEN_700,
    "fail": ft.Colors.RED_700,
    "not_applicable": ft.Colors.BLUE_GREY_500,
}


def hook(identifier: str, control: ft.Control, label: str | None = None) -> ft.Semantics:
    """A stable handle for tests and assistive tech: `[flt-semantics-identifier=...]` in the DOM.

    The wrapper takes over the control's `expand`: a Row or Column only looks at its own children.
    """
    return ft.Semantics(identifier=identifier, label=label, content=control, expand=control.expand)


InputField: TypeAlias = ft.TextField | ft.Dropdown   # the inputs a refusal can be said under


def say_under(field: InputField, message: str | None) -> None:
    """Show `message` under an input (`None` clears it). Flet 1.0.5 names the slot `error` on a
    TextField but `error_text` on a Dropdown, where `error` is a plain attribute the client never sees."""
    if isinstance(field, ft.Dropdown):
        field.error_text = message
    else:
        field.error = message


def heading(text: str, size: int = 24, ident: str | None = None) -> ft.Control:
    title = ft.Text(text, size=size, weight=ft.FontWeight.BOLD)
    return hook(ident, title) if ident else title


def big_button(label: str, icon: ft.IconData, colour: str, on_click: Callable[..., Any] | None, ident: str,
               selected: bool = False, height: int = 72, width: float | None = None) -> ft.Control:
    """A verdict-sized button: filled when selected, outlined otherwise; never under 48 px."""
    style = ft.ButtonStyle(
        bgcolor=colour if selected else ft.Colors.SURFACE,
        color=ft.Colors.WHITE if selected else colour,
        side=ft.BorderSide(2, colour),
        shape=ft.RoundedRectangleBorder(radius=12),
        icon_size=28,
    )
    # the label as a Text, not a style's text_style: a TextStyle without our font family draws tofu
    button = ft.Button(content=ft.Text(label, size=20, weight=ft.FontWeight.BOLD), icon=icon, on_click=on_click,
                       style=style, height=max(height, MIN_TOUCH), expand=width is None, width=width)
    return hook(ident, button)


def action_button(label: str, icon: ft.IconData | None, on_click: Callable[..., Any] | None, ident: str,
                  filled: bool = True, **kwargs: Any) -> ft.Control:
    return hook(ident, bare_action_button(label, icon, on_click, filled, **kwargs))


def inner_button(control: ft.Control) -> ft.FilledButton | ft.OutlinedButton:
    """The button an `action_button` wraps, typed: to disable it while it works or set its handler."""
    button = control.content if isinstance(control, ft.Semantics) else None
    if not isinstance(button, (ft.FilledButton, ft.OutlinedButton)):
        raise TypeError("not an action_button")
    return button


def bare_action_button(label: str, icon: ft.IconData | None, on_click: Callable[..., Any] | None,
                       filled: bool = True, **kwargs: Any) -> ft.FilledButton | ft.OutlinedButton:
    """The button `action_button` hooks, for a screen that keeps it (to disable it while it works)."""
    if filled:
        return ft.FilledButton(content=label, icon=icon, on_click=on_click, height=MIN_TOUCH, **kwargs)
    return ft.OutlinedButton(content=label, icon=icon, on_click=on_click, height=MIN_TOUCH, **kwargs)


def segment_label(text: str, size: int = 16) -> ft.Control:
    """A segmented button's label with a fixed width.

    A SegmentedButton keeps the widths it measured on its first layout; if that happened before
    the CJK font arrived (a client without our font manifest, see `web_assets`), its labels
    would wrap one glyph to a line for good.
    """
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)
    width = (wide * 1.1 + (len(text) - wide) * 0.62) * size + 4
    return ft.Container(ft.Text(text, size=size, no_wrap=True), width=width, alignment=ft.Alignment.CENTER)


def progress_block(t: Translator, answered: int, total: int, failed: int, ident: str | None = None) -> ft.Control:
    text = t("ui_common.progress", answered=answered, total=total, failed=failed)
    block = ft.Column(
        [ft.Text(text, size=14), ft.ProgressBar(value=answered / total if total else 0, bar_height=8,
                                                border_radius=4)],
        spacing=4,
    )
    return hook(ident, block, label=text) if ident else block


_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_day(text: str) -> dt.date | None:
    """YYYY-MM-DD → date; None for anything else (including 2026-02-30)."""
    match = _DAY.match(text or "")
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def split_names(text: str) -> list[str]:
    """Inspectors typed as "王喆、李秀兰" or "Wang Zhe, Li Xiulan" → names, blanks dropped."""
    return [name.strip() for name in re.split(r"[,，、;；\n]", text or "") if name.strip()]


WORD_JOINER = "\u2060"   # invisible; forbids a line break between the characters it joins


def whole(text: str, limit: int = 12) -> str:
    """`text` that a line never breaks inside: Chinese wraps between any two characters, and a
    narrow phone broke names ("李秀/兰") and short words ("抽/查")."""
    return WORD_JOINER.join(text) if len(text) <= limit else text   # a long text must still wrap


def names_line(names: tuple[str, ...] | list[str]) -> str:
    """People as "王喆、李秀兰", each name kept on one line."""
    return "、".join(whole(n) for n in names)


def severity_colour(major: bool) -> str:
    return ft.Colors.DEEP_ORANGE_800 if major else ft.Colors.BLUE_GREY_700


def section_card(ident: str, title: str, explain: str, body: list[ft.Control]) -> ft.Control:
    """A titled card with a line of explanation: one task per card (reports, sync)."""
    return hook(ident, ft.Container(
        ft.Column([ft.Text(title, size=18, weight=ft.FontWeight.W_500),
                   ft.Text(explain, size=13, color=ft.Colors.ON_SURFACE_VARIANT), *body], spacing=10),
        padding=16, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
    ), label=title)
