"""Records in dicts: the repository for tests and for what-if previews. Same contract as TinyDB's."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from app.domain.model import Area, AuditEvent, Hazard, Inspection, Notice, Photo, Record, Response
from app.domain.obligations import UnitObligation

__all__ = ["MemoryRepository"]


class MemoryRepository:
    def __init__(self, device_id: str = "memory"):
        self.device_id = device_id
        self._rev = 0
        self._in_tx = False
        kinds = ("inspection", "area", "response", "hazard", "notice", "photo", "obligation")
        self._tables: dict[str, dict[str, Record]] = {k: {} for k in kinds}
        self._audit: list[AuditEvent] = []
        self._settings: dict[str, dict] = {}
        self._settings_audit: list[AuditEvent] = []

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_tx:
            yield
            return
        saved = ({k: dict(v) for k, v in self._tables.items()}, list(self._audit), self._rev,
                 dict(self._settings), list(self._settings_audit))
        self._in_tx = True
        try:
            yield
        except BaseException:
            # all or nothing, like the disk store
            self._tables, self._audit, self._rev, self._settings, self._settings_audit = saved
            raise
        finally:
            self._in_tx = False

    def _require_tx(self) -> None:
        if not self._in_tx:
            raise RuntimeError("writes must happen inside repository.transaction()")

    def next_rev(self, floor: int = 0) -> int:
        self._require_tx()
        self._rev = max(self._rev, floor) + 1
        return self._rev

    def observe_rev(self, rev: int) -> None:
        self._rev = max(self._rev, rev)

    def _put(self, table: str, record: Record) -> None:
        self._require_tx()
        self._tables[table][record.id] = record

    def save_inspection(self, inspection: Inspection) -> None:
        self._put("inspection", inspection)

    def get_inspection(self, inspection_id: str) -> Inspection | None:
        return self._tables["inspection"].get(inspection_id)  # type: ignore[return-value]

    def inspections(self, unit: str | None = None) -> list[Inspection]:
        return [i for i in self._tables["inspection"].values() if unit is None or i.unit == unit]  # type: ignore[misc]

    def save_area(self, area: Area) -> None:
        self._put("area", area)

    def get_area(self, area_id: str, inspection_id: str) -> Area | None:
        area = self._tables["area"].get(area_id)
        return area if area is not None and area.inspection_id == inspection_id else None  # type: ignore[attr-defined,return-value]

    def areas(self, inspection_id: str) -> list[Area]:
        return [a for a in self._tables["area"].values() if a.inspection_id == inspection_id]  # type: ignore[attr-defined,misc]

    def save_response(self, response: Response) -> None:
        self._put("response", response)

    def responses(self, inspection_id: str) -> list[Response]:
        return [r for r in self._tables["response"].values() if r.inspection_id == inspection_id]  # type: ignore[attr-defined,misc]

    def save_hazard(self, hazard: Hazard) -> None:
        self._put("hazard", hazard)

    def get_hazard(self, hazard_id: str) -> Hazard | None:
        return self._tables["hazard"].get(hazard_id)  # type: ignore[return-value]

    def hazards(self, unit: str | None = None) -> list[Hazard]:
        return [h for h in self._tables["hazard"].values() if unit is None or h.unit == unit]  # type: ignore[misc]

    def save_notice(self, notice: Notice) -> None:
        self._put("notice", notice)

    def notices(self, unit: str | None = None) -> list[Notice]:
        return [n for n in self._tables["notice"].values() if unit is None or n.unit == unit]  # type: ignore[misc]

    def save_photo(self, photo: Photo) -> None:
        self._put("photo", photo)

    def photos(self, unit: str | None = None) -> list[Photo]:
        return [p for p in self._tables["photo"].values() if unit is None or p.unit == unit]  # type: ignore[misc]

    def save_obligation(self, obligation: UnitObligation) -> None:
        self._put("obligation", obligation)

    def obligations(self, unit: str | None = None) -> list[UnitObligation]:
        return [o for o in self._tables["obligation"].values() if unit is None or o.unit == unit]  # type: ignore[misc]

    def audit_of(self, record: Record) -> list[AuditEvent]:
        return [e for e in self._audit if e.entity_id == record.id]

    def append_audit(self, event: AuditEvent, container: Record) -> None:
        self._require_tx()
        self._audit.append(event)

    def audit(self, entity_id: str | None = None, *, entity: str | None = None,
              unit: str | None = None) -> Iterator[AuditEvent]:
        return iter([e for e in self._audit if (entity_id is None or e.entity_id == entity_id)
                     and (entity is None or e.entity == entity) and (unit is None or e.unit == unit)])

    def get_settings(self, key: str) -> dict | None:
        doc = self._settings.get(key)
        return copy.deepcopy(doc) if doc is not None else None

    def save_settings(self, key: str, doc: dict) -> None:
        self._require_tx()
        self._settings[key] = copy.deepcopy(doc)

    def append_settings_audit(self, event: AuditEvent) -> None:
        self._require_tx()
        self._settings_audit.append(event)

    def settings_audit(self) -> list[AuditEvent]:
        return list(self._settings_audit)
