"""Responsibility letters (消防安全责任书): per unit, or per department of a unit.

A unit's letter binds the unit to the commission for all its hazards still to be closed; a
department's letter binds the department to its unit for the hazards of its areas. The PDF is
drawn by `app.documents.responsibility_letter`.
"""

from __future__ import annotations

from app.documents.responsibility_letter import LetterContent, LetterLine, render_responsibility_letter
from app.domain import lifecycle
from app.domain.errors import NotFound
from app.domain.model import Severity

from .context import Context
from .report_history import areas_of

__all__ = ["letter_content", "responsibility_letter_pdf"]


def letter_content(ctx: Context, unit: str, department: str | None = None) -> LetterContent:
    """The hazards still to rectify (待整改: not rectified or verified, the ledger's and the
    dashboard's `open`, `app.domain.figures`) of `unit`, or of one of its departments, by deadline."""
    known = ctx.catalog.units.get(unit)
    if known is None:
        raise NotFound("unit", unit)
    hazards = [h for h in ctx.repo.hazards(unit) if not h.deleted and h.status not in lifecycle.DONE]
    if department is not None:
        hazards = [h for h in hazards if h.department == department]
    today = ctx.today()
    hazards.sort(key=lambda h: (h.deadline, h.created_at))
    areas = areas_of(ctx, [h.inspection_id for h in hazards])
    lines = tuple(
        LetterLine(area=areas[h.area_id].name if h.area_id in areas else "", description=h.description,
                   major=h.severity is Severity.MAJOR, responsible=h.responsible, measures=h.measures, funds=h.funds,
                   deadline=h.deadline, overdue=lifecycle.is_overdue(h, today))
        for h in hazards
    )
    campaign = ctx.catalog.campaign
    party_a = known.name_zh if department else ctx.catalog.units.bureau_zh or campaign.issuer_zh
    return LetterContent(campaign=campaign.name_zh, party_a=party_a, party_b=department or known.name_zh,
                         unit_name=known.name_zh, department=department or "", as_of=today, lines=lines)


def responsibility_letter_pdf(ctx: Context, unit: str, department: str | None = None) -> bytes:
    return render_responsibility_letter(letter_content(ctx, unit, department))
