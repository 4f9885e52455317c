"""A verified bundle's records, decoded and checked: the one place bundle bytes become records.

`read_bundle` checks the container and the signed manifest; `decode_records` turns every record
line into a domain object and checks what a hostile sender could get wrong on purpose: each field's
type (`decode_checked`: `from_doc` trusts types, this does not), ids and unit codes (they name files
and folders), and that every unit is one of the campaign's. One bad record refuses the whole bundle,
before the store is touched. The services then only merge what this hands them, and decide who may
have made it.
"""

from __future__ import annotations

import re
from typing import Any

from app.domain.errors import BundleRejected
from app.domain.model import AuditEvent, Record
from app.domain.repository import StoredDoc

from .bundle_file import VerifiedBundle
from .checked_decode import decode_checked
from .record_kinds import KINDS

__all__ = ["KINDS", "decode_records"]

_ID = re.compile(r"^[0-9a-f]{8,64}$")
_UNIT = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


def decode_records(bundle: VerifiedBundle, catalog_units: set[str]) -> dict[str, list[tuple[Any, StoredDoc | None]]]:
    """Every record of the bundle decoded and checked, by kind (audit events under "audit"), each
    with its document when that is exactly how the store would write it (`is_canonical`), so
    that the merge keeps it as it came instead of encoding the record again; else None."""
    name = bundle.name
    decoded: dict[str, list[tuple[Any, StoredDoc | None]]] = {}
    for kind in list(bundle.record_entries):
        cls: type[Record | AuditEvent] = AuditEvent if kind == "audit" else KINDS[kind]
        items = []
        for doc in bundle.take_docs(kind):
            try:
                checked = decode_checked(cls, doc)
            except (TypeError, ValueError, KeyError, ArithmeticError, AttributeError):
                raise BundleRejected(name, "bad_record", entry=kind) from None
            if checked is None:
                raise BundleRejected(name, "bad_record", entry=kind)
            item, canonical = checked
            refs = [item.id, getattr(item, "inspection_id", "") or "0" * 8]
            if not all(_ID.match(v) for v in refs) or not _UNIT.match(item.unit):
                raise BundleRejected(name, "bad_record", entry=kind)   # ids name files: never trust them
            if item.unit not in catalog_units:
                raise BundleRejected(name, "unknown_unit", entry=item.unit)
            items.append((item, doc if canonical else None))
        decoded[kind] = items
    return decoded
