"""Campaign dashboard (/campaign): who is on time, who is late, whom a circular names; one unit's duties.

The figures come from `campaign_dashboard.dashboard` (the same data as `firesweep campaign` and
the circular). Below the table, one unit's duties can be acted on: a unit uploads evidence or
generates its monthly report and submits it; the bureau accepts or returns (with a reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import flet as ft

from app.domain.figures import percent_text
from app.domain.obligations import MONTHLY, ObligationStatus
from app.domain.permissions import Action
from app.services import departments as dept_service
from app.services.campaign_dashboard import Dashboard, UnitRow, dashboard
from app.services.obligations import (
    DutyState,
    EvidenceFile,
    accept_obligation,
    reminder_scope,
    return_obligation,
    submit_monthly_report,
    submit_obligation,
    unit_duties,
)
from app.services.responsibility import responsibility_letter_pdf
from app.ui.session import UiSession
from app.ui.widgets.authority_gate import missing_line
from app.ui.widgets.campaign_charts import STATUS_COLOURS, rate_bars, status_pie
from app.ui.widgets.common import MIN_TOUCH, action_button, heading, hook

EVIDENCE_TYPES = ["pdf", "jpg", "jpeg", "png", "heic", "webp"]


def _card(label: str, value: str, colour: str, ident: str) -> ft.Control:
    return hook(ident, ft.Container(
        ft.Column([ft.Text(value, size=26, weight=ft.FontWeight.BOLD, color=colour), ft.Text(label, size=14)],
                  horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=2),
        padding=12, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST, width=160,
    ), label=f"{label} {value}")


def _overall_rate(board: Dashboard) -> float | None:
    found = sum(u.found for u in board.units)
    return sum(u.rectified for u in board.units) / found if found else None


def _pct(value: float | None, none: str) -> str:
    return percent_text(value, none)     # the one rounding, as in every report


def _table(ui: UiSession, board: Dashboard, on_pick) -> ft.Control:
    """One row per unit; what decides a circular comes first, so a phone sees it without scrolling."""
    t = ui.t
    none = t("ui_campaign.none")
    keys = ("unit", "named", "late", "waiting", "rate", "overdue_major", "found", "rectified", "overdue", "listed",
            "spot")
    # `label=` by name: mypy reads Flet's kw-only `tooltip` as DataColumn's first positional field
    columns = [ft.DataColumn(label=ft.Text(t(f"ui_campaign.col_{k}"), size=13, weight=ft.FontWeight.W_500),
                             numeric=k not in ("unit", "spot", "named")) for k in keys]

    def cells(row: UnitRow) -> list[ft.DataCell]:
        late = row.count(ObligationStatus.LATE)
        values = [
            t("ui_campaign.named_yes") if row.named else "", str(late), str(row.count(ObligationStatus.SUBMITTED)),
            _pct(row.rectification_rate, none), str(row.overdue_major), str(row.found), str(row.rectified),
            str(row.overdue), str(row.listed), row.last_spot_check.isoformat() if row.last_spot_check else none,
        ]
        red = {0: row.named, 1: late, 4: row.overdue_major}
        name = ft.Text(f"{row.unit} {ui.unit_name(row.unit)}", size=13, max_lines=2,
                       overflow=ft.TextOverflow.ELLIPSIS, width=None if ui.wide else 120)
        return [ft.DataCell(name)] + [
            ft.DataCell(ft.Text(v, size=13, color=ft.Colors.RED_800 if red.get(n) else None,
                                weight=ft.FontWeight.BOLD if n == 0 else None))
            for n, v in enumerate(values)
        ]

    rows = [ft.DataRow(cells=cells(row), on_select_change=lambda _e, u=row.unit: on_pick(u)) for row in board.units]
    table = ft.DataTable(columns=columns, rows=rows, column_spacing=14, horizontal_margin=8, heading_row_height=44,
                         data_row_min_height=MIN_TOUCH, data_row_max_height=56, show_checkbox_column=False)
    return hook("campaign-table", ft.Row([table], scroll=ft.ScrollMode.AUTO))


def _duty_tile(ui: UiSession, n: int, state: DutyState, actions: list[ft.Control]) -> ft.Control:
    t = ui.t
    status = state.status
    lines = [t("ui_campaign.due", date=state.duty.due.isoformat())]
    record = state.record
    if record.submitted_at is not None:
        local = record.submitted_at.astimezone(ZoneInfo(ui.catalog.campaign.timezone))   # the campaign's day
        lines.append(t("ui_campaign.submitted_at", date=local.date().isoformat()))
    if state.submitted_late:
        lines.append(t("ui_campaign.submitted_late"))
    body: list[ft.Control] = [
        ft.Row([
            ft.Container(ft.Text(t(f"obligation_status.{status.value}"), size=13, color=ft.Colors.WHITE),
                         bgcolor=STATUS_COLOURS[status], padding=ft.Padding(8, 3, 8, 3), border_radius=8),
            ft.Text(state.duty.name(ui.lang), size=15, weight=ft.FontWeight.W_500, expand=True),
        ], spacing=8),
        ft.Text(" · ".join(lines), size=13),
    ]
    if record.return_reason and status in (ObligationStatus.RETURNED, ObligationStatus.LATE):
        body.append(ft.Text(t("ui_campaign.returned_because", reason=record.return_reason), size=13,
                            color=ft.Colors.AMBER_900))
    if record.evidence:
        body.append(ft.Text(t("ui_campaign.evidence", names="、".join(e.name for e in record.evidence)), size=13))
    if actions:
        body.append(ft.Row(actions, wrap=True, spacing=8, run_spacing=8))
    return hook(f"duty-{n}", ft.Container(ft.Column(body, spacing=6), padding=10, border_radius=10,
                                          bgcolor=ft.Colors.SURFACE_CONTAINER_LOW), label=state.duty.name(ui.lang))


@dataclass
class _UnitView:
    """What the screen's handlers share: the unit chosen, the duty a file chooser was opened
    for, and the controls they redraw. One object instead of a web of `nonlocal` closures."""

    chosen: str
    board_box: ft.Column
    unit_box: ft.Column
    busy: ft.Row
    target: str = ""                        # the duty whose evidence the file chooser was opened for
    dropdown: ft.Dropdown | None = None     # the unit chooser, kept in step when a table row is picked


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    board = dashboard(ui.ctx)
    scope = reminder_scope(ui.ctx)
    view = _UnitView(
        chosen=scope or (board.named[0].unit if board.named else board.units[0].unit),
        board_box=ft.Column(spacing=10), unit_box=ft.Column(spacing=10),
        busy=ft.Row([ft.ProgressRing(width=24, height=24, stroke_width=3), ft.Text(t("ui_campaign.working"))],
                    visible=False),
    )
    ui.on_picked = lambda files: _picked(ui, view, files)
    view.dropdown = _unit_dropdown(ui, view)
    _fill_board(ui, view, board)
    _fill_unit(ui, view)
    return hook("screen-campaign", ft.Column([
        heading(t("ui_campaign.title"), ident="campaign-title"),
        view.board_box,
        ft.Divider(),
        ft.Text(t("ui_campaign.unit_section"), size=18, weight=ft.FontWeight.W_500),
        ft.Semantics(identifier="campaign-unit", content=view.dropdown),
        view.busy,
        view.unit_box,
    ], spacing=10, scroll=ft.ScrollMode.AUTO, expand=True))


def _unit_dropdown(ui: UiSession, view: _UnitView) -> ft.Dropdown:
    return ft.Dropdown(
        label=ui.t("ui_campaign.choose_unit"), value=view.chosen, width=min(ui.field_width, 420),
        options=[ft.DropdownOption(key=u.code, text=f"{u.code} {u.name(ui.lang)}") for u in ui.catalog.units.units],
        on_select=lambda e: _pick(ui, view, e.control.value),
    )


def _pick(ui: UiSession, view: _UnitView, unit: str) -> None:
    view.chosen = unit
    if view.dropdown is not None:
        view.dropdown.value = unit
    _fill_unit(ui, view)
    ui.page.update()


def _fill_board(ui: UiSession, view: _UnitView, fresh: Dashboard | None = None) -> None:
    view.board_box.controls = _board(ui, fresh or dashboard(ui.ctx), lambda unit: _pick(ui, view, unit))


def _fill_unit(ui: UiSession, view: _UnitView) -> None:
    """The chosen unit's letter, its duties with what may be done about each, its departments."""
    t = ui.t
    states = unit_duties(ui.ctx, view.chosen)
    figures = dept_service.department_figures(ui.ctx, view.chosen)
    controls: list[ft.Control] = [
        ft.Row([action_button(t("ui_campaign.letter"), ft.Icons.PICTURE_AS_PDF,
                              lambda _e: ui.page.run_task(_download_letter, ui, view, None), "letter", filled=False)],
               wrap=True),
        *[_duty_tile(ui, n, s, _actions_for(ui, view, n, s)) for n, s in enumerate(states)],
    ]
    if figures:
        controls.append(ft.Text(t("ui_campaign.departments"), size=16, weight=ft.FontWeight.W_500))
        controls += [_department_row(ui, view, n, f) for n, f in enumerate(figures)]
    view.unit_box.controls = controls


def _department_row(ui: UiSession, view: _UnitView, n: int, figures: dept_service.DepartmentFigures) -> ft.Control:
    t = ui.t
    name = figures.department or t("ui_campaign.no_department")
    line = ft.Text(t("ui_campaign.department_line", department=name, found=figures.found,
                     rectified=figures.rectified, overdue=figures.overdue), size=14, expand=True)
    letter = ft.IconButton(ft.Icons.PICTURE_AS_PDF, tooltip=t("ui_campaign.letter_department", department=name),
                           on_click=lambda _e, d=figures.department: ui.page.run_task(_download_letter, ui, view, d),
                           disabled=not figures.department)
    return hook(f"department-{n}", ft.Row([line, letter]), label=name)


async def _download_letter(ui: UiSession, view: _UnitView, department: str | None) -> None:
    if not (pdf := await ui.attempt_slow(responsibility_letter_pdf, ui.ctx, view.chosen, department)):
        return
    name = f"responsibility-{view.chosen}{'-' + department if department else ''}.pdf"
    await ui.picker.save_file(dialog_title=ui.t("ui_campaign.letter"), file_name=name, src_bytes=pdf.value)


async def _act(ui: UiSession, view: _UnitView, work, *args, done: str) -> None:
    """Run one duty's service for the chosen unit behind the spinner; on success say so and redraw."""
    view.busy.visible = True
    ui.page.update()
    try:
        if outcome := await ui.attempt_slow(work, ui.ctx, view.chosen, *args):
            ui.info(ui.t(done, name=outcome.value.duty.name(ui.lang)))
            _fill_board(ui, view)   # the table and charts change too
            _fill_unit(ui, view)
    finally:
        view.busy.visible = False
        ui.page.update()


async def _picked(ui: UiSession, view: _UnitView, files: list[ft.FilePickerFile]) -> None:
    readable = [EvidenceFile(f.name, f.bytes) for f in files if f.bytes is not None]
    if view.target and readable:
        await _act(ui, view, submit_obligation, view.target, readable, done="ui_campaign.submitted_ok")


def _actions_for(ui: UiSession, view: _UnitView, n: int, state: DutyState) -> list[ft.Control]:
    status = state.status
    refused = missing_line(ui, Action.REVIEW_OBLIGATION if status is ObligationStatus.SUBMITTED
                           else Action.SUBMIT_OBLIGATION, view.chosen, f"missing-duty-{n}")
    if refused is not None and status is not ObligationStatus.ACCEPTED:
        return [refused]   # the bureau accepts or returns; a unit submits its own duties only
    if status is ObligationStatus.SUBMITTED:   # the bureau's decision; a return needs its reason
        return _review_actions(ui, view, n, state)
    if status is ObligationStatus.ACCEPTED:
        return []
    upload = _upload_button(ui, view, n, state)
    if state.duty.kind != MONTHLY or state.duty.period > ui.ctx.today().strftime("%Y-%m"):
        return [upload]
    year, month = (int(p) for p in state.duty.period.split("-"))
    return [action_button(ui.t("ui_campaign.monthly"), ft.Icons.SUMMARIZE,
                          lambda _e: ui.page.run_task(_act, ui, view, lambda ctx, unit: submit_monthly_report(
                              ctx, unit, year, month), done="ui_campaign.submitted_ok"),
                          f"monthly-{n}"), upload]


def _review_actions(ui: UiSession, view: _UnitView, n: int, state: DutyState) -> list[ft.Control]:
    """Accept, or give back with a reason (said on the field itself; the service refuses it too)."""
    t = ui.t
    reason = ft.TextField(label=t("ui_campaign.return_reason"), multiline=True, max_lines=3, dense=True,
                          width=min(ui.field_width, 420))

    def give_back(_e) -> None:
        if not (reason.value or "").strip():
            reason.error = t("ui_campaign.reason_required")
            ui.page.update()
            return
        ui.page.run_task(_act, ui, view, return_obligation, state.key, reason.value or "",
                         done="ui_campaign.returned_ok")

    return [
        action_button(t("ui_campaign.accept"), ft.Icons.CHECK,
                      lambda _e: ui.page.run_task(_act, ui, view, accept_obligation, state.key,
                                                  done="ui_campaign.accepted_ok"),
                      f"accept-{n}"),
        hook(f"return-reason-{n}", reason),
        action_button(t("ui_campaign.give_back"), ft.Icons.UNDO, give_back, f"return-{n}", filled=False),
    ]


def _upload_button(ui: UiSession, view: _UnitView, n: int, state: DutyState) -> ft.Control:
    """Evidence for one duty: the chooser opens from the button; `_picked` submits what comes back."""

    def aim(_e) -> None:
        view.target = state.key

    return hook(f"upload-{n}", ft.OutlinedButton(
        content=ui.t("ui_campaign.upload"), icon=ft.Icons.UPLOAD_FILE, height=MIN_TOUCH, on_click=aim,
        action=ft.PickFiles(ui.picker, file_type=ft.FilePickerFileType.CUSTOM, allowed_extensions=EVIDENCE_TYPES,
                            allow_multiple=True, with_data=True, dialog_title=ui.t("ui_campaign.upload"),
                            cancel_upload_on_window_blur=False),
    ))


def _board(ui: UiSession, board: Dashboard, on_pick) -> list[ft.Control]:
    """Cards, charts and the table: everything computed from the dashboard."""
    t = ui.t
    none = t("ui_campaign.none")
    return [
        ft.Text(t("ui_campaign.as_of", date=board.as_of.isoformat()), size=14),
        ft.Row([
            _card(t("ui_campaign.named"), str(len(board.named)), ft.Colors.RED_800, "campaign-named"),
            _card(t("ui_campaign.late"), str(board.totals().get(ObligationStatus.LATE, 0)), ft.Colors.RED_700,
                  "campaign-late"),
            _card(t("ui_campaign.waiting"), str(board.totals().get(ObligationStatus.SUBMITTED, 0)),
                  ft.Colors.BLUE_700, "campaign-waiting"),
            _card(t("ui_campaign.rate"), _pct(_overall_rate(board), none), ft.Colors.TEAL_700, "campaign-rate"),
        ], wrap=True, spacing=12, run_spacing=12),
        ft.Text(t("ui_campaign.status_chart"), size=16, weight=ft.FontWeight.W_500),
        hook("chart-status", status_pie(board, t)),
        ft.Text(t("ui_campaign.rate_chart"), size=16, weight=ft.FontWeight.W_500),
        hook("chart-rate", rate_bars(board, t, board.thresholds.min_rectification_rate)),
        ft.Text(t("ui_campaign.table"), size=16, weight=ft.FontWeight.W_500),
        _table(ui, board, on_pick),
    ]
