"""`firesweep verify`: is this data directory sound? Reads everything, changes nothing.

Checks that every file reads as TinyDB JSON at the current schema, every reference resolves
(response → area → inspection, hazard → inspection and area), every photo file exists and
matches its hash, every record obeys the lifecycle's invariants, and no two notices of one
issuer share a number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.domain.errors import NotFound
from app.domain.model import HazardStatus, InspectionKind
from app.store.blobs import PACKS, BlobStore
from app.store.readonly import scan

from .context import Context
from .notices import check_notice

__all__ = ["Problem", "VerifyReport", "verify_data", "NoticeIntegrity", "notice_integrity"]


@dataclass(frozen=True)
class Problem:
    kind: str
    where: str
    detail: str = ""


@dataclass(frozen=True)
class VerifyReport:
    files: int
    records: dict[str, int]
    photos_checked: int
    problems: list[Problem]

    @property
    def sound(self) -> bool:
        return not self.problems


def verify_data(data_dir: Path) -> VerifyReport:
    snap = scan(data_dir)
    problems = [Problem(p.kind, p.path, p.detail) for p in snap.problems]
    live = {kind: {r.id: r for r in records} for kind, records in snap.records.items()}
    inspections, areas = live["inspection"], live["area"]

    def ref(kind: str, record, target_kind: str, target_id: str) -> None:
        if target_id not in live[target_kind]:
            problems.append(Problem("dangling_reference", f"{kind}/{record.id}", f"{target_kind} {target_id}"))

    for area in areas.values():
        ref("area", area, "inspection", area.inspection_id)
    seen: Counter[tuple[str, str]] = Counter()
    for response in live["response"].values():
        ref("response", response, "inspection", response.inspection_id)
        ref("response", response, "area", response.area_id)
        seen[(response.area_id, response.item_id)] += 1
    problems += [Problem("duplicate_response", f"area/{a}", i) for (a, i), n in seen.items() if n > 1]
    for inspection in inspections.values():
        if inspection.kind is InspectionKind.SPOT_CHECK and len(inspection.inspectors) < 2:
            problems.append(Problem("invariant", f"inspection/{inspection.id}", "spot-check with one inspector"))
    for hazard in live["hazard"].values():
        ref("hazard", hazard, "inspection", hazard.inspection_id)
        ref("hazard", hazard, "area", hazard.area_id)
        problems += [Problem("invariant", f"hazard/{hazard.id}", reason) for reason in _hazard_invariants(hazard)]
    pdfs = BlobStore(data_dir / "pdfs")
    for notice in live["notice"].values():
        ref("notice", notice, "inspection", notice.inspection_id)
        for hazard_id in notice.hazard_ids:
            ref("notice", notice, "hazard", hazard_id)
        problems += [Problem(f"notice_{p}", f"notice/{notice.id}", notice.number) for p in check_notice(notice, pdfs)]
    problems += _duplicate_numbers(live["notice"].values())

    audited = {event.entity_id for event in snap.audit}
    for kind, records in live.items():
        problems += [Problem("unaudited", f"{kind}/{rid}") for rid in records if rid not in audited]

    photos = BlobStore(data_dir / "photos")
    hashes = sorted(_photo_refs(live) | set(photos.all()))
    for sha in hashes:
        outcome = photos.check(sha)
        if outcome:
            problems.append(Problem(f"photo_{outcome}", f"photos/{sha[:2]}/{sha}"))
    for folder, store in (("photos", photos), ("pdfs", pdfs)):   # a damaged pack: its files read as missing
        problems += [Problem("pack_unreadable", f"{folder}/{PACKS}/{name}") for name in store.unreadable]
    counts = {kind: len(records) for kind, records in live.items()} | {"audit": len(snap.audit)}
    return VerifyReport(snap.files, counts, len(hashes), problems)


class NoticeIntegrity(StrEnum):
    """Can an issued notice still be trusted? (For the mark beside it in the UI.)"""

    OK = "ok"
    PDF_ALTERED = "pdf_altered"              # the PDF file is missing or no longer matches its hash
    SNAPSHOT_ALTERED = "snapshot_altered"    # the frozen content no longer matches its hash


def notice_integrity(ctx: Context, notice_id: str) -> NoticeIntegrity:
    """One notice's check, as `verify` does it: a read, cheap enough for a screen listing notices.

    The PDF is reported first: it is the document that was signed and handed over.
    """
    notice = next((n for n in ctx.repo.notices() if n.id == notice_id), None)
    if notice is None:
        raise NotFound("notice", notice_id)
    problems = check_notice(notice, ctx.pdf_store())
    if any(p.startswith("pdf_") for p in problems):
        return NoticeIntegrity.PDF_ALTERED
    if problems:
        return NoticeIntegrity.SNAPSHOT_ALTERED
    return NoticeIntegrity.OK


def _duplicate_numbers(notices) -> list[Problem]:
    """Two notices with one number from one issuer: the number no longer names one document.

    Serials are counted per device, so two tablets that issue offline can both hand out the same
    number; merging their bundles brings both notices together, and only here does it show.
    The issuer is the issuing body frozen in each notice's snapshot. A corrected notice has a
    number of its own, and a withdrawn (deleted) notice no longer claims one.
    """
    by_number: dict[tuple[str, str], list[str]] = {}
    for notice in notices:
        if not notice.deleted:
            by_number.setdefault((str(notice.snapshot.get("issuer", "")), notice.number), []).append(notice.id)
    return [
        Problem("duplicate_notice_number", ", ".join(f"notice/{i}" for i in sorted(ids)), f"{number} {issuer}".strip())
        for (issuer, number), ids in sorted(by_number.items()) if len(ids) > 1
    ]


def _photo_refs(live: dict[str, dict]) -> set[str]:
    refs: set[str] = set()
    for photo in live["photo"].values():
        refs.update(s for s in (photo.sha256, photo.thumb_sha256, photo.unstamped_sha256, photo.print_sha256) if s)
    for response in live["response"].values():
        refs.update(response.photos)
    for hazard in live["hazard"].values():
        refs.update(hazard.photos)
        if hazard.rectification:
            refs.update(hazard.rectification.photos)
    return refs


def _hazard_invariants(hazard) -> list[str]:
    status, reasons = hazard.status, []
    needs_evidence = status in (HazardStatus.RECTIFIED, HazardStatus.VERIFIED, HazardStatus.REOPENED)
    if needs_evidence and (hazard.rectification is None or not hazard.rectification.photos):
        reasons.append(f"{status.value} without rectification evidence")
    if status is HazardStatus.VERIFIED:
        last = hazard.verifications[-1] if hazard.verifications else None
        if last is None or not last.passed or hazard.closed_at is None:
            reasons.append("verified without a passing re-check")
        elif hazard.rectification and last.by == hazard.rectification.by:
            reasons.append("verified by the rectifier")
    if status is HazardStatus.REOPENED and not any(not v.passed for v in hazard.verifications):
        reasons.append("reopened without a failed re-check")
    if status is HazardStatus.DEFERRED and (hazard.deferral is None or not hazard.deferral.plan):
        reasons.append("deferred without a plan")
    return reasons
