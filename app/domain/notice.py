"""What a rectification notice (火灾隐患整改通知书) says: frozen content, numbered, hashed.

The service assembles a `NoticeContent` from the inspection and its hazards at the moment of
issue; the documents layer renders exactly this, nothing else. Its canonical JSON hash is the
snapshot hash printed in the QR code: later edits to a hazard never change an issued notice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

from .issuers import format_number  # 文号: one style for every document (see issuers)

__all__ = ["NoticeHazardLine", "Signature", "NoticeContent", "format_number", "snapshot_sha256", "QrClaim",
           "qr_message", "encode_qr", "decode_qr"]


@dataclass(frozen=True)
class NoticeHazardLine:
    number: int                 # 1, 2, 3… as printed
    area: str                   # e.g. "住院部3号楼5层"
    description: str
    basis: str                  # the rule violated
    major: bool                 # printed as 重大隐患
    deadline: dt.date
    requirement: str            # 整改要求 / measures asked for
    photos: tuple[str, ...]     # SHA-256 of stored photos; the renderer asks a loader for bytes


@dataclass(frozen=True)
class Signature:
    """A person's name and their signature as a PNG (rendered from pad strokes), if signed."""

    name: str
    png: bytes | None = None


@dataclass(frozen=True)
class NoticeContent:
    notice_id: str
    number: str                         # 文号, e.g. 示卫消整〔2026〕12号
    version: int                        # 1, or higher for a correction
    supersedes_number: str              # number of the notice this one corrects, or ""
    issuer: str                         # issuing body
    recipient: str                      # receiving unit or department
    unit_name: str
    inspection_date: dt.date
    inspection_kind: str                # 自查 / 抽查 / 回头看, already localized (zh)
    areas: tuple[str, ...]
    basis: str                          # the basis for the notice as a whole
    hazards: tuple[NoticeHazardLine, ...]
    requirements: tuple[str, ...]       # numbered requirements paragraph lines
    inspectors: tuple[Signature, ...]
    receiver: Signature                 # 签收人
    issued_at: dt.datetime
    recheck_date: dt.date | None = None

    def snapshot(self) -> dict:
        """Canonical, JSON-ready content; signature images are represented by their hashes.

        JSON-normalised (dates as strings, tuples as lists) so that the stored snapshot and a
        freshly made one hash the same.
        """
        data = asdict(self)
        for person in [*data["inspectors"], data["receiver"]]:
            png = person.pop("png")
            person["png_sha256"] = hashlib.sha256(png).hexdigest() if png else ""
        return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def snapshot_sha256(content: NoticeContent | dict) -> str:
    """SHA-256 of the canonical JSON of the snapshot (a stored snapshot dict hashes the same)."""
    data = content.snapshot() if isinstance(content, NoticeContent) else content
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()




@dataclass(frozen=True)
class QrClaim:
    """What a notice's QR code says: which notice, who issued it, its content hash, and the issuing
    device's signature over all of that — so a printed notice is checked offline by scanning it."""

    number: str
    issuer: str
    issued_on: dt.date
    snapshot_sha256: str
    device_id: str
    signature: str = ""   # base64 Ed25519 over `qr_message`

    def message(self) -> bytes:
        return qr_message(self)


def qr_message(claim: QrClaim) -> bytes:
    """The bytes the issuing device signs: every field but the signature, in a fixed order."""
    fields = ("firesweep-notice/1", claim.number, claim.issuer, claim.issued_on.isoformat(), claim.snapshot_sha256,
              claim.device_id)
    return "\n".join(fields).encode("utf-8")


def encode_qr(claim: QrClaim) -> str:
    """ASCII-only JSON (CJK escaped): some scanners misread UTF-8 without an ECI header."""
    return json.dumps({"v": 1, "no": claim.number, "by": claim.issuer, "on": claim.issued_on.isoformat(),
                       "h": claim.snapshot_sha256, "d": claim.device_id, "s": claim.signature},
                      separators=(",", ":"))


def decode_qr(text: str) -> QrClaim | None:
    """The claim a scanned QR text makes, or None when it is not a firesweep notice QR."""
    try:
        raw = json.loads(text)
        if not isinstance(raw, dict) or raw.get("v") != 1:
            return None
        values = [raw[k] for k in ("no", "by", "on", "h", "d", "s")]
        if not all(isinstance(v, str) for v in values):
            return None
        return QrClaim(values[0], values[1], dt.date.fromisoformat(values[2]), values[3], values[4], values[5])
    except (ValueError, KeyError, TypeError):
        return None
