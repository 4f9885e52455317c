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

__all__ = ["NoticeHazardLine", "Signature", "NoticeContent", "format_number", "snapshot_sha256"]


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
    number: str                         # 文号, e.g. 示卫消整〔2026〕第0012号
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


def format_number(prefix: str, year: int, serial: int) -> str:
    """文号: prefix〔year〕第NNNN号 — the serial is per issuer per year and never reused."""
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial {serial} out of range")
    return f"{prefix}〔{year}〕第{serial:04d}号"
