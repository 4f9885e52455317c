"""Content-addressed files: photos and PDFs named by their SHA-256, never base64 inside JSON.

`photos/ab/abcdef….jpg`: the first two hex digits fan files out over 256 folders so no folder
grows huge in a year. The same bytes stored twice are one file. A file is written durably
(temp, fsync, rename) before its hash is handed back, so a record never points at nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from .atomic import atomic_write

__all__ = ["BlobStore"]

_HASH = re.compile(r"^[0-9a-f]{64}$")
SUFFIXES = (".jpg", ".pdf", ".png")


class BlobStore:
    def __init__(self, root: Path):
        self.root = root

    def path(self, sha256: str) -> Path | None:
        """The stored file for `sha256`, whatever its suffix, or None."""
        if not _HASH.match(sha256):
            return None
        folder = self.root / sha256[:2]
        for suffix in SUFFIXES:   # a few stat calls: far cheaper than a glob per photo
            candidate = folder / f"{sha256}{suffix}"
            if candidate.exists():
                return candidate
        return None

    def finder(self) -> Callable[[str], Path | None]:
        """`path` for many lookups in a row (a bundle's thousands of photos): each folder is
        listed once, instead of a stat per suffix per file. It sees the files of that moment."""
        listed: dict[str, frozenset[str]] = {}

        def find(sha256: str) -> Path | None:
            if not _HASH.match(sha256):
                return None
            shard = sha256[:2]
            if shard not in listed:
                try:
                    listed[shard] = frozenset(os.listdir(self.root / shard))   # noqa: PTH208 (names, not Paths)
                except FileNotFoundError:
                    listed[shard] = frozenset()
            for suffix in SUFFIXES:
                if f"{sha256}{suffix}" in listed[shard]:
                    return self.root / shard / f"{sha256}{suffix}"
            return None

        return find

    def put(self, data: bytes, suffix: str) -> str:
        if suffix not in SUFFIXES:
            raise ValueError(f"unexpected suffix {suffix!r}")
        sha256 = hashlib.sha256(data).hexdigest()
        if self.path(sha256) is None:
            atomic_write(self.root / sha256[:2] / f"{sha256}{suffix}", data)
        return sha256

    def read(self, sha256: str) -> bytes:
        path = self.path(sha256)
        if path is None:
            raise FileNotFoundError(sha256)
        return path.read_bytes()

    def check(self, sha256: str) -> str | None:
        """None when the file exists and matches its name; else 'missing' or 'hash_mismatch'."""
        path = self.path(sha256)
        if path is None:
            return "missing"
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return None if digest.hexdigest() == sha256 else "hash_mismatch"

    def all(self) -> list[str]:
        return sorted(p.name.split(".")[0] for p in self.root.glob("??/*") if not p.name.endswith(".fstmp"))
