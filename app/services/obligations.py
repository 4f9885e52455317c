"""A unit's campaign duties: list them, submit them with evidence, accept or return them.

A unit submits (its next bundle carries the record and the evidence file); the bureau's import
updates its copy; the bureau accepts or returns it, and the unit learns that from the bureau's
bundle. Every change is saved through `context.save`, so it is audited like every record.
Evidence files live in the data directory's `pdfs/` store, named by their SHA-256, like
notice PDFs: bundles carry them the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from app.documents.reports_pdf import render_monthly
from app.domain import obligations as rules
from app.domain.errors import InvalidInput, NotFound
from app.domain.obligations import Duty, Evidence, EvidenceKind, ObligationStatus, UnitObligation
from app.media.pipeline import encode_jpeg, process

from .campaign_status import late_obligations
from .context import Context, save
from .reports import monthly_report_data

__all__ = [
    "DutyState", "Reminder", "Reminders", "unit_duties", "duty_state", "submit_obligation", "submit_monthly_report",
    "accept_obligation", "return_obligation", "late_obligations", "reminders", "evidence_bytes", "EvidenceFile",
    "MAX_EVIDENCE_BYTES", "store_evidence", "submit_stored", "reminder_scope",
]

MAX_EVIDENCE_BYTES = 40 * 1024 * 1024
MAX_NOTE = 500


@dataclass(frozen=True)
class EvidenceFile:
    """A file the user picked: its name and bytes (a PDF, or a photo of a paper document)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class DutyState:
    """A duty and where it stands today."""

    duty: Duty
    record: UnitObligation
    status: ObligationStatus          # effective: pending/returned turn late after the due date
    submitted_late: bool

    @property
    def key(self) -> str:
        return self.duty.key


def _tz(ctx: Context) -> ZoneInfo:
    return ZoneInfo(ctx.catalog.campaign.timezone)


def _check_unit(ctx: Context, unit: str) -> None:
    if ctx.catalog.units.get(unit) is None:
        raise NotFound("unit", unit)


def _state(ctx: Context, duty: Duty, record: UnitObligation, today: dt.date) -> DutyState:
    record = replace(record, due=duty.due)   # the config decides the due date, wherever it was stored
    return DutyState(duty, record, rules.effective_status(record, today), rules.submitted_late(record, _tz(ctx)))


def unit_duties(ctx: Context, unit: str, stored: list[UnitObligation] | None = None) -> list[DutyState]:
    """Every duty of `unit` in date order, with its stored record or a pending one."""
    campaign = ctx.catalog.campaign
    today = ctx.today()
    records = {o.key: o for o in (ctx.repo.obligations(unit) if stored is None else stored) if not o.deleted}
    return [
        _state(ctx, d, records.get(d.key) or rules.pending_obligation(d, unit, campaign.year, ctx.now()), today)
        for d in rules.duties(campaign)
    ]


def duty_state(ctx: Context, unit: str, key: str) -> DutyState:
    _check_unit(ctx, unit)
    found = next((s for s in unit_duties(ctx, unit) if s.key == key), None)
    if found is None:
        raise NotFound("obligation", key)
    return found


def _stored(ctx: Context, state: DutyState) -> UnitObligation | None:
    """The stored version (None while only the config knows the duty): the audit's `before`."""
    return next((o for o in ctx.repo.obligations(state.record.unit) if o.id == state.record.id), None)


def _evidence(ctx: Context, item: EvidenceFile) -> Evidence:
    """Validate and store one evidence file; photos are normalised like inspection photos."""
    name = item.name.strip()[:200] or "evidence"
    if len(item.data) > MAX_EVIDENCE_BYTES:
        raise InvalidInput("evidence", "file_too_large", name=name)
    if item.data.startswith(b"%PDF-"):
        return Evidence(EvidenceKind.PDF, ctx.pdf_store().put(item.data, ".pdf"), name)
    photo = process(item.data, name)   # raises PhotoRejected saying why the file is not usable
    return Evidence(EvidenceKind.PHOTO, ctx.pdf_store().put(encode_jpeg(photo.image, photo.exif), ".jpg"), name)



def _note(note: str) -> str:
    if len(note) > MAX_NOTE:
        raise InvalidInput("note", "too_long", max=MAX_NOTE)
    return note


def store_evidence(ctx: Context, files: list[EvidenceFile]) -> tuple[Evidence, ...]:
    """Check and store evidence files durably; the returned references can be submitted."""
    if not files:
        raise InvalidInput("evidence", "required")
    return tuple(_evidence(ctx, f) for f in files)


def submit_obligation(ctx: Context, unit: str, key: str, files: list[EvidenceFile], note: str = "") -> DutyState:
    """Mark a duty submitted with its evidence (files stored first, then the record, in one step)."""
    state = duty_state(ctx, unit, key)
    return _submit(ctx, state, store_evidence(ctx, files), _note(note))


def submit_stored(ctx: Context, unit: str, key: str, evidence: tuple[Evidence, ...], note: str = "") -> DutyState:
    """Submit with evidence already stored by `store_evidence` (one scan can serve several duties)."""
    for item in evidence:
        if not ctx.pdf_store().has(item.sha256):
            raise NotFound("evidence", item.sha256)
    return _submit(ctx, duty_state(ctx, unit, key), evidence, _note(note))


def _submit(ctx: Context, state: DutyState, evidence: tuple[Evidence, ...], note: str) -> DutyState:
    with ctx.repo.transaction():
        before = _stored(ctx, state)
        record = rules.submit(before or state.record, evidence, ctx.actor, ctx.now(), note)
        stored = save(ctx, record, before, "transition:submitted")
    return _state(ctx, state.duty, stored, ctx.today())


def submit_monthly_report(ctx: Context, unit: str, year: int, month: int) -> DutyState:
    """Generate the month's work report and submit it as that month's duty, in one step."""
    state = duty_state(ctx, unit, rules.duty_key(rules.MONTHLY, f"{year}-{month:02d}"))
    pdf = render_monthly(monthly_report_data(ctx, unit, year, month))
    name = f"monthly-{unit}-{year}-{month:02d}.pdf"
    evidence = (Evidence(EvidenceKind.REPORT, ctx.pdf_store().put(pdf, ".pdf"), name),)
    return _submit(ctx, state, evidence, "")


def _review(ctx: Context, unit: str, key: str, decide) -> DutyState:
    state = duty_state(ctx, unit, key)
    with ctx.repo.transaction():
        before = _stored(ctx, state)
        record = decide(before or state.record)
        stored = save(ctx, record, before, f"transition:{record.status.value}")
    return _state(ctx, state.duty, stored, ctx.today())


def accept_obligation(ctx: Context, unit: str, key: str) -> DutyState:
    """The bureau accepts a submitted duty."""
    return _review(ctx, unit, key, lambda o: rules.accept(o, ctx.actor, ctx.now()))


def return_obligation(ctx: Context, unit: str, key: str, reason: str) -> DutyState:
    """The bureau returns a submitted duty with the reason; the unit submits it again."""
    return _review(ctx, unit, key, lambda o: rules.give_back(o, reason, ctx.actor, ctx.now()))


def evidence_bytes(ctx: Context, sha256: str) -> bytes:
    try:
        return ctx.pdf_store().read(sha256)
    except FileNotFoundError:
        raise NotFound("evidence", sha256) from None


# ---------------------------------------------------------------- reminders


@dataclass(frozen=True)
class Reminder:
    unit: str
    unit_name: str
    key: str
    name_zh: str
    name_en: str
    due: dt.date
    status: ObligationStatus
    days: int                 # days until due (negative: days late)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class Reminders:
    today: dt.date
    due_soon: tuple[Reminder, ...]     # still to submit, due within `window` days, soonest first
    late: tuple[Reminder, ...]         # past due and not submitted, latest first
    window: int


def reminders(ctx: Context, unit: str | None = None, days: int = 7) -> Reminders:
    """What is due in the next `days` days and what is late, for one unit or (None) every unit."""
    today = ctx.today()
    codes = [unit] if unit else [u.code for u in ctx.catalog.units.units]
    by_unit: dict[str, list[UnitObligation]] = {}
    for record in ctx.repo.obligations(unit):
        by_unit.setdefault(record.unit, []).append(record)
    soon: list[Reminder] = []
    late: list[Reminder] = []
    for code in codes:
        known = ctx.catalog.units.get(code)
        for state in unit_duties(ctx, code, by_unit.get(code, [])):
            item = Reminder(code, known.name_zh if known else code, state.key, state.duty.name_zh,
                            state.duty.name_en, state.duty.due, state.status, (state.duty.due - today).days)
            if state.status is ObligationStatus.LATE:
                late.append(item)
            elif rules.is_due_soon(state.record, today, days):
                soon.append(item)
    return Reminders(today, tuple(sorted(soon, key=lambda r: (r.due, r.unit))),
                     tuple(sorted(late, key=lambda r: (r.due, r.unit))), days)


def reminder_scope(ctx: Context) -> str | None:
    """Whose reminders this device shows: the one unit whose inspections it holds (a unit's
    tablet), else None — the bureau, which holds several units' data or none yet."""
    units = {i.unit for i in ctx.repo.inspections() if not i.deleted}
    return units.pop() if len(units) == 1 else None
