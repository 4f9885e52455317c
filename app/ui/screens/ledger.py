"""The hazard ledger (台账): filtered by unit, status, severity, flag, department, overdue and words.

By default it lists what needs action (not rectified or verified: `hazards.VIEWS["action"]`);
rectified and verified hazards are one choice away under Status. "Raised today" finds what was
just found; the search box looks in unit names too. Overdue first, then by deadline, 50 at a
time ("load more"). The filters live in the route's query
string (`/ledger?status=open&unit=U01`), so a reload, a bookmark or the back button keeps them;
changing one navigates to the new route and the screen is drawn again from it. Each row opens
the hazard (`/h/<id>`), carrying the ledger route to come back to.
"""

from __future__ import annotations

from urllib.parse import urlencode

import flet as ft

from app.domain import lifecycle
from app.domain.model import Flag, Hazard, HazardStatus, Severity
from app.services.hazards import VIEWS, ledger
from app.services.queries import hazard_departments
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, heading, hook, severity_colour, whole
from app.ui.widgets.unit_picker import unit_picker

__all__ = ["build", "PAGE_SIZE", "STATUS_COLOURS", "filters_of", "detail_route"]

PAGE_SIZE = 50
ANY = "*"   # a dropdown's "no filter" choice (an empty option key would fall back to its text)
STATUS_COLOURS = {
    HazardStatus.OPEN: ft.Colors.BLUE_800, HazardStatus.RECTIFYING: ft.Colors.INDIGO_700,
    HazardStatus.RECTIFIED: ft.Colors.TEAL_700, HazardStatus.VERIFIED: ft.Colors.GREEN_800,
    HazardStatus.REOPENED: ft.Colors.RED_800, HazardStatus.DEFERRED: ft.Colors.BROWN_600,
}
_CHOICES = {"status": {s.value for s in HazardStatus} | {"live", "all"}, "severity": {s.value for s in Severity},
            "flag": {f.value for f in Flag}, "overdue": {"1"}, "raised": {"today"}}
FILTER_KEYS = ("unit", "status", "severity", "flag", "department", "overdue", "raised", "text")


def filters_of(route: str, unit_codes: set[str]) -> dict[str, str]:
    """The ledger filters in `route`; an unknown value (a hand-edited link) is dropped, not an error."""
    found = {k: v.strip() for k, v in routes.query(route).items() if k in FILTER_KEYS and v.strip()}
    return {k: v for k, v in found.items()
            if (k not in _CHOICES or v in _CHOICES[k]) and (k != "unit" or v in unit_codes)}


def detail_route(hazard_id: str, back: str) -> str:
    """The hazard's route, remembering which (filtered) ledger to go back to."""
    return f"{routes.hazard_detail(hazard_id)}?{urlencode({'back': back})}"


def _row(ui: UiSession, n: int, hazard: Hazard, back: str) -> ft.Control:
    t = ui.t
    overdue = lifecycle.is_overdue(hazard, ui.ctx.today())
    status = t(f"status.{hazard.status.value}")
    flags = "、".join(t(f"error_term.{f.value}") for f in hazard.flags)
    marks = (t("hazard.overdue_mark") if overdue else "") + (
        f"【{t('severity.major')}】" if hazard.severity is Severity.MAJOR else "") + (
        t("ui_ledger2.flags_mark", flags=flags) if flags else "")
    line = t("ui_ledger.line", unit=ui.unit_name(hazard.unit), deadline=hazard.deadline.isoformat())
    if hazard.responsible:
        line += f"　{t('ui_hazard_detail.responsible')}：{whole(hazard.responsible)}"
    return hook(f"ledger-{n}", ft.Container(
        ft.Row([
            ft.Container(ft.Text(status, size=13, color=ft.Colors.WHITE), bgcolor=STATUS_COLOURS[hazard.status],
                         width=76 if ui.lang != "en" else 96, alignment=ft.Alignment.CENTER,
                         padding=ft.Padding.symmetric(vertical=4), border_radius=12),
            ft.Column([
                ft.Text(marks + hazard.description, size=15, weight=ft.FontWeight.W_500,
                        color=ft.Colors.RED_800 if overdue else severity_colour(False)),
                ft.Text(line, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            ], spacing=2, expand=True),
            ft.Icon(ft.Icons.CHEVRON_RIGHT, color=ft.Colors.ON_SURFACE_VARIANT),
        ], vertical_alignment=ft.CrossAxisAlignment.CENTER),
        padding=10, border_radius=8, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW, ink=True,
        on_click=lambda _e: ui.navigate(detail_route(hazard.id, back)),
    ), label=f"{status} {hazard.deadline.isoformat()} {hazard.description}")


def _dropdown(ui: UiSession, ident: str, label: str, value: str, options: list[tuple[str, str]],
              on_pick, **kwargs) -> ft.Control:
    kwargs.setdefault("width", ui.field_width if not ui.wide else 200)
    box = ft.Dropdown(
        label=label, value=value or ANY,
        options=[ft.DropdownOption(key=key, text=text) for key, text in options],
        on_select=lambda e: on_pick(e.control.value), menu_height=420, **kwargs,
    )
    return hook(ident, box)


def _filter_bar(ui: UiSession, filters: dict[str, str]) -> ft.Control:
    t = ui.t

    def apply(key: str, value: str | None) -> None:
        changed = {**filters, key: "" if value in (None, ANY) else value}
        ui.navigate(routes.ledger({k: changed[k] for k in FILTER_KEYS if changed.get(k)}))

    departments = hazard_departments(ui.ctx, filters.get("unit"))
    if filters.get("department") and filters["department"] not in departments:
        departments.append(filters["department"])
    search = ft.TextField(label=t("ui_day.search_label"), value=filters.get("text", ""), prefix_icon=ft.Icons.SEARCH,
                          width=ui.field_width - MIN_TOUCH - 4 if not ui.wide else 380,
                          on_submit=lambda e: apply("text", (e.control.value or "").strip()))
    overdue = ft.Checkbox(label=t("ui_ledger2.overdue_only"), value=filters.get("overdue") == "1",
                          on_change=lambda e: apply("overdue", "1" if e.control.value else ""))
    today = ft.Checkbox(label=t("ui_day.raised_today"), value=filters.get("raised") == "today",
                        on_change=lambda e: apply("raised", "today" if e.control.value else ""))
    views = [(ANY, t("ui_day.view_action")), ("live", t("ui_day.view_live")), ("all", t("ui_day.view_all"))]
    boxes = [
        unit_picker(ui, "filter-unit", filters.get("unit", ""), lambda v: apply("unit", v),
                    ui.field_width if not ui.wide else 380),
        _dropdown(ui, "filter-status", t("ui_ledger2.status"), filters.get("status", ""),
                  views + [(s.value, t(f"status.{s.value}")) for s in HazardStatus],
                  lambda v: apply("status", v), width=ui.field_width if not ui.wide else 300),
        _dropdown(ui, "filter-severity", t("ui_ledger2.severity"), filters.get("severity", ""),
                  [(ANY, t("ui_ledger2.any_severity"))] + [(s.value, t(f"severity.{s.value}")) for s in Severity],
                  lambda v: apply("severity", v)),
        _dropdown(ui, "filter-flag", t("ui_ledger2.flag"), filters.get("flag", ""),
                  [(ANY, t("ui_ledger2.any_flag"))] + [(f.value, t(f"error_term.{f.value}")) for f in Flag],
                  lambda v: apply("flag", v)),
        _dropdown(ui, "filter-department", t("ui_ledger2.department"), filters.get("department", ""),
                  [(ANY, t("ui_ledger2.any_department"))] + [(d, d) for d in departments],
                  lambda v: apply("department", v)),
        ft.Row([hook("filter-text", search), hook("filter-search", ft.IconButton(
            ft.Icons.ARROW_FORWARD, tooltip=t("ui_ledger2.search_go"), width=MIN_TOUCH, height=MIN_TOUCH,
            on_click=lambda _e: apply("text", (search.value or "").strip())))], spacing=4, tight=True),
        ft.Row([ft.Container(hook("filter-overdue", overdue), height=MIN_TOUCH),
                ft.Container(hook("filter-today", today), height=MIN_TOUCH)], spacing=16, tight=True),
    ]
    clear = hook("filter-clear", ft.TextButton(content=t("ui_ledger2.clear"), icon=ft.Icons.FILTER_ALT_OFF,
                                               height=MIN_TOUCH, on_click=lambda _e: ui.navigate(routes.ledger())))
    bar = ft.Row(boxes + ([clear] if filters and ui.wide else []), wrap=True, spacing=12, run_spacing=12)
    if ui.wide:
        return bar
    # a phone: the filters fold away so the list is what fills the screen
    title = t("ui_ledger2.filters_on", count=len(filters)) if filters else t("ui_ledger2.filters")
    folded = hook("filter-panel", ft.ExpansionTile(
        title=ft.Text(title, size=16), leading=ft.Icon(ft.Icons.FILTER_LIST), controls=[bar], expanded=False,
        min_tile_height=MIN_TOUCH, tile_padding=ft.Padding.symmetric(horizontal=4),
        controls_padding=ft.Padding.only(bottom=8),
    ))
    return ft.Column([folded, clear] if filters else [folded], spacing=4)


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    filters = filters_of(ui.page.route or "", {u.code for u in ui.catalog.units.units})
    back = routes.ledger(filters)
    shown = ft.Column(spacing=8)
    state = {"page": 0}
    total = ft.Text("", size=14)
    more_button = ft.OutlinedButton(content=t("ui_ledger.more"), height=MIN_TOUCH)
    more = hook("ledger-more", more_button)

    def load() -> None:
        status, severity, flag = filters.get("status"), filters.get("severity"), filters.get("flag")
        found = ledger(   # `filters_of` kept only known values: the enums take them as they are
            ui.ctx, unit=filters.get("unit"), status=None if status in VIEWS or not status else HazardStatus(status),
            view=status if status in VIEWS else "action", severity=Severity(severity) if severity else None,
            raised_on=ui.ctx.today() if filters.get("raised") == "today" else None,
            flag=Flag(flag) if flag else None, department=filters.get("department"),
            overdue=True if filters.get("overdue") else None, text=filters.get("text"),
            page=state["page"], page_size=PAGE_SIZE,
        )
        start = len(shown.controls)
        shown.controls += [_row(ui, start + n, h, back) for n, h in enumerate(found.items)]
        total.value = t("hazard.ledger_total", count=found.total) + (
            "　" + t("ui_ledger2.shown", shown=len(shown.controls), count=found.total)
            if found.total > len(shown.controls) else "")
        more.visible = len(shown.controls) < found.total   # the hook: an empty Semantics is an error

    def load_more(_e) -> None:
        state["page"] += 1
        load()

    more_button.on_click = load_more
    load()
    empty = [hook("ledger-empty", ft.Text(t("ui_ledger2.no_match" if filters else "ui_ledger.empty")))] \
        if not shown.controls else []
    return ft.Column(
        [heading(t("ui_ledger.title"), ident="screen-ledger"), _filter_bar(ui, filters),
         *([ft.Text(t("ui_day.view_hint"), size=13, color=ft.Colors.ON_SURFACE_VARIANT)]
           if not filters.get("status") else []),
         hook("ledger-total", total),
         *empty, shown, more],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True,
    )
