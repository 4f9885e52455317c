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

__all__ = ["Action", "Scope", "RULES", "authorize", "allowed"]


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
