"""The campaign's figures, defined once: every screen, report, circular and letter counts with these.

Before this module the dashboard, the summary, the circular and the letters each counted for
themselves and rounded for themselves, and one unit's rate read 75% in one place and 73% in
another. Now:

- found: hazards not withdrawn (deleted), whatever their state;
- rectified: rectified or verified (`lifecycle.DONE`);
- open (待整改): found and not rectified or verified, deferred included;
- overdue: past the deadline and not rectified or verified (`lifecycle.is_overdue`: the deadline
  day itself is not overdue, as "X日前" is read, docs/deadlines.md); overdue_major of those, major;
- major: severity major (flagged; "可能构成重大火灾隐患" on a notice until determined);
- listed: flagged 挂牌督办; deferred: status 暂缓;
- rectification rate (整改率): rectified / found;
- due rectification rate (到期隐患整改率): of the hazards whose deadline has passed, the share
  rectified — what a circular judges a unit on (a hazard still in time is not held against it).
  A different figure with a different name, never printed as "整改率".

One rounding: `percent` — a share as a percentage with one decimal, half up (73.33… → 73.3%,
80% not 80.0%). Thresholds compare the exact share, never the rounded text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import lifecycle
from .model import Flag, Hazard, HazardStatus, Severity

__all__ = ["HazardFigures", "hazard_figures", "share", "percent", "percent_text"]


@dataclass(frozen=True)
class HazardFigures:
    found: int = 0
    rectified: int = 0
    verified: int = 0
    open: int = 0
    major: int = 0
    major_rectified: int = 0
    overdue: int = 0
    overdue_major: int = 0
    deferred: int = 0
    listed: int = 0
    due: int = 0                # deadline passed (before `today`)
    rectified_due: int = 0      # … of which rectified or verified

    @property
    def rate(self) -> float | None:
        """整改率: rectified over found; None when nothing was found."""
        return share(self.rectified, self.found)

    @property
    def due_rate(self) -> float | None:
        """到期隐患整改率: rectified over due; None when nothing is due yet."""
        return share(self.rectified_due, self.due)


def hazard_figures(hazards: Iterable[Hazard], today: dt.date) -> HazardFigures:
    """The figures of `hazards` (as they stand, or as replayed to a day) on `today`."""
    live = [h for h in hazards if not h.deleted]
    done = [h for h in live if h.status in lifecycle.DONE]
    overdue = [h for h in live if lifecycle.is_overdue(h, today)]
    majors = [h for h in live if h.severity is Severity.MAJOR]
    due = [h for h in live if h.deadline < today]
    return HazardFigures(
        found=len(live), rectified=len(done), verified=sum(1 for h in live if h.status is HazardStatus.VERIFIED),
        open=len(live) - len(done), major=len(majors),
        major_rectified=sum(1 for h in majors if h.status in lifecycle.DONE),
        overdue=len(overdue), overdue_major=sum(1 for h in overdue if h.severity is Severity.MAJOR),
        deferred=sum(1 for h in live if h.status is HazardStatus.DEFERRED),
        listed=sum(1 for h in live if Flag.LISTED in h.flags),
        due=len(due), rectified_due=sum(1 for h in due if h.status in lifecycle.DONE),
    )


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(rate: float | None) -> Decimal | None:
    """The one rounding of every rate shown anywhere: percent, one decimal, half up."""
    if rate is None:
        return None
    return (Decimal(str(rate)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent_text(rate: float | None, none: str = "—") -> str:
    """73.3%, 80% (not 80.0%), or `none` when there is nothing to divide by."""
    value = percent(rate)
    if value is None:
        return none
    return f"{value}".removesuffix(".0") + "%"
