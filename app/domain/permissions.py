"""Who may do what: one table of action × role → scope, and one `authorize()`.

    role →            unit device (单位保卫处)     bureau device (局保卫处)
    own unit's work   its own unit only            any unit
    bureau's acts     never                        any unit

The table follows the campaign plan: each unit's security office self-checks, rectifies, re-checks
its own hazards and issues 整改通知书 to its departments; the bureau's team spot-checks units (抽查),
re-checks (回头看), lists serious hazards for supervision (挂牌督办), approves deferrals of major or
listed hazards, accepts or returns what units submit, and names lagging units in the circular.
Where the plan is silent we chose (docs/security.md says so):
- the bureau may also do a unit's acts at any unit (it records what units report on paper);
- a hazard found by a bureau spot-check is verified, reopened or withdrawn by the bureau only;
- 停业整改 (suspended) and 专家论证 (expert_review) may be flagged by the unit itself (the plan asks
  units to stop a dangerous area themselves), listing (挂牌督办) by the bureau only;
- a deferral of a general hazard takes effect when the unit makes it; of a major or listed hazard it
  is a request until the bureau approves it (`DEFER_REQUEST` vs `APPROVE_DEFERRAL`).

A store that was never enrolled has no role: every action is allowed (demo, single user).
Services, the UI and bundle import all ask `authorize`, so the rule is enforced in one place.
"""

from __future__ import annotations

from enum import StrEnum

from .authority import Role
from .errors import Forbidden
from .model import Flag, Hazard, HazardStatus, Inspection, InspectionKind, Notice, Photo, Record, Severity
from .obligations import ObligationStatus, UnitObligation

__all__ = ["Action", "Scope", "RULES", "authorize", "allowed", "acts", "first_refused", "deferral_too_late"]


class Action(StrEnum):
    SELF_CHECK = "self_check"                     # start a self-check inspection (自查)
    SPOT_CHECK = "spot_check"                     # start a spot-check (抽查)
    FOLLOW_UP = "follow_up"                       # start a re-check (回头看)
    RECORD = "record"                             # areas, responses, photos of an inspection
    RAISE_HAZARD = "raise_hazard"
    EDIT_HAZARD = "edit_hazard"                   # assign responsible, measures, funds, deadline
    RECTIFY = "rectify"                           # start rectifying, record the fix
    VERIFY = "verify"                             # verify or reopen a self-check hazard
    VERIFY_SPOT_CHECK = "verify_spot_check"       # … a hazard found by a bureau spot-check
    WITHDRAW = "withdraw"                         # withdraw a self-check hazard
    WITHDRAW_SPOT_CHECK = "withdraw_spot_check"
    DEFER = "defer"                               # defer a general hazard (takes effect)
    DEFER_REQUEST = "defer_request"               # ask to defer a major or listed hazard
    APPROVE_DEFERRAL = "approve_deferral"         # approve or refuse that request
    FLAG = "flag"                                 # suspended 停业整改, expert review 专家论证
    LIST = "list"                                 # 挂牌督办 on or off
    SELF_CHECK_NOTICE = "self_check_notice"       # the unit's office to one of its departments
    SPOT_CHECK_NOTICE = "spot_check_notice"       # the bureau to a unit
    SUBMIT_OBLIGATION = "submit_obligation"       # plan, letters, monthly report, summary…
    REVIEW_OBLIGATION = "review_obligation"       # accept or return a submission
    UNIT_REPORT = "unit_report"                   # a unit's monthly / rectification / summary report
    CIRCULAR = "circular"                         # 通报
    BUREAU_REPORT = "bureau_report"               # the campaign summary over all units
    ENROLL = "enroll"                             # sign or revoke device certificates
    ISSUE_CHECKLIST = "issue_checklist"           # send a new checklist version to every device


class Scope(StrEnum):
    OWN_UNIT = "own_unit"   # only records of the device's own unit
    ANY_UNIT = "any_unit"


A = Action
_UNIT_WORK = (A.SELF_CHECK, A.FOLLOW_UP, A.RECORD, A.RAISE_HAZARD, A.EDIT_HAZARD, A.RECTIFY, A.VERIFY, A.WITHDRAW,
              A.DEFER, A.DEFER_REQUEST, A.FLAG, A.SELF_CHECK_NOTICE, A.SUBMIT_OBLIGATION, A.UNIT_REPORT)
_BUREAU_ONLY = (A.SPOT_CHECK, A.VERIFY_SPOT_CHECK, A.WITHDRAW_SPOT_CHECK, A.APPROVE_DEFERRAL, A.LIST,
                A.SPOT_CHECK_NOTICE, A.REVIEW_OBLIGATION, A.CIRCULAR, A.BUREAU_REPORT, A.ENROLL, A.ISSUE_CHECKLIST)

RULES: dict[Action, dict[Role, Scope]] = {
    **{a: {Role.UNIT: Scope.OWN_UNIT, Role.BUREAU: Scope.ANY_UNIT} for a in _UNIT_WORK},
    **{a: {Role.BUREAU: Scope.ANY_UNIT} for a in _BUREAU_ONLY},
}


def allowed(role: Role | None, own_unit: str, action: Action, unit: str | None) -> str | None:
    """None if `role` (of a device serving `own_unit`) may do `action` at `unit`, else the rule's name.

    `unit` None means the action is not about one unit (the circular, the bureau's summary).
    """
    if role is None:
        return None                      # never enrolled: this store works alone
    scope = RULES[action].get(role)
    if scope is None:
        return "bureau_only"
    if scope is Scope.OWN_UNIT and unit != own_unit:
        return "own_unit_only"
    return None


def authorize(role: Role | None, own_unit: str, action: Action, unit: str | None) -> None:
    """Raise `Forbidden(action, rule, unit)` unless `allowed`."""
    rule = allowed(role, own_unit, action, unit)
    if rule is not None:
        raise Forbidden(action.value, rule, unit or "")


# ---- what a change does ------------------------------------------------------------------------
# The same question for a service about to save and for an import about to merge: which acts of the
# table does going from `before` to `after` perform? Each must be allowed for whoever made it.

_HAZARD_EDITS = ("description", "basis", "severity", "responsible", "measures", "funds", "photos", "department",
                 "area_id", "item_id")


def acts(before: Record | None, after: Record, inspection_kind: InspectionKind | None) -> set[Action]:
    """The acts of the permission table that the change `before` → `after` performs.

    `inspection_kind` is the kind of the inspection the record belongs to (None for records that
    belong to none): a bureau spot-check's findings are the bureau's to change.
    """
    spot = inspection_kind is InspectionKind.SPOT_CHECK
    if isinstance(after, Inspection):
        start = {InspectionKind.SELF_CHECK: A.SELF_CHECK, InspectionKind.SPOT_CHECK: A.SPOT_CHECK,
                 InspectionKind.FOLLOW_UP: A.FOLLOW_UP}[after.kind]
        if before is not None and isinstance(before, Inspection) and before.kind is not after.kind:
            return {start, A.SPOT_CHECK}
        return {start}
    if isinstance(after, Hazard):
        return _hazard_acts(before if isinstance(before, Hazard) else None, after, spot)
    if isinstance(after, Notice):
        return {A.SPOT_CHECK_NOTICE if spot else A.SELF_CHECK_NOTICE}
    if isinstance(after, UnitObligation):
        reviewed = after.status in (ObligationStatus.ACCEPTED, ObligationStatus.RETURNED)
        changed = before is None or not isinstance(before, UnitObligation) or before.status is not after.status
        return {A.REVIEW_OBLIGATION if reviewed and changed else A.SUBMIT_OBLIGATION}
    if isinstance(after, Photo):
        return {A.RECORD}     # evidence of any kind: the unit's own scope is what matters
    return {A.SPOT_CHECK if spot else A.RECORD}   # areas and responses


def _hazard_acts(before: Hazard | None, after: Hazard, spot: bool) -> set[Action]:
    found: set[Action] = set()
    old_flags = set(before.flags) if before else set()
    new_flags = set(after.flags)
    if (Flag.LISTED in old_flags) != (Flag.LISTED in new_flags):
        found.add(A.LIST)
    if (old_flags ^ new_flags) - {Flag.LISTED}:
        found.add(A.FLAG)
    serious = after.severity is Severity.MAJOR or Flag.LISTED in new_flags or (
        before is not None and (before.severity is Severity.MAJOR or Flag.LISTED in old_flags))
    if before is None:
        found.add(A.SPOT_CHECK if spot else A.RAISE_HAZARD)
        before_status, before_deadline = HazardStatus.OPEN, after.deadline
    else:
        before_status, before_deadline = before.status, before.deadline
        if any(getattr(before, f) != getattr(after, f) for f in _HAZARD_EDITS):
            found.add(A.SPOT_CHECK if spot else A.EDIT_HAZARD)
        if after.deleted != before.deleted:
            found.add(A.WITHDRAW_SPOT_CHECK if spot else A.WITHDRAW)
    if after.status is not before_status or (before and after.verifications != before.verifications):
        found |= _status_acts(after.status, spot, serious)
    if after.deferral != (before.deferral if before else None) and after.deferral is not None:
        found.add(A.APPROVE_DEFERRAL if serious else A.DEFER)
    if after.deferral_request != (before.deferral_request if before else None):
        found.add(A.DEFER_REQUEST if after.deferral_request is not None else A.APPROVE_DEFERRAL)
    if before is not None and after.deadline != before_deadline and after.status is not HazardStatus.DEFERRED:
        found.add(A.APPROVE_DEFERRAL if serious else A.EDIT_HAZARD)   # moving a serious deadline is a deferral
    if before is not None and before.severity is Severity.MAJOR and after.severity is not Severity.MAJOR and (
            spot or Flag.LISTED in old_flags):
        found.add(A.LIST)   # downgrading a listed or spot-check major hazard is the bureau's call
    return found


def _status_acts(status: HazardStatus, spot: bool, serious: bool) -> set[Action]:
    if status in (HazardStatus.RECTIFYING, HazardStatus.RECTIFIED):
        return {A.RECTIFY}
    if status in (HazardStatus.VERIFIED, HazardStatus.REOPENED):
        return {A.VERIFY_SPOT_CHECK if spot else A.VERIFY}
    if status is HazardStatus.DEFERRED:
        return {A.APPROVE_DEFERRAL if serious else A.DEFER}
    return set()


def deferral_too_late(hazard: Hazard) -> bool:
    """A deferral (or request) asked for after the deadline it moves: refused for everyone."""
    for deferral in (hazard.deferral_request, hazard.deferral):
        if deferral and deferral.requested_on and deferral.original_deadline and (
                deferral.requested_on > deferral.original_deadline):
            return True
    return False


def first_refused(role: Role | None, own_unit: str, before: Record | None, after: Record,
                  inspection_kind: InspectionKind | None) -> tuple[Action, str] | None:
    """(act, rule) of the first act in this change that `role` may not do, or None."""
    for action in sorted(acts(before, after, inspection_kind)):
        rule = allowed(role, own_unit, action, after.unit)
        if rule is not None:
            return action, rule
    return None
