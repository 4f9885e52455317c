"""The parts of the TinyDB repository that serve sync and this device rather than the records'
use cases: raw documents and the rev index for export, files staged by an import, audit
membership, known devices and peers, and the device's own settings (in store.json, which no
bundle carries). A mixin of `TinyRepository`, kept apart so each file reads as one concern.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.model import AuditEvent, Record
from app.domain.repository import ByteSink, DeviceDoc, PeerDoc, StoredDoc

from .atomic import open_temp
from .codec import from_doc, to_doc
from .revindex import RevIndex, has_newer, highest_revs
from .tinyfile import META_TABLE, TinyFile

if TYPE_CHECKING:
    from .locking import DirectoryLock

__all__ = ["SyncTables", "STORE_FILE"]

STORE_FILE = "store.json"


class SyncTables:
    """Needs from its repository: `root`, `lock`, `_staged`, `_tx_owner`, `_file`, `_is_dirty`,
    `_require_tx`, `_sync_generation` and `_container_path` (see `TinyRepository`)."""

    root: Path
    lock: DirectoryLock
    _files: dict[Path, TinyFile]
    _staged: dict[Path, Path]
    _tx_owner: int | None

    if TYPE_CHECKING:   # provided by TinyRepository; declared so that the checker sees them used right
        def _file(self, path: Path, kind: str | None) -> TinyFile: ...
        def _is_dirty(self, path: Path) -> bool: ...
        def _require_tx(self) -> None: ...
        def _sync_generation(self) -> None: ...
        def _container_path(self, record: Record) -> tuple[Path, str]: ...

    def _data_paths(self, unit: str | None) -> list[Path]:
        return sorted(self.root.glob(f"units/{unit}/**/*.json" if unit else "units/*/**/*.json"))

    def raw_docs(self, newer_than: dict[str, int] | None = None,
                 unit: str | None = None) -> Iterator[tuple[str, list[StoredDoc]]]:
        """(table, documents) of the data files, as stored: records and audit events, undecoded.

        For export: choosing what a peer lacks needs only a document's rev, device and unit, and
        a bundle holds documents, so decoding a year of records to re-encode them is wasted work.
        With `newer_than` (device → rev the peer has), files whose documents are all known are
        skipped using the rev index. The documents are the store's own: never change them.
        """
        with self.lock.thread():
            if self._tx_owner is None:
                self._sync_generation()
            index = RevIndex(self.root)
            for path in self._data_paths(unit):
                revs = None if self._is_dirty(path) else index.get(path)
                if newer_than is not None and revs is not None and not has_newer(revs, newer_than):
                    continue
                tiny = self._file(path, None)
                tables = tiny.storage.data
                if revs is None and not tiny.dirty:
                    index.put(path, tiny.stamp, highest_revs(tables))
                for table, docs in tables.items():
                    if table != META_TABLE:
                        yield table, list(docs.values())
            index.save()

    def rev_vector(self) -> dict[str, int]:
        """Per device, the highest logical clock among everything stored (what a bundle covers)."""
        vector: dict[str, int] = {}
        with self.lock.thread():
            if self._tx_owner is None:
                self._sync_generation()
            index = RevIndex(self.root)
            for path in self._data_paths(None):
                revs = None if self._is_dirty(path) else index.get(path)
                if revs is None:
                    tiny = self._file(path, None)
                    revs = highest_revs(tiny.storage.data)
                    if not tiny.dirty:
                        index.put(path, tiny.stamp, revs)
                for device, rev in revs.items():
                    if rev > vector.get(device, -1):
                        vector[device] = rev
            index.save()
        return vector

    def stage_file(self, relative: str, write: Callable[[ByteSink], object]) -> None:
        """Write a file (by `write(fileobj)`) that appears at `relative` when the transaction commits."""
        with self.staged_file(relative) as fh:
            if fh is not None:
                write(fh)

    @contextmanager
    def staged_file(self, relative: str) -> Iterator[ByteSink | None]:
        """A temporary file, filled by the caller (from any thread), moved to `relative` at commit;
        removed if the context raises. None when the file exists or is staged already."""
        self._require_tx()
        final = self.root / relative
        if final.exists() or final in self._staged:
            yield None
            return
        tmp, fh = open_temp(final)
        try:
            with fh:
                yield fh
                if not hasattr(os, "sync"):   # one os.sync() at commit replaces thousands of fsyncs
                    fh.flush()
                    os.fsync(fh.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._require_tx()
        self._staged[final] = tmp

    def has_audit(self, event_id: str, container: Record) -> bool:
        path, kind = self._container_path(container)
        if not path.exists() and path not in self._files:
            return False
        return self._file(path, kind).get("audit", event_id) is not None

    def _store_table(self, table: str) -> dict[str, dict[str, Any]]:
        meta = self._file(self.root / STORE_FILE, "store")
        return {doc["id"]: doc for doc in meta.docs(table)}

    def devices(self) -> dict[str, DeviceDoc]:
        with self.lock.thread():
            return self._store_table("devices")

    def save_device(self, doc: DeviceDoc) -> None:
        self._require_tx()
        self._file(self.root / STORE_FILE, "store").put("devices", doc)

    def peers(self) -> dict[str, PeerDoc]:
        with self.lock.thread():
            return self._store_table("peers")

    def save_peer(self, doc: PeerDoc) -> None:
        self._require_tx()
        self._file(self.root / STORE_FILE, "store").put("peers", doc)

    # ---- device settings: in store.json, which no bundle carries ----------------------------------

    def get_settings(self, key: str) -> dict | None:
        with self.lock.thread():
            if self._tx_owner is None:
                self._sync_generation()
            doc = self._file(self.root / STORE_FILE, "store").get("settings", key)
            return {k: copy.deepcopy(v) for k, v in doc.items() if k != "id"} if doc is not None else None

    def save_settings(self, key: str, doc: dict) -> None:
        self._require_tx()
        self._file(self.root / STORE_FILE, "store").put("settings", {**copy.deepcopy(doc), "id": key})

    def append_settings_audit(self, event: AuditEvent) -> None:
        # not the "audit" table: `audit()` and `firesweep verify` read those as record history
        self._require_tx()
        self._file(self.root / STORE_FILE, "store").append("settings_audit", to_doc(event))

    def settings_audit(self) -> list[AuditEvent]:
        with self.lock.thread():
            if self._tx_owner is None:
                self._sync_generation()
            return [from_doc(AuditEvent, d) for d in self._file(self.root / STORE_FILE, "store").docs("settings_audit")]

