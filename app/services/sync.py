"""Offline sync by signed bundles: export what a peer lacks, import and merge all or nothing.

Merge rule, per record: the version with the larger (logical clock, device id) wins — a total
order, so importing bundles in any order, any number of times, gives the same store. Audit
events, photo files and notices are unions (an issued notice never changes). A hazard whose two
versions were made without either seeing the other is a conflict: the rule still decides, the
import summary lists it, and both histories stay in the audit.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.domain.authority import DeviceStatus, TrustVia
from app.domain.errors import BundleRejected, InvalidInput
from app.domain.model import Area, AuditEvent, Hazard, Inspection, InspectionKind, Record, Response
from app.domain.repository import StoredDoc
from app.store import bundle_crypto
from app.store.atomic import TempFile, storage_errors
from app.store.bundle_file import (
    BundleWriter,
    VerifiedBundle,
    is_raw_key,
    open_bundle,
)
from app.store.bundle_records import KINDS, decode_records
from app.store.heap import collection_paused, give_back_freed_memory
from app.store.keys import BoxKey, DeviceKey

from . import authority, checklist_versions, import_rules
from .bundle_file_copy import FileCopy
from .bundle_file_export import ExportFiles
from .context import Context
from .import_rules import Gate

__all__ = ["ExportSummary", "Conflict", "ImportSummary", "export_bundle", "import_bundle", "device_key",
           "box_key", "list_devices", "set_device_status", "trust_model"]

_ID = re.compile(r"^[0-9a-f]{8,64}$")


def device_key(ctx: Context) -> DeviceKey:
    return DeviceKey.load_or_create(ctx.repo.root / "keys")


def box_key(ctx: Context) -> BoxKey:
    """This device's X25519 key: peers encrypt bundles to its public half (see bundle_crypto)."""
    return BoxKey.load_or_create(ctx.repo.root / "keys")


# ---- export -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    counts: dict[str, int]
    files: int
    full: bool


def _all_records(ctx: Context) -> dict[str, Sequence[Record]]:
    """Every record, decoded, by kind (for tools that need them all; export reads raw documents)."""
    repo = ctx.repo
    inspections = repo.inspections()
    areas: list[Record] = []
    responses: list[Record] = []
    for inspection in inspections:   # both tables of a file together: each file is read once
        areas += repo.areas(inspection.id)
        responses += repo.responses(inspection.id)
    return {
        "inspection": list(inspections),
        "area": areas,
        "response": responses,
        "hazard": repo.hazards(),
        "notice": repo.notices(),
        "photo": repo.photos(),
        "obligation": repo.obligations(),
    }


_PHOTO_FILES = ("sha256", "thumb_sha256", "unstamped_sha256", "print_sha256")


def _files_named(table: str, doc: dict[str, Any]) -> list[tuple[str, str]]:
    """The files (store, sha256) a stored document names: a bundle carries them with it."""
    if table == "photo":
        return [("photos", doc[f]) for f in _PHOTO_FILES if doc.get(f)]
    if table == "notice":
        return [("pdfs", doc["pdf_sha256"])] if doc.get("pdf_sha256") else []
    if table == "obligation":   # the evidence of a submission: reports, scans, photos of paper
        return [("pdfs", e["sha256"]) for e in doc.get("evidence") or ()]
    return []


@dataclass
class _Selection:
    """What an export takes from the store: documents by kind, the files they name, our vector."""

    docs: dict[str, list[dict[str, Any]]]
    files: list[tuple[str, str]]
    vector: dict[str, int]


def _select(ctx: Context, known: dict[str, int], unit: str | None) -> _Selection:
    """The stored documents newer than `known` (of `unit` if given), undecoded, and what they name."""
    docs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in [*KINDS, "audit"]}
    files: dict[tuple[str, str], None] = {}
    for table, stored in ctx.repo.raw_docs(newer_than=known, unit=unit):
        chosen = docs.get(table)
        if chosen is None:   # a table this format does not carry
            continue
        for doc in stored:
            if doc["rev"] > known.get(doc["device"], -1) and (unit is None or doc["unit"] == unit):
                chosen.append(doc)
                files.update((f, None) for f in _files_named(table, doc))
    return _Selection(docs, list(files), ctx.repo.rev_vector())


def export_bundle(ctx: Context, out: Path, to: str = "", full: bool = False, photos: bool = True,
                  unit: str | None = None, progress: Callable[[float], None] | None = None,
                  encrypt_to: str = "") -> ExportSummary:
    """Write a bundle of what `to` has not acknowledged yet (everything with `full` or no peer).

    `unit` keeps one unit's records only: the bureau sends each unit what concerns it.
    `progress` hears the fraction done (0–1), mostly while photo files are copied in.
    `encrypt_to` seals the bundle for that device (its X25519 key must be known): only it can read it.
    """
    if not encrypt_to:
        return _export(ctx, out, to, full, photos, unit, progress)
    recipient_key = ctx.repo.devices().get(encrypt_to, {}).get("box_key", "")
    if not recipient_key:
        raise InvalidInput("encrypt_to", "no_recipient_key", entry=encrypt_to)
    with bundle_crypto.plain_temp(ctx.repo.root) as plain:
        summary = _export(ctx, plain, to, full, photos, unit, progress)
        bundle_crypto.seal(plain, out, device_key(ctx), encrypt_to, recipient_key)
    return replace(summary, path=out)


def _export(ctx: Context, out: Path, to: str, full: bool, photos: bool, unit: str | None,
            progress: Callable[[float], None] | None) -> ExportSummary:
    repo = ctx.repo
    peer = repo.peers().get(to, {}) if to else {}
    known: dict[str, int] = {} if full else peer.get("vector", {})
    selection = _select(ctx, known, unit)
    pending = [tuple(f) for f in peer.get("files_pending", [])]
    everything = list(dict.fromkeys(selection.files + pending))
    files = everything if photos else [f for f in selection.files if f[0] == "pdfs"]
    left_out = [] if photos else [f for f in everything if f[0] == "photos"]

    section = import_rules.authority_section(ctx)
    if section is not None:   # the bureau's issued checklist versions travel with it
        section["checklists"] = checklist_versions.bundle_section(ctx)
    writer = BundleWriter(out, device_key(ctx), repo.device_id, uuid.uuid4().hex, to, ctx.now().isoformat(),
                          box_key(ctx).public_b64, section)
    with ExportFiles(ctx, writer, files, out.parent, progress) as export_files:   # a child's starts now
        for kind, docs in selection.docs.items():
            writer.add_records(kind, docs)
        written = export_files.finish()
    counts = {kind: len(docs) for kind, docs in selection.docs.items()}
    writer.close(counts, selection.vector)
    pending_now = [list(f) for f in left_out]
    if to and (not peer or peer.get("files_pending", []) != pending_now):   # unchanged: no write to wait for
        with repo.transaction():
            repo.save_peer({**peer, "id": to, "files_pending": pending_now})
    if progress:
        progress(1.0)
    return ExportSummary(out, counts, written, full or not known)


# ---- import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    hazard_id: str
    local_status: str
    incoming_status: str
    kept_status: str


@dataclass
class ImportSummary:
    bundle: str
    device: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0                     # records of other units (a unit importing the bureau's bundle)
    files_added: int = 0
    audit_added: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    trusted_new_device: bool = False
    already_imported: bool = False       # the same signed bundle was merged before: nothing was read again
    relayed: int = 0                     # changes a unit device relayed from others: not taken from it
    revoked: list[str] = field(default_factory=list)   # certificate serials this bundle revoked
    checklists: list[str] = field(default_factory=list)   # new checklist versions the bureau issued ("id version")


def _check_device(ctx: Context, manifest: dict[str, Any], name: str) -> dict | None:
    """The sender's trust record; None when it is new (trusted on first use, recorded)."""
    if not _ID.match(manifest["device_id"]):
        raise BundleRejected(name, "bad_manifest_field", field="device_id")
    target = manifest["target"]
    if target and target != ctx.repo.device_id:
        raise BundleRejected(name, "wrong_target", entry=target)
    known = ctx.repo.devices().get(manifest["device_id"])
    if known is None:
        return None
    if known.get("status") == DeviceStatus.REVOKED:
        raise BundleRejected(name, "revoked_device", entry=manifest["device_id"])
    if known.get("public_key") != manifest["public_key"]:
        raise BundleRejected(name, "key_mismatch", entry=manifest["device_id"])
    return known


def import_bundle(ctx: Context, path: Path, only_unit: str | None = None,
                  progress: Callable[[float], None] | None = None) -> ImportSummary:
    """Verify the bundle, then merge it in one all-or-nothing transaction.

    The container, the signed manifest and every entry's name and size are verified before the
    store is touched. Inside the transaction, the photos' and PDFs' bytes are hashed as they are
    copied, and the records' as they are decoded and checked, all before any record is merged: a
    mismatch or a bad record still leaves the store as it was (and a bundle is read once, not twice).

    A sealed bundle is decrypted with this device's key into a temporary file first; its inner
    bundle is then verified like any other and must come from the outer bundle's sender.
    `progress` hears the fraction done: verification is the first half.
    """
    name = path.name
    with collection_paused():   # records are acyclic: see `heap`
        try:
            if not bundle_crypto.is_sealed(path):
                return _import_file(ctx, path, name, only_unit, progress)
            with bundle_crypto.plain_temp(ctx.repo.root) as plain:
                with storage_errors(plain), TempFile(plain, plain) as out:   # a full disk: StorageFull, file removed
                    outer = bundle_crypto.unseal(path, name, ctx.repo.device_id, lambda: box_key(ctx), out)
                return _import_file(ctx, plain, name, only_unit, progress, outer)
        finally:
            give_back_freed_memory()   # the decoded bundle is gone: a merge of many must not pile up


KEEP_IMPORTED = 500   # bundle digests remembered per sender


def _import_key(digest: str, only_unit: str | None) -> str:
    return f"{digest}:{only_unit or ''}"


def _seen_before(ctx: Context, manifest: dict[str, Any], digest: str, name: str,
                 only_unit: str | None) -> ImportSummary | None:
    """The summary of a re-import when this signed bundle was merged already, else None.

    Its manifest is signed and names every record file and photo by hash, so the same manifest
    is the same content: merging it again could change nothing (last writer wins, unions). The
    sender is checked as on any import: a revoked device is refused, not waved through. The
    container and the signature were checked before this shortcut (`open_bundle`).
    """
    _check_device(ctx, manifest, name)
    import_rules.open_gate(ctx, manifest, name)   # an enrolled store: the sender is still trusted
    imported = ctx.repo.peers().get(manifest["device_id"], {}).get("imported", [])
    if _import_key(digest, only_unit) not in imported:
        return None
    records = sum(n for kind, n in manifest["counts"].items() if kind != "audit")
    return ImportSummary(bundle=name, device=manifest["device_id"], unchanged=records, already_imported=True)


def _import_file(ctx: Context, path: Path, name: str, only_unit: str | None,
                 progress: Callable[[float], None] | None, outer: dict[str, Any] | None = None) -> ImportSummary:
    with open_bundle(path, name) as opened:   # the zip is opened and its container checked once
        again = _seen_before(ctx, opened.manifest, opened.digest, name, only_unit)
        if again is not None:
            if progress:
                progress(1.0)
            return again
        bundle = opened.verify()   # its files' bytes are hashed as the merge copies them
    if outer is not None and any(bundle.manifest[k] != outer[k] for k in ("device_id", "public_key", "bundle_id")):
        bundle.close()
        raise BundleRejected(name, "sealed_mismatch")
    if progress:
        progress(0.5)
    try:
        summary = _import_verified(ctx, bundle, name, only_unit)
    finally:
        bundle.close()
    if progress:
        progress(1.0)
    return summary


def _import_verified(ctx: Context, bundle: VerifiedBundle, name: str, only_unit: str | None) -> ImportSummary:
    manifest = bundle.manifest
    known = _check_device(ctx, manifest, name)
    gate = import_rules.open_gate(ctx, manifest, name)
    summary = ImportSummary(bundle=name, device=manifest["device_id"])
    repo = ctx.repo
    # A bundle with many files has them copied (read, hashed, written) by a child process while
    # this one decodes, checks and merges the records: the two halves of an import overlap on two
    # cores (`bundle_file_copy`). A bad record or file still refuses the whole bundle; the
    # transaction then discards the files staged so far.
    with repo.transaction(), FileCopy(ctx, bundle, summary):
        decoded = decode_records(bundle, {u.code for u in ctx.catalog.units.units})
        if gate is not None:
            summary.revoked = authority.learn(ctx, manifest.get("certificates", []), manifest.get("revocations", []))
            learned = checklist_versions.learn(ctx, manifest.get("checklists", []), name)
            summary.checklists = [f"{c.id} {c.version}" for c in learned]
        if gate is None and known is None and manifest["device_id"] != repo.device_id:
            repo.save_device({"id": manifest["device_id"], "public_key": manifest["public_key"],
                              "status": DeviceStatus.TRUSTED.value,
                              "via": TrustVia.FIRST_USE.value, "first_seen": ctx.now().isoformat(),
                              "box_key": manifest.get("box_key", ""),
                              "history": [_trust_event(ctx, DeviceStatus.TRUSTED, TrustVia.FIRST_USE)]})
            summary.trusted_new_device = True
        elif known is not None and manifest.get("box_key") and known.get("box_key") != manifest["box_key"]:
            repo.save_device({**known, "box_key": manifest["box_key"]})   # signed by its pinned key: learn it
        _merge(ctx, decoded, only_unit, summary, gate)
        peer = repo.peers().get(manifest["device_id"], {})
        imported = [*peer.get("imported", []), _import_key(bundle.digest, only_unit)][-KEEP_IMPORTED:]
        repo.save_peer({**peer, "id": manifest["device_id"], "vector": manifest["vector"], "imported": imported})
    if summary.checklists:   # committed: new areas on this device now use them
        checklist_versions.refresh(ctx)
    return summary


def _cache_key(kind: str, record: Record) -> str:
    """Where a record's local peers are cached: per inspection (areas, responses) or per unit."""
    return f"{kind}:{record.inspection_id}" if isinstance(record, (Area, Response)) else _unit_key(kind, record.unit)


def _unit_key(kind: str, unit: str) -> str:
    return f"{kind}@{unit}"


def _table(ctx: Context, kind: str, unit: str, cache: dict[str, dict[str, Record]]) -> dict[str, Record]:
    """The local records of a top-level kind at one unit, by id, loaded once per import.

    Per unit, not the whole store: a bundle carries one unit's records (or a few), and merging
    36 units' bundles one after another must not decode the growing store again each time.
    """
    key = _unit_key(kind, unit)
    if key not in cache:
        loaders: dict[str, Callable[[str], Sequence[Record]]] = {
            "inspection": ctx.repo.inspections, "hazard": ctx.repo.hazards, "notice": ctx.repo.notices,
            "photo": ctx.repo.photos, "obligation": ctx.repo.obligations}
        cache[key] = {r.id: r for r in loaders[kind](unit)}
    return cache[key]


def _local(ctx: Context, kind: str, record: Record, cache: dict[str, dict[str, Record]]) -> Record | None:
    if isinstance(record, (Area, Response)):   # kept per inspection: load only the inspections the bundle touches
        key = _cache_key(kind, record)
        if key not in cache:
            found = ctx.repo.get_inspection(record.inspection_id)
            rows = (ctx.repo.areas(found.id) if kind == "area" else ctx.repo.responses(found.id)) if found else []
            cache[key] = {r.id: r for r in rows}
        return cache[key].get(record.id)
    return _table(ctx, kind, record.unit, cache).get(record.id)


def _merge(ctx: Context, decoded: dict[str, list[tuple[Any, StoredDoc | None]]], only_unit: str | None,
           summary: ImportSummary, gate: Gate | None) -> None:
    repo = ctx.repo
    cache: dict[str, dict[str, Record]] = {}
    containers: dict[str, Record] = {}
    kinds = {i.id: i.kind for i, _ in decoded.get("inspection", [])}   # what a record's inspection is
    highest = 0
    fresh: set[str] = set()      # records this import brought that the store did not have
    appended: set[str] = set()   # events appended by this import (a bundle listing one twice adds it once)
    for kind in KINDS:   # parents before children: inspections, areas, responses, hazards…
        kept: list[tuple[Record, StoredDoc | None]] = []   # saved together once the kind is merged
        for record, stored in decoded.get(kind, []):
            if only_unit and record.unit != only_unit:
                summary.ignored += 1
                continue
            local = _local(ctx, kind, record, cache)
            keep = record
            if local is not None and (kind == "notice" or local.version_key >= record.version_key):
                keep = local   # issued notices are immutable; an older or equal version changes nothing
                summary.unchanged += 1
            elif gate is not None and not gate.check(kind, local, record, _inspection_kind(ctx, record, kinds)):
                summary.relayed += 1   # a unit's relay of someone else's change: not taken from it
                continue
            elif local is None:
                summary.new += 1
                fresh.add(record.id)
            else:
                summary.updated += 1
            highest = max(highest, record.rev)
            if isinstance(record, Hazard) and isinstance(local, Hazard) and local.version_key != record.version_key:
                _note_conflict(local, record, keep, summary)
            if keep is record:   # with its document when that is exactly what saving it would write
                kept.append((record, stored))
                cache.setdefault(_cache_key(kind, record), {})[record.id] = record
            containers[keep.id] = keep
        repo.save_all(kept)
    for event, stored in decoded.get("audit", []):
        if only_unit and event.unit != only_unit:
            continue
        if gate is not None and not gate.check_event(event):
            continue
        highest = max(highest, event.rev)
        container = containers.get(event.entity_id) or _find(ctx, event, cache)
        if container is None or event.id in appended:
            continue
        # A record new to this store has no events here yet (an event is only ever kept beside its
        # record), so only an event about a record we had must be looked up in its file.
        if container.id not in fresh and repo.has_audit(event.id, container):
            continue
        repo.append_audit(event, container, stored)
        appended.add(event.id)
        summary.audit_added += 1
    repo.observe_rev(highest)   # Lamport: whatever we write next comes after what we have seen


def _inspection_kind(ctx: Context, record: Record, kinds: dict[str, InspectionKind | None]) -> InspectionKind | None:
    """The kind of the inspection a record belongs to: from the bundle, else from the store."""
    if isinstance(record, Inspection):
        return record.kind
    inspection_id = getattr(record, "inspection_id", "")
    if not inspection_id:
        return None
    if inspection_id not in kinds:
        found = ctx.repo.get_inspection(inspection_id)
        kinds[inspection_id] = found.kind if found else None
    return kinds[inspection_id]


def _find(ctx: Context, event: AuditEvent, cache: dict[str, dict[str, Record]]) -> Record | None:
    """The record an audit event describes (it decides which file the event is kept in)."""
    if event.entity in ("inspection", "hazard", "notice", "photo", "obligation"):
        return _table(ctx, event.entity, event.unit, cache).get(event.entity_id)
    for key, rows in cache.items():   # areas and responses: in the inspections this import loaded
        if key.startswith(f"{event.entity}:") and event.entity_id in rows:
            return rows[event.entity_id]
    return None


def _note_conflict(local: Hazard, incoming: Hazard, kept: Record, summary: ImportSummary) -> None:
    winner, loser = (incoming, local) if kept is incoming else (local, incoming)
    saw_loser = winner.seen.get(loser.device, -1) >= loser.rev
    if not saw_loser and local.status != incoming.status:
        summary.conflicts.append(Conflict(local.id, local.status.value, incoming.status.value, winner.status.value))


# ---- devices -------------------------------------------------------------------------------


def _trust_event(ctx: Context, action: DeviceStatus, via: TrustVia) -> dict[str, str]:
    """Who trusted or revoked a device, when, and how: devices are not records, so their audit
    trail is kept on the device entry itself."""
    return {"at": ctx.now().isoformat(), "actor": ctx.actor, "action": action.value, "via": via.value}


def list_devices(ctx: Context) -> list[dict]:
    return sorted(ctx.repo.devices().values(), key=lambda d: d.get("first_seen", ""))


def set_device_status(ctx: Context, device_id: str, status: DeviceStatus | str, public_key: str = "",
                      box_key: str = "") -> dict:
    """Trust (optionally pinning keys given out of band) or revoke a device."""
    status = DeviceStatus(status)
    if authority.is_enrolled(ctx):   # trust comes from certificates, revocation from the campaign key
        raise InvalidInput("device", "enrolled_store")
    if box_key and not is_raw_key(box_key):
        raise InvalidInput("box_key", "bad_key")
    with ctx.repo.transaction():
        current = ctx.repo.devices().get(device_id, {"id": device_id, "first_seen": ctx.now().isoformat()})
        doc = {**current, "status": status.value, "via": TrustVia.MANUAL.value,
               "history": [*current.get("history", []), _trust_event(ctx, status, TrustVia.MANUAL)]}
        if public_key:
            doc["public_key"] = public_key
        if box_key:
            doc["box_key"] = box_key
        ctx.repo.save_device(doc)
        return doc


def trust_model(ctx: Context) -> str:
    """Which trust model this store runs: "enrolled" (certificates chained to the campaign key) or
    "first_use" (never enrolled: a new sender is trusted when first seen, and can be revoked)."""
    return "enrolled" if authority.is_enrolled(ctx) else "first_use"
