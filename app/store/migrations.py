"""Schema versions and the code that moves stored files from one to the next.

Every TinyDB file carries `{"schema": N}` in its `_meta` table. Opening a store whose files are
older runs each step in order, inside one transaction, so a crash mid-migration leaves the old
files intact (the journal rolls the whole step forward or not at all).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

__all__ = ["SCHEMA_VERSION", "MIGRATIONS", "migrate_tables"]

SCHEMA_VERSION = 2

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


MIGRATIONS: dict[int, Callable[[str, Tables], None]] = {1: _v1_to_v2}


def migrate_tables(kind: str, tables: Tables, from_version: int) -> int:
    """Apply every step from `from_version`; return the version reached."""
    version = from_version
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](kind, tables)
        version += 1
    return version
