"""A major or listed hazard's deferral request (暂缓申请), waiting on its detail screen for the bureau.

Until the bureau decides, the original deadline stands everywhere (overdue stays overdue). A
bureau device sees approve / refuse (a refusal needs its reason); a unit device sees that the
request waits and who decides it. Both go through `hazards.decide_deferral`, which refuses anyway.
"""

from __future__ import annotations

import flet as ft

from app.domain.errors import AppError, InvalidInput
from app.domain.model import Hazard
from app.domain.permissions import Action
from app.i18n import describe_error
from app.services.hazards import decide_deferral
from app.ui.session import UiSession
from app.ui.widgets.authority_gate import missing_line
from app.ui.widgets.common import action_button, hook

__all__ = ["pending_request"]


def _lines(ui: UiSession, hazard: Hazard) -> list[ft.Control]:
    t, request = ui.t, hazard.deferral_request
    assert request is not None
    plan = "\n".join(t("ui_hazard_detail.plan_step", date=s.due.isoformat(), action=s.action) for s in request.plan)
    original = (request.original_deadline or hazard.deadline).isoformat()
    return [
        hook("request-waiting", ft.Text(t("ui_authority.request_waiting", date=original,
                                          by=request.requested_by or "—",
                                          on=request.requested_on.isoformat() if request.requested_on else "—"),
                                        size=15, weight=ft.FontWeight.W_500, color=ft.Colors.DEEP_ORANGE_900)),
        ft.Text(t("ui_hazard_detail.explanation"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Text(request.explanation, size=15),
        ft.Text(t("ui_hazard_detail.plan"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Text(plan, size=15),
        ft.Text(t("ui_hazard_detail.temporary"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Text(request.temporary_measures, size=15),
    ]


def pending_request(ui: UiSession, hazard: Hazard) -> ft.Control | None:
    """The request and, on a bureau device, its decision; None when no request waits."""
    if hazard.deferral_request is None:
        return None
    t = ui.t
    body = _lines(ui, hazard)
    refused = missing_line(ui, Action.APPROVE_DEFERRAL, hazard.unit, "missing-approve-deferral")
    if refused is not None:
        body.append(refused)
    else:
        note = ft.TextField(label=t("ui_authority.decision_note"), multiline=True, min_lines=1, max_lines=4,
                            width=ui.field_width)

        def decide(approve: bool):
            def handler(_e) -> None:
                note.error = None
                try:
                    decided = decide_deferral(ui.ctx, hazard.id, approve, note.value or "")
                except InvalidInput as error:   # a refusal without its reason: said on the field
                    note.error = describe_error(error, ui.lang)
                    ui.page.update()
                    return
                except AppError as error:   # kept beside InvalidInput: `ui.attempt` would put both in the banner
                    ui.error(error)
                    return
                ui.render()
                ui.info(t("ui_authority.approved", date=decided.deadline.isoformat()) if approve
                        else t("ui_authority.refused"))
            return handler

        body += [
            hook("decision-note", note),
            ft.Row([
                action_button(t("ui_authority.approve"), ft.Icons.CHECK, decide(True), "approve-deferral"),
                action_button(t("ui_authority.refuse"), ft.Icons.CLOSE, decide(False), "refuse-deferral",
                              filled=False),
            ], wrap=True, spacing=12, run_spacing=12),
        ]
    return hook("detail-deferral-request", ft.Container(
        ft.Column([ft.Text(t("ui_authority.request_title"), size=17, weight=ft.FontWeight.BOLD), *body], spacing=8),
        padding=12, border_radius=8, bgcolor=ft.Colors.ORANGE_50,
        border=ft.Border.all(1, ft.Colors.DEEP_ORANGE_200),
    ))
