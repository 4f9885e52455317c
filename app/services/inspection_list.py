"""The inspections a device holds, with what each found: so an inspection's id can be looked up.

Read-only. `notice --inspection ID` and `hazard verify --recheck ID` need an id; this listing
is where a user finds it, with the counts that tell visits apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from app.domain.errors import NotFound
from app.domain.model import Inspection, InspectionKind, InspectionStatus

from .context import Context

__all__ = ["InspectionRow", "inspection_rows"]


@dataclass(frozen=True)
class InspectionRow:
    inspection: Inspection
    areas: int                   # areas walked
    hazards: int                 # live hazards raised in it
    notices: tuple[str, ...]     # numbers of its issued notices, oldest version first

    @property
    def covers(self) -> int:
        """Hazards a re-check (回头看) was started for (0 for an ordinary visit)."""
        return len(self.inspection.source_hazards)


def inspection_rows(ctx: Context, unit: str | None = None, status: InspectionStatus | str | None = None,
                    kind: InspectionKind | str | None = None) -> list[InspectionRow]:
    """The live inspections (of `unit`, in `status`, of `kind`), newest first."""
    if unit is not None and ctx.catalog.units.get(unit) is None:
        raise NotFound("unit", unit)
    status = InspectionStatus(status) if status is not None else None
    kind = InspectionKind(kind) if kind is not None else None
    found = [i for i in ctx.repo.inspections(unit) if not i.deleted
             and (status is None or i.status is status) and (kind is None or i.kind is kind)]
    hazards = Counter(h.inspection_id for h in ctx.repo.hazards(unit) if not h.deleted)
    numbers: dict[str, list] = defaultdict(list)
    for notice in ctx.repo.notices(unit):
        if not notice.deleted:
            numbers[notice.inspection_id].append(notice)
    rows = [
        InspectionRow(
            inspection, sum(1 for a in ctx.repo.areas(inspection.id) if not a.deleted), hazards[inspection.id],
            tuple(n.number for n in sorted(numbers[inspection.id], key=lambda n: (n.version, n.issued_at))),
        )
        for inspection in found
    ]
    return sorted(rows, key=lambda r: (r.inspection.date, r.inspection.created_at, r.inspection.id), reverse=True)
