"""The kinds of record the store keeps, by name: one map for the files, the memory store and bundles.

The name is a record's table in its file, its field in the memory store and its entry in a bundle;
the order is the merge's (parents before children: inspections, areas, responses, hazards…).
"""

from __future__ import annotations

from app.domain.model import Area, Hazard, Inspection, Notice, Photo, Record, Response
from app.domain.obligations import UnitObligation

__all__ = ["KINDS", "KIND_OF"]

KINDS: dict[str, type[Record]] = {
    "inspection": Inspection, "area": Area, "response": Response, "hazard": Hazard, "notice": Notice, "photo": Photo,
    "obligation": UnitObligation,   # campaign duties: submitted by a unit, accepted or returned by the bureau
}
KIND_OF: dict[type, str] = {cls: kind for kind, cls in KINDS.items()}
