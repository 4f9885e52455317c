"""Walk-through: one checklist item at a time, big pass / fail / N/A buttons, always-visible progress.

Every tap is stored before the screen moves on, and the route names the item, so a reload (or a
flat battery) comes back to the same place. 不合格 records the answer and opens the hazard form,
prefilled from the item; the hazard is a draft until that form is saved (app/ui/hazard_form.py),
and moving the answer away from 不合格 withdraws it (`record_response`).
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.domain.checklist import Checklist, ChecklistItem
from app.domain.model import Area, Hazard, InspectionStatus, Response, Verdict
from app.services.form_drafts import keep_draft, load_draft
from app.services.inspections import record_response
from app.services.queries import answers_of_area, hazard_for_item
from app.ui import routes
from app.ui.screens.hazard_form import form_key
from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, VERDICT_COLOURS, action_button, big_button, hook, progress_block

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
    t = ui.t
    ctx, record, place, checklist = ui.open_area(inspection, area)
    items = checklist.items
    index = next((i for i, it in enumerate(items) if it.id == item), 0)
    answers = answers_of_area(ctx, inspection, area)
    editable = record.status is InspectionStatus.DRAFT
    answer = answers.get(items[index].id)
    note = ft.TextField(label=t("ui_walk.note"), value=answer.note if answer else "", multiline=True,
                        min_lines=1, max_lines=4, read_only=not editable, width=ui.field_width)
    walk = _Walk(ui, inspection, area, items, index, answers, editable,
                 hazard_for_item(ctx, inspection, area, items[index].id), note)
    body: list[ft.Control] = [
        _top_row(walk, place, checklist),
        progress_block(t, len(answers), len(items), sum(1 for a in answers.values() if a.verdict is Verdict.FAIL),
                       ident="area-progress"),
        _item_card(ui, walk.current),
        _verdict_row(walk),
        note,
    ]
    if walk.hazard is not None or (answer is not None and answer.verdict is Verdict.FAIL):
        to_hazard = routes.hazard(inspection, area, walk.current.id)
        body.append(action_button(t("ui_walk.open_hazard"), ft.Icons.REPORT_PROBLEM,
                                  lambda _e: ui.page.run_task(walk.leave, to_hazard), "open-hazard", filled=False))
    steps = _steps(walk)
    body += [*([steps] if ui.wide else []), *_jump_chips(walk)]
    scroller = ft.Column(body, spacing=14, scroll=ft.ScrollMode.AUTO, expand=True)
    if ui.wide:
        return scroller
    # a phone: 上一项 / 下一项 stay pinned above the navigation bar, never scrolled under it
    return ft.Column([scroller, ft.Container(steps, padding=ft.Padding.only(top=6))], spacing=0, expand=True)


@dataclass
class _Walk:
    """One item of one area on screen, where it sits in the checklist, and whether a verdict tap is
    still being stored (a double tap must not answer twice and skip an item)."""

    ui: UiSession
    inspection: str
    area: str
    items: tuple[ChecklistItem, ...]
    index: int
    answers: dict[str, Response]
    editable: bool
    hazard: Hazard | None
    note: ft.TextField
    answering: bool = False

    @property
    def current(self) -> ChecklistItem:
        return self.items[self.index]

    @property
    def answer(self) -> Response | None:
        return self.answers.get(self.current.id)

    async def leave(self, route: str) -> None:
        """Keep a note typed after answering (it is stored with the answer), then move on."""
        answer, note = self.answer, self.note.value or ""
        if answer and self.editable and note != answer.note and not self.ui.attempt(
                record_response, self.ui.ctx, self.inspection, self.area, self.current.id, answer.verdict, note):
            return
        await self.ui.go(route)

    def go_item(self, i: int) -> None:
        self.ui.page.run_task(self.leave, routes.walk(self.inspection, self.area, self.items[i].id))

    def go_areas(self, _e=None) -> None:
        self.ui.page.run_task(self.leave, routes.areas(self.inspection))

    def next_open(self) -> int | None:
        """The next unanswered item after this one, wrapping round; None when all are answered."""
        answered = {*self.answers, self.current.id}
        order = [*range(self.index + 1, len(self.items)), *range(self.index)]
        return next((i for i in order if self.items[i].id not in answered), None)

    def record(self, verdict: Verdict) -> None:
        key = form_key(self.inspection, self.area, self.current.id)
        if verdict is Verdict.FAIL and self.hazard is None and "previous" not in load_draft(self.ui.ctx, key):
            # what a cancelled draft returns the answer to
            keep_draft(self.ui.ctx, key, {"previous": self.answer.verdict.value if self.answer else ""})
        record_response(self.ui.ctx, self.inspection, self.area, self.current.id, verdict, self.note.value or "")

    async def answer_with(self, verdict: Verdict) -> None:
        if self.answering:
            return
        self.answering = True
        if not self.ui.attempt(self.record, verdict):
            self.answering = False
            return
        if verdict is Verdict.FAIL:
            await self.ui.go(routes.hazard(self.inspection, self.area, self.current.id))
            return
        following = self.next_open()
        await self.ui.go(routes.areas(self.inspection) if following is None
                         else routes.walk(self.inspection, self.area, self.items[following].id))


def _top_row(walk: _Walk, place: Area, checklist: Checklist) -> ft.Control:
    t = walk.ui.t
    return ft.Row([
        hook("back-to-areas", ft.IconButton(ft.Icons.ARROW_BACK, on_click=walk.go_areas, tooltip=t("ui_walk.back"))),
        ft.Column([ft.Text(place.name, size=20, weight=ft.FontWeight.BOLD),
                   ft.Text(checklist.name(walk.ui.lang), size=13, color=ft.Colors.ON_SURFACE_VARIANT)],
                  spacing=0, expand=True),
        hook("item-position", ft.Text(t("ui_walk.position", n=walk.index + 1, total=len(walk.items)), size=22,
                                      weight=ft.FontWeight.BOLD)),
    ])


def _item_card(ui: UiSession, current: ChecklistItem) -> ft.Control:
    """The item as the checklist words it: text, guide, legal basis, and the major-hazard hint."""
    t, lang = ui.t, ui.lang
    return ft.Row([ft.Container(
        ft.Column([
            ft.Text(current.id, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            hook("item-text", ft.Text(current.text(lang), size=22, weight=ft.FontWeight.W_500)),
            *([ft.Text(current.guide(lang), size=15)] if current.guide(lang) else []),
            ft.Text(t("ui_walk.basis", basis=current.basis), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            *([ft.Text(f"{t('ui_walk.major_hint')}\n{current.major_reason(lang)}", size=13,
                       color=ft.Colors.DEEP_ORANGE_800)] if current.major_hint else []),
        ], spacing=8),
        padding=16, border_radius=12, bgcolor=ft.Colors.SURFACE_CONTAINER_LOW, expand=True,
    )])


def _verdict_row(walk: _Walk) -> ft.Control:
    ui, answer = walk.ui, walk.answer
    buttons = [
        big_button(ui.t(key), icon, VERDICT_COLOURS[verdict.value],
                   (lambda _e, v=verdict: ui.page.run_task(walk.answer_with, v)) if walk.editable else None, ident,
                   selected=answer is not None and answer.verdict is verdict,
                   width=None if ui.wide else ui.field_width)
        for verdict, icon, key, ident in VERDICTS
    ]
    return ft.Row(buttons, spacing=12) if ui.wide else ft.Column(buttons, spacing=10)


def _steps(walk: _Walk) -> ft.Control:
    """上一项 / 下一项 (on the last item: back to the areas)."""
    t, index = walk.ui.t, walk.index
    at_end = index == len(walk.items) - 1
    return ft.Row([
        action_button(t("ui_walk.prev"), ft.Icons.CHEVRON_LEFT,
                      (lambda _e: walk.go_item(index - 1)) if index > 0 else None, "prev-item", filled=False),
        action_button(t("ui_walk.to_areas") if at_end else t("ui_walk.next"), ft.Icons.CHEVRON_RIGHT,
                      walk.go_areas if at_end else
                      (lambda _e: walk.go_item(index + 1)), "next-item", filled=False),
    ], alignment=ft.MainAxisAlignment.SPACE_BETWEEN)


def _jump_chips(walk: _Walk) -> list[ft.Control]:
    return [
        ft.Text(walk.ui.t("ui_walk.jump"), size=14),
        ft.Row([_jump_chip(n + 1, walk.answers.get(it.id), n == walk.index, lambda _e, i=n: walk.go_item(i))
                for n, it in enumerate(walk.items)], wrap=True, spacing=8, run_spacing=8),
    ]
