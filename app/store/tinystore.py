"""Records in TinyDB files, split so that a write stays small however much history there is.

    <data>/store.json                              device id, logical clock reservation, device settings
    <data>/units/<unit>/inspections.json           inspection headers (+ their audit)
    <data>/units/<unit>/inspections/<id>.json      one inspection's areas and responses (+ audit)
    <data>/units/<unit>/hazards/<yyyy-mm>.json     hazards raised that month (+ audit)
    <data>/units/<unit>/notices.json               notices (+ audit)
    <data>/units/<unit>/photos/<yyyy-mm>.json      photo metadata (+ audit); files in <data>/photos/
    <data>/units/<unit>/obligations.json           campaign duties acted on (+ audit); evidence in <data>/pdfs/

Recording a response rewrites one inspection's file (a few hundred records), never the year.
Every file is plain TinyDB JSON with `_meta.schema`. Writes happen in `transaction()`: under the
directory lock, staged in memory, committed atomically (`journal.commit_files`) before it
returns. Other processes may write between our transactions: every cached file is checked
against the disk (inode, mtime, size) before use and reloaded when it changed.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from app.domain.clock import local_date
from app.domain.errors import StoreCorrupt
from app.domain.issuers import UsedNumbers
from app.domain.model import Area, AuditEvent, Hazard, Inspection, Notice, Photo, Record, Response
from app.domain.obligations import UnitObligation

from . import journal
from .codec import from_doc, to_doc
from .heap import collection_paused
from .locking import DirectoryLock
from .migrations import SCHEMA_VERSION, migrate_tables
from .notice_numbers import FIELDS, Issued, NoticeNumbers, issued_from, issued_of
from .record_kinds import KIND_OF
from .tinyfile import TinyFile, file_stamp
from .tinysync import STORE_FILE, SyncTables

__all__ = ["TinyRepository", "bulk_cache"]

R = TypeVar("R", bound=Record)
REV_BLOCK = 1000
MAX_OPEN_FILES = 48          # TinyDB files kept parsed in memory (a year has hundreds)
MAX_DECODED_INSPECTIONS = 96  # inspections whose areas and responses stay decoded
BULK_OPEN_FILES = 640        # … inside `bulk_cache` (a demo build writing 36 units at once)
_BULK: ContextVar[bool] = ContextVar("firesweep_bulk_cache", default=False)


@contextmanager
def bulk_cache() -> Iterator[None]:
    """Keep up to `BULK_OPEN_FILES` files parsed inside, for a build that writes many units at once.

    A bureau's demo interleaves 36 units, each writing its inspections' headers, the month's
    hazards and photos, its notices and its current inspection: ~200 files in use at once. With
    48 kept, nearly every write reloaded (parsed) a file evicted a moment before, and the files
    grow with the campaign, so the build grew faster than linearly. This thread only.
    """
    token = _BULK.set(True)
    try:
        yield
    finally:
        _BULK.reset(token)


def _max_open_files() -> int:
    return BULK_OPEN_FILES if _BULK.get() else MAX_OPEN_FILES


class TinyRepository(SyncTables):
    """The on-disk repository. Open with `TinyRepository.open(root)`."""

    def __init__(self, root: Path):
        self.root = root
        self.lock = DirectoryLock(root)
        self._files: OrderedDict[Path, TinyFile] = OrderedDict()   # loaded files, least recently used first
        self._staged: dict[Path, Path] = {}   # final path → durable temp file, moved in at commit
        self._generation = -1                  # the store generation our caches reflect
        self._listing: dict[Path, set[Path]] = {}    # folder → its data files (disk + staged)
        self._inspection_unit: dict[str, str] = {}   # inspection id → unit: ids never move
        self._paths: dict[tuple[str, ...], Path] = {}
        self._loads = 0
        self._hazard_path_of: dict[str, Path] = {}    # hazard id → its month file
        self._decoded: dict[tuple[Path, str], tuple[Any, dict[str, Any]]] = {}
        self._numbers = NoticeNumbers()   # what numbering reads, per notices file: see `used_numbers`
        self._tx_owner: int | None = None
        self.device_id = ""
        self._rev = 0
        self._reserved = 0

    # ---- opening, recovery, migration -------------------------------------------------------

    @classmethod
    def open(cls, root: Path, device_id: str | None = None, rev_floor: int = 0) -> TinyRepository:
        """Open (creating) the store at `root`. `device_id` names a new store's device; `rev_floor`
        makes this process's revs start above it (a bulk build's parts: see `store.parts`)."""
        root.mkdir(parents=True, exist_ok=True)
        repo = cls(root)
        with repo.lock.hold():
            journal.recover(root)
            repo._migrate()
            meta = repo._file(root / STORE_FILE, "store")
            device = meta.get("device", "this") or {}
            repo.device_id = device.get("device_id") or device_id or uuid.uuid4().hex[:12]
            # Reserve a fresh block of logical-clock values for this process: values issued by
            # an earlier run (or another process) are all below the stored reservation.
            repo._rev = max(int(device.get("rev_reserved", 0)), rev_floor)
            repo._reserved = repo._rev + REV_BLOCK
            meta.put("device", {"id": "this", "device_id": repo.device_id, "rev_reserved": repo._reserved})
            repo._commit()
        return repo

    def _migrate(self) -> None:
        """Bring every file to SCHEMA_VERSION in one all-or-nothing commit."""
        store = self.root / STORE_FILE
        if not store.exists():
            return
        version = TinyFile(store).schema() or 1
        if version >= SCHEMA_VERSION:
            return
        for path in sorted(self.root.rglob("*.json")):
            if path.name == journal.JOURNAL:
                continue
            tiny = self._file(path, None)
            file_version = tiny.schema() or 1
            kind = tiny.kind()
            tables = tiny.storage.data
            migrate_tables(kind, tables, file_version)
            tiny.replace_tables(tables)
            tiny.set_meta(schema=SCHEMA_VERSION)
        self._commit()

    # ---- files and transactions --------------------------------------------------------------

    def _file(self, path: Path, kind: str | None) -> TinyFile:
        """The loaded file at `path`, reloaded if another process replaced it; created if new."""
        cached = self._files.get(path)
        if cached is not None and (cached.dirty or cached.is_current()):
            self._files.move_to_end(path)
            return cached
        tiny = TinyFile(path)
        if tiny.stamp is None and kind is not None:
            tiny.set_meta(schema=SCHEMA_VERSION, kind=kind)
        elif tiny.stamp is not None and (tiny.schema() or 1) > SCHEMA_VERSION:
            raise StoreCorrupt(str(path), f"schema {tiny.schema()} is newer than this app ({SCHEMA_VERSION})")
        self._evict()     # before adding it: the file handed back must never be the one dropped
        self._files[path] = tiny
        self._forget_decoded(path)
        return tiny

    def _evict(self, sweep: bool = False) -> None:
        """Bound memory: drop the least recently used clean files (they reload from disk).

        Only between loads: a caller writes into the file `_file` returns, and a file dropped after
        it was loaded but before that write took the write with it (no commit would see it).

        Checked cheaply on every load, swept properly every 32 loads (a sweep is linear in
        what is cached, and a year's export loads hundreds of files) and after a commit that
        wrote more files than the cache holds (an import: they were all dirty until then).
        """
        self._loads += 1
        limit = _max_open_files()
        if not sweep and len(self._files) <= limit and self._loads % 32:
            return
        clean = [p for p, f in self._files.items() if not f.dirty]
        for path in clean[: max(0, len(self._files) - limit)]:
            del self._files[path]
        if not sweep and self._loads % 32:
            return
        # in a bulk build an inspection's areas stay decoded (a few per inspection): the monthly
        # reports name the area of every hazard, and reloaded each inspection's file per report
        kept = ("area",) if _BULK.get() else ()
        decoded = [k for k in self._decoded
                   if k[0].parent.name == "inspections" and k[1] not in kept and not self._is_dirty(k[0])]
        for key in decoded[: max(0, len(decoded) - 2 * MAX_DECODED_INSPECTIONS)]:
            del self._decoded[key]

    def _is_dirty(self, path: Path) -> bool:
        tiny = self._files.get(path)
        return tiny is not None and tiny.dirty

    def _forget_decoded(self, path: Path) -> None:
        for key in [k for k in self._decoded if k[0] == path]:
            del self._decoded[key]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Changes inside are durable together when this returns, or discarded if it raises.

        The lock is taken first: it is re-entrant for this thread and exclusive for every other,
        so only the owner can see `_tx_owner` set and nest (the outer transaction commits).
        """
        with self.lock.hold():
            if self._tx_owner is not None:
                yield
                return
            self._sync_generation()
            self._tx_owner = threading.get_ident()
            try:
                yield
                self._commit()
            except BaseException:
                self._discard()
                raise
            finally:
                self._tx_owner = None

    def _sync_generation(self) -> None:
        """Drop every cache when another process (or repository) committed since we looked."""
        generation = self.lock.read_generation()
        if generation != self._generation:
            for path in [p for p, f in self._files.items() if not f.dirty]:
                del self._files[path]
            for key in [k for k in self._decoded if not self._is_dirty(k[0])]:
                del self._decoded[key]
            self._listing.clear()
            # a file's stamp can miss a change (see `read_generation`): the numbers are read again too
            self._numbers.clear()
            self._generation = generation

    def _commit(self) -> None:
        dirty = {p: f for p, f in self._files.items() if f.dirty}
        staged, self._staged = self._staged, {}
        if not dirty and not staged:
            return
        journal.commit_files(self.root, {p: f.encode for p, f in dirty.items()}, staged)
        self._generation = self.lock.bump_generation()
        for path in dirty.keys() & self._numbers.known_paths():   # what they hold is now this version's
            self._numbers.committed(path, file_stamp(path))
        if len(dirty) > _max_open_files():   # a bulk commit (an import): let its files go, see below
            self._let_go(dirty)
            return
        for tiny in dirty.values():
            tiny.committed()
        for key, (_, records) in self._decoded.items():   # one pass, not one per file written
            written = dirty.get(key[0])
            if written is not None:
                self._decoded[key] = (written.stamp, records)
        if len(self._files) > _max_open_files():
            self._evict(sweep=True)

    def _let_go(self, written: dict[Path, TinyFile]) -> None:
        """Forget the files a bulk commit wrote, and their decoded records: they are on disk and
        reload when read. Kept, a merge of 36 units' bundles held every unit's records after its
        import, and the interpreter's memory pools, where those few long-lived objects sat among
        each import's millions of freed ones, could not be given back: the merge's memory grew
        with every unit (460 MB at 36) instead of staying at one import's (about 270 MB)."""
        for path in written:
            del self._files[path]
        for key in [k for k in self._decoded if k[0] in written]:
            del self._decoded[key]

    def _discard(self) -> None:
        # A clock reservation made in this transaction is discarded with it (a full disk, say):
        # re-reserve, durably, before the next value, or another process could reuse our values.
        if self._is_dirty(self.root / STORE_FILE):
            self._reserved = min(self._reserved, self._rev)
        for tmp in self._staged.values():
            tmp.unlink(missing_ok=True)
        self._staged = {}
        for path in [p for p, f in self._files.items() if f.dirty]:
            del self._files[path]
            self._forget_decoded(path)
            self._numbers.forget(path)   # a rolled-back notice's number was never used
        self._listing.clear()   # it may name files this transaction meant to create

    def _require_tx(self) -> None:
        if self._tx_owner != threading.get_ident():
            raise RuntimeError("writes must happen inside repository.transaction()")

    # ---- logical clock -----------------------------------------------------------------------

    def next_rev(self, floor: int = 0) -> int:
        self._require_tx()
        self._rev = max(self._rev, floor) + 1
        if self._rev >= self._reserved:
            self._reserved = self._rev + REV_BLOCK
            meta = self._file(self.root / STORE_FILE, "store")
            meta.put("device", {"id": "this", "device_id": self.device_id, "rev_reserved": self._reserved})
        return self._rev

    @staticmethod
    def reserved_rev(root: Path) -> int:
        """The highest rev the store at `root` has reserved: every rev it gave is below it."""
        device = TinyFile(root / STORE_FILE).get("device", "this") or {}
        return int(device.get("rev_reserved", 0))

    def observe_rev(self, rev: int) -> None:
        if rev > self._rev:
            self._rev = rev

    # ---- paths -------------------------------------------------------------------------------

    def _path(self, *parts: str) -> Path:
        """`root/units/<parts…>`, built once: a bulk import asks for the same paths 100,000 times."""
        path = self._paths.get(parts)
        if path is None:
            path = self._paths[parts] = self.root.joinpath("units", *parts)
        return path

    def _unit_dir(self, unit: str) -> Path:
        return self._path(unit)

    def _headers_path(self, unit: str) -> Path:
        return self._path(unit, "inspections.json")

    def _inspection_path(self, unit: str, inspection_id: str) -> Path:
        return self._path(unit, "inspections", f"{inspection_id}.json")

    def _hazard_path(self, hazard: Hazard) -> Path:
        return self._path(hazard.unit, "hazards", f"{_month(hazard.created_at)}.json")

    def _photo_path(self, photo: Photo) -> Path:
        return self._path(photo.unit, "photos", f"{_month(photo.created_at)}.json")

    def _notices_path(self, unit: str) -> Path:
        return self._path(unit, "notices.json")

    def _obligations_path(self, unit: str) -> Path:
        return self._path(unit, "obligations.json")

    def _units(self) -> list[str]:
        """Units with data on disk or in this transaction."""
        return sorted(p.name for p in self._list(self.root / "units", dirs=True))

    def _list(self, folder: Path, dirs: bool = False) -> set[Path]:
        """The folder's data files (or sub-folders), cached until another process commits.

        Files created in an open transaction are added by `_put`, so a transaction sees what it
        wrote before it reaches the disk.
        """
        if folder not in self._listing:
            if not folder.is_dir():
                found: set[Path] = set()
            elif dirs:
                found = {p for p in folder.iterdir() if p.is_dir()}
            else:
                found = set(folder.glob("*.json"))
            self._listing[folder] = found
        return self._listing[folder]

    def _note_new(self, path: Path) -> None:
        self._list(path.parent).add(path)
        units = self.root / "units"
        if path.is_relative_to(units):
            self._list(units, dirs=True).add(units / path.relative_to(units).parts[0])

    # ---- decoded caches ----------------------------------------------------------------------

    def _records(self, path: Path, table: str, cls: type[R], kind: str, synced: bool = False) -> dict[str, R]:
        """Decoded records of one table of one file, cached until the file changes.

        `synced`: the caller (holding the thread lock) has just looked at the store's generation,
        so reading many files in a row does not read the generation file once per file.
        """
        with self.lock.thread():
            if self._tx_owner is None and not synced:
                self._sync_generation()
            cached = self._decoded.get((path, table))
            if cached is not None and (self._is_dirty(path) or cached[0] == file_stamp(path)):
                return cached[1]
            if path not in self._files and not path.exists():
                return {}
            with collection_paused():   # parsing and decoding build only acyclic objects: see `heap`
                tiny = self._file(path, kind)
                records = {doc["id"]: from_doc(cls, doc) for doc in tiny.stored_docs(table)}
            self._decoded[(path, table)] = (tiny.stamp, records)
            self._index(table, path, records)
            return records

    def _index(self, table: str, path: Path, records: dict[str, Any]) -> None:
        if table == "inspection":
            self._inspection_unit.update((i, path.parent.name) for i in records)
        elif table == "hazard":
            self._hazard_path_of.update((h, path) for h in records)

    def _put(self, path: Path, table: str, kind: str, record: R, cls: type[R]) -> None:
        self._put_all(path, table, kind, cls, [(record, None)])

    def _put_all(self, path: Path, table: str, kind: str, cls: type[R], items: list[tuple[R, dict | None]]) -> None:
        """Records of one table of one file, each with its stored document or None (encoded here)."""
        self._require_tx()
        records = self._records(path, table, cls, kind)
        if path not in self._list(path.parent):
            self._note_new(path)
        tiny = self._file(path, kind)
        for record, stored in items:
            tiny.put(table, to_doc(record) if stored is None else stored)
            records[record.id] = record
        if cls is Notice:   # once in the file: a rollback forgets both together
            self._numbers_in(path)
            for record, _ in items:
                self._numbers.note(path, record.id, issued_of(record))  # type: ignore[arg-type]  # a Notice
        self._decoded[(path, table)] = (tiny.stamp, records)
        self._index(table, path, {record.id: record for record, _ in items})

    # ---- inspections, areas, responses --------------------------------------------------------

    def save_inspection(self, inspection: Inspection) -> None:
        self._put(self._headers_path(inspection.unit), "inspection", "inspections", inspection, Inspection)

    def inspections(self, unit: str | None = None) -> list[Inspection]:
        units = [unit] if unit else self._units()
        return [
            i for u in units
            for i in self._records(self._headers_path(u), "inspection", Inspection, "inspections").values()
        ]

    def get_inspection(self, inspection_id: str) -> Inspection | None:
        unit = self._inspection_unit.get(inspection_id)
        units = [unit] if unit else self._units()
        for unit in units:
            found = self._records(self._headers_path(unit), "inspection", Inspection, "inspections").get(inspection_id)
            if found is not None:
                return found
        return None

    def _inspection_file_path(self, inspection_id: str) -> Path:
        inspection = self.get_inspection(inspection_id)
        if inspection is None:
            raise KeyError(inspection_id)
        return self._inspection_path(inspection.unit, inspection_id)

    def save_area(self, area: Area) -> None:
        self._put(self._inspection_path(area.unit, area.inspection_id), "area", "inspection", area, Area)

    def areas(self, inspection_id: str) -> list[Area]:
        path = self._inspection_file_path(inspection_id)
        return list(self._records(path, "area", Area, "inspection").values())

    def get_area(self, area_id: str, inspection_id: str) -> Area | None:
        path = self._inspection_file_path(inspection_id)
        return self._records(path, "area", Area, "inspection").get(area_id)

    def save_response(self, response: Response) -> None:
        path = self._inspection_path(response.unit, response.inspection_id)
        self._put(path, "response", "inspection", response, Response)

    def responses(self, inspection_id: str) -> list[Response]:
        path = self._inspection_file_path(inspection_id)
        return list(self._records(path, "response", Response, "inspection").values())

    # ---- hazards and notices ----------------------------------------------------------------

    def _partitions(self, unit: str | None, folder: str) -> list[Path]:
        units = [unit] if unit else self._units()
        return [p for u in units for p in sorted(self._list(self._unit_dir(u) / folder))]

    def _hazard_paths(self, unit: str | None) -> list[Path]:
        return self._partitions(unit, "hazards")

    def save_hazard(self, hazard: Hazard) -> None:
        self._put(self._hazard_path(hazard), "hazard", "hazards", hazard, Hazard)

    def hazards(self, unit: str | None = None) -> list[Hazard]:
        with self.lock.thread():   # the bureau's ledger reads every unit's months: one generation check
            if self._tx_owner is None:
                self._sync_generation()
            return [h for p in self._hazard_paths(unit)
                    for h in self._records(p, "hazard", Hazard, "hazards", synced=True).values()]

    def get_hazard(self, hazard_id: str) -> Hazard | None:
        known = self._hazard_path_of.get(hazard_id)
        if known is not None:
            found = self._records(known, "hazard", Hazard, "hazards").get(hazard_id)
            if found is not None:
                return found
        for path in self._hazard_paths(None):
            found = self._records(path, "hazard", Hazard, "hazards").get(hazard_id)
            if found is not None:
                return found
        return None

    def save_notice(self, notice: Notice) -> None:
        self._put(self._notices_path(notice.unit), "notice", "notices", notice, Notice)

    def notices(self, unit: str | None = None) -> list[Notice]:
        units = [unit] if unit else self._units()
        return [n for u in units for n in self._records(self._notices_path(u), "notice", Notice, "notices").values()]

    def used_numbers(self) -> UsedNumbers:
        """Kept in memory beside the notices files rather than in a file of its own
        (`notice_numbers.NoticeNumbers`): each file's notices are read as four raw fields (no
        notice decoded, the file not kept parsed) when first asked for, and again only after
        another process committed (the store's generation moved) or the file changed on disk;
        this repository's own saves update them as they are made, and a rollback forgets them
        with the files it discards (`_discard`). Nothing new is stored, so nothing can disagree
        with the notices after a crash, a restore or an import by another process. Reading them
        again costs about 50–60 ms at a unit's year (1,050 notices) and 200–330 ms at the bureau's
        (8,172); asking again, a stat per unit and a copy (a snapshot: another thread's issue
        cannot change it under its reader)."""
        with self.lock.thread():
            self._read_numbers()
            return self._numbers.used()

    def latest_number(self, device: str) -> str | None:
        with self.lock.thread():
            self._read_numbers()
            return self._numbers.latest_of(device)

    def _read_numbers(self) -> None:
        if self._tx_owner is None:
            self._sync_generation()
        for unit in self._units():
            self._numbers_in(self._notices_path(unit))

    def _numbers_in(self, path: Path) -> dict[str, Issued]:
        """What numbering needs of the notices in the file at `path`, read again if it changed."""
        # the version they were read from: a file changed in this transaction is the one on disk
        # when it was loaded, plus this transaction's saves, which `_put` has noted
        loaded = self._files.get(path)
        version = loaded.stamp if loaded is not None and loaded.dirty else file_stamp(path)
        known = self._numbers.of(path, version)
        if known is not None:
            return known
        if loaded is not None and (loaded.dirty or loaded.stamp == version):
            raw = loaded.field_values("notice", FIELDS)
        elif version is None:
            raw = {}
        else:   # read, not kept: a bureau's 36 notices files parsed would crowd out the files in use
            raw = TinyFile.read_field_values(path, "notice", FIELDS)
        return self._numbers.read(path, version, {k: issued_from(v) for k, v in raw.items()})

    def save_photo(self, photo: Photo) -> None:
        self._put(self._photo_path(photo), "photo", "photos", photo, Photo)

    def photos(self, unit: str | None = None) -> list[Photo]:
        paths = self._partitions(unit, "photos")
        return [photo for p in paths for photo in self._records(p, "photo", Photo, "photos").values()]

    def save_obligation(self, obligation: UnitObligation) -> None:
        self._put(self._obligations_path(obligation.unit), "obligation", "obligations", obligation, UnitObligation)

    def obligations(self, unit: str | None = None) -> list[UnitObligation]:
        units = [unit] if unit else self._units()
        return [
            o for u in units
            for o in self._records(self._obligations_path(u), "obligation", UnitObligation, "obligations").values()
        ]

    # ---- audit ------------------------------------------------------------------------------

    def _container_path(self, record: Record) -> tuple[Path, str]:
        if isinstance(record, Inspection):
            return self._headers_path(record.unit), "inspections"
        if isinstance(record, (Area, Response)):
            return self._inspection_path(record.unit, record.inspection_id), "inspection"
        if isinstance(record, Hazard):
            return self._hazard_path(record), "hazards"
        if isinstance(record, Notice):
            return self._notices_path(record.unit), "notices"
        if isinstance(record, Photo):
            return self._photo_path(record), "photos"
        if isinstance(record, UnitObligation):
            return self._obligations_path(record.unit), "obligations"
        raise TypeError(type(record).__name__)

    def append_audit(self, event: AuditEvent, container: Record, stored: dict | None = None) -> None:
        self._require_tx()
        path, kind = self._container_path(container)
        self._file(path, kind).append("audit", to_doc(event) if stored is None else stored)

    def save_all(self, items: Iterable[tuple[Record, dict | None]]) -> None:
        """Grouped by file and table, in order within each: a bulk import's per-file work (the
        cached records, the folder listing, the loaded file, the indexes) once per file, not
        once per record, which was a third of merging a bundle's records."""
        self._require_tx()
        groups: dict[tuple[Path, str], tuple[str, list[tuple[Record, dict | None]]]] = {}
        for record, stored in items:
            path, kind = self._container_path(record)   # a record's container is its own file
            key = (path, KIND_OF[type(record)])
            group = groups.get(key)
            if group is None:
                group = groups[key] = (kind, [])
            group[1].append((record, stored))
        for (path, table), (kind, group_items) in groups.items():
            self._put_all(path, table, kind, type(group_items[0][0]), group_items)

    def audit_of(self, record: Record) -> list[AuditEvent]:
        """Events about `record`, from its container file only (`audit` globs every file)."""
        with self.lock.thread():
            if self._tx_owner is None:
                self._sync_generation()
            path, kind = self._container_path(record)
            if path not in self._files and not path.exists():
                return []
            docs = self._file(path, kind).stored_docs("audit")
            return [from_doc(AuditEvent, doc) for doc in docs if doc.get("entity_id") == record.id]

    def audit(self, entity_id: str | None = None, *, entity: str | None = None,
              unit: str | None = None) -> Iterator[AuditEvent]:
        """Events, optionally of one record, one kind of record and one unit.

        Events sit beside their records, so a kind narrows the files read (the hazards' audit
        is a small part of a bureau's, most of which is about responses), and events are
        decoded only when they match.
        """
        where = _AUDIT_FILES.get(entity or "", "**/*.json")
        with self.lock.thread():
            for path in sorted(self.root.glob(f"units/{unit or '*'}/{where}")):
                for doc in self._file(path, None).stored_docs("audit"):
                    if (entity_id is None or doc["entity_id"] == entity_id) and (
                            entity is None or doc["entity"] == entity):
                        yield from_doc(AuditEvent, doc)

    # ---- files, for verify and bundles ----------------------------------------------------------

    def data_files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.json") if p.name != journal.JOURNAL)


# the files, under a unit's folder, that hold the events about each kind of record
_AUDIT_FILES = {
    "inspection": "inspections.json", "area": "inspections/*.json", "response": "inspections/*.json",
    "hazard": "hazards/*.json", "notice": "notices.json", "photo": "photos/*.json", "obligation": "obligations.json",
}


@functools.lru_cache(maxsize=4096)
def _month(moment: dt.datetime) -> str:
    """The campaign-zone month a record was created in: the partition it lives in.

    Cached: an import asks it for every audit event of a hazard or photo (its container's
    file), and the time-zone conversion was the largest single cost of placing them.
    """
    return local_date(moment).strftime("%Y-%m")
