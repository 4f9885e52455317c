"""Issue a rectification notice: number it, freeze its content, render and store its PDF.

Once issued a notice never changes: its snapshot and PDF hash are stored with it, a reprint
returns the stored PDF byte for byte, and a correction is a new notice (new number, version + 1)
pointing at the one it corrects. Later edits to a hazard never reach an issued notice.

Numbers: prefix〔year〕N号 (GB/T 9704), the issuer's prefix (`app.services.issuers`), the serial
per prefix per year never reused. An enrolled device numbers only inside the block of serials its
certificate grants, so two tablets of one issuer offline can never hand out the same number.

The QR code carries the number, issuer, date, snapshot hash and this device's signature over them
(`QrClaim`): `notice_check.verify_payload` checks a scanned notice offline against the keys this store trusts.

Who to whom (`app.services.issuers`): a self-check's notice is issued by the unit's security office
to ONE department (one notice per department, "请你科（部门）"; never to the office itself); a
spot-check's by the bureau to the unit. Signatures follow `app.domain.notice.check_signatures`.
A row prints the hazard's own requirement, 立即改正 when its deadline is the inspection day, and
"可能构成重大火灾隐患" for a hazard flagged major (a formal determination under GB 35181-2025 is
not the inspector's to make on site).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.documents.notice_pdf import render_notice
from app.domain.errors import InvalidInput, NotFound
from app.domain.issuers import IssuerKind, format_number, next_serial, parse_number
from app.domain.model import Hazard, Inspection, InspectionKind, InspectionStatus, Notice
from app.domain.notice import (
    RECIPIENT_DEPARTMENT,
    RECIPIENT_UNIT,
    NoticeContent,
    NoticeHazardLine,
    QrClaim,
    Refusal,
    Signature,
    check_signatures,
    encode_qr,
    snapshot_sha256,
)
from app.i18n import Translator
from app.store.blobs import BlobStore

from .context import Context, new_meta, save
from .inspections import complete_inspection, get_inspection
from .issuers import SECURITY_OFFICE, notice_issuer, number_block
from .photos import print_copy_loader
from .sync import device_key

__all__ = [
    "Signatures", "issue_notice", "correct_notice", "preview_content", "notice_pdf", "notices_of", "check_notice",
    "notice_recipients", "hazard_requirement", "next_number",
]

ZH = Translator("zh-CN")   # a notice is a Chinese document, whatever the UI language


@dataclass(frozen=True)
class Signatures:
    """PNG images rendered from the signature pad, by person."""

    inspectors: tuple[Signature, ...]
    receiver: Signature
    refusal: Refusal | None = None      # the receiver refused to sign: witness and time



def _requirements(recheck: str, immediate_only: bool) -> tuple[str, ...]:
    deadline = ZH("notice_doc.req_immediate") if immediate_only else ZH("notice.req_deadline")
    return (
        deadline,
        ZH("notice.req_cannot"),
        ZH("notice.req_interim"),
        ZH("notice.req_report"),
        ZH("notice_doc.req_recheck", recheck=recheck),
    )


def hazard_requirement(ctx: Context, hazard: Hazard, area) -> str:
    """What the notice asks for this hazard: its own requirement, else its measures, else what its
    checklist item requires (the item's statement is the rule as met), else a general line."""
    own = str(getattr(hazard, "requirement", "") or "").strip() or hazard.measures.strip()
    if own:
        return own
    if hazard.item_id and area is not None:
        try:
            return ctx.catalog.checklist(area.checklist_id).item(hazard.item_id).text_zh + "。"
        except (KeyError, LookupError, ValueError):
            pass
    return ZH("notice.default_requirement")


def _description(hazard: Hazard, area_name: str) -> str:
    """The finding without its location when it starts with it: the location has its own column."""
    text = hazard.description.strip()
    if area_name and text.startswith(area_name):
        text = text[len(area_name):].lstrip("，,：:、 ")
    return text or hazard.description


def _unit_name(ctx: Context, unit: str) -> str:
    known = ctx.catalog.units.get(unit)
    return known.name_zh if known else unit


def _recipient_of(ctx: Context, inspection: Inspection, hazard: Hazard) -> str:
    """The department a unit's own notice goes to (the unit when its area names none); the
    bureau's notice goes to the unit."""
    if _unit_issues(ctx, inspection):
        return hazard.department or _unit_name(ctx, inspection.unit)
    return _unit_name(ctx, inspection.unit)


def _unit_issues(ctx: Context, inspection: Inspection) -> bool:
    return notice_issuer(ctx, inspection).kind is IssuerKind.UNIT_SECURITY


def _own_office(department: str) -> bool:
    return department.strip().endswith((SECURITY_OFFICE, "保卫科", "保卫部"))


def _live_hazards(ctx: Context, inspection: Inspection) -> list[Hazard]:
    return [h for h in ctx.repo.hazards(inspection.unit) if h.inspection_id == inspection.id and not h.deleted]


def notice_recipients(ctx: Context, inspection_id: str) -> list[str]:
    """Who still gets a notice for this inspection: each department with hazards not yet on an
    issued notice (a self-check), or the unit (a spot-check). The security office never serves
    itself: hazards of its own areas are rectified on its own ledger, without a notice."""
    inspection = get_inspection(ctx, inspection_id)
    covered = {h for n in ctx.repo.notices(inspection.unit) if n.inspection_id == inspection.id and not n.deleted
               for h in n.hazard_ids}
    names = [_recipient_of(ctx, inspection, h) for h in sorted(_live_hazards(ctx, inspection),
                                                                key=lambda h: h.created_at)
             if h.id not in covered]
    return [n for n in dict.fromkeys(names) if not _own_office(n)]


def _content(ctx: Context, inspection, hazards, number: str, version: int, supersedes: str,
             signatures: Signatures, notice_id: str, recipient: str) -> NoticeContent:
    issuer = notice_issuer(ctx, inspection)
    areas = {a.id: a for a in ctx.repo.areas(inspection.id)}
    lines = []
    for n, h in enumerate(sorted(hazards, key=lambda h: (h.deadline, h.created_at)), 1):
        area = areas.get(h.area_id)
        name = area.name if area else ""
        lines.append(NoticeHazardLine(
            number=n, area=name, description=_description(h, name), basis=h.basis,
            major=h.severity.value == "major", deadline=h.deadline, requirement=hazard_requirement(ctx, h, area),
            photos=h.photos[:2], immediate=h.deadline <= inspection.date,
            major_determined=bool(getattr(h, "major_determined", False)),
        ))
    latest = max(h.deadline for h in hazards)
    unit_name = _unit_name(ctx, inspection.unit)
    to_department = issuer.kind is IssuerKind.UNIT_SECURITY and recipient != unit_name
    return NoticeContent(
        notice_id=notice_id, number=number, version=version, supersedes_number=supersedes,
        issuer=issuer.name, recipient=recipient, unit_name=unit_name,
        inspection_date=inspection.date, inspection_kind=ZH(f"inspection_kind.{inspection.kind.value}"),
        areas=tuple(dict.fromkeys(line.area for line in lines if line.area)), basis=ZH("notice.basis"),
        hazards=tuple(lines),
        requirements=_requirements(ZH("notice.recheck_after", date=_zh_date(latest)),
                                   all(line.immediate for line in lines)),
        inspectors=signatures.inspectors, receiver=signatures.receiver, issued_at=ctx.now(),
        seal=issuer.seal_text, signer_title=issuer.signer_title,
        recipient_kind=RECIPIENT_DEPARTMENT if to_department else RECIPIENT_UNIT, refusal=signatures.refusal,
    )


def _zh_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _next_number(ctx: Context, prefix: str, year: int) -> str:
    """The next number of this prefix's series in `year`, inside this device's block."""
    serial = next_serial(ctx.repo.used_numbers(), prefix, year, number_block(ctx, prefix))
    if serial is None:
        raise InvalidInput("notice_number", "block_used_up", prefix=prefix)
    return format_number(prefix, year, serial)


def next_number(ctx: Context, prefix: str) -> str:
    """The number the next notice issued here would get this year (Settings shows it): in the series
    of the last notice this device issued, else with `prefix`."""
    last = ctx.repo.latest_number(ctx.repo.device_id)
    latest = parse_number(last) if last else None
    return _next_number(ctx, latest[0] if latest else prefix, ctx.today().year)


def _choose(ctx: Context, inspection: Inspection, recipient: str) -> tuple[str, list[Hazard]]:
    """The recipient (the only pending one when none is named) and the hazards its notice lists."""
    if not _live_hazards(ctx, inspection):
        raise InvalidInput("hazards", "no_hazards")
    if recipient and _own_office(recipient):
        raise InvalidInput("recipient", "own_office", name=recipient)
    pending = notice_recipients(ctx, inspection.id)
    if not recipient:
        if len(pending) != 1:
            raise InvalidInput("recipient", "choose_recipient" if pending else "all_notified",
                               options="、".join(pending))
        recipient = pending[0]
    elif recipient not in pending:
        raise InvalidInput("recipient", "not_a_recipient", name=recipient, options="、".join(pending))
    issued = {h for n in ctx.repo.notices(inspection.unit) if n.inspection_id == inspection.id and not n.deleted
              for h in n.hazard_ids}
    hazards = [h for h in _live_hazards(ctx, inspection)
               if h.id not in issued and _recipient_of(ctx, inspection, h) == recipient]
    return recipient, hazards


def issue_notice(ctx: Context, inspection_id: str, signatures: Signatures, recipient: str = "") -> Notice:
    """Issue the notice for an inspection's hazards to one recipient (completing the inspection if
    still a draft). A self-check with hazards in several departments issues one notice each:
    name the department (`notice_recipients` lists those still waiting)."""
    with ctx.repo.transaction():
        inspection = get_inspection(ctx, inspection_id)
        check_signatures(inspection.inspectors, inspection.kind is InspectionKind.SPOT_CHECK,
                         signatures.inspectors, signatures.receiver, signatures.refusal)
        recipient, hazards = _choose(ctx, inspection, recipient.strip())
        if inspection.status is InspectionStatus.DRAFT:
            inspection = complete_inspection(ctx, inspection.id)
        return _issue(ctx, inspection, hazards, signatures, recipient, version=1, supersedes=None)


def _issue(ctx: Context, inspection: Inspection, hazards: list[Hazard], signatures: Signatures, recipient: str,
           version: int, supersedes: Notice | None) -> Notice:
    meta = new_meta(ctx, inspection.unit)
    issuer = notice_issuer(ctx, inspection)
    number = _next_number(ctx, issuer.prefix, ctx.today().year)
    content = _content(ctx, inspection, hazards, number, version, supersedes.number if supersedes else "",
                       signatures, meta["id"], recipient)
    sha = snapshot_sha256(content)
    pdf = render_notice(content, print_copy_loader(ctx, inspection.unit), qr_text=encode_qr(_claim(ctx, content, sha)))
    notice = Notice(
        **meta, inspection_id=inspection.id, number=number, recipient=recipient, issued_at=content.issued_at,
        hazard_ids=tuple(h.id for h in hazards), snapshot=content.snapshot(),
        snapshot_sha256=sha, pdf_sha256=ctx.pdf_store().put(pdf, ".pdf"), version=version,
        supersedes=supersedes.id if supersedes else "",
    )
    return save(ctx, notice, None, "issue")


def _claim(ctx: Context, content: NoticeContent, sha: str) -> QrClaim:
    """The QR's claim, signed by this device's key."""
    unsigned = QrClaim(content.number, content.issuer, ctx.today(), sha, ctx.repo.device_id)
    signature = device_key(ctx).sign(unsigned.message())
    return QrClaim(**{**unsigned.__dict__, "signature": signature})


def correct_notice(ctx: Context, notice_id: str, signatures: Signatures) -> Notice:
    """A corrected notice from the hazards as they are now; the old one stays as issued."""
    with ctx.repo.transaction():
        old = _notice(ctx, notice_id)
        inspection = get_inspection(ctx, old.inspection_id)
        check_signatures(inspection.inspectors, inspection.kind is InspectionKind.SPOT_CHECK,
                         signatures.inspectors, signatures.receiver, signatures.refusal)
        hazards = [h for h in ctx.repo.hazards(old.unit) if h.id in old.hazard_ids and not h.deleted]
        return _issue(ctx, inspection, hazards, signatures, old.recipient, old.version + 1, old)


def preview_content(ctx: Context, inspection_id: str, signatures: Signatures, recipient: str = "") -> NoticeContent:
    """What the notice would say if issued now (unnumbered): for a preview before signing."""
    inspection = get_inspection(ctx, inspection_id)
    recipient, hazards = _choose(ctx, inspection, recipient.strip())
    return _content(ctx, inspection, hazards, ZH("notice.preview_number"), 1, "", signatures, "preview", recipient)


def _notice(ctx: Context, notice_id: str) -> Notice:
    found = next((n for n in ctx.repo.notices() if n.id == notice_id and not n.deleted), None)
    if found is None:
        raise NotFound("notice", notice_id)
    return found


def notices_of(ctx: Context, inspection_id: str) -> list[Notice]:
    inspection = get_inspection(ctx, inspection_id)
    return sorted((n for n in ctx.repo.notices(inspection.unit) if n.inspection_id == inspection_id),
                  key=lambda n: n.version)


def notice_pdf(ctx: Context, notice_id: str) -> bytes:
    """The issued PDF, byte for byte as issued."""
    notice = _notice(ctx, notice_id)
    return ctx.pdf_store().read(notice.pdf_sha256)


def check_notice(notice: Notice, pdfs: BlobStore) -> list[str]:
    """Why an issued notice can no longer be trusted: altered snapshot, PDF missing or altered."""
    problems = []
    if snapshot_sha256(notice.snapshot) != notice.snapshot_sha256:
        problems.append("snapshot_altered")
    outcome = pdfs.check(notice.pdf_sha256)
    if outcome:
        problems.append(f"pdf_{outcome}")
    return problems

