"""The hazard lifecycle: one `transition()` that refuses every illegal move with a reason.

    open → rectifying → rectified → verified (已复查销号)
                 ↘ deferred ↗    ↘ reopened → rectifying / rectified
Deadlines are calendar days in the campaign zone; "today" comes from the injected clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from .errors import IllegalTransition
from .model import (
    Deferral,
    Flag,
    Hazard,
    HazardStatus,
    InspectionKind,
    Rectification,
    Severity,
    Verification,
)

__all__ = [
    "ALLOWED", "DONE", "transition", "is_overdue", "days_left", "due_this_week",
    "should_propose_listing", "set_flag", "is_serious", "may_verify",
]

S = HazardStatus
ALLOWED: dict[HazardStatus, frozenset[HazardStatus]] = {
    S.OPEN: frozenset({S.RECTIFYING, S.RECTIFIED, S.DEFERRED}),
    S.RECTIFYING: frozenset({S.RECTIFIED, S.DEFERRED}),
    S.REOPENED: frozenset({S.RECTIFYING, S.RECTIFIED, S.DEFERRED}),
    S.DEFERRED: frozenset({S.RECTIFYING, S.RECTIFIED}),
    S.RECTIFIED: frozenset({S.VERIFIED, S.REOPENED}),
    S.VERIFIED: frozenset(),
}
DONE = frozenset({S.RECTIFIED, S.VERIFIED})
RECHECK_KINDS = frozenset({InspectionKind.FOLLOW_UP, InspectionKind.SPOT_CHECK})


def transition(
    hazard: Hazard,
    target: HazardStatus,
    *,
    at: dt.datetime,
    rectification: Rectification | None = None,
    verification: Verification | None = None,
    recheck_kind: InspectionKind | None = None,
    deferral: Deferral | None = None,
    today: dt.date | None = None,
) -> Hazard:
    """`hazard` moved to `target`, or `IllegalTransition` saying why not. Meta fields are the caller's."""

    def refuse(reason: str) -> IllegalTransition:
        return IllegalTransition("hazard", hazard.status.value, target.value, reason)

    if target not in ALLOWED[hazard.status]:
        raise refuse("not_allowed")
    changes: dict = {"status": target}
    if target is S.RECTIFIED:
        if rectification is None or not rectification.note.strip() or not rectification.photos:
            raise refuse("needs_evidence")
        changes["rectification"] = rectification
    elif target in (S.VERIFIED, S.REOPENED):
        if verification is None or verification.passed != (target is S.VERIFIED):
            raise refuse("needs_recheck_result")
        if recheck_kind not in RECHECK_KINDS:
            raise refuse("needs_recheck_inspection")
        if not may_verify(hazard, verification.by):
            raise refuse("same_person")
        changes["verifications"] = (*hazard.verifications, verification)
        if target is S.VERIFIED:
            changes["closed_at"] = at
    elif target is S.DEFERRED:
        if (
            deferral is None
            or not deferral.explanation.strip()
            or not deferral.temporary_measures.strip()
            or not deferral.plan
            or any(not step.action.strip() for step in deferral.plan)
        ):
            raise refuse("deferral_incomplete")
        asked = deferral.requested_on or today
        if asked is not None and asked > hazard.deadline:
            raise refuse("deferral_after_deadline")   # 暂缓 is asked for before the deadline, not after
        dates = [step.due for step in deferral.plan]
        if dates != sorted(dates) or (asked is not None and dates[0] < asked):
            raise refuse("plan_dates")
        changes["deferral"] = deferral
        changes["deadline"] = dates[-1]
    return replace(hazard, **changes)


def is_overdue(hazard: Hazard, today: dt.date) -> bool:
    """Past its deadline and not rectified or verified. The deadline day itself is not overdue."""
    return hazard.status not in DONE and not hazard.deleted and today > hazard.deadline


def overdue_among(hazards: Sequence[Hazard], today: dt.date, overdue: bool = True) -> list[Hazard]:
    """The overdue ones in order (with `overdue=False`, the rest): `is_overdue` over the thousands of
    hazards a bureau's ledger holds in one pass, without a call per hazard. The same rule, kept
    beside it; a property test holds them equal."""
    late = [h for h in hazards if today > h.deadline and h.status not in DONE and not h.deleted]
    return late if overdue else apart_from(hazards, late)


def apart_from(hazards: Sequence[Hazard], taken: Sequence[Hazard]) -> list[Hazard]:
    """`hazards` in their order without those in `taken`, matched by identity (no record is hashed)."""
    chosen = {id(h) for h in taken}
    return [h for h in hazards if id(h) not in chosen]


def days_left(hazard: Hazard, today: dt.date) -> int:
    """Days until the deadline: 0 on the day, negative when overdue."""
    return (hazard.deadline - today).days


def due_this_week(hazard: Hazard, today: dt.date) -> bool:
    """Not done and due between today and Sunday of this week (weeks start on Monday)."""
    sunday = today + dt.timedelta(days=6 - today.weekday())
    return hazard.status not in DONE and not hazard.deleted and today <= hazard.deadline <= sunday


def should_propose_listing(hazard: Hazard, today: dt.date) -> bool:
    """A major hazard that is overdue and not yet listed is proposed for 挂牌督办."""
    return hazard.severity is Severity.MAJOR and is_overdue(hazard, today) and Flag.LISTED not in hazard.flags


def set_flag(hazard: Hazard, flag: Flag, on: bool) -> Hazard:
    """Raise or lower a flag; a verified (closed) hazard takes no new flags."""
    if on and hazard.status is S.VERIFIED:
        raise IllegalTransition("hazard", hazard.status.value, flag.value, "closed")
    flags = tuple(f for f in Flag if (f in hazard.flags and f is not flag) or (f is flag and on))
    return replace(hazard, flags=flags)


def is_serious(hazard: Hazard) -> bool:
    """Major or listed: its deferral is a request the bureau approves, not the unit's own act."""
    return hazard.severity is Severity.MAJOR or Flag.LISTED in hazard.flags


def may_verify(hazard: Hazard, person: str) -> bool:
    """Whether `person` may verify (or reopen) `hazard`: never who recorded its rectification.

    Asked before a re-check starts and before anyone types an opinion, not only when it is saved.
    """
    return hazard.rectification is None or hazard.rectification.by.strip() != person.strip()
