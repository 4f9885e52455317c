"""Departments (科室) of a unit: who a self-check notice goes to, and hazards counted per department.

A unit's departments are the ones its areas name (`Area.department`, copied onto each hazard
raised there), so they need no separate roster: the security office types the department when it
adds an area. In a self-check the unit's security office (保卫处) issues the notice to the
responsible department(s); in a bureau spot-check or follow-up the bureau issues it to the unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.figures import hazard_figures, share
from app.domain.model import Hazard, Inspection, InspectionKind

from . import issuers
from .context import Context

__all__ = ["NO_DEPARTMENT", "DepartmentFigures", "departments", "department_figures", "notice_routing",
           "SECURITY_OFFICE"]

NO_DEPARTMENT = ""
SECURITY_OFFICE = "保卫处"


@dataclass(frozen=True)
class DepartmentFigures:
    department: str          # "" for hazards of areas with no department
    found: int
    rectified: int           # rectified or verified
    overdue: int
    overdue_major: int
    listed: int

    @property
    def rate(self) -> float | None:
        return share(self.rectified, self.found)


def _live(ctx: Context, unit: str) -> list[Hazard]:
    return [h for h in ctx.repo.hazards(unit) if not h.deleted]


def departments(ctx: Context, unit: str) -> list[str]:
    """The unit's departments named by its hazards and the areas of its inspections, sorted."""
    names = {h.department for h in _live(ctx, unit)}
    for inspection in ctx.repo.inspections(unit):
        if not inspection.deleted:
            names.update(a.department for a in ctx.repo.areas(inspection.id) if not a.deleted)
    return sorted(n for n in names if n)


def department_figures(ctx: Context, unit: str) -> list[DepartmentFigures]:
    """Hazards found / rectified / overdue / listed per department, most overdue first."""
    today = ctx.today()
    groups: dict[str, list[Hazard]] = {}
    for hazard in _live(ctx, unit):
        groups.setdefault(hazard.department, []).append(hazard)
    rows = []
    for name, hazards in groups.items():
        f = hazard_figures(hazards, today)
        rows.append(DepartmentFigures(department=name, found=f.found, rectified=f.rectified, overdue=f.overdue,
                                      overdue_major=f.overdue_major, listed=f.listed))
    return sorted(rows, key=lambda r: (-r.overdue, -r.found, r.department))


def notice_routing(ctx: Context, inspection: Inspection, hazards: list[Hazard]) -> tuple[str, str]:
    """(issuer, recipient) of the notice for `hazards` found in `inspection`.

    Self-check: the unit's security office to the department(s) responsible for the hazards
    (the unit itself when no area named one). Spot-check and follow-up: the bureau to the unit.
    """
    unit = ctx.catalog.units.get(inspection.unit)
    unit_name = unit.name_zh if unit else inspection.unit
    issuer = issuers.notice_issuer(ctx, inspection)
    if inspection.kind is not InspectionKind.SELF_CHECK:
        return issuer.name, unit_name
    named = list(dict.fromkeys(h.department for h in sorted(hazards, key=lambda h: h.created_at) if h.department))
    return issuer.name, "、".join(named) if named else unit_name
