"""A bundle's stored photo and PDF files, hashed and packed by a process of its own.

Why a process: copying an import's files is reading, hashing and writing; merging its records is
Python. On a second thread the two fought over the interpreter lock. Over the first 9 unit bundles
of a bureau's merge (148,580 records, 1.9 GB of files, session 10) the copy took 4.9 s alone but
15.3 s beside the records, and the merge took 22.3–24.4 s; copying first and then merging took
21.4–22.8 s; merging without the copy took 13.2 s. In a process of its own the copy runs on the
other core and the interpreter lock is the records' alone.

The child is this module run by `child_job` (the same interpreter, standard library and a few
store modules only). It inherits the open bundle and the staged packs as file descriptors and
answers done, or the first refusal (the parent turns it into the same `BundleRejected` or
`StorageFull` a copy in the parent raises). It syncs the packs itself, so the commit's sync has
little left to write, and it stops by itself if its parent dies: a killed import leaves only a
staged temporary file behind, which the next open removes.

Only stored (uncompressed) entries are read here, by `os.pread` after checking their local header
as `zipfile` does (`stored_chunks`, also what the parent uses for them).
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import zipfile
from collections.abc import Iterator
from typing import NamedTuple

from app.store.atomic import FULL_ERRNOS
from app.store.blob_packs import PackWriter
from app.store.child_job import parent_gone, serve

__all__ = ["StoredEntry", "CopyRefused", "stored_chunks"]

# a zip entry's local header: signature, flags, then (after version, method, time, CRC and sizes) the
# lengths of its name and extra field (APPNOTE 4.3.7)
LOCAL_HEADER = struct.Struct("<4s2xH18xHH")
_CHUNK = 1 << 20


class StoredEntry(NamedTuple):
    """One uncompressed zip entry and what its bytes must hash to; `suffix` "" = check only."""

    name: str
    header_offset: int
    size: int
    sha256: str
    suffix: str


class CopyRefused(Exception):
    """Why the copy stopped: a `BundleRejected` reason (or "storage_full") and its entry."""

    def __init__(self, reason: str, entry: str = "", message: str = ""):
        super().__init__(reason, entry, message)
        self.reason, self.entry, self.message = reason, entry, message


def stored_chunks(fd: int, header_offset: int, size: int, name: str) -> Iterator[bytes]:
    """An uncompressed entry's bytes, by `os.pread` at its offset: `zipfile` seeks, tells and
    checks a CRC on every read under a lock, a third of a merge's file copying, and the SHA-256
    the caller checks is stronger than the CRC. The local header is checked as `zipfile` checks
    it (signature, name, no encryption); `size` comes from the central directory, which the
    manifest's sizes were compared with. Raises `zipfile.BadZipFile` or `EOFError`."""
    header = os.pread(fd, LOCAL_HEADER.size, header_offset)
    if len(header) != LOCAL_HEADER.size:
        raise zipfile.BadZipFile("truncated local header")
    magic, flags, name_length, extra_length = LOCAL_HEADER.unpack(header)
    stored_name = os.pread(fd, name_length, header_offset + LOCAL_HEADER.size)
    if magic != b"PK\x03\x04" or flags & 0x1 or stored_name != name.encode("utf-8"):
        raise zipfile.BadZipFile("local header does not match the directory")
    offset = header_offset + LOCAL_HEADER.size + name_length + extra_length
    left = size
    while left:
        chunk = os.pread(fd, min(left, _CHUNK), offset)
        if not chunk:
            raise EOFError("entry ends early")
        yield chunk
        offset += len(chunk)
        left -= len(chunk)


def _copy(fd: int, entry: StoredEntry, out: PackWriter | None) -> None:
    digest = hashlib.sha256()
    try:
        for chunk in stored_chunks(fd, entry.header_offset, entry.size, entry.name):
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise CopyRefused("corrupt_entry", entry.name, str(exc)[:100]) from None
    except OSError as exc:
        if exc.errno in FULL_ERRNOS:
            raise CopyRefused("storage_full") from None
        raise CopyRefused("corrupt_entry", entry.name, str(exc)[:100]) from None
    if digest.hexdigest() != entry.sha256:   # not the bytes the signed manifest names
        raise CopyRefused("hash_mismatch", entry.name)


def _run(job: dict) -> None:
    source, parent = job["source"], job["parent"]
    for pack in job["packs"]:
        with os.fdopen(pack["fd"], "wb", buffering=_CHUNK, closefd=False) as out:
            writer = PackWriter(out)
            for row in pack["entries"]:
                if parent_gone(parent):   # the import was killed: nothing will commit this
                    raise SystemExit(3)
                entry = StoredEntry(*row)
                writer.begin()
                _copy(source, entry, writer)
                writer.end(entry.sha256, entry.suffix)
            writer.finish()
        os.fsync(pack["fd"])
    for row in job["check"]:
        _copy(source, StoredEntry(*row), None)


def _answer(job: dict) -> dict[str, object]:
    try:
        _run(job)
    except CopyRefused as refused:
        return {"reason": refused.reason, "entry": refused.entry, "message": refused.message}
    except OSError as exc:   # writing the pack
        return {"reason": "storage_full" if exc.errno in FULL_ERRNOS else "os_error", "message": str(exc)[:200]}
    return {"ok": True}


if __name__ == "__main__":
    sys.exit(serve(_answer))
