"""Areas of an inspection: progress per area, and a grid of location types to add one."""

from __future__ import annotations

import flet as ft

from app.domain.checklist import Checklist
from app.domain.errors import AppError
from app.domain.model import InspectionStatus
from app.i18n import describe_error
from app.services.inspections import AreaProgress, add_area, area_progress, get_inspection
from app.services.queries import answers_of_area, first_unanswered
from app.ui import routes
from app.ui.session import UiSession
from app.ui.widgets.common import action_button, heading, hook, names_line, progress_block


def icon_of(checklist: Checklist) -> ft.IconData:
    return getattr(ft.Icons, checklist.icon, ft.Icons.PLACE)


def _area_card(ui: UiSession, index: int, progress: AreaProgress, on_open) -> ft.Control:
    t = ui.t
    checklist = ui.catalog.pinned(progress.area.checklist_id, progress.area.checklist_sha256)
    status = t("ui_areas.done") if progress.done else ""
    card = ft.Container(
        ft.Column([
            ft.Row([ft.Icon(icon_of(checklist), color=ft.Colors.PRIMARY),
                    ft.Text(progress.area.name, size=18, weight=ft.FontWeight.W_500, expand=True),
                    ft.Text(status, color=ft.Colors.GREEN_800), ft.Icon(ft.Icons.CHEVRON_RIGHT)]),
            ft.Text(checklist.name(ui.lang), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            progress_block(t, progress.answered, progress.total, progress.failed),
        ], spacing=6),
        padding=12, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT), on_click=lambda _e: on_open(progress),
        ink=True,
    )
    summary = t("ui_common.progress", answered=progress.answered, total=progress.total, failed=progress.failed)
    return hook(f"area-{index}", card, label=f"{progress.area.name} {summary}")


def _type_tile(ui: UiSession, checklist: Checklist, on_pick) -> ft.Control:
    tile = ft.Container(
        ft.Column([ft.Icon(icon_of(checklist), size=32, color=ft.Colors.PRIMARY),
                   ft.Text(checklist.name(ui.lang), size=14, text_align=ft.TextAlign.CENTER, max_lines=2)],
                  horizontal_alignment=ft.CrossAxisAlignment.CENTER, alignment=ft.MainAxisAlignment.CENTER,
                  spacing=4),
        width=150, height=104, padding=8, border_radius=12, ink=True,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST, on_click=lambda _e: on_pick(checklist),
    )
    return hook(f"type-{checklist.id}", tile, label=checklist.name(ui.lang))


def build(ui: UiSession, inspection: str) -> ft.Control:
    t = ui.t
    record = get_inspection(ui.ctx, inspection)
    ui.adopt_inspector(record.inspectors)
    progress = area_progress(ui.ctx, inspection)
    header = ft.Text(
        t("ui_areas.subtitle", unit=ui.unit_name(record.unit), kind=t(f"inspection_kind.{record.kind.value}"),
          date=record.date.isoformat(), inspectors=names_line(record.inspectors)),
        size=15,
    )
    cards = [_area_card(ui, n, p, lambda p: ui.page.run_task(_open_area, ui, inspection, p))
             for n, p in enumerate(progress)]
    controls: list[ft.Control] = [
        heading(t("ui_areas.title"), ident="screen-areas"),
        header,
        ft.Row([
            action_button(t("ui_areas.review"), ft.Icons.FACT_CHECK, lambda _e: ui.navigate(routes.review(inspection)),
                          "to-review", filled=all(p.done for p in progress)),
        ]) if progress else ft.Container(),
        ft.Text(t("ui_areas.walked"), size=18, weight=ft.FontWeight.W_500),
        *(cards or [ft.Text(t("ui_areas.none_yet"), size=14)]),
    ]
    if record.status is InspectionStatus.DRAFT:
        controls += [
            ft.Text(t("ui_areas.add_hint"), size=18, weight=ft.FontWeight.W_500),
            ft.Row([_type_tile(ui, c, lambda c: _ask_name(ui, inspection, c)) for c in ui.catalog.checklists],
                   wrap=True, spacing=10, run_spacing=10),
        ]
    else:
        controls.append(ft.Text(t("ui_areas.closed"), color=ft.Colors.ON_SURFACE_VARIANT))
    return ft.Column(controls, spacing=12, scroll=ft.ScrollMode.AUTO, expand=True)


async def _open_area(ui: UiSession, inspection: str, p: AreaProgress) -> None:
    """Walk an area from its first unanswered item."""
    checklist = ui.catalog.pinned(p.area.checklist_id, p.area.checklist_sha256)
    index = first_unanswered(checklist, answers_of_area(ui.ctx, inspection, p.area.id)) or 0
    await ui.go(routes.walk(inspection, p.area.id, checklist.items[index].id))


def _ask_name(ui: UiSession, inspection: str, checklist: Checklist) -> None:
    """The dialog naming a new area of this type; adding it opens its walk-through at the first item."""
    t = ui.t
    name = ft.TextField(label=t("ui_areas.area_name"), autofocus=True,
                        hint_text=t("ui_day.area_name_hint", kind=checklist.name(ui.lang)))
    department = ft.TextField(label=t("ui_areas.department"))

    async def add(_e) -> None:
        try:
            area = add_area(ui.ctx, inspection, checklist.id, name.value or "", department.value or "")
        except AppError as error:   # said on the name field: the banner is behind this modal dialog
            name.error = describe_error(error, ui.lang)
            ui.page.update()
            return
        ui.page.pop_dialog()
        await ui.go(routes.walk(inspection, area.id, checklist.items[0].id))

    ui.page.show_dialog(ft.AlertDialog(
        modal=True,
        title=ft.Text(t("ui_areas.add_title", type=checklist.name(ui.lang))),
        content=ft.Column([hook("area-name", name), department], tight=True, width=420),
        actions=[
            ft.TextButton(t("ui_common.cancel"), on_click=lambda _e: ui.page.pop_dialog()),
            action_button(t("ui_areas.add"), ft.Icons.ADD, add, "add-area-ok"),
        ],
    ))
