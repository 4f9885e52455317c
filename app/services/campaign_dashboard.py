"""The bureau's dashboard: every unit's duties and hazard figures, and whom a circular names.

The selection of units to name is `report_summary.circular_data` itself (thresholds from
campaign.toml `[circular]`), so the dashboard, `firesweep campaign` and the circular PDF can never
disagree about who lags.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from app.domain.campaign import CircularThresholds
from app.domain.figures import hazard_figures, share
from app.domain.model import Hazard, InspectionKind
from app.domain.obligations import ObligationStatus, UnitObligation

from .context import Context
from .obligations import Reminders, reminders, unit_duties
from .report_summary import LagReason, circular_data

__all__ = ["DutyCell", "UnitRow", "Dashboard", "dashboard", "dashboard_json"]


@dataclass(frozen=True)
class DutyCell:
    key: str
    name_zh: str
    name_en: str
    due: dt.date
    status: ObligationStatus
    submitted_late: bool
    return_reason: str = ""


@dataclass(frozen=True)
class UnitRow:
    unit: str
    name: str
    duties: tuple[DutyCell, ...]
    found: int
    rectified: int                     # rectified or verified
    overdue: int
    overdue_major: int
    listed: int
    last_spot_check: dt.date | None
    reasons: tuple[LagReason, ...]     # why a circular names it; empty when it does not

    @property
    def rectification_rate(self) -> float | None:
        return share(self.rectified, self.found)

    @property
    def named(self) -> bool:
        return bool(self.reasons)

    def count(self, status: ObligationStatus) -> int:
        return sum(1 for d in self.duties if d.status is status)


@dataclass(frozen=True)
class Dashboard:
    as_of: dt.date
    thresholds: CircularThresholds
    units: tuple[UnitRow, ...]         # the roster, in roster order
    reminders: Reminders               # due in the next 7 days and late, every unit

    @property
    def named(self) -> tuple[UnitRow, ...]:
        """The units a circular names, in its order: gravest grade first, then the roster."""
        order = {u.unit: n for n, u in enumerate(self.units)}
        return tuple(sorted((u for u in self.units if u.named),
                            key=lambda u: (min(r.grade for r in u.reasons), order[u.unit])))

    def totals(self) -> Counter[ObligationStatus]:
        return Counter(d.status for u in self.units for d in u.duties)


def _row(ctx: Context, code: str, name: str, hazards: list[Hazard], stored: list[UnitObligation],
         spot: dt.date | None, reasons: tuple[LagReason, ...], today: dt.date) -> UnitRow:
    figures = hazard_figures(hazards, today)
    cells = tuple(
        DutyCell(s.key, s.duty.name_zh, s.duty.name_en, s.duty.due, s.status, s.submitted_late,
                 s.record.return_reason)
        for s in unit_duties(ctx, code, stored)
    )
    return UnitRow(
        unit=code, name=name, duties=cells, found=figures.found, rectified=figures.rectified,
        overdue=figures.overdue, overdue_major=figures.overdue_major, listed=figures.listed,
        last_spot_check=spot, reasons=reasons,
    )


def dashboard(ctx: Context) -> Dashboard:
    """Every unit of the roster as of today (one pass over hazards, inspections and obligations)."""
    today = ctx.today()
    hazards: dict[str, list[Hazard]] = {}
    for hazard in ctx.repo.hazards():
        if not hazard.deleted:
            hazards.setdefault(hazard.unit, []).append(hazard)
    stored: dict[str, list[UnitObligation]] = {}
    for record in ctx.repo.obligations():
        stored.setdefault(record.unit, []).append(record)
    spot: dict[str, dt.date] = {}
    for inspection in ctx.repo.inspections():
        if inspection.kind is InspectionKind.SPOT_CHECK and not inspection.deleted:
            spot[inspection.unit] = max(inspection.date, spot.get(inspection.unit, inspection.date))
    reasons = {u.unit: u.reasons for u in circular_data(ctx).lagging}
    rows = tuple(
        _row(ctx, u.code, u.name_zh, hazards.get(u.code, []), stored.get(u.code, []), spot.get(u.code),
             reasons.get(u.code, ()), today)
        for u in ctx.catalog.units.units
    )
    return Dashboard(today, ctx.catalog.campaign.circular, rows, reminders(ctx))


def dashboard_json(board: Dashboard) -> dict[str, Any]:
    """Plain JSON for `firesweep campaign --json`: dates as ISO strings, rates rounded."""

    def reminder(r) -> dict[str, Any]:
        return {"unit": r.unit, "obligation": r.key, "name": r.name_zh, "due": r.due.isoformat(),
                "status": r.status.value, "days": r.days}

    return {
        "as_of": board.as_of.isoformat(),
        "thresholds": {
            "min_rectification_rate": board.thresholds.min_rectification_rate,
            "max_overdue_major": board.thresholds.max_overdue_major,
            "max_late_obligations": board.thresholds.max_late_obligations,
        },
        "totals": {s.value: board.totals().get(s, 0) for s in ObligationStatus},
        "units": [
            {
                "unit": u.unit, "name": u.name,
                "obligations": [
                    {"obligation": d.key, "name": d.name_zh, "due": d.due.isoformat(), "status": d.status.value,
                     "submitted_late": d.submitted_late, **({"return_reason": d.return_reason}
                                                            if d.return_reason else {})}
                    for d in u.duties
                ],
                "late_obligations": u.count(ObligationStatus.LATE),
                "hazards": {"found": u.found, "rectified": u.rectified, "overdue": u.overdue,
                            "overdue_major": u.overdue_major, "listed": u.listed},
                "rectification_rate": None if u.rectification_rate is None else round(u.rectification_rate, 4),
                "last_spot_check": u.last_spot_check.isoformat() if u.last_spot_check else None,
                "named_in_circular": u.named,
                "reasons": [{"kind": r.kind, "value": round(r.value, 4) if isinstance(r.value, float) else r.value,
                             "limit": r.limit} for r in u.reasons],
            }
            for u in board.units
        ],
        "circular": [u.unit for u in board.named],
        "reminders": {"due_soon": [reminder(r) for r in board.reminders.due_soon],
                      "late": [reminder(r) for r in board.reminders.late]},
    }
