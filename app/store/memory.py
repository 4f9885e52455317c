"""Records in dicts: the repository for tests and for what-if previews. Same contract as TinyDB's.

Everything lives in memory except what the contract says is a file: `root` is a temporary folder
this repository owns (made on first use, removed with it), where keys, checklist versions and the
files staged by `stage_file` appear, as they would under a data folder on disk.
"""

from __future__ import annotations

import copy
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

from app.domain.issuers import UsedNumbers
from app.domain.model import Area, AuditEvent, Hazard, Inspection, Notice, Photo, Record, Response
from app.domain.obligations import UnitObligation
from app.domain.repository import ByteSink, DeviceDoc, PeerDoc, StoredDoc

from .atomic import atomic_write
from .codec import to_doc
from .record_kinds import KIND_OF, KINDS

__all__ = ["MemoryRepository"]


@dataclass
class _State:
    """All a transaction may change: copied when one begins, put back if it raises."""

    rev: int = 0
    inspection: dict[str, Inspection] = field(default_factory=dict)
    area: dict[str, Area] = field(default_factory=dict)
    response: dict[str, Response] = field(default_factory=dict)
    hazard: dict[str, Hazard] = field(default_factory=dict)
    notice: dict[str, Notice] = field(default_factory=dict)
    numbers: UsedNumbers = field(default_factory=UsedNumbers)   # of the notices above
    photo: dict[str, Photo] = field(default_factory=dict)
    obligation: dict[str, UnitObligation] = field(default_factory=dict)
    audit: list[AuditEvent] = field(default_factory=list)
    audit_ids: set[str] = field(default_factory=set)
    settings: dict[str, dict] = field(default_factory=dict)
    settings_audit: list[AuditEvent] = field(default_factory=list)
    devices: dict[str, DeviceDoc] = field(default_factory=dict)
    peers: dict[str, PeerDoc] = field(default_factory=dict)

    def copy(self) -> _State:
        # records are frozen and documents are replaced whole, never changed in place:
        # copying the containers is enough
        return _State(**{f.name: copy.copy(getattr(self, f.name)) for f in fields(self)})


class MemoryRepository:
    def __init__(self, device_id: str = "memory", root: Path | None = None):
        """`root`: a folder for the store's files; by default a temporary one, made when first needed."""
        self.device_id = device_id
        self._s = _State()
        self._in_tx = False
        self._root = root
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._staged: dict[str, bytes] = {}

    @property
    def root(self) -> Path:
        if self._root is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="firesweep-memory-")   # removed with us
            self._root = Path(self._tmp.name)
        return self._root

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_tx:
            yield
            return
        saved = self._s.copy()
        self._in_tx = True
        try:
            yield
            staged, self._staged = self._staged, {}
            for relative, data in staged.items():   # files appear with the records, as on disk
                atomic_write(self.root / relative, data)
        except BaseException:
            # all or nothing, like the disk store
            self._s = saved
            self._staged = {}
            raise
        finally:
            self._in_tx = False

    def _require_tx(self) -> None:
        if not self._in_tx:
            raise RuntimeError("writes must happen inside repository.transaction()")

    def next_rev(self, floor: int = 0) -> int:
        self._require_tx()
        self._s.rev = max(self._s.rev, floor) + 1
        return self._s.rev

    def observe_rev(self, rev: int) -> None:
        self._s.rev = max(self._s.rev, rev)

    # ---- records ------------------------------------------------------------------------------

    def save_inspection(self, inspection: Inspection) -> None:
        self._require_tx()
        self._s.inspection[inspection.id] = inspection

    def get_inspection(self, inspection_id: str) -> Inspection | None:
        return self._s.inspection.get(inspection_id)

    def inspections(self, unit: str | None = None) -> list[Inspection]:
        return [i for i in self._s.inspection.values() if unit is None or i.unit == unit]

    def save_area(self, area: Area) -> None:
        self._require_tx()
        self._s.area[area.id] = area

    def get_area(self, area_id: str, inspection_id: str) -> Area | None:
        area = self._s.area.get(area_id)
        return area if area is not None and area.inspection_id == inspection_id else None

    def areas(self, inspection_id: str) -> list[Area]:
        return [a for a in self._s.area.values() if a.inspection_id == inspection_id]

    def save_response(self, response: Response) -> None:
        self._require_tx()
        self._s.response[response.id] = response

    def responses(self, inspection_id: str) -> list[Response]:
        return [r for r in self._s.response.values() if r.inspection_id == inspection_id]

    def save_hazard(self, hazard: Hazard) -> None:
        self._require_tx()
        self._s.hazard[hazard.id] = hazard

    def get_hazard(self, hazard_id: str) -> Hazard | None:
        return self._s.hazard.get(hazard_id)

    def hazards(self, unit: str | None = None) -> list[Hazard]:
        return [h for h in self._s.hazard.values() if unit is None or h.unit == unit]

    def save_notice(self, notice: Notice) -> None:
        self._require_tx()
        old = self._s.notice.get(notice.id)
        if old is None or old.number != notice.number:
            if old is not None:
                self._s.numbers.discard(old.number)
            self._s.numbers.add(notice.number)
        self._s.notice[notice.id] = notice

    def used_numbers(self) -> UsedNumbers:
        return copy.copy(self._s.numbers)

    def latest_number(self, device: str) -> str | None:
        mine = [n for n in self._s.notice.values() if n.device == device and not n.deleted]
        return max(mine, key=lambda n: n.issued_at).number if mine else None

    def notices(self, unit: str | None = None) -> list[Notice]:
        return [n for n in self._s.notice.values() if unit is None or n.unit == unit]

    def save_photo(self, photo: Photo) -> None:
        self._require_tx()
        self._s.photo[photo.id] = photo

    def photos(self, unit: str | None = None) -> list[Photo]:
        return [p for p in self._s.photo.values() if unit is None or p.unit == unit]

    def save_obligation(self, obligation: UnitObligation) -> None:
        self._require_tx()
        self._s.obligation[obligation.id] = obligation

    def obligations(self, unit: str | None = None) -> list[UnitObligation]:
        return [o for o in self._s.obligation.values() if unit is None or o.unit == unit]

    # ---- audit --------------------------------------------------------------------------------

    def audit_of(self, record: Record) -> list[AuditEvent]:
        return [e for e in self._s.audit if e.entity_id == record.id]

    def append_audit(self, event: AuditEvent, container: Record, stored: StoredDoc | None = None) -> None:
        self._require_tx()
        self._s.audit.append(event)
        self._s.audit_ids.add(event.id)

    def save_all(self, items: Iterable[tuple[Record, StoredDoc | None]]) -> None:
        self._require_tx()
        for record, _stored in items:   # records, not documents, live here
            if isinstance(record, Notice):
                self.save_notice(record)   # its number counts
            else:
                getattr(self._s, KIND_OF[type(record)])[record.id] = record

    def audit(self, entity_id: str | None = None, *, entity: str | None = None,
              unit: str | None = None) -> Iterator[AuditEvent]:
        return iter([e for e in self._s.audit if (entity_id is None or e.entity_id == entity_id)
                     and (entity is None or e.entity == entity) and (unit is None or e.unit == unit)])

    def has_audit(self, event_id: str, container: Record) -> bool:
        # one list holds every event: "beside its container" is the same as "stored at all"
        return event_id in self._s.audit_ids

    # ---- device settings ------------------------------------------------------------------------

    def get_settings(self, key: str) -> dict | None:
        doc = self._s.settings.get(key)
        return copy.deepcopy(doc) if doc is not None else None

    def save_settings(self, key: str, doc: dict) -> None:
        self._require_tx()
        self._s.settings[key] = copy.deepcopy(doc)

    def append_settings_audit(self, event: AuditEvent) -> None:
        self._require_tx()
        self._s.settings_audit.append(event)

    def settings_audit(self) -> list[AuditEvent]:
        return list(self._s.settings_audit)

    # ---- the sync surface ---------------------------------------------------------------------------

    def devices(self) -> dict[str, DeviceDoc]:
        return copy.deepcopy(self._s.devices)

    def save_device(self, doc: DeviceDoc) -> None:
        self._require_tx()
        self._s.devices[doc["id"]] = copy.deepcopy(doc)

    def peers(self) -> dict[str, PeerDoc]:
        return copy.deepcopy(self._s.peers)

    def save_peer(self, doc: PeerDoc) -> None:
        self._require_tx()
        self._s.peers[doc["id"]] = copy.deepcopy(doc)

    def _stored(self, unit: str | None) -> Iterator[tuple[str, list[StoredDoc]]]:
        for table in KINDS:
            records: dict[str, Record] = getattr(self._s, table)
            yield table, [to_doc(r) for r in records.values() if unit is None or r.unit == unit]
        yield "audit", [to_doc(e) for e in self._s.audit if unit is None or e.unit == unit]

    def raw_docs(self, newer_than: dict[str, int] | None = None,
                 unit: str | None = None) -> Iterator[tuple[str, list[StoredDoc]]]:
        for table, docs in self._stored(unit):
            if newer_than is None or any(d["rev"] > newer_than.get(d["device"], -1) for d in docs):
                yield table, docs

    def rev_vector(self) -> dict[str, int]:
        vector: dict[str, int] = {}
        for _, docs in self._stored(None):
            for doc in docs:
                vector[doc["device"]] = max(vector.get(doc["device"], -1), doc["rev"])
        return vector

    def stage_file(self, relative: str, write: Callable[[ByteSink], object]) -> None:
        with self.staged_file(relative) as fh:
            if fh is not None:
                write(fh)

    @contextmanager
    def staged_file(self, relative: str) -> Iterator[ByteSink | None]:
        self._require_tx()
        if relative in self._staged or (self.root / relative).exists():
            yield None
            return
        buffer = io.BytesIO()
        yield buffer
        self._require_tx()
        self._staged[relative] = buffer.getvalue()
