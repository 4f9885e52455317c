"""Content-addressed files: photos and PDFs named by their SHA-256, never base64 inside JSON.

`photos/ab/abcdef….jpg`: the first two hex digits fan files out over 256 folders so no folder
grows huge in a year. The same bytes stored twice are one file. A file is written durably
(temp, fsync, rename) before its hash is handed back, so a record never points at nothing.

What an import brings in is kept in pack files instead (`photos/packs/*.pack`, see
`blob_packs`): one file per import rather than one per photo. Callers do not see the
difference: they ask by hash for bytes, a suffix, or whether the store holds it.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from .atomic import TMP_SUFFIX, atomic_write
from .blob_packs import PACK_SUFFIX, SUFFIXES, PackEntry, PackReader

__all__ = ["BlobStore", "PACKS"]

_HASH = re.compile(r"^[0-9a-f]{64}$")
PACKS = "packs"   # the folder of pack files, beside the 256 fan-out folders


class BlobStore:
    def __init__(self, root: Path):
        self.root = root
        self._packs: dict[str, PackReader] = {}
        self._packs_seen: int | None = None    # the packs folder's mtime when last listed
        self.unreadable: list[str] = []         # packs whose index cannot be read (`verify` says so)
        self._lock = threading.Lock()

    # ---- loose files ----------------------------------------------------------------------

    def _loose(self, sha256: str) -> Path | None:
        folder = self.root / sha256[:2]
        for suffix in SUFFIXES:   # a few stat calls: far cheaper than a glob per photo
            candidate = folder / f"{sha256}{suffix}"
            if candidate.exists():
                return candidate
        return None

    # ---- packs ----------------------------------------------------------------------------

    def packs(self, relist: bool = False) -> list[PackReader]:
        """The committed packs, their indexes read once. A pack is added by a commit (a rename
        into the folder, which changes its mtime) and never changes, so the folder is listed
        again only when its mtime moved, or when asked to (`relist`: a file system whose
        timestamps are coarse may not move it)."""
        folder = self.root / PACKS
        try:
            seen = folder.stat().st_mtime_ns
        except FileNotFoundError:
            return []
        with self._lock:
            if relist or seen != self._packs_seen:
                names = sorted(n for n in os.listdir(folder) if n.endswith(PACK_SUFFIX))   # noqa: PTH208
                packs, self.unreadable = {}, []
                for name in names:
                    try:
                        packs[name] = self._packs.get(name) or PackReader(folder / name)
                    except (OSError, ValueError):   # damaged on disk: its blobs read as missing
                        self.unreadable.append(name)
                self._packs, self._packs_seen = packs, seen
            return list(self._packs.values())

    def _packed(self, sha256: str) -> tuple[PackReader, PackEntry] | None:
        for relist in (False, True):   # a miss looks again: rare, and a listing is cheap
            for pack in self.packs(relist):
                entry = pack.find(sha256)
                if entry is not None:
                    return pack, entry
        return None

    # ---- by hash ---------------------------------------------------------------------------

    def suffix(self, sha256: str) -> str | None:
        """The stored file's suffix (".jpg", ".pdf", ".png"), or None when the store lacks it."""
        if not _HASH.match(sha256):
            return None
        loose = self._loose(sha256)
        if loose is not None:
            return loose.suffix
        packed = self._packed(sha256)
        return packed[1].suffix if packed else None

    def has(self, sha256: str) -> bool:
        return self.suffix(sha256) is not None

    def finder(self) -> Callable[[str], bool]:
        """`has` for many lookups in a row (a bundle's thousands of photos): each folder is
        listed once, instead of a stat per suffix per file. It sees the files of that moment."""
        listed: dict[str, frozenset[str]] = {}
        packed: set[bytes] = set()   # every pack's digests at once: a merge's store holds dozens of packs
        for pack in self.packs():
            packed |= pack.raw_digests()
        try:   # a bureau's store holds packs only: no fan-out folder to list at all
            shards = frozenset(os.listdir(self.root))   # noqa: PTH208 (names, not Paths)
        except FileNotFoundError:
            shards = frozenset()

        def find(sha256: str) -> bool:
            if not _HASH.match(sha256):
                return False
            shard = sha256[:2]
            if shard not in listed:
                try:
                    listed[shard] = frozenset(os.listdir(self.root / shard)) if shard in shards else frozenset()  # noqa: PTH208
                except FileNotFoundError:
                    listed[shard] = frozenset()
            if any(f"{sha256}{suffix}" in listed[shard] for suffix in SUFFIXES):
                return True
            return bytes.fromhex(sha256) in packed

        return find

    def put(self, data: bytes, suffix: str) -> str:
        if suffix not in SUFFIXES:
            raise ValueError(f"unexpected suffix {suffix!r}")
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.has(sha256):
            atomic_write(self.root / sha256[:2] / f"{sha256}{suffix}", data)
        return sha256

    def read(self, sha256: str) -> bytes:
        found = self.read_with_suffix(sha256)
        if found is None:
            raise FileNotFoundError(sha256)
        return found[1]

    def read_with_suffix(self, sha256: str) -> tuple[str, bytes] | None:
        """(suffix, bytes) of a stored file, or None: one lookup for a bundle that needs both."""
        if _HASH.match(sha256):
            loose = self._loose(sha256)
            if loose is not None:
                return loose.suffix, loose.read_bytes()
            packed = self._packed(sha256)
            if packed is not None:
                return packed[1].suffix, packed[0].read(packed[1])
        return None

    def locate(self, sha256: str) -> tuple[Path, int, int, str] | None:
        """(file, offset, length, suffix) of a stored file's bytes, or None: for a reader in another
        process (an export's files, `zip_copy`), which must not go through this object."""
        if _HASH.match(sha256):
            loose = self._loose(sha256)
            if loose is not None:
                return loose, 0, loose.stat().st_size, loose.suffix
            packed = self._packed(sha256)
            if packed is not None:
                return packed[0].path, packed[1].offset, packed[1].length, packed[1].suffix
        return None

    def check(self, sha256: str) -> str | None:
        """None when the file exists and matches its name; else 'missing' or 'hash_mismatch'."""
        try:
            data = self.read(sha256)
        except FileNotFoundError:
            return "missing"
        return None if hashlib.sha256(data).hexdigest() == sha256 else "hash_mismatch"

    def all(self) -> list[str]:
        loose = {p.name.split(".")[0] for p in self.root.glob("??/*") if not p.name.endswith(TMP_SUFFIX)}
        for pack in self.packs():
            loose.update(pack.digests())
        return sorted(loose)
