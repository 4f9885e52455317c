"""Issue a rectification notice: number it, freeze its content, render and store its PDF.

Once issued a notice never changes: its snapshot and PDF hash are stored with it, a reprint
returns the stored PDF byte for byte, and a correction is a new notice (new number, version + 1)
pointing at the one it corrects. Later edits to a hazard never reach an issued notice.

Numbers: prefix〔year〕第NNNN号, the serial per prefix per year kept in the store and never
reused. Each device that issues notices has its own prefix (a setting), so two tablets offline
cannot hand out the same number (`app.services.settings`; the campaign's prefix until set).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.documents.notice_pdf import render_notice
from app.domain.errors import InvalidInput, NotFound
from app.domain.model import InspectionKind, InspectionStatus, Notice
from app.domain.notice import NoticeContent, NoticeHazardLine, Signature, format_number, snapshot_sha256
from app.i18n import Translator
from app.store.blobs import BlobStore

from .context import Context, new_meta, save
from .departments import notice_routing
from .inspections import complete_inspection, get_inspection
from .photos import print_copy_loader
from .settings import notice_prefix

__all__ = [
    "Signatures", "issue_notice", "correct_notice", "preview_content", "notice_pdf", "notices_of", "check_notice",
    "next_number",
]

ZH = Translator("zh-CN")   # a notice is a Chinese document, whatever the UI language


@dataclass(frozen=True)
class Signatures:
    """PNG images rendered from the signature pad, by person."""

    inspectors: tuple[Signature, ...]
    receiver: Signature


def _pdfs(ctx: Context) -> BlobStore:
    if ctx.photos is None:
        raise RuntimeError("this context has no file store")
    return BlobStore(ctx.photos.root.parent / "pdfs")


def _requirements(recheck: str) -> tuple[str, ...]:
    return (
        ZH("notice.req_deadline"),
        ZH("notice.req_cannot"),
        ZH("notice.req_interim"),
        ZH("notice.req_report"),
        ZH("notice.req_recheck", recheck=recheck),
    )


def _content(ctx: Context, inspection, hazards, number: str, version: int, supersedes: str,
             signatures: Signatures, notice_id: str, recipient: str) -> NoticeContent:
    unit = ctx.catalog.units.get(inspection.unit)
    issuer = notice_routing(ctx, inspection, hazards)[0]   # self-check: the unit's security office
    areas = {a.id: a for a in ctx.repo.areas(inspection.id)}
    lines = tuple(
        NoticeHazardLine(
            number=n, area=areas[h.area_id].name if h.area_id in areas else "", description=h.description,
            basis=h.basis, major=h.severity.value == "major", deadline=h.deadline,
            requirement=h.measures or ZH("notice.default_requirement"), photos=h.photos[:2],
        )
        for n, h in enumerate(sorted(hazards, key=lambda h: (h.deadline, h.created_at)), 1)
    )
    latest = max(h.deadline for h in hazards)
    return NoticeContent(
        notice_id=notice_id, number=number, version=version, supersedes_number=supersedes,
        issuer=issuer, recipient=recipient, unit_name=unit.name_zh if unit else inspection.unit,
        inspection_date=inspection.date, inspection_kind=ZH(f"inspection_kind.{inspection.kind.value}"),
        areas=tuple(dict.fromkeys(line.area for line in lines if line.area)), basis=ZH("notice.basis"),
        hazards=lines, requirements=_requirements(ZH("notice.recheck_after", date=_zh_date(latest))),
        inspectors=signatures.inspectors, receiver=signatures.receiver, issued_at=ctx.now(),
    )


def _zh_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _next_number(ctx: Context, prefix: str, year: int) -> str:
    used = [n for n in ctx.repo.notices() if n.number.startswith(f"{prefix}〔{year}〕")]
    serial = 1 + max((int(n.number.split("第")[1].rstrip("号")) for n in used), default=0)
    return format_number(prefix, year, serial)


def next_number(ctx: Context, prefix: str) -> str:
    """The number the next notice issued here with `prefix` would get this year (Settings shows it)."""
    return _next_number(ctx, prefix, ctx.today().year)


def issue_notice(ctx: Context, inspection_id: str, signatures: Signatures, recipient: str = "",
                 prefix: str | None = None) -> Notice:
    """Issue the notice for an inspection's hazards (completing the inspection if still a draft)."""
    if len(signatures.inspectors) < 1 or not all(s.name.strip() for s in signatures.inspectors):
        raise InvalidInput("inspectors", "required")
    with ctx.repo.transaction():
        inspection = get_inspection(ctx, inspection_id)
        if inspection.kind is InspectionKind.SPOT_CHECK and len(signatures.inspectors) < 2:
            raise InvalidInput("inspectors", "two_inspectors")
        hazards = [h for h in ctx.repo.hazards(inspection.unit) if h.inspection_id == inspection.id and not h.deleted]
        if not hazards:
            raise InvalidInput("hazards", "no_hazards")
        if inspection.status is InspectionStatus.DRAFT:
            inspection = complete_inspection(ctx, inspection.id)
        recipient = recipient or notice_routing(ctx, inspection, hazards)[1]   # self-check: the department
        return _issue(ctx, inspection, hazards, signatures, recipient,
                      prefix or notice_prefix(ctx), version=1, supersedes=None)


def _issue(ctx, inspection, hazards, signatures, recipient, prefix, version, supersedes: Notice | None) -> Notice:
    meta = new_meta(ctx, inspection.unit)
    number = _next_number(ctx, prefix, ctx.today().year)
    content = _content(ctx, inspection, hazards, number, version, supersedes.number if supersedes else "",
                       signatures, meta["id"], recipient)
    pdf = render_notice(content, print_copy_loader(ctx, inspection.unit))
    notice = Notice(
        **meta, inspection_id=inspection.id, number=number, recipient=recipient, issued_at=content.issued_at,
        hazard_ids=tuple(h.id for h in hazards), snapshot=content.snapshot(),
        snapshot_sha256=snapshot_sha256(content), pdf_sha256=_pdfs(ctx).put(pdf, ".pdf"), version=version,
        supersedes=supersedes.id if supersedes else "",
    )
    return save(ctx, notice, None, "issue")


def correct_notice(ctx: Context, notice_id: str, signatures: Signatures) -> Notice:
    """A corrected notice from the hazards as they are now; the old one stays as issued."""
    with ctx.repo.transaction():
        old = _notice(ctx, notice_id)
        inspection = get_inspection(ctx, old.inspection_id)
        hazards = [h for h in ctx.repo.hazards(old.unit) if h.id in old.hazard_ids and not h.deleted]
        prefix = old.number.split("〔")[0]
        return _issue(ctx, inspection, hazards, signatures, old.recipient, prefix, old.version + 1, old)


def preview_content(ctx: Context, inspection_id: str, signatures: Signatures, recipient: str = "") -> NoticeContent:
    """What the notice would say if issued now (unnumbered): for a preview before signing."""
    inspection = get_inspection(ctx, inspection_id)
    hazards = [h for h in ctx.repo.hazards(inspection.unit) if h.inspection_id == inspection.id and not h.deleted]
    if not hazards:
        raise InvalidInput("hazards", "no_hazards")
    return _content(ctx, inspection, hazards, ZH("notice.preview_number"), 1, "", signatures, "preview",
                    recipient or notice_routing(ctx, inspection, hazards)[1])


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
    return _pdfs(ctx).read(notice.pdf_sha256)


def check_notice(notice: Notice, pdfs: BlobStore) -> list[str]:
    """Why an issued notice can no longer be trusted: altered snapshot, PDF missing or altered."""
    problems = []
    if snapshot_sha256(notice.snapshot) != notice.snapshot_sha256:
        problems.append("snapshot_altered")
    outcome = pdfs.check(notice.pdf_sha256)
    if outcome:
        problems.append(f"pdf_{outcome}")
    return problems

