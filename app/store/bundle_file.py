"""The bundle file (.fsb): a zip with a signed manifest, records as JSON lines, files by hash.

    manifest.json               format, bundle id, device id + public key, target, created,
                                every file's SHA-256 and size, record counts, clock vector,
                                Ed25519 signature over the rest
    records/<kind>.jsonl        one JSON record per line
    files/photos/<sha>.<ext>    photo files, named by their SHA-256
    files/pdfs/<sha>.pdf        issued notice PDFs

Reading checks everything before anything is handed on: the zip is well formed; no absolute
paths, `..`, links or duplicate names; sizes and compression ratios are bounded (zip bombs);
the manifest is well formed, of our format version, signed by the key it names, and lists
exactly the files present with their sizes and hashes. Any failure raises `BundleRejected`.
The photo and PDF files' bytes are hashed as they are read out (see `VerifiedBundle`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from app.domain.errors import BundleRejected
from app.domain.repository import ByteSink

from .keys import DeviceKey, verify_signature
from .pack_copy import StoredEntry, stored_chunks
from .record_kinds import KINDS
from .zip_copy import DATE, stored_info

__all__ = ["FORMAT", "RECORD_KINDS", "BundleWriter", "OpenedBundle", "VerifiedBundle", "open_bundle", "read_bundle",
           "read_manifest",
           "canonical", "is_raw_key", "check_entries", "check_manifest", "read_entry"]

FORMAT = 1
RECORD_KINDS = (*KINDS, "audit")
MAX_BUNDLE_BYTES = 4 * 1024**3        # the .fsb file itself
MAX_TOTAL_UNCOMPRESSED = 8 * 1024**3
MAX_ENTRY_BYTES = 1024**3
MAX_RATIO = 200                       # uncompressed / compressed, per entry (zip bombs)
MAX_ENTRIES = 500_000
MAX_MANIFEST_BYTES = 64 * 1024**2
_FILE_NAME = re.compile(r"^files/(photos|pdfs)/([0-9a-f]{64})\.(jpg|pdf|png)$")
_RECORD_NAME = re.compile(r"^records/([a-z_]+)\.jsonl$")
_CHUNK = 1 << 20   # bytes read from a record entry at a time
# What reading a damaged or hostile zip can raise (zlib's error and "version 25.5 not supported"
# found by tests/integration/test_fuzz_bundles.py): each becomes a refusal.
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error)
_MANIFEST_KEYS = {
    "format": int, "bundle_id": str, "device_id": str, "public_key": str, "target": str, "created": str,
    "files": dict, "counts": dict, "vector": dict, "signature": str,
}


def canonical(manifest: dict[str, Any]) -> bytes:
    """The signed bytes: the manifest without its signature, keys sorted, no spaces."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class BundleWriter:
    """Builds a bundle in memory-light streaming fashion and signs its manifest at the end."""

    def __init__(self, out: Path, key: DeviceKey, device_id: str, bundle_id: str, target: str, created: str,
                 box_key: str = "", authority: dict[str, list[dict[str, Any]]] | None = None):
        self._zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._files: dict[str, dict[str, Any]] = {}
        self._key, self._meta = key, {
            "format": FORMAT, "bundle_id": bundle_id, "device_id": device_id, "public_key": key.public_b64,
            "target": target, "created": created,
        }
        if box_key:   # the X25519 key peers encrypt to: signed with the rest, so peers can trust it
            self._meta["box_key"] = box_key
        if authority:   # certificates and revocations (enrolled stores): signed with the rest
            self._meta.update(authority)

    def _add(self, name: str, data: bytes, compress: bool = True) -> None:
        info = zipfile.ZipInfo(name, date_time=DATE)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self._zip.writestr(info, data)
        self._files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    def add_records(self, kind: str, docs: list[dict[str, Any]]) -> None:
        # orjson writes the same compact UTF-8 JSON as json.dumps(ensure_ascii=False), several times faster
        self._add(f"records/{kind}.jsonl", b"".join(orjson.dumps(d) + b"\n" for d in docs))

    def add_file(self, store: str, sha256: str, suffix: str, data: bytes) -> None:
        # JPEG and PDF are compressed already: storing them as-is is faster and no larger
        self._add(f"files/{store}/{sha256}{suffix}", data, compress=False)

    def add_written_files(self, part: IO[bytes], entries: list[tuple[str, str, str, int, int, int, str]]) -> None:
        """Append the stored zip entries a child wrote into `part` (see `zip_copy`), each given as
        (store, SHA-256 it is named by, suffix, size, CRC-32, offset in `part`, SHA-256 of its
        bytes): the bundle then holds them exactly as `add_file` would have written them.

        `zipfile` has no call for entries written elsewhere, so this does what its `writestr`
        does after writing an entry: list its `ZipInfo` (`filelist`, `NameToInfo`) and move
        `start_dir`, where the next entry and the directory go. A test compares the bundle's
        bytes with an export that wrote its files itself, on every Python the tests run on."""
        archive = self._zip
        assert archive.fp is not None
        archive.fp.seek(archive.start_dir)
        base = archive.fp.tell()
        part.seek(0)
        shutil.copyfileobj(part, archive.fp, 1 << 20)
        for store, sha256, suffix, size, crc, offset, digest in entries:
            name = f"files/{store}/{sha256}{suffix}"
            info = stored_info(name, size, crc)
            info.header_offset = base + offset
            archive.filelist.append(info)
            archive.NameToInfo[name] = info
            self._files[name] = {"sha256": digest, "size": size}
        archive.start_dir = archive.fp.tell()

    def close(self, counts: dict[str, int], vector: dict[str, int]) -> dict[str, Any]:
        manifest = {**self._meta, "files": self._files, "counts": counts, "vector": vector}
        manifest["signature"] = self._key.sign(canonical(manifest))
        self._zip.writestr(zipfile.ZipInfo("manifest.json", date_time=DATE),
                           json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        self._zip.close()
        return manifest


class _OpenZip:
    """A bundle's zip over a file this module opened: `zipfile` for the directory and compressed
    entries, the file's own descriptor for `os.pread` of stored ones (`VerifiedBundle._copy_stored`).
    `ZipFile` leaves a file it was handed open, so this closes both."""

    def __init__(self, path: Path):
        self.raw = path.open("rb")
        try:
            self.zip = zipfile.ZipFile(self.raw)
        except BaseException:
            self.raw.close()
            raise

    def close(self) -> None:
        self.zip.close()
        self.raw.close()


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle that passed every check. Files stay in the zip (a month of photos is hundreds
    of MB): `copy_file` streams one out when the merge needs it.

    The entries' names, sizes and listing were checked, not yet their bytes: a file is hashed as
    it is copied (`copy_file`) or checked (`check_file`), a kind of record as it is parsed
    (`take_docs`), and a mismatch refuses the bundle then. The importer does this inside its
    all-or-nothing transaction, so a bundle's photos and records are read once instead of twice.
    """

    path: Path
    name: str                                         # what messages call it (not a decrypted temp file's name)
    manifest: dict[str, Any]
    record_entries: dict[str, tuple[zipfile.ZipInfo, str]]   # kind → its verified entry and SHA-256
    files: dict[tuple[str, str], tuple[str, str]]     # (store, sha) → (zip entry, suffix)
    digest: str                                       # of the signed manifest: what a re-import is known by
    _archive: list[_OpenZip] = field(default_factory=list, repr=False)

    def take_docs(self, kind: str) -> Iterator[dict[str, Any]]:
        """The documents of one kind, parsed one line at a time as the entry is read, each kind once.

        A unit's campaign is tens of thousands of records. Held whole, its JSON text (37 MB for
        the busiest unit) sat beside the decoded records until its kind was read, and splitting
        it into lines copied it once more: read here a chunk at a time, that import peaks 21 MB
        lower (307 → 286 MB). The bytes are hashed as they are read, as a file's are when it is
        copied (a zip's CRC-32 is no defence against a deliberate change), and a mismatch
        refuses the bundle: the importer decodes every record inside its all-or-nothing
        transaction and before it merges any.
        """
        if kind not in self.record_entries:
            return
        info, sha256 = self.record_entries.pop(kind)
        digest, rest = hashlib.sha256(), b""
        for chunk in _entry_chunks(self.name, self._zip().zip, info):
            digest.update(chunk)
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            for line in lines:
                if line.strip():
                    yield _parse_line(self.name, info.filename, line)
        if rest.strip():
            yield _parse_line(self.name, info.filename, rest)
        if digest.hexdigest() != sha256:
            raise _reject(self.name, "hash_mismatch", entry=info.filename)

    def _zip(self) -> _OpenZip:
        if not self._archive:
            self._archive.append(_OpenZip(self.path))
        return self._archive[0]

    def close(self) -> None:
        for archive in self._archive:
            archive.close()
        self._archive.clear()

    def copy_file(self, store: str, sha256: str, out: ByteSink | None) -> None:
        """Stream one file into the binary file object `out` (None: read only), checking on the
        way that its bytes hash to its name. Safe to call from another thread than the one
        reading the records (an import copies files on one and merges on the other).

        The zip stays open between calls: reopening it re-reads the whole central directory,
        which made a year's bundle (19,000 photos) quadratic.
        """
        entry, _ = self.files[(store, sha256)]
        archive = self._zip()
        digest = hashlib.sha256()
        try:
            info = archive.zip.getinfo(entry)
            if info.compress_type == zipfile.ZIP_STORED:   # photos and PDFs: read straight from the file
                self._copy_stored(info, digest, out)
            else:
                with archive.zip.open(entry) as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(chunk)
                        if out is not None:
                            out.write(chunk)   # (a full disk raises StorageFull here, not an OSError)
        except ZIP_ERRORS as exc:   # the zip is damaged, or changed under us since it was verified
            raise BundleRejected(self.name, "corrupt_entry", entry=entry, message=str(exc)[:100]) from None
        if digest.hexdigest() != sha256:  # not the bytes the signed manifest names
            raise BundleRejected(self.name, "hash_mismatch", entry=entry)

    def _copy_stored(self, info: zipfile.ZipInfo, digest: Any, out: ByteSink | None) -> None:
        """An uncompressed entry's bytes, read by `os.pread` (see `pack_copy.stored_chunks`)."""
        if info.compress_size != info.file_size:
            raise zipfile.BadZipFile("stored entry of two sizes")
        for chunk in stored_chunks(self._zip().raw.fileno(), info.header_offset, info.compress_size,
                                   info.orig_filename):
            digest.update(chunk)
            if out is not None:
                out.write(chunk)

    def stored_entry(self, store: str, sha256: str, suffix: str) -> StoredEntry | None:
        """Where one file's bytes are, for a copy in another process; None unless stored uncompressed
        with one size (a bundle we write always is: anything else is copied by `copy_file`)."""
        entry, _ = self.files[(store, sha256)]
        info = self._zip().zip.getinfo(entry)
        if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
            return None
        return StoredEntry(info.orig_filename, info.header_offset, info.file_size, sha256, suffix)

    def fileno(self) -> int:
        """The open bundle file's descriptor (handed to the copying process)."""
        return self._zip().raw.fileno()

    def check_file(self, store: str, sha256: str) -> None:
        """Hash one file without copying it (one the store already has): a bundle whose bytes
        do not match its manifest is refused even where the merge would not need them."""
        self.copy_file(store, sha256, None)


def _reject(name: str, reason: str, **detail: Any) -> BundleRejected:
    return BundleRejected(name, reason, **detail)


def check_entries(name: str, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _reject(name, "too_many_entries")
    seen: set[str] = set()
    total = 0
    for info in infos:
        entry = info.filename   # (a POSIX path is absolute exactly when it starts with "/")
        if entry.startswith(("/", "\\")) or "\\" in entry or ":" in entry:
            raise _reject(name, "absolute_path", entry=entry)
        if any(part in ("..", ".", "") for part in entry.split("/")):
            raise _reject(name, "path_traversal", entry=entry)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _reject(name, "link_entry", entry=entry)
        if entry in seen:
            raise _reject(name, "duplicate_entry", entry=entry)
        seen.add(entry)
        if info.file_size > MAX_ENTRY_BYTES:
            raise _reject(name, "entry_too_large", entry=entry)
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _reject(name, "zip_bomb", entry=entry)
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise _reject(name, "too_large")
    return infos


def read_entry(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read at most the declared size (+1 to catch a lying header), never more."""
    return b"".join(_entry_chunks(name, archive, info))


def _entry_chunks(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The entry's bytes, a chunk at a time: at most its declared size (+1 to catch a lying
    header), and exactly that size or the bundle is refused."""
    left = info.file_size + 1
    try:
        with archive.open(info) as fh:
            while left and (chunk := fh.read(min(left, _CHUNK))):
                left -= len(chunk)
                yield chunk
    except ZIP_ERRORS as exc:
        raise _reject(name, "corrupt_entry", entry=info.filename, message=str(exc)[:100]) from None
    if left != 1:
        raise _reject(name, "corrupt_entry", entry=info.filename, message="size")


def check_manifest(name: str, raw: bytes) -> dict[str, Any]:
    return _checked_manifest(name, raw)[0]


def _checked_manifest(name: str, raw: bytes) -> tuple[dict[str, Any], str]:
    """The manifest, checked and its signature verified, and its digest (`_digest`): the
    signed bytes of a year's manifest (30,000 files) take 30 ms to make, so they are made once."""
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _reject(name, "bad_manifest") from None
    if not isinstance(manifest, dict) or _lone_surrogates(raw, manifest):
        raise _reject(name, "bad_manifest")
    if manifest.get("format") != FORMAT:
        raise _reject(name, "wrong_format", found=str(manifest.get("format")), expected=FORMAT)
    for key, kind in _MANIFEST_KEYS.items():
        if type(manifest.get(key)) is not kind:
            raise _reject(name, "bad_manifest_field", field=key)
    for entry, meta in manifest["files"].items():
        if not (isinstance(meta, dict) and isinstance(meta.get("sha256"), str) and type(meta.get("size")) is int):
            raise _reject(name, "bad_manifest_field", field=f"files/{entry}")
    for key in ("vector", "counts"):   # device → clock, kind → count: compared with numbers later
        if not all(isinstance(k, str) and type(v) is int for k, v in manifest[key].items()):
            raise _reject(name, "bad_manifest_field", field=key)
    if "box_key" in manifest and not is_raw_key(manifest["box_key"]):
        raise _reject(name, "bad_manifest_field", field="box_key")
    for key in ("certificates", "revocations", "checklists"):   # checked against the campaign key by the importer
        value = manifest.get(key, [])
        if not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            raise _reject(name, "bad_manifest_field", field=key)
    body = canonical(manifest)
    if not verify_signature(manifest["public_key"], body, manifest["signature"]):
        raise _reject(name, "bad_signature")
    return manifest, _digest(body, manifest["signature"])


def _lone_surrogates(raw: bytes, value: Any) -> bool:
    """JSON may spell a lone surrogate (\\ud800), which no UTF-8 file can hold: our files would
    fail to write it later. Decoding is checked only when the raw text has such an escape."""
    if b"\\ud" not in raw.lower():
        return False
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def is_raw_key(value: Any) -> bool:
    """A base64 32-byte public key (X25519 or Ed25519)."""
    try:
        return isinstance(value, str) and len(base64.b64decode(value, validate=True)) == 32
    except ValueError:
        return False


def _signed_manifest(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> tuple[dict[str, Any], str]:
    if info is None:
        raise _reject(name, "no_manifest")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _reject(name, "bad_manifest")
    return _checked_manifest(name, read_entry(name, archive, info))


def read_manifest(path: Path, name: str | None = None) -> dict[str, Any]:
    """Only the bundle's manifest, checked and its signature verified (the files are not read).

    Enough to recognise a bundle already imported: its signed manifest names every file by hash.
    The container is checked first (paths, links, sizes, entries the manifest does not list), so a
    bundle whose manifest was merged before is still refused when its zip carries anything else.
    """
    with open_bundle(path, name) as opened:
        return opened.manifest


def _check_listing(name: str, manifest: dict[str, Any], infos: dict[str, zipfile.ZipInfo]) -> None:
    """The zip holds exactly the files its signed manifest lists (names only: sizes and hashes later)."""
    listed = manifest["files"]
    extra = sorted(set(infos) - set(listed))
    if extra:
        raise _reject(name, "unlisted_file", entry=extra[0])
    missing = sorted(set(listed) - set(infos))
    if missing:
        raise _reject(name, "missing_file", entry=missing[0])


def _digest(body: bytes, signature: str) -> str:
    """SHA-256 of the signed manifest (its signed bytes and signature): the same bundle, byte for
    byte in what it carries. What a re-import is recognised by (`OpenedBundle.digest`)."""
    return hashlib.sha256(body + signature.encode()).hexdigest()


class OpenedBundle:
    """A bundle's zip, opened once per import: its container and signed manifest checked (all that
    `read_manifest` gives), the rest verified by `verify`, whose `VerifiedBundle` reads the files
    from this same open zip. A year's bundle lists tens of thousands of entries, and every opening
    parsed its central directory and checked each entry again: four times per import before.
    """

    def __init__(self, path: Path, name: str | None = None):
        self.path, self.name = path, name or path.name
        try:
            size = path.stat().st_size
        except OSError:
            raise _reject(self.name, "unreadable", message="") from None
        if size > MAX_BUNDLE_BYTES:
            raise _reject(self.name, "too_large")
        try:
            self._archive: _OpenZip | None = _OpenZip(path)
        except ZIP_ERRORS:
            raise _reject(self.name, "not_a_zip") from None
        try:
            self._infos = {i.filename: i for i in check_entries(self.name, self._archive.zip)}   # container first
            self.manifest, self.digest = _signed_manifest(self.name, self._archive.zip,
                                                          self._infos.pop("manifest.json", None))
            _check_listing(self.name, self.manifest, self._infos)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> OpenedBundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def verify(self) -> VerifiedBundle:
        """Check every entry's name and size against the manifest (their bytes are hashed as they
        are read: see `VerifiedBundle`); the returned bundle owns the open zip from here on (close
        it with `VerifiedBundle.close`)."""
        archive, name, listed = self._archive, self.name, self.manifest["files"]
        if archive is None:
            raise RuntimeError("the bundle was closed")
        records: dict[str, tuple[zipfile.ZipInfo, str]] = {}
        files: dict[tuple[str, str], tuple[str, str]] = {}
        try:
            for entry, info in self._infos.items():
                if match := _RECORD_NAME.match(entry):
                    if match.group(1) not in RECORD_KINDS:
                        raise _reject(name, "unknown_kind", entry=entry)
                    digest, size = listed[entry]["sha256"], info.file_size   # its bytes: as they are read
                elif match := _FILE_NAME.match(entry):   # the name is the hash: bytes checked when read
                    digest, size = match.group(2), info.file_size
                else:
                    raise _reject(name, "unknown_entry", entry=entry)
                if size != listed[entry]["size"] or digest != listed[entry]["sha256"]:
                    raise _reject(name, "hash_mismatch", entry=entry)
                if _RECORD_NAME.match(entry):
                    records[match.group(1)] = (info, digest)   # hashed as it is parsed: `take_docs`
                else:
                    store, sha, suffix = match.groups()
                    files[(store, sha)] = (entry, f".{suffix}")
        except BaseException:
            self.close()
            raise
        self._archive = None   # handed over
        return VerifiedBundle(self.path, name, self.manifest, records, files, self.digest, [archive])


def open_bundle(path: Path, name: str | None = None) -> OpenedBundle:
    """Open a bundle and check its container and signed manifest (`name`: what messages call it)."""
    try:
        return OpenedBundle(path, name)
    except OSError:
        raise _reject(name or path.name, "unreadable", message="") from None
    except ZIP_ERRORS:
        raise _reject(name or path.name, "not_a_zip") from None


def read_bundle(path: Path, name: str | None = None) -> VerifiedBundle:
    """Open and verify a bundle: its container, its signed manifest and every entry's name and size.

    `name` is what messages call the file (a decrypted bundle is read from a temporary file).
    The bytes of every entry, records and files, are hashed as they are used (see
    `VerifiedBundle`): the importer merges nothing before every record's hash matched.
    """
    return open_bundle(path, name).verify()


def _parse_line(name: str, entry: str, line: bytes) -> dict[str, Any]:
    try:
        doc = orjson.loads(line)   # strict: invalid UTF-8, lone surrogates, NaN and Infinity are refused
    except ValueError:
        raise _reject(name, "bad_record", entry=entry) from None
    if not isinstance(doc, dict):
        raise _reject(name, "bad_record", entry=entry)
    return doc
