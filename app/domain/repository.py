"""What services need from storage, with no storage in it (ODK Collect's repository interfaces).

`app.store.tinystore.TinyRepository` keeps records in TinyDB files on disk;
`app.store.memory.MemoryRepository` in dicts. One contract test runs against both
(tests/integration/test_repository_contract.py), and mypy holds every caller to this list:
`Context.repo` is a `Repository`, so a service reaching for a member not declared here fails
`make test`.
Device settings (notice prefix, inspector profile, PIN lock) are small documents by key that
belong to this device only: they and their audit never travel in bundles.
All changes happen inside `transaction()`: they become visible and durable together when it
ends, or not at all if it raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, TypeAlias

from .issuers import UsedNumbers
from .model import Area, AuditEvent, Hazard, Inspection, Notice, Photo, Record, Response
from .obligations import UnitObligation

__all__ = ["Repository", "DeviceDoc", "PeerDoc", "StoredDoc", "ByteSink"]

# A known device, as the sync and enrolment services keep it (documents by "id", not records:
# they are this store's trust decisions and never travel in a bundle). Keys in use: id,
# public_key (Ed25519, base64), box_key (X25519, base64), status (`DeviceStatus` value), via
# (`TrustVia` value), first_seen (ISO time), history (trust events), role, unit, label.
DeviceDoc: TypeAlias = dict[str, Any]
# A peer this store exchanged bundles with. Keys: id, vector (device → highest rev it has from
# us), imported (bundle ids already merged), files_pending (files left out of the last export).
PeerDoc: TypeAlias = dict[str, Any]
# A record or audit event exactly as stored (the codec's document): what a bundle carries.
StoredDoc: TypeAlias = dict[str, Any]


class ByteSink(Protocol):
    """Where a staged file's bytes are written: an open binary file, or a temporary file that
    reports a full disk as `StorageFull` (`app.store.atomic.TempFile`), or a buffer."""

    def write(self, data: bytes, /) -> int: ...


class Repository(Protocol):
    device_id: str

    @property
    def root(self) -> Path:
        """This store's data folder. A Path, not a record API, because some of what belongs to a
        store is files by design: the device's key files (`keys/`), issued and pinned checklist
        versions (read by path, signed as bytes), and a decrypted bundle's temporary file, which
        must sit on the same disk as the data it is merged into."""
        ...

    def transaction(self) -> AbstractContextManager[None]: ...

    def next_rev(self, floor: int = 0) -> int:
        """A logical-clock value greater than every one this device issued, and than `floor`."""
        ...

    def observe_rev(self, rev: int) -> None:
        """Lamport rule: after seeing another device's `rev`, our next one is larger."""
        ...

    # inspections, areas, responses
    def save_inspection(self, inspection: Inspection) -> None: ...
    def get_inspection(self, inspection_id: str) -> Inspection | None: ...
    def inspections(self, unit: str | None = None) -> list[Inspection]: ...
    def save_area(self, area: Area) -> None: ...
    def get_area(self, area_id: str, inspection_id: str) -> Area | None: ...
    def areas(self, inspection_id: str) -> list[Area]: ...
    def save_response(self, response: Response) -> None: ...
    def responses(self, inspection_id: str) -> list[Response]: ...

    # hazards and notices
    def save_hazard(self, hazard: Hazard) -> None: ...
    def get_hazard(self, hazard_id: str) -> Hazard | None: ...
    def hazards(self, unit: str | None = None) -> list[Hazard]: ...
    def save_notice(self, notice: Notice) -> None: ...
    def notices(self, unit: str | None = None) -> list[Notice]: ...
    def used_numbers(self) -> UsedNumbers:
        """Every notice number stored, of every unit and device, deleted and voided notices included:
        what numbering needs (`issuers.next_serial`), without decoding a notice. It follows the
        store: a notice saved (issued or imported) counts from then on, one saved in a transaction
        that rolls back never counts, and another process's commits are seen like its records.
        A snapshot: later saves do not change it, and changing it changes nothing stored."""
        ...
    def latest_number(self, device: str) -> str | None:
        """The number of the last notice (by issue time) `device` issued that is not deleted, or
        None: the series whose next number Settings shows. Found like `used_numbers`, not by
        decoding every notice."""
        ...

    # photo metadata (the files themselves are in the blob store)
    def save_photo(self, photo: Photo) -> None: ...
    def photos(self, unit: str | None = None) -> list[Photo]: ...

    # campaign obligations a unit acted on (the rest are pending, from the campaign config)
    def save_obligation(self, obligation: UnitObligation) -> None: ...
    def obligations(self, unit: str | None = None) -> list[UnitObligation]: ...

    # audit: append-only, stored beside the record it describes. `Record` here is one of the seven
    # stored kinds (Inspection, Area, Response, Hazard, Notice, Photo, UnitObligation).
    def audit_of(self, record: Record) -> list[AuditEvent]:
        """The events about `record`, in the order appended: read from the one place they are
        kept beside it, not from the whole history (a bureau's audit is hundreds of files)."""
        ...
    def append_audit(self, event: AuditEvent, container: Record, stored: StoredDoc | None = None) -> None:
        """Keep `event` beside `container`, the record it is about (it decides where it is stored).
        `stored`: as in `save_all`."""
        ...
    def save_all(self, items: Iterable[tuple[Record, StoredDoc | None]]) -> None:
        """Save records of any of the seven kinds, in order, as their own `save_…` would.

        Each comes with its stored document when the caller already holds exactly what saving it
        would write (an import's checked document, `codec.is_canonical`), kept as it came instead
        of being encoded again; else None. A store that keeps no documents ignores them. One call
        for an import's thousands: a store may do its per-file work once per file, not per record."""
        ...
    def audit(self, entity_id: str | None = None, *, entity: str | None = None,
              unit: str | None = None) -> Iterator[AuditEvent]: ...

    # device settings: documents by key, local to this device (never exported in a bundle)
    def get_settings(self, key: str) -> dict | None: ...
    def save_settings(self, key: str, doc: dict) -> None: ...
    def append_settings_audit(self, event: AuditEvent) -> None: ...
    def settings_audit(self) -> list[AuditEvent]: ...

    # ---- the sync surface: what export, import and device trust need (app/services/sync.py,
    # authority.py, notice_check.py, checklist_versions.py). Device and peer entries are this store's
    # own and never travel; raw documents, the rev vector and staged files are what bundles carry.

    def devices(self) -> dict[str, DeviceDoc]:
        """Known devices by id: whose bundles we accept (pinned keys, trust status, its history),
        whose notices we can verify, and whom we can encrypt a bundle to. To change an entry, save
        a new document (`{**doc, "status": …}`); never edit one in place."""
        ...

    def save_device(self, doc: DeviceDoc) -> None:
        """Add or replace the device entry `doc["id"]` (inside a transaction)."""
        ...

    def peers(self) -> dict[str, PeerDoc]:
        """Stores we exchanged bundles with, by device id: what each has of ours (its rev vector),
        which of its bundles we merged, and files an export left out. Changed like devices: by saving
        a new document."""
        ...

    def save_peer(self, doc: PeerDoc) -> None:
        """Add or replace the peer entry `doc["id"]` (inside a transaction)."""
        ...

    def rev_vector(self) -> dict[str, int]:
        """Per device, the highest logical clock among every stored record and audit event: what a
        bundle made now covers, so the peer can ask for only what is newer next time."""
        ...

    def raw_docs(self, newer_than: dict[str, int] | None = None,
                 unit: str | None = None) -> Iterator[tuple[str, list[StoredDoc]]]:
        """(table, documents) as stored — records by kind ("inspection", …) and "audit" events —
        for export: a bundle holds documents, so decoding a year to re-encode it is wasted work.
        `newer_than` (device → rev the peer has) lets a store skip what is all known (it may still
        yield older documents: the caller filters by rev). `unit` keeps one unit's. Never change
        the documents: they may be the store's own."""
        ...

    def has_audit(self, event_id: str, container: Record) -> bool:
        """Whether the event `event_id` is already kept beside `container`: import appends an
        event once, however many bundles carry it."""
        ...

    def stage_file(self, relative: str, write: Callable[[ByteSink], object]) -> None:
        """A file under `root` (photos, PDFs, issued checklist versions) that appears at `relative`
        when the transaction commits, and never if it is discarded: an import's files and records
        arrive together. `write(fileobj)` fills it. An existing or already staged file is kept."""
        ...

    def staged_file(self, relative: str) -> AbstractContextManager[ByteSink | None]:
        """`stage_file` as a context: the file object it gives may be filled from another thread
        (an import copies its photos while this one merges records); the file is staged when the
        context exits without an error, and removed when it exits with one. Enter and exit it in
        the transaction's thread. None when the file exists or is staged already (it is kept)."""
        ...
