"""Use cases of a hazard's life: raise, assign, rectify, verify, reopen, defer, flag; the ledger."""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import attrgetter
from zoneinfo import ZoneInfo

from app.domain import lifecycle
from app.domain.checklist import ChecklistItem
from app.domain.errors import IllegalTransition, InvalidInput, NotFound
from app.domain.findings import FindingsText, findings_text, major_reason
from app.domain.model import (
    Deferral,
    Flag,
    Hazard,
    HazardStatus,
    InspectionKind,
    PlanStep,
    Rectification,
    Severity,
    Verdict,
    Verification,
)

from .context import Context, new_meta, save
from .inspections import clean_text, get_inspection

__all__ = [
    "raise_hazard", "choose_findings", "major_hint_reason", "draft_hazard", "save_item_hazard",
    "update_hazard", "start_rectifying", "rectify", "verify", "defer", "set_flag",
    "get_hazard", "decide_deferral", "LedgerPage", "ledger", "parse_funds", "withdraw_hazard", "notices_listing",
    "VIEWS",
]

MAX_FUNDS = Decimal("100000000")
DAY = dt.timedelta(days=1)


def get_hazard(ctx: Context, hazard_id: str) -> Hazard:
    hazard = ctx.repo.get_hazard(hazard_id)
    if hazard is None or hazard.deleted:
        raise NotFound("hazard", hazard_id)
    return hazard


def parse_funds(value: str | Decimal | int | float) -> Decimal:
    """Rectification funds in yuan, to the fen; refuses negatives, NaN and absurd sums."""
    try:
        amount = Decimal(str(value).strip().replace(",", "") or "0")
    except InvalidOperation:
        raise InvalidInput("funds", "not_a_number", value=str(value)) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_FUNDS:
        raise InvalidInput("funds", "out_of_range", value=str(value))
    return abs(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))  # abs: "-0" is 0.00


def _new_hazard(
    ctx: Context, inspection_id: str, area_id: str, item_id: str = "", *, description: str = "",
    severity: Severity | None = None, deadline: dt.date | None = None, photos: tuple[str, ...] = (),
    basis: str = "", responsible: str = "", measures: str = "", funds: str | Decimal = "0",
    findings: tuple[str, ...] | list[str] = (),
) -> Hazard:
    """The hazard as it would be raised, checked but not stored.

    With `findings` (ids of the item's findings seen), the description is exactly those findings'
    text, the requirement (整改要求) theirs, and the default deadline the soonest of theirs.
    """
    inspection = get_inspection(ctx, inspection_id)
    area = ctx.repo.get_area(area_id, inspection_id)
    if area is None or area.deleted:
        raise NotFound("area", area_id)
    item = None
    if item_id:
        try:
            item = ctx.catalog.pinned(area.checklist_id, area.checklist_sha256).item(item_id)
        except KeyError:
            raise NotFound("item", item_id) from None
    chosen = _findings(item, findings)
    default_text = chosen.description if chosen else (item.hazard_zh if item else "")
    description = clean_text("description", description or default_text, required=True)
    if deadline is None:
        days = chosen.deadline_days if chosen else (item.period_days if item else 30)
        deadline = inspection.date + dt.timedelta(days=days)
    if deadline < inspection.date:
        raise InvalidInput("deadline", "before_inspection", date=deadline.isoformat())
    return Hazard(
        **new_meta(ctx, inspection.unit), inspection_id=inspection.id, area_id=area.id, item_id=item_id,
        description=description, basis=clean_text("basis", basis or (item.basis if item else "")),
        severity=Severity(severity) if severity else Severity.GENERAL,
        major_hint=chosen.major_hint if chosen else bool(item and item.major_hint), deadline=deadline,
        photos=tuple(photos), findings=chosen.ids if chosen else (),
        requirement=chosen.requirement if chosen else "",
        responsible=clean_text("responsible", responsible, limit=100), measures=clean_text("measures", measures),
        funds=parse_funds(funds), department=area.department, raised_by=ctx.actor,
    )


def raise_hazard(
    ctx: Context, inspection_id: str, area_id: str, item_id: str = "", *, description: str = "",
    severity: Severity | None = None, deadline: dt.date | None = None, photos: tuple[str, ...] = (),
    basis: str = "", responsible: str = "", measures: str = "", funds: str | Decimal = "0",
    findings: tuple[str, ...] | list[str] = (),
) -> Hazard:
    """A hazard from a failed item (prefilled from the checklist, or from the findings chosen) or ad
    hoc (description required)."""
    hazard = _new_hazard(ctx, inspection_id, area_id, item_id, description=description, severity=severity,
                         deadline=deadline, photos=photos, basis=basis, responsible=responsible, measures=measures,
                         funds=funds, findings=findings)
    with ctx.repo.transaction():
        return save(ctx, hazard, None, "create")


def _findings(item: ChecklistItem | None, finding_ids: tuple[str, ...] | list[str]) -> FindingsText | None:
    """The chosen findings of `item`, or None when none are chosen; refuses ids the item lacks."""
    if not finding_ids:
        return None
    if item is None:
        raise InvalidInput("findings", "unknown_finding", item="-", value=", ".join(finding_ids))
    try:
        return findings_text(item, finding_ids)
    except KeyError as exc:
        raise InvalidInput("findings", "unknown_finding", item=item.id, value=exc.args[0]) from None


def choose_findings(ctx: Context, hazard_id: str, finding_ids: tuple[str, ...] | list[str]) -> Hazard:
    """The inspector taps the findings seen: description, requirement, deadline and hint follow them.

    The deadline is the inspection date plus the soonest finding's days; choosing none puts back
    the item's own wording and period.
    """
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        if hazard.status is HazardStatus.VERIFIED:
            raise IllegalTransition("hazard", hazard.status.value, "edit", "closed")
        if not hazard.item_id:
            raise InvalidInput("findings", "unknown_finding", item="-", value=", ".join(finding_ids))
        area = ctx.repo.get_area(hazard.area_id, hazard.inspection_id)
        if area is None:
            raise NotFound("area", hazard.area_id)
        item = ctx.catalog.pinned(area.checklist_id, area.checklist_sha256).item(hazard.item_id)
        chosen = _findings(item, finding_ids)
        date = get_inspection(ctx, hazard.inspection_id).date
        days = chosen.deadline_days if chosen else item.period_days
        changed = replace(
            hazard, findings=chosen.ids if chosen else (), requirement=chosen.requirement if chosen else "",
            description=chosen.description if chosen else item.hazard_zh,
            major_hint=chosen.major_hint if chosen else item.major_hint, deadline=date + dt.timedelta(days=days),
        )
        return save(ctx, changed, hazard, "update")


def major_hint_reason(ctx: Context, hazard: Hazard, lang: str = "zh-CN") -> str:
    """Why this hazard may be a major one (GB 35181-2025), for the form and the notice; "" if not."""
    if not (hazard.major_hint and hazard.item_id):
        return ""
    area = ctx.repo.get_area(hazard.area_id, hazard.inspection_id)
    try:
        item = ctx.catalog.pinned(area.checklist_id, area.checklist_sha256).item(hazard.item_id) if area else None
        return major_reason(item, hazard.findings, lang) if item else ""
    except KeyError:   # a checklist version without this item or finding
        return ""


def draft_hazard(ctx: Context, inspection_id: str, area_id: str, item_id: str,
                 findings: tuple[str, ...] | list[str] = ()) -> Hazard:
    """What the hazard form of a failed item starts from: prefilled from the checklist (or from the
    findings ticked so far), NOT stored.

    A hazard from a 不合格 tap is a draft until the inspector saves it (`save_item_hazard`): the
    ledger and the home counts never show a hazard nobody confirmed.
    """
    return _new_hazard(ctx, inspection_id, area_id, item_id, findings=findings)


def save_item_hazard(
    ctx: Context, inspection_id: str, area_id: str, item_id: str, *, description: str, deadline: dt.date,
    severity: Severity, responsible: str = "", measures: str = "", findings: tuple[str, ...] | list[str] = (),
) -> Hazard:
    """Save the hazard form of a failed item: raise its hazard, or update the one already raised
    (a draft's first photo stores it), with the findings ticked. Refused unless the answer is 不合格."""
    answer = next((r for r in ctx.repo.responses(inspection_id)
                   if r.area_id == area_id and r.item_id == item_id and not r.deleted), None)
    if answer is None or answer.verdict is not Verdict.FAIL:
        raise InvalidInput("verdict", "not_failed", item=item_id)
    raised = [h for h in ctx.repo.hazards(get_inspection(ctx, inspection_id).unit)
              if h.inspection_id == inspection_id and h.area_id == area_id and h.item_id == item_id and not h.deleted]
    with ctx.repo.transaction():
        if raised:
            latest = max(raised, key=lambda h: h.created_at)
            if tuple(findings) != latest.findings:
                choose_findings(ctx, latest.id, findings)
            return update_hazard(ctx, latest.id, description=description, deadline=deadline, severity=severity,
                                 responsible=responsible, measures=measures)
        return raise_hazard(ctx, inspection_id, area_id, item_id, description=description, deadline=deadline,
                            severity=severity, responsible=responsible, measures=measures, findings=findings)


def update_hazard(
    ctx: Context, hazard_id: str, *, responsible: str | None = None, measures: str | None = None,
    funds: str | Decimal | None = None, deadline: dt.date | None = None, severity: Severity | None = None,
    description: str | None = None, photos: tuple[str, ...] | None = None, department: str | None = None,
) -> Hazard:
    """Assign the responsible person, department, measures and funds, or correct the deadline or severity."""
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        changes: dict = {}
        if responsible is not None:
            changes["responsible"] = clean_text("responsible", responsible, limit=100)
        if measures is not None:
            changes["measures"] = clean_text("measures", measures)
        if funds is not None:
            changes["funds"] = parse_funds(funds)
        if department is not None:
            changes["department"] = clean_text("department", department, limit=100)
        if hazard.status is HazardStatus.VERIFIED:
            raise IllegalTransition("hazard", hazard.status.value, "edit", "closed")
        if deadline is not None:
            if deadline < get_inspection(ctx, hazard.inspection_id).date:
                raise InvalidInput("deadline", "before_inspection", date=deadline.isoformat())
            if deadline > hazard.deadline and ctx.today() > hazard.deadline and hazard.created_at < ctx.now() - DAY:
                # once passed, a deadline moves only by a deferral (with its plan), never by an edit;
                # the day a hazard is entered (a paper inspection typed in late) it is still a correction
                raise InvalidInput("deadline", "deadline_passed", date=hazard.deadline.isoformat())
            changes["deadline"] = deadline
        if severity is not None:
            changes["severity"] = Severity(severity)
        if description is not None:
            changes["description"] = clean_text("description", description, required=True)
        if photos is not None:
            changes["photos"] = tuple(photos)
        return save(ctx, replace(hazard, **changes), hazard, "update")


def _move(ctx: Context, hazard_id: str, target: HazardStatus, **evidence) -> Hazard:
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        moved = lifecycle.transition(hazard, target, at=ctx.now(), today=ctx.today(), **evidence)
        return save(ctx, moved, hazard, f"transition:{target.value}")


def start_rectifying(ctx: Context, hazard_id: str) -> Hazard:
    return _move(ctx, hazard_id, HazardStatus.RECTIFYING)


def rectify(ctx: Context, hazard_id: str, note: str, photos: tuple[str, ...]) -> Hazard:
    """Record the fix with its evidence (a note and at least one photo)."""
    evidence = Rectification(note=clean_text("note", note), photos=tuple(photos), by=ctx.actor, at=ctx.now())
    return _move(ctx, hazard_id, HazardStatus.RECTIFIED, rectification=evidence)


def verify(ctx: Context, hazard_id: str, inspection_id: str, passed: bool, note: str = "",
           photos: tuple[str, ...] = ()) -> Hazard:
    """A re-check's result: passed → verified (销号), failed → reopened. Needs a re-check inspection."""
    inspection = get_inspection(ctx, inspection_id)
    result = Verification(
        passed=passed, by=ctx.actor, at=ctx.now(), inspection_id=inspection.id, note=clean_text("note", note),
        photos=tuple(photos),
    )
    target = HazardStatus.VERIFIED if passed else HazardStatus.REOPENED
    return _move(ctx, hazard_id, target, verification=result, recheck_kind=InspectionKind(inspection.kind))


def defer(
    ctx: Context, hazard_id: str, explanation: str, plan: list[tuple[dt.date, str]], temporary_measures: str,
) -> Hazard:
    """暂缓: only before the deadline, with a written explanation, a phased plan and temporary measures.

    A general hazard is deferred at once. A major or listed one gets a request instead: its
    deadline and status stand (overdue stays overdue everywhere) until the bureau approves it
    (`decide_deferral`).
    """
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        deferral = Deferral(
            explanation=clean_text("explanation", explanation),
            plan=tuple(PlanStep(due=d, action=clean_text("plan", a)) for d, a in plan),
            temporary_measures=clean_text("temporary_measures", temporary_measures),
            requested_on=ctx.today(), original_deadline=hazard.deadline, requested_by=ctx.actor,
        )
        moved = lifecycle.transition(hazard, HazardStatus.DEFERRED, at=ctx.now(), today=ctx.today(), deferral=deferral)
        if not lifecycle.is_serious(hazard):
            return save(ctx, moved, hazard, "transition:deferred")
        if hazard.deferral_request is not None:
            raise IllegalTransition("hazard", hazard.status.value, "deferred", "request_pending")
        return save(ctx, replace(hazard, deferral_request=deferral), hazard, "deferral:request")


def decide_deferral(ctx: Context, hazard_id: str, approve: bool, note: str = "") -> Hazard:
    """The bureau approves a major or listed hazard's deferral request (it takes effect: the deadline
    moves to the plan's last step) or refuses it (a reason is required; the deadline stands)."""
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        request = hazard.deferral_request
        if request is None:
            raise IllegalTransition("hazard", hazard.status.value, "deferred", "no_request")
        if not approve:
            reason = clean_text("reason", note, required=True)
            return save(ctx, replace(hazard, deferral_request=None), hazard, "deferral:refuse", note=reason)
        approved = replace(request, approved_by=ctx.actor, approved_at=ctx.now())
        moved = lifecycle.transition(hazard, HazardStatus.DEFERRED, at=ctx.now(), deferral=approved,
                                     today=request.requested_on)
        return save(ctx, replace(moved, deferral_request=None), hazard, "deferral:approve",
                    note=clean_text("note", note))


def set_flag(ctx: Context, hazard_id: str, flag: Flag, on: bool = True) -> Hazard:
    flag = Flag(flag)
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        flagged = lifecycle.set_flag(hazard, flag, on)
        return save(ctx, flagged, hazard, f"flag:{flag.value}:{'on' if on else 'off'}")


def notices_listing(ctx: Context, hazard: Hazard) -> list[str]:
    """Numbers of the issued notices (not withdrawn) that list this hazard, oldest first."""
    found = [n for n in ctx.repo.notices(hazard.unit) if hazard.id in n.hazard_ids and not n.deleted]
    return [n.number for n in sorted(found, key=lambda n: (n.issued_at, n.version))]


def withdraw_hazard(ctx: Context, hazard_id: str, reason: str) -> Hazard:
    """Take back a hazard raised by mistake: a tombstone (`deleted`), the reason kept in the audit.

    Refused once the hazard is verified (closed on a re-check) or listed on an issued notice: the
    unit holds that notice, so the hazard must be dealt with there (a corrected notice), not vanish.
    """
    reason = clean_text("reason", reason, required=True)
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        if hazard.status is HazardStatus.VERIFIED:
            raise IllegalTransition("hazard", hazard.status.value, "withdrawn", "closed")
        if notices_listing(ctx, hazard):
            raise IllegalTransition("hazard", hazard.status.value, "withdrawn", "on_issued_notice")
        return save(ctx, replace(hazard, deleted=True), hazard, "withdraw", note=reason)


def _matches(hazard: Hazard, words: list[str], unit_names: dict[str, str]) -> bool:
    text = " ".join((hazard.description, hazard.responsible, hazard.measures, hazard.basis,
                     hazard.department, hazard.unit, unit_names.get(hazard.unit, ""))).lower()
    return all(word in text for word in words)


# Which hazards a ledger view holds: what still needs someone to act (the app's default: open,
# rectifying, reopened, deferred), everything not yet closed on a re-check, or all of them.
VIEWS = {
    "action": lambda h: h.status not in lifecycle.DONE,
    "live": lambda h: h.status is not HazardStatus.VERIFIED,
    "all": lambda h: True,
}


def _unit_names(ctx: Context) -> dict[str, str]:
    return {u.code: f"{u.name('zh-CN')} {u.name('en')}" for u in ctx.catalog.units.units}


@dataclass(frozen=True)
class LedgerPage:
    items: list[Hazard]
    total: int
    page: int
    page_size: int


def ledger(
    ctx: Context, *, unit: str | None = None, status: HazardStatus | None = None,
    severity: Severity | None = None, overdue: bool | None = None, flag: Flag | None = None,
    department: str | None = None, text: str | None = None, page: int = 0, page_size: int = 50,
    view: str = "all", raised_on: dt.date | None = None,
) -> LedgerPage:
    """The hazard ledger (台账): filtered, overdue first, then by deadline; one page of it.

    `text`: every word must appear in the description, responsible person, measures, basis,
    department or the unit's code or name (case-insensitive). `view` (VIEWS) applies when no
    `status` is asked for. `raised_on`: raised that day (the campaign's time zone), so what was
    just found is at hand.
    """
    today = ctx.today()
    status = HazardStatus(status) if status is not None else None  # the CLI and UI pass strings too
    severity = Severity(severity) if severity is not None else None
    flag = Flag(flag) if flag is not None else None
    hazards = [h for h in ctx.repo.hazards(unit) if not h.deleted]
    if status is not None:
        hazards = [h for h in hazards if h.status is status]
    elif view != "all":   # "all" keeps every hazard: no pass over a bureau's thousands for it
        wanted = VIEWS[view]
        hazards = [h for h in hazards if wanted(h)]
    if raised_on is not None:
        zone = ZoneInfo(ctx.catalog.campaign.timezone)
        hazards = [h for h in hazards if h.created_at.astimezone(zone).date() == raised_on]
    if severity is not None:
        hazards = [h for h in hazards if h.severity is severity]
    if flag is not None:
        hazards = [h for h in hazards if flag in h.flags]
    if department:
        hazards = [h for h in hazards if h.department == department]
    if overdue is not None:
        hazards = lifecycle.overdue_among(hazards, today, overdue)
    words = (text or "").lower().split()
    if words:
        names = _unit_names(ctx)
        hazards = [h for h in hazards if _matches(h, words, names)]
    start = page * page_size
    return LedgerPage(_page_in_order(hazards, today, start, page_size), len(hazards), page, page_size)


_BY_DEADLINE = attrgetter("deadline", "created_at", "id")
_DEADLINE = attrgetter("deadline")


def _page_in_order(hazards: list[Hazard], today: dt.date, start: int, size: int) -> list[Hazard]:
    """Hazards `start` to `start + size` in ledger order: overdue first, then by deadline.

    A bureau holds tens of thousands of hazards and a page shows 50: sorting them all was most
    of the page's time (45 ms at 36 units). The overdue are picked first, and the rest are
    looked at only when the overdue do not fill the page.
    """
    end = start + size
    late = lifecycle.overdue_among(hazards, today)
    page = _first(late, end)
    if len(page) < end:
        page += _first(lifecycle.apart_from(hazards, late), end - len(page))
    return page[start:end]


def _first(hazards: list[Hazard], n: int) -> list[Hazard]:
    """The first `n` by (deadline, raised, id). The n-th earliest deadline is found with a key of one
    date (compared in C, no tuple made per hazard); only the hazards up to it are then sorted by the
    whole key, ties on a day included."""
    if n <= 0:
        return []
    if len(hazards) > n:
        cutoff = heapq.nsmallest(n, hazards, key=_DEADLINE)[-1].deadline
        hazards = [h for h in hazards if h.deadline <= cutoff]
    return sorted(hazards, key=_BY_DEADLINE)[:n]
