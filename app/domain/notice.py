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

from .errors import InvalidInput
from .issuers import format_number  # 文号: one style for every document (see issuers)

__all__ = [
    "NoticeHazardLine", "Signature", "Refusal", "NoticeContent", "format_number", "snapshot_sha256",
    "check_signatures", "RECIPIENT_UNIT", "RECIPIENT_DEPARTMENT", "QrClaim", "qr_message", "encode_qr", "decode_qr",
]

RECIPIENT_UNIT = "unit"              # the bureau's notice to a unit: "请你单位"
RECIPIENT_DEPARTMENT = "department"  # a security office's notice to one department: "请你科（部门）"


@dataclass(frozen=True)
class NoticeHazardLine:
    number: int                 # 1, 2, 3… as printed
    area: str                   # e.g. "住院部3号楼5层"
    description: str
    basis: str                  # the rule violated
    major: bool                 # flagged major: "可能构成重大火灾隐患" until formally determined
    deadline: dt.date
    requirement: str            # the item's own requirement (整改要求)
    photos: tuple[str, ...]     # SHA-256 of stored photos; the renderer asks a loader for bytes
    immediate: bool = False     # deadline on the inspection day: printed 立即改正 (107号令 Art. 19)
    major_determined: bool = False   # determined under GB 35181-2025: printed 重大火灾隐患


@dataclass(frozen=True)
class Signature:
    """A person's name and their signature as a PNG (rendered from pad strokes), if signed."""

    name: str
    png: bytes | None = None


@dataclass(frozen=True)
class Refusal:
    """The receiver refused to sign (拒绝签收): recorded with a witness and the time, as field practice does."""

    witness: Signature
    at: dt.datetime


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
    seal: str = ""                      # text of the issuer's seal, printed in the seal area (盖章处)
    signer_title: str = ""              # who signs for the issuer (e.g. 保卫处（科）负责人)
    recipient_kind: str = RECIPIENT_UNIT
    refusal: Refusal | None = None      # set when the receiver refused to sign

    def snapshot(self) -> dict:
        """Canonical, JSON-ready content; signature images are represented by their hashes.

        JSON-normalised (dates as strings, tuples as lists) so that the stored snapshot and a
        freshly made one hash the same.
        """
        data = asdict(self)
        people = [*data["inspectors"], data["receiver"]]
        if data.get("refusal"):
            people.append(data["refusal"]["witness"])
        for person in people:
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


def check_signatures(team: tuple[str, ...], spot_check: bool, inspectors: tuple[Signature, ...],
                     receiver: Signature, refusal: Refusal | None) -> None:
    """Refuse a notice whose signatures law-enforcement practice would not accept.

    107号令 Art. 14: a spot-check is made by at least two inspectors, and every inspector of it
    signs. A signer must be on the inspection's team, once. The receiver signs, and cannot be
    one of the inspectors; one who refuses is recorded as 拒绝签收 with a witness (not an
    inspector) and the time.
    """
    names = [s.name.strip() for s in inspectors]
    if not names or not all(names):
        raise InvalidInput("inspectors", "required")
    if len(set(names)) != len(names):
        raise InvalidInput("inspectors", "signed_twice")
    strangers = [n for n in names if n not in team]
    if strangers:
        raise InvalidInput("inspectors", "not_on_team", name=strangers[0])
    if spot_check:
        if len(team) < 2 or len(names) < 2:
            raise InvalidInput("inspectors", "two_inspectors")
        unsigned = [n for n in team if n not in names]
        if unsigned:
            raise InvalidInput("inspectors", "every_inspector_signs", name=unsigned[0])
    receiver_name = receiver.name.strip()
    if refusal is None:
        if not receiver_name:
            raise InvalidInput("receiver", "required")
        if receiver_name in names or receiver_name in team:
            raise InvalidInput("receiver", "receiver_is_inspector", name=receiver_name)
        return
    witness = refusal.witness.name.strip()
    if not witness:
        raise InvalidInput("witness", "required")
    if witness in names or witness in team or witness == receiver_name:
        raise InvalidInput("witness", "witness_not_independent", name=witness)
