"""New inspection: unit (searchable), kind, inspectors, date → a draft, then its areas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from app.domain.model import Inspection, InspectionKind
from app.domain.permissions import Action
from app.domain.units import Unit
from app.services.inspections import start_inspection
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.authority_gate import may, missing_line
from app.ui.widgets.checklist_changes import checklist_changes
from app.ui.widgets.common import MIN_TOUCH, action_button, heading, hook, parse_day, segment_label, split_names

MAX_SHOWN = 8   # matching units listed under the search box


def date_field(ui: UiSession) -> tuple[ft.TextField, ft.Control]:
    """The inspection date (today by default, never later) typed or picked from a calendar: field, row."""
    t = ui.t
    date = ft.TextField(label=t("ui_new.date"), value=ui.ctx.today().isoformat(), hint_text="YYYY-MM-DD",
                        width=240)

    def picked_day(e: ft.Event) -> None:
        if e.control.value:
            date.value = e.control.value.date().isoformat() if isinstance(e.control.value, dt.datetime) \
                else str(e.control.value)
            date.error = None

    def open_calendar(_e) -> None:
        today = ui.ctx.today()
        ui.page.show_dialog(ft.DatePicker(
            value=parse_day(date.value) or today, first_date=dt.date(today.year - 1, 1, 1), last_date=today,
            on_change=picked_day,
        ))

    row = ft.Row([hook("date", date), hook("date-calendar", ft.IconButton(
        ft.Icons.CALENDAR_MONTH, on_click=open_calendar, tooltip=t("ui_new.calendar")))])
    return date, row


async def begin_visit(ui: UiSession, names: list[str], route: Callable[[str], str],
                      create: Callable[[], Inspection]) -> None:
    """Start a visit through its service, act as its first inspector, and go to its first screen.

    Shared by a new inspection and a re-check: a refusal shows in the banner and nothing is stored.
    """
    if not (made := ui.attempt(create)):
        return
    if not ui.state.actor and names:
        ui.state.actor = names[0]   # the first inspector named is who this tablet acts as
    await ui.go(route(made.value.id))


def inspectors_field(ui: UiSession) -> ft.TextField:
    """Who inspects, comma separated; this tablet's inspector by default (shared with a re-check)."""
    return ft.TextField(label=ui.t("ui_new.inspectors"), hint_text=ui.t("ui_new.inspectors_hint"),
                        value=ui.state.actor, width=ui.field_width)


@dataclass
class _UnitChoice:
    """The units offered, the one chosen and the controls showing the choice: what the search, the
    kind and the start button share."""

    units: tuple[Unit, ...]
    chosen: str | None
    search: ft.TextField
    selected: ft.Text
    matches: ft.Column


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    # a unit's device inspects its own unit only: offer no other (the table's own-unit rule)
    units = tuple(u for u in ui.catalog.units.units if may(ui, Action.SELF_CHECK, u.code))
    choice = _unit_choice(ui, units)
    no_spot = missing_line(ui, Action.SPOT_CHECK, None, "missing-spot-check")   # 抽查 is the bureau's
    kind = _kind_picker(ui, choice, no_spot)
    inspectors = inspectors_field(ui)
    date, date_row = date_field(ui)
    return ft.Column(
        [
            heading(t("ui_new.title"), ident="screen-new"),
            checklist_changes(ui),
            hook("unit-search", choice.search),
            hook("unit-selected", choice.selected),
            ft.Container(choice.matches, border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT), border_radius=8),
            ft.Text(t("ui_new.kind"), size=16),
            hook("kind", kind),
            *([no_spot] if no_spot is not None else []),
            hook("inspectors", inspectors),
            date_row,
            _start_button(ui, choice, kind, inspectors, date),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )


def _unit_choice(ui: UiSession, units: tuple[Unit, ...]) -> _UnitChoice:
    """The searchable unit list; the only unit this device may inspect comes chosen already."""
    choice = _UnitChoice(
        units=units, chosen=units[0].code if len(units) == 1 else None,
        search=ft.TextField(label=ui.t("ui_new.unit_search"), prefix_icon=ft.Icons.SEARCH, width=ui.field_width),
        selected=ft.Text(ui.t("ui_new.no_unit"), size=16, weight=ft.FontWeight.W_500),
        matches=ft.Column(spacing=0),
    )
    choice.search.on_change = lambda _e: _show_matches(ui, choice)
    _show_matches(ui, choice)
    if choice.chosen:
        _pick(ui, choice, choice.chosen)
    return choice


def _pick(ui: UiSession, choice: _UnitChoice, code: str) -> None:
    choice.chosen = code
    choice.selected.value = ui.t("ui_new.unit_chosen", unit=ui.unit_name(code))
    choice.selected.color = None
    _show_matches(ui, choice)


def _show_matches(ui: UiSession, choice: _UnitChoice) -> None:
    t, lang = ui.t, ui.lang
    query = (choice.search.value or "").strip().lower()
    found = [u for u in choice.units if not query or query in u.name_zh.lower() or query in u.name_en.lower()
             or query in u.code.lower()]
    choice.matches.controls = [
        hook(f"unit-{u.code}", ft.ListTile(
            title=ft.Text(u.name(lang), size=15), subtitle=ft.Text(u.code, size=12), min_height=MIN_TOUCH,
            selected=u.code == choice.chosen, dense=True,
            leading=ft.Icon(ft.Icons.CHECK_CIRCLE if u.code == choice.chosen else ft.Icons.LOCAL_HOSPITAL),
            on_click=lambda _e, code=u.code: _pick(ui, choice, code),
        ), label=u.name(lang))
        for u in found[:MAX_SHOWN]
    ] or [ft.Text(t("ui_new.no_match"), size=14)]
    if len(found) > MAX_SHOWN:
        choice.matches.controls.append(ft.Text(t("ui_new.more_matches", count=len(found) - MAX_SHOWN), size=13))


def _kind_picker(ui: UiSession, choice: _UnitChoice, no_spot: ft.Control | None) -> ft.SegmentedButton:
    """The inspection's kind; 抽查 only where this device may spot-check."""

    def changed(_e) -> None:
        """回头看 has its own flow: the unit's rectified hazards, passed or failed one by one."""
        if kind.selected and kind.selected[0] == InspectionKind.FOLLOW_UP.value:
            ui.navigate(routes.start_recheck(choice.chosen))

    kind = ft.SegmentedButton(
        selected=[InspectionKind.SELF_CHECK.value],
        segments=[ft.Segment(value=k.value, label=segment_label(ui.t(f"inspection_kind.{k.value}")))
                  for k in InspectionKind if not (k is InspectionKind.SPOT_CHECK and no_spot is not None)],
        on_change=changed,
    )
    return kind


def checked_visit(ui: UiSession, date: ft.TextField, chosen: str | None, selected: ft.Text) -> dt.date | None:
    """The visit's day, or None; a bad date and a missing unit are each said where they were asked
    (the rest is checked by the service). Shared by New Inspection and Start Re-check."""
    day = parse_day(date.value or "")
    date.error = None if day else ui.t("ui_new.bad_date", value=date.value or "")
    selected.color = ft.Colors.RED_800 if chosen is None else None
    if chosen is None:
        selected.value = ui.t("ui_new.unit_required")
    if day is None or chosen is None:
        ui.page.update()
        return None
    return day


def _start_button(ui: UiSession, choice: _UnitChoice, kind: ft.SegmentedButton, inspectors: ft.TextField,
                  date: ft.TextField) -> ft.Control:
    """Start: the date and the unit are checked here (said on screen), the rest by the service."""
    t = ui.t

    async def start(_e) -> None:
        day = checked_visit(ui, date, choice.chosen, choice.selected)
        if day is None or choice.chosen is None:
            return
        names = split_names(inspectors.value or "")
        kind_chosen = InspectionKind(kind.selected[0])
        unit = choice.chosen
        await begin_visit(ui, names, routes.areas, lambda: start_inspection(ui.ctx, unit, kind_chosen, names, day))

    return action_button(t("ui_new.start"), ft.Icons.PLAY_ARROW, start, "start-inspection")
