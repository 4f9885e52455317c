"""Walk-through: one checklist item at a time, big pass / fail / N/A buttons, always-visible progress.

Every tap is stored before the screen moves on, and the route names the item, so a reload (or a
flat battery) comes back to the same place. 不合格 records the answer and opens the hazard form,
prefilled from the item; the hazard is a draft until that form is saved (app/ui/hazard_form.py),
and moving the answer away from 不合格 withdraws it (`record_response`).
"""

from __future__ import annotations

import flet as ft

from app.domain.errors import AppError
from app.domain.model import InspectionStatus, Response, Verdict
from app.services.form_drafts import keep_draft, load_draft
from app.services.inspections import record_response
from app.services.queries import answers_of_area, hazard_for_item

from . import routes
from .hazard_form import form_key
from .session import UiSession
from .widgets import MIN_TOUCH, VERDICT_COLOURS, action_button, big_button, hook, progress_block

VERDICTS = [  # verdict, icon, message key, hook
    (Verdict.PASS, ft.Icons.CHECK_CIRCLE, "ui_walk.pass", "verdict-pass"),
    (Verdict.FAIL, ft.Icons.CANCEL, "ui_walk.fail", "verdict-fail"),
    (Verdict.NOT_APPLICABLE, ft.Icons.REMOVE_CIRCLE_OUTLINE, "ui_walk.na", "verdict-na"),
]


def _jump_chip(n: int, answer: Response | None, current: bool, on_click) -> ft.Control:
    colour = VERDICT_COLOURS[answer.verdict.value] if answer else None
    chip = ft.Container(
        ft.Text(str(n), size=16, weight=ft.FontWeight.BOLD,
                color=ft.Colors.WHITE if answer else ft.Colors.ON_SURFACE),
        width=MIN_TOUCH, height=MIN_TOUCH, alignment=ft.Alignment.CENTER, border_radius=24, ink=True,
        bgcolor=colour, on_click=on_click,
        border=ft.Border.all(3 if current else 1, ft.Colors.PRIMARY if current else ft.Colors.OUTLINE),
    )
    return hook(f"jump-{n}", chip, label=str(n))


def build(ui: UiSession, inspection: str, area: str, item: str) -> ft.Control:
    t, lang = ui.t, ui.lang
    ctx, record, place, checklist = ui.open_area(inspection, area)
    items = checklist.items
    index = next((i for i, it in enumerate(items) if it.id == item), 0)
    current = items[index]
    answers = answers_of_area(ctx, inspection, area)
    answer = answers.get(current.id)
    editable = record.status is InspectionStatus.DRAFT
    hazard = hazard_for_item(ctx, inspection, area, current.id)

    async def leave(route: str) -> None:
        """Keep a note typed after answering (it is stored with the answer), then move on."""
        if answer and editable and (note.value or "") != answer.note:
            try:
                record_response(ui.ctx, inspection, area, current.id, answer.verdict, note.value or "")
            except AppError as error:
                ui.error(error)
                return
        await ui.go(route)

    def go_item(i: int) -> None:
        ui.page.run_task(leave, routes.walk(inspection, area, items[i].id))

    def go_areas(_e=None) -> None:
        ui.page.run_task(leave, routes.areas(inspection))

    def next_open() -> int | None:
        """The next unanswered item after this one, wrapping round; None when all are answered."""
        answered = {*answers, current.id}
        order = [*range(index + 1, len(items)), *range(index)]
        return next((i for i in order if items[i].id not in answered), None)

    note = ft.TextField(label=t("ui_walk.note"), value=answer.note if answer else "", multiline=True,
                        min_lines=1, max_lines=4, read_only=not editable, width=ui.field_width)

    busy = {"answering": False}   # a double tap must not answer twice and skip an item

    async def answer_with(verdict: Verdict) -> None:
        if busy["answering"]:
            return
        busy["answering"] = True
        try:
            key = form_key(inspection, area, current.id)
            if verdict is Verdict.FAIL and hazard is None and "previous" not in load_draft(ui.ctx, key):
                # what a cancelled draft returns the answer to
                keep_draft(ui.ctx, key, {"previous": answer.verdict.value if answer else ""})
            record_response(ui.ctx, inspection, area, current.id, verdict, note.value or "")
            if verdict is Verdict.FAIL:
                await ui.go(routes.hazard(inspection, area, current.id))
                return
        except AppError as error:
            busy["answering"] = False
            ui.error(error)
            return
        following = next_open()
        await ui.go(routes.areas(inspection) if following is None else routes.walk(inspection, area,
                                                                                   items[following].id))

    buttons = [
        big_button(t(key), icon, VERDICT_COLOURS[verdict.value],
                   (lambda _e, v=verdict: ui.page.run_task(answer_with, v)) if editable else None, ident,
                   selected=answer is not None and answer.verdict is verdict,
                   width=None if ui.wide else ui.field_width)
        for verdict, icon, key, ident in VERDICTS
    ]
    verdict_row = ft.Row(buttons, spacing=12) if ui.wide else ft.Column(buttons, spacing=10)

    body: list[ft.Control] = [
        ft.Row([
            hook("back-to-areas", ft.IconButton(ft.Icons.ARROW_BACK, on_click=go_areas, tooltip=t("ui_walk.back"))),
            ft.Column([ft.Text(place.name, size=20, weight=ft.FontWeight.BOLD),
                       ft.Text(checklist.name(lang), size=13, color=ft.Colors.ON_SURFACE_VARIANT)],
                      spacing=0, expand=True),
            hook("item-position", ft.Text(t("ui_walk.position", n=index + 1, total=len(items)), size=22,
                                          weight=ft.FontWeight.BOLD)),
        ]),
        progress_block(t, len(answers), len(items), sum(1 for a in answers.values() if a.verdict is Verdict.FAIL),
                       ident="area-progress"),
        ft.Row([ft.Container(
            ft.Column([
                ft.Text(current.id, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                hook("item-text", ft.Text(current.text(lang), size=22, weight=ft.FontWeight.W_500)),
                *([ft.Text(current.guide(lang), size=15)] if current.guide(lang) else []),
                ft.Text(t("ui_walk.basis", basis=current.basis), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                *([ft.Text(f"{t('ui_walk.major_hint')}\n{current.major_reason(lang)}", size=13,
                           color=ft.Colors.DEEP_ORANGE_800)] if current.major_hint else []),
            ], spacing=8),
            padding=16, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW, expand=True,
        )]),
        verdict_row,
        note,
    ]
    if hazard is not None or (answer is not None and answer.verdict is Verdict.FAIL):
        body.append(action_button(t("ui_walk.open_hazard"), ft.Icons.REPORT_PROBLEM,
                                  lambda _e: ui.page.run_task(leave, routes.hazard(inspection, area, current.id)),
                                  "open-hazard", filled=False))
    at_end = index == len(items) - 1
    steps = ft.Row([
        action_button(t("ui_walk.prev"), ft.Icons.CHEVRON_LEFT,
                      (lambda _e: go_item(index - 1)) if index > 0 else None, "prev-item", filled=False),
        action_button(t("ui_walk.to_areas") if at_end else t("ui_walk.next"), ft.Icons.CHEVRON_RIGHT,
                      go_areas if at_end else
                      (lambda _e: go_item(index + 1)), "next-item", filled=False),
    ], alignment=ft.MainAxisAlignment.SPACE_BETWEEN)
    body += [
        *([steps] if ui.wide else []),
        ft.Text(t("ui_walk.jump"), size=14),
        ft.Row([_jump_chip(n + 1, answers.get(it.id), n == index, lambda _e, i=n: go_item(i))
                for n, it in enumerate(items)], wrap=True, spacing=8, run_spacing=8),
    ]
    scroller = ft.Column(body, spacing=14, scroll=ft.ScrollMode.AUTO, expand=True)
    if ui.wide:
        return scroller
    # a phone: 上一项 / 下一项 stay pinned above the navigation bar, never scrolled under it
    return ft.Column([scroller, ft.Container(steps, padding=ft.Padding.only(top=6))], spacing=0, expand=True)
