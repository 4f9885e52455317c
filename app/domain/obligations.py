"""What each unit owes the bureau in the campaign, and where each duty stands.

The duties themselves are data (`checklists/campaign.toml`): every `[[obligations]]` entry once,
and a monthly work report for each month of the campaign, due the day before
`monthly_before_day`. A duty is stored (`UnitObligation`) only once someone acts on it; until
then it is pending with the due date from the config, so a bureau that edits a date in the
config moves it everywhere at once. Its id is derived from (year, unit, duty), so the unit's
tablet and the bureau's office name the same duty the same way and bundles merge it like any
record.

Late is not stored: a duty not yet submitted (pending, or returned for rework) is late on every
day after its due date in the campaign's time zone; `effective_status(today)` says so. Pure:
`today` is always an argument.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum
from zoneinfo import ZoneInfo

from .campaign import Campaign
from .errors import IllegalTransition, InvalidInput
from .model import Record

__all__ = [
    "MONTHLY", "ObligationStatus", "EvidenceKind", "Evidence", "Duty", "UnitObligation",
    "duties", "duty_key", "obligation_id", "pending_obligation", "effective_status", "is_late",
    "submit", "accept", "give_back", "is_due_soon", "submitted_late",
]

MONTHLY = "monthly_report"
MAX_REASON = 500


class ObligationStatus(StrEnum):
    PENDING = "pending"       # 待报送
    SUBMITTED = "submitted"   # 已报送, awaiting the bureau
    LATE = "late"             # 逾期未报 (derived: pending or returned, past due)
    ACCEPTED = "accepted"     # 已通过
    RETURNED = "returned"     # 已退回 (with a reason): the unit must submit again


class EvidenceKind(StrEnum):
    REPORT = "report"   # a report this app generated (monthly report PDF …)
    PHOTO = "photo"     # a photo of a paper document
    PDF = "pdf"         # a scanned or received PDF


@dataclass(frozen=True)
class Evidence:
    """A file kept by its SHA-256 in the data directory's `pdfs/` store (it travels in bundles)."""

    kind: EvidenceKind
    sha256: str
    name: str = ""


@dataclass(frozen=True)
class Duty:
    """One dated duty of every unit: `kind` is an obligation id or MONTHLY, `period` its month."""

    kind: str
    period: str          # "2026-07" for a monthly report, "" otherwise
    due: dt.date
    name_zh: str
    name_en: str

    @property
    def key(self) -> str:
        return duty_key(self.kind, self.period)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True, kw_only=True)
class UnitObligation(Record):
    """A unit's duty as acted on: submitted with evidence, then accepted or returned by the bureau."""

    kind: str
    period: str = ""
    due: dt.date
    status: ObligationStatus = ObligationStatus.PENDING
    evidence: tuple[Evidence, ...] = ()
    note: str = ""
    submitted_at: dt.datetime | None = None
    submitted_by: str = ""
    reviewed_at: dt.datetime | None = None
    reviewed_by: str = ""
    return_reason: str = ""
    submissions: int = 0     # how many times it was submitted (a returned duty comes back)

    @property
    def key(self) -> str:
        return duty_key(self.kind, self.period)


def submitted_late(obligation: UnitObligation, tz: ZoneInfo) -> bool:
    """Submitted (now or before a return), but only after its due date in the campaign's zone."""
    at = obligation.submitted_at
    return at is not None and at.astimezone(tz).date() > obligation.due


def duty_key(kind: str, period: str) -> str:
    return f"{kind}:{period}" if period else kind


def duties(campaign: Campaign) -> list[Duty]:
    """Every duty of a unit in the campaign, in date order: the config's obligations and the
    monthly work report of each month from `monthly_from` to the month the campaign ends."""
    items = [Duty(o.id, "", o.due, o.name_zh, o.name_en) for o in campaign.obligations]
    for year, month in campaign.report_months():
        items.append(Duty(MONTHLY, f"{year}-{month:02d}", campaign.monthly_due(year, month),
                          f"{year}年{month}月工作月报", f"Monthly work report {year}-{month:02d}"))
    return sorted(items, key=lambda d: (d.due, d.kind, d.period))


def obligation_id(year: int, unit: str, key: str) -> str:
    """The same id on every device for the same duty of the same unit (hex, as record ids are)."""
    return hashlib.sha256(f"obligation:{year}:{unit}:{key}".encode()).hexdigest()[:32]


def pending_obligation(duty: Duty, unit: str, year: int, now: dt.datetime) -> UnitObligation:
    """The not-yet-stored record for `duty` (rev 0: any stored version wins a merge against it)."""
    return UnitObligation(
        id=obligation_id(year, unit, duty.key), unit=unit, created_at=now, updated_at=now, device="", rev=0,
        kind=duty.kind, period=duty.period, due=duty.due,
    )


def effective_status(obligation: UnitObligation, today: dt.date) -> ObligationStatus:
    """The status to show: pending or returned turns late the day after it was due."""
    if obligation.status in (ObligationStatus.PENDING, ObligationStatus.RETURNED) and today > obligation.due:
        return ObligationStatus.LATE
    return obligation.status


def is_late(obligation: UnitObligation, today: dt.date) -> bool:
    return effective_status(obligation, today) is ObligationStatus.LATE


def is_due_soon(obligation: UnitObligation, today: dt.date, days: int = 7) -> bool:
    """Still to submit and due within the next `days` days (today included)."""
    open_ = obligation.status in (ObligationStatus.PENDING, ObligationStatus.RETURNED)
    return open_ and today <= obligation.due <= today + dt.timedelta(days=days)


def submit(obligation: UnitObligation, evidence: tuple[Evidence, ...], by: str, at: dt.datetime,
           note: str = "") -> UnitObligation:
    """Pending or returned → submitted, with at least one piece of evidence."""
    if obligation.status not in (ObligationStatus.PENDING, ObligationStatus.RETURNED):
        raise IllegalTransition("obligation", obligation.status.value, ObligationStatus.SUBMITTED.value)
    if not evidence:
        raise InvalidInput("evidence", "required")
    return replace(
        obligation, status=ObligationStatus.SUBMITTED, evidence=evidence, note=note.strip(), submitted_at=at,
        submitted_by=by, submissions=obligation.submissions + 1, return_reason="",
    )


def _review(obligation: UnitObligation, target: ObligationStatus) -> None:
    if obligation.status is not ObligationStatus.SUBMITTED:
        raise IllegalTransition("obligation", obligation.status.value, target.value)


def accept(obligation: UnitObligation, by: str, at: dt.datetime) -> UnitObligation:
    """Submitted → accepted (the bureau is satisfied)."""
    _review(obligation, ObligationStatus.ACCEPTED)
    return replace(obligation, status=ObligationStatus.ACCEPTED, reviewed_at=at, reviewed_by=by)


def give_back(obligation: UnitObligation, reason: str, by: str, at: dt.datetime) -> UnitObligation:
    """Submitted → returned, with the reason the unit must act on (退回)."""
    _review(obligation, ObligationStatus.RETURNED)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "required")
    if len(reason) > MAX_REASON:
        raise InvalidInput("reason", "too_long", max=MAX_REASON)
    return replace(obligation, status=ObligationStatus.RETURNED, reviewed_at=at, reviewed_by=by, return_reason=reason)
