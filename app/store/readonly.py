"""Read a data directory without changing a byte: for `firesweep verify` and diagnostics.

Opening a `TinyRepository` recovers interrupted commits and migrates, which writes. A check must
not: it reports what it finds, exactly as it is on disk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.model import Area, AuditEvent, Hazard, Inspection, Notice, Photo, Record, Response
from app.domain.obligations import UnitObligation

from .atomic import TMP_SUFFIX
from .codec import from_doc
from .journal import JOURNAL
from .migrations import SCHEMA_VERSION

__all__ = ["Snapshot", "FileProblem", "scan"]

_TABLES = {
    "inspection": Inspection, "area": Area, "response": Response, "hazard": Hazard, "notice": Notice, "photo": Photo,
    "obligation": UnitObligation,
}


@dataclass(frozen=True)
class FileProblem:
    kind: str        # unreadable, not_tinydb, schema, undecodable, interrupted_commit
    path: str
    detail: str = ""


@dataclass
class Snapshot:
    records: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in _TABLES})
    audit: list[AuditEvent] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    files: int = 0


def scan(root: Path) -> Snapshot:
    snap = Snapshot()
    if (root / JOURNAL).exists() or any(root.rglob(f"*{TMP_SUFFIX}")):
        snap.problems.append(FileProblem("interrupted_commit", str(root)))
    for path in sorted(root.rglob("*.json")):
        if path.name == JOURNAL:
            continue
        snap.files += 1
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            snap.problems.append(FileProblem("unreadable", str(path), str(exc)[:200]))
            continue
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            snap.problems.append(FileProblem("not_tinydb", str(path)))
            continue
        schema = (data.get("_meta", {}).get("1") or {}).get("schema")
        if schema != SCHEMA_VERSION:
            snap.problems.append(FileProblem("schema", str(path), f"{schema} != {SCHEMA_VERSION}"))
        for table, docs in data.items():
            cls: type[Record | AuditEvent] | None = AuditEvent if table == "audit" else _TABLES.get(table)
            if cls is None:
                continue
            for doc_id, doc in docs.items():
                try:
                    record = from_doc(cls, doc)
                except (TypeError, ValueError, KeyError, ArithmeticError) as exc:
                    snap.problems.append(FileProblem("undecodable", str(path), f"{table}/{doc_id}: {exc}"[:200]))
                    continue
                if isinstance(record, AuditEvent):
                    snap.audit.append(record)
                else:
                    snap.records[table].append(record)
    return snap
