"""Start a re-check (回头看): the unit (searchable, with how many hazards await), inspectors, date, kind.

`/recheck?unit=U01` comes with the unit chosen (from the new-inspection screen). Choosing a unit
lists the hazards the re-check will cover, and any unfinished re-check of it to continue instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import flet as ft

from app.domain.errors import AppError
from app.domain.model import Hazard, InspectionKind
from app.domain.permissions import Action
from app.services.queries import get_area
from app.services.rechecks import (
    RECHECK_KINDS,
    candidate_counts,
    open_rechecks,
    recheck_candidates,
    recheck_items,
    recheck_progress,
    start_recheck,
)
from app.ui import routes
from app.ui.screens.new_inspection import MAX_SHOWN, begin_visit, checked_visit, date_field, inspectors_field
from app.ui.session import UiSession
from app.ui.widgets.authority_gate import missing_line
from app.ui.widgets.common import MIN_TOUCH, action_button, heading, hook, segment_label, split_names


def when(ui: UiSession, moment: dt.datetime) -> str:
    """A moment as a local date and time in the campaign's zone (what the inspector's watch said)."""
    return moment.astimezone(ZoneInfo(ui.catalog.campaign.timezone)).strftime("%Y-%m-%d %H:%M")


def area_name(ui: UiSession, hazard: Hazard) -> str:
    """Where the hazard was found ("" when its area is not on this device)."""
    try:
        return get_area(ui.ctx, hazard.inspection_id, hazard.area_id).name
    except AppError:   # an area not on this device (e.g. a bureau record): the hazard still shows
        return ""


def _candidate_tile(ui: UiSession, n: int, hazard: Hazard) -> ft.Control:
    t = ui.t
    fix = hazard.rectification
    line = t("ui_recheck.candidate_line", area=area_name(ui, hazard), deadline=hazard.deadline.isoformat(),
             by=fix.by if fix else "—", at=when(ui, fix.at) if fix else "—")
    return hook(f"candidate-{n}", ft.Container(ft.Column([
        ft.Text(f"{n + 1}. {hazard.description}", size=15, weight=ft.FontWeight.W_500),
        ft.Text(line, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
    ], spacing=2), padding=ft.Padding.symmetric(horizontal=12, vertical=8), border_radius=8,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW), label=hazard.description)


@dataclass
class _UnitChoice:
    """The unit chosen and the controls that show it: what the search, the list of hazards the re-check
    will cover and the start button share."""

    chosen: str | None
    counts: dict[str, int]              # hazards awaiting a re-check, by unit
    search: ft.TextField
    selected: ft.Text
    matches: ft.Column
    covered: ft.Column


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    choice = _unit_choice(ui)
    no_spot = missing_line(ui, Action.SPOT_CHECK, None, "missing-spot-check")   # 抽查 is the bureau's
    kind = ft.SegmentedButton(
        selected=[InspectionKind.FOLLOW_UP.value],
        segments=[ft.Segment(value=k.value, label=segment_label(t(f"inspection_kind.{k.value}")))
                  for k in RECHECK_KINDS if not (k is InspectionKind.SPOT_CHECK and no_spot is not None)],
    )
    inspectors = inspectors_field(ui)
    date, date_row = date_field(ui)
    return ft.Column(
        [
            heading(t("ui_recheck.start_title"), ident="screen-start-recheck"),
            ft.Text(t("ui_recheck.intro"), size=14, color=ft.Colors.ON_SURFACE_VARIANT),
            hook("unit-search", choice.search),
            hook("unit-selected", choice.selected),
            ft.Container(choice.matches, border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT), border_radius=8),
            choice.covered,
            ft.Text(t("ui_recheck.kind"), size=16),
            hook("kind", kind),
            no_spot or ft.Text(t("ui_recheck.spot_hint"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            hook("inspectors", inspectors),
            date_row,
            _start_button(ui, choice, kind, inspectors, date),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )


def _unit_choice(ui: UiSession) -> _UnitChoice:
    """The searchable unit list, with the unit from `?unit=` chosen when it is one of the catalog's."""
    preset = routes.query(ui.page.route).get("unit")
    choice = _UnitChoice(
        chosen=preset if ui.catalog.units.get(preset or "") else None, counts=candidate_counts(ui.ctx),
        search=ft.TextField(label=ui.t("ui_new.unit_search"), prefix_icon=ft.Icons.SEARCH, width=ui.field_width),
        selected=ft.Text(ui.t("ui_new.no_unit"), size=16, weight=ft.FontWeight.W_500),
        matches=ft.Column(spacing=0), covered=ft.Column(spacing=6),
    )
    choice.search.on_change = lambda _e: _show_matches(ui, choice)
    _show_matches(ui, choice)
    _show_covered(ui, choice)
    return choice


def _pick(ui: UiSession, choice: _UnitChoice, code: str) -> None:
    choice.chosen = code
    _show_matches(ui, choice)
    _show_covered(ui, choice)


def _awaiting(ui: UiSession, choice: _UnitChoice, code: str) -> str:
    count = choice.counts.get(code, 0)
    return ui.t("ui_recheck.awaiting", count=count) if count else ui.t("ui_recheck.none_awaiting")


def _show_matches(ui: UiSession, choice: _UnitChoice) -> None:
    t, lang, counts = ui.t, ui.lang, choice.counts
    units = ui.catalog.units.units
    query = (choice.search.value or "").strip().lower()
    if query:
        found = [u for u in units if query in u.name_zh.lower() or query in u.name_en.lower()
                 or query in u.code.lower()]
    else:   # nothing typed: the units with hazards awaiting a re-check, most first
        found = sorted((u for u in units if counts.get(u.code)), key=lambda u: -counts[u.code])
    found.sort(key=lambda u: u.code != choice.chosen)   # the chosen unit stays in sight
    choice.matches.controls = [
        hook(f"unit-{u.code}", ft.ListTile(
            title=ft.Text(u.name(lang), size=15),
            subtitle=ft.Text(f"{u.code}　{_awaiting(ui, choice, u.code)}", size=12,
                             color=ft.Colors.RED_800 if counts.get(u.code) else None),
            min_height=MIN_TOUCH, selected=u.code == choice.chosen, dense=True,
            leading=ft.Icon(ft.Icons.CHECK_CIRCLE if u.code == choice.chosen else ft.Icons.LOCAL_HOSPITAL),
            on_click=lambda _e, code=u.code: _pick(ui, choice, code),
        ), label=f"{u.name(lang)} {_awaiting(ui, choice, u.code)}")
        for u in found[:MAX_SHOWN]
    ] or [ft.Text(t("ui_new.no_match") if query else t("ui_recheck.no_units_awaiting"), size=14)]
    if len(found) > MAX_SHOWN:
        choice.matches.controls.append(ft.Text(t("ui_new.more_matches", count=len(found) - MAX_SHOWN), size=13))


def _show_covered(ui: UiSession, choice: _UnitChoice) -> None:
    """The chosen unit's unfinished re-checks (to continue instead) and the hazards this one will cover."""
    t, code = ui.t, choice.chosen
    if code is None:
        choice.covered.controls = []
        return
    choice.selected.value = t("ui_new.unit_chosen", unit=ui.unit_name(code))
    choice.selected.color = None
    controls: list[ft.Control] = []
    for n, draft in enumerate(open_rechecks(ui.ctx, code)[:3]):
        progress = recheck_progress(recheck_items(ui.ctx, draft.id))
        text = t("ui_recheck.open_draft", date=draft.date.isoformat(), decided=progress.decided,
                 total=progress.total)
        controls.append(action_button(text, ft.Icons.RESTORE, lambda _e, i=draft.id: ui.navigate(routes.recheck(i)),
                                      f"continue-{n}", filled=False))
    hazards = recheck_candidates(ui.ctx, code)
    if hazards:
        controls.append(hook("candidates-title", ft.Text(
            t("ui_recheck.candidates", unit=ui.unit_name(code), count=len(hazards)), size=16,
            weight=ft.FontWeight.W_500)))
        controls += [_candidate_tile(ui, n, h) for n, h in enumerate(hazards)]
    else:
        controls.append(hook("no-candidates", ft.Text(t("ui_recheck.no_candidates"), size=15,
                                                      color=ft.Colors.DEEP_ORANGE_800)))
    choice.covered.controls = controls


def _start_button(ui: UiSession, choice: _UnitChoice, kind: ft.SegmentedButton, inspectors: ft.TextField,
                  date: ft.TextField) -> ft.Control:
    """Start: the date and the unit are checked here (said on screen), the rest by the service."""
    t = ui.t

    async def start(_e) -> None:
        day = checked_visit(ui, date, choice.chosen, choice.selected)
        if day is None or choice.chosen is None:
            return
        names = split_names(inspectors.value or "")
        unit = choice.chosen
        await begin_visit(ui, names, routes.recheck,
                          lambda: start_recheck(ui.ctx, unit, names, day, InspectionKind(kind.selected[0])))

    return action_button(t("ui_recheck.start"), ft.Icons.PLAY_ARROW, start, "start-recheck")
