"""Home screen for the person holding the tablet: my drafts and today's work first, then the hazard
counts (each opens the ledger with its filter), the campaign phase and deadlines; every unit's
reminders only on a bureau device (`home_is_bureau`). Landscape puts them in two columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import flet as ft

from app.domain.model import Inspection
from app.i18n import Translator
from app.services.campaign_status import HomeSummary, home_summary
from app.services.home import TodayWork, home_is_bureau, today_work
from app.services.inspections import get_inspection
from app.services.obligations import Reminder, Reminders, reminder_scope, reminders
from app.services.queries import resume_point
from app.services.settings import demo_as_of
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, action_button, hook, names_line


def _count_card(label: str, value: int, colour: str, ident: str,
                on_open: Callable[[], object] | None = None, width: int = 150) -> ft.Control:
    """A hazard count; a tap opens the ledger showing exactly those hazards."""
    return ft.Semantics(
        identifier=ident,
        label=f"{label} {value}",
        button=on_open is not None,
        content=ft.Container(
            ft.Column([ft.Text(str(value), size=28, weight=ft.FontWeight.BOLD, color=colour),
                       ft.Row([ft.Text(label, size=14), ft.Icon(ft.Icons.CHEVRON_RIGHT, size=16)] if on_open else
                              [ft.Text(label, size=14)], spacing=2, tight=True)],
                      horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=2),
            padding=12, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST, width=width, ink=True,
            on_click=(lambda _e: on_open()) if on_open else None,
        ),
    )


# each count's ledger: the tile and the list it opens agree (home_summary counts the same way)
COUNT_FILTERS = {
    "count-open": {},
    "count-overdue": {"overdue": "1"},
    "count-major": {"severity": "major", "status": "live"},
    "count-listed": {"flag": "listed", "status": "live"},
}


def _draft_tile(t: Translator, index: int, inspection: Inspection, unit_name: Callable[[str], str],
                on_open: Callable[[str], object] | None) -> ft.Control:
    text = t("home.draft_line", date=inspection.date.isoformat(), unit=unit_name(inspection.unit),
             kind=t(f"inspection_kind.{inspection.kind.value}"))
    # unit and kind on the first line, date and people on the second: on a phone one long line broke
    # inside a word ("抽/查", a name)
    tile = ft.ListTile(
        leading=ft.Icon(ft.Icons.EDIT_NOTE),
        title=ft.Text(f"{unit_name(inspection.unit)}　{t(f'inspection_kind.{inspection.kind.value}')}", size=15),
        subtitle=ft.Text(f"{inspection.date.isoformat()}　{names_line(inspection.inspectors)}", size=13),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT), min_height=MIN_TOUCH,
        on_click=(lambda _e, i=inspection.id: on_open(i)) if on_open else None,
    )
    return hook(f"draft-{index}", tile, label=text)


SHOWN = 4   # reminder lines per list; the rest are on the campaign screen


def _when(t: Translator, days: int) -> str:
    if days < 0:
        return t("campaign.days_late", days=-days)
    return t("campaign.due_today") if days == 0 else t("campaign.in_days", days=days)


def _reminder_lines(t: Translator, items: tuple[Reminder, ...], kind: str, colour: str,
                    unit_name: Callable[[str], str]) -> list[ft.Control]:
    lines: list[ft.Control] = [
        hook(f"reminder-{kind}-{n}", ft.Text(
            t("ui_reminders.line", due=r.due.isoformat(), unit=unit_name(r.unit), name=r.name(t.lang),
              when=_when(t, r.days)), size=14, color=colour))
        for n, r in enumerate(items[:SHOWN])
    ]
    if len(items) > SHOWN:
        lines.append(ft.Text(t("ui_reminders.more", count=len(items) - SHOWN), size=13))
    return lines


def reminders_block(t: Translator, found: Reminders, title: str, unit_name: Callable[[str], str],
                    open_campaign: ft.Control | None = None) -> ft.Control:
    """What is due in the next 7 days and what is late: counts, the first few, a way to the rest."""
    body: list[ft.Control] = [ft.Text(title, size=18, weight=ft.FontWeight.W_500)]
    if not found.due_soon and not found.late:
        body.append(ft.Text(t("ui_reminders.nothing"), size=14))
    if found.late:
        body.append(hook("reminders-late", ft.Text(t("ui_reminders.late", count=len(found.late)), size=15,
                                                   weight=ft.FontWeight.BOLD, color=ft.Colors.RED_800)))
        body += _reminder_lines(t, found.late, "late", ft.Colors.RED_800, unit_name)
    if found.due_soon:
        body.append(hook("reminders-soon", ft.Text(t("ui_reminders.due_soon", count=len(found.due_soon)), size=15,
                                                   weight=ft.FontWeight.BOLD, color=ft.Colors.AMBER_900)))
        body += _reminder_lines(t, found.due_soon, "soon", ft.Colors.ON_SURFACE, unit_name)
    if open_campaign is not None:
        body.append(open_campaign)
    return hook("home-reminders", ft.Container(ft.Column(body, spacing=6), padding=12, border_radius=12,
                                               bgcolor=ft.Colors.SURFACE_CONTAINER_LOW))


def _today_block(t: Translator, work: TodayWork | None, on_raised: Callable[[], object] | None) -> ft.Control | None:
    if work is None:
        return None
    raised = t("ui_day.raised_today_line", count=work.raised_today)
    lines: list[ft.Control] = [
        ft.Text(t("ui_day.today"), size=18, weight=ft.FontWeight.W_500),
        ft.Text(t("ui_day.today_line", visits=work.inspections_today, due=work.due_this_week), size=14),
        hook("today-raised", ft.TextButton(content=raised, icon=ft.Icons.NEW_RELEASES_OUTLINED, height=MIN_TOUCH,
                                           on_click=(lambda _e: on_raised()) if on_raised else None), label=raised),
    ]
    return hook("home-today", ft.Column(lines, spacing=4))


def home_view(summary: HomeSummary, t: Translator, campaign_name: str,
              unit_name: Callable[[str], str] = str, on_draft: Callable[[str], object] | None = None,
              actions: list[ft.Control] | None = None, reminders: ft.Control | None = None,
              demo_date: dt.date | None = None, on_count: Callable[[str], object] | None = None,
              work: TodayWork | None = None, two_columns: bool = False, campaign_end: dt.date | None = None,
              ) -> ft.Control:
    lang = t.lang
    if summary.phase is not None:
        phase_line = t("home.phase", phase=summary.phase.name(lang), days=summary.days_left_in_phase)
    elif demo_date and campaign_end and demo_date > campaign_end:   # one line says both what and why
        phase_line = t("ui_day.demo_after_campaign", date=demo_date.isoformat(), end=campaign_end.isoformat())
        demo_date = None
    else:
        phase_line = t("home.no_phase")
    deadlines = [
        ft.Text(t("home.deadline_line", date=d.due.isoformat(), name=d.name(lang)), size=14)
        for d in summary.next_deadlines
    ] or [ft.Text(t("home.no_deadlines"), size=14)]
    drafts = [
        _draft_tile(t, n, i, unit_name, on_draft) for n, i in enumerate(summary.drafts[:5])
    ] or [ft.Text(t("home.no_drafts"), size=14)]

    def card(key: str, value: int, colour: str, ident: str) -> ft.Control:
        return _count_card(t(key), value, colour, ident, (lambda: on_count(ident)) if on_count else None,
                           width=124 if two_columns else 150)   # four in a row in half a landscape screen

    def opener(ident: str) -> Callable[[], object] | None:
        return (lambda: on_count(ident)) if on_count else None

    counts = ft.Row(
        [
            card("home.open", summary.open, ft.Colors.BLUE_800, "count-open"),
            card("home.overdue", summary.overdue, ft.Colors.RED_800, "count-overdue"),
            card("home.major", summary.major, ft.Colors.DEEP_ORANGE_800, "count-major"),
            card("home.listed", summary.listed, ft.Colors.PURPLE_800, "count-listed"),
        ],
        wrap=True, spacing=12, run_spacing=12,
    )
    today = _today_block(t, work, opener("today-raised"))
    header: list[ft.Control] = [
        ft.Semantics(identifier="app-title", content=ft.Text(t("app.title"), size=32, weight=ft.FontWeight.BOLD)),
        ft.Text(campaign_name, size=16),
        *([ft.Semantics(identifier="home-demo", content=ft.Text(
            t("home.demo", date=demo_date.isoformat()), size=14, color=ft.Colors.BROWN_700))]
          if demo_date else []),
        ft.Semantics(identifier="home-phase", content=ft.Text(phase_line, size=18, weight=ft.FontWeight.W_500)),
    ]
    mine: list[ft.Control] = [
        ft.Row(actions or [], wrap=True, spacing=12, run_spacing=8),
        hook("home-drafts-title", ft.Text(t("home.drafts"), size=18, weight=ft.FontWeight.W_500)),
        *drafts,
        *([today] if today is not None else []),
    ]
    overview: list[ft.Control] = [
        counts,
        *([reminders] if reminders is not None else []),
        ft.Text(t("home.next_deadlines"), size=18, weight=ft.FontWeight.W_500),
        *deadlines,
    ]
    if two_columns:   # landscape: my work on the left, the overview on the right, using the width
        return ft.Column([
            *header,
            ft.Row([ft.Column(mine, spacing=10, expand=1), ft.Column(overview, spacing=10, expand=1)],
                   spacing=24, vertical_alignment=ft.CrossAxisAlignment.START),
        ], spacing=10, scroll=ft.ScrollMode.AUTO, expand=True)
    return ft.Column([*header, *mine, *overview], spacing=10, scroll=ft.ScrollMode.AUTO, expand=True)


def build(ui: UiSession) -> ft.Control:
    t = ui.t

    async def open_draft(inspection_id: str) -> None:
        """Back to where the draft stopped: its first unanswered item, or the review when all is answered.

        A re-check (hazards pinned when it started) continues on its own screen."""
        if get_inspection(ui.ctx, inspection_id).source_hazards:
            await ui.go(routes.recheck(inspection_id))
            return
        where = resume_point(ui.ctx, inspection_id)
        if where.area_id and where.item_id:
            await ui.go(routes.walk(inspection_id, where.area_id, where.item_id))
        else:
            await ui.go(routes.areas(inspection_id))

    actions = [
        action_button(t("ui_home.new_inspection"), ft.Icons.ADD, lambda _e: ui.navigate(routes.new()),
                      "new-inspection"),
        action_button(t("ui_recheck.home_action"), ft.Icons.FACT_CHECK_OUTLINED,
                      lambda _e: ui.navigate(routes.start_recheck()), "start-recheck", filled=False),
        action_button(t("ui_home.open_ledger"), ft.Icons.LIST_ALT, lambda _e: ui.navigate(routes.ledger()),
                      "open-ledger", filled=False),
        action_button(t("ui_authority.verify_action"), ft.Icons.QR_CODE_SCANNER,
                      lambda _e: ui.navigate(routes.verify_notice()), "open-verify", filled=False),
    ]
    scope = reminder_scope(ui.ctx)   # a unit's tablet: its own duties; the bureau: every unit's
    title = t("ui_reminders.title_unit", unit=ui.unit_name(scope)) if scope else t("ui_reminders.title_bureau")
    block = reminders_block(
        t, reminders(ui.ctx, scope), title, ui.unit_name,
        action_button(t("ui_reminders.open_campaign"), ft.Icons.INSIGHTS, lambda _e: ui.navigate(routes.campaign()),
                      "open-campaign", filled=False),
    ) if scope or home_is_bureau(ui.ctx) else None

    def open_count(ident: str) -> None:
        wanted = {"raised": "today", "status": "all"} if ident == "today-raised" else COUNT_FILTERS[ident]
        ui.navigate(routes.ledger(wanted))

    return home_view(home_summary(ui.ctx), t, ui.catalog.campaign.name(ui.lang), ui.unit_name,
                     on_draft=lambda i: ui.page.run_task(open_draft, i), actions=actions, reminders=block,
                     demo_date=demo_as_of(ui.ctx), on_count=open_count, work=today_work(ui.ctx),
                     two_columns=(ui.page.width or 800) >= 1000, campaign_end=ui.catalog.campaign.end)
