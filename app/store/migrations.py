"""Schema versions and the code that moves stored files from one to the next.

Every TinyDB file carries `{"schema": N}` in its `_meta` table. Opening a store whose files are
older runs each step in order, inside one transaction, so a crash mid-migration leaves the old
files intact (the journal rolls the whole step forward or not at all).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

__all__ = ["SCHEMA_VERSION", "MIGRATIONS", "migrate_tables", "BEFORE_APPROVALS"]

SCHEMA_VERSION = 3

Tables = dict[str, dict[str, dict[str, Any]]]


def _v1_to_v2(kind: str, tables: Tables) -> None:
    """v1 kept a hazard's funds as a float `funds_yuan` and its owner as `responsible_person`.

    Floats lose fen (0.1 + 0.2 ≠ 0.3), so v2 stores funds as a decimal string `funds`, rounded
    to the fen, and uses the domain's word `responsible`.
    """
    if kind != "hazards":
        return
    for doc in tables.get("hazard", {}).values():
        if "funds_yuan" in doc:
            doc["funds"] = str(Decimal(str(doc.pop("funds_yuan"))).quantize(Decimal("0.01")))
        if "responsible_person" in doc:
            doc["responsible"] = doc.pop("responsible_person")


BEFORE_APPROVALS = "升级前已生效"   # a deferral made before deferrals of major hazards needed approval


def _v2_to_v3(kind: str, tables: Tables) -> None:
    """v3 (authority): a hazard may hold a deferral request awaiting the bureau, and its findings
    and requirement; a deferral records when it was asked, the deadline it moved, who approved it.

    Every hazard gets the new fields explicitly (stock TinyDB readers see the whole record). A
    deferral made before approvals existed took effect when it was made: it is kept as it is and
    marked so (`approved_by`), never silently treated as approved by a person.
    """
    if kind != "hazards":
        return
    for doc in tables.get("hazard", {}).values():
        doc.setdefault("deferral_request", None)
        doc.setdefault("findings", [])
        doc.setdefault("requirement", "")
        deferral = doc.get("deferral")
        if isinstance(deferral, dict) and "requested_on" not in deferral:
            deferral.update(requested_on=None, original_deadline=None, requested_by="",
                            approved_by=BEFORE_APPROVALS, approved_at=None)


MIGRATIONS: dict[int, Callable[[str, Tables], None]] = {1: _v1_to_v2, 2: _v2_to_v3}


def migrate_tables(kind: str, tables: Tables, from_version: int) -> int:
    """Apply every step from `from_version`; return the version reached."""
    version = from_version
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](kind, tables)
        version += 1
    return version
