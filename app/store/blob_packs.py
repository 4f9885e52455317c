"""Pack files: many content-addressed blobs in one file, for what a bundle import brings in.

Why: a bureau merging 36 units' campaigns receives about 250,000 photo files. Creating a small
file costs ~120 µs on the disks we measured, plus a rename at commit, so one file per blob spent
more time in the file system than in everything else the merge does. A pack is written
sequentially once (staged, renamed at commit like any other file of the transaction), so an
import of thousands of photos creates one file.

Layout (all integers big-endian):

    blob bytes, one after another
    index: N entries sorted by digest, each 32-byte SHA-256 | 8-byte offset | 4-byte length | 1-byte suffix
    fan-out: 256 × 4-byte counts (entries whose first digest byte is ≤ i), as in git's pack index
    trailer: 8-byte index offset | 4-byte N | 8-byte magic

A pack never changes once committed. Its index is read when first needed and kept; a lookup is a
fan-out step and a short binary search, so no dict of every blob is ever held in memory.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:   # only the type: the copying process (`pack_copy`) imports this module alone
    from app.domain.repository import ByteSink

__all__ = ["PACK_SUFFIX", "PackEntry", "PackReader", "PackWriter", "SUFFIXES"]

PACK_SUFFIX = ".pack"
MAGIC = b"FSPACK01"
SUFFIXES = (".jpg", ".pdf", ".png")
_ENTRY = struct.Struct(">32sQIB")
_TRAILER = struct.Struct(">QI8s")
_FANOUT = struct.Struct(">256I")


class PackEntry(NamedTuple):
    """Where one blob is inside its pack."""

    offset: int
    length: int
    suffix: str


class PackWriter:
    """Appends blobs to an open binary file, then writes the index and trailer on `finish`.

    The caller streams each blob's bytes with `begin` / `write` / `end` (the bundle reader hashes
    them on the way, so a blob is read once); `end` records the digest the caller vouches for.
    """

    def __init__(self, out: ByteSink):
        self._out = out
        self._offset = 0
        self._start = 0
        self._entries: dict[bytes, tuple[int, int, int]] = {}

    def __contains__(self, sha256: str) -> bool:
        return bytes.fromhex(sha256) in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def begin(self) -> None:
        self._start = self._offset

    def write(self, chunk: bytes) -> int:
        self._out.write(chunk)
        self._offset += len(chunk)
        return len(chunk)

    def end(self, sha256: str, suffix: str) -> None:
        self._entries[bytes.fromhex(sha256)] = (self._start, self._offset - self._start, SUFFIXES.index(suffix))

    def add(self, data: bytes, suffix: str) -> str:
        """Add one blob given whole; returns its SHA-256."""
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 not in self:
            self.begin()
            self.write(data)
            self.end(sha256, suffix)
        return sha256

    def finish(self) -> None:
        index_at = self._offset
        fanout = [0] * 256
        rows = []
        for digest in sorted(self._entries):
            offset, length, suffix = self._entries[digest]
            rows.append(_ENTRY.pack(digest, offset, length, suffix))
            fanout[digest[0]] += 1
        running = 0
        for i in range(256):
            running += fanout[i]
            fanout[i] = running
        self._out.write(b"".join(rows) + _FANOUT.pack(*fanout) + _TRAILER.pack(index_at, len(rows), MAGIC))


class PackReader:
    """A committed pack's index, read once; blobs are read on demand with one seek."""

    def __init__(self, path: Path):
        self.path = path
        with path.open("rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            if size < _TRAILER.size + _FANOUT.size:
                raise ValueError(f"{path.name}: too short to be a pack")
            fh.seek(size - _TRAILER.size)
            index_at, count, magic = _TRAILER.unpack(fh.read(_TRAILER.size))
            if magic != MAGIC or index_at + count * _ENTRY.size + _FANOUT.size + _TRAILER.size != size:
                raise ValueError(f"{path.name}: not a pack, or truncated")
            fh.seek(index_at)
            self._index = fh.read(count * _ENTRY.size)
            self._fanout = _FANOUT.unpack(fh.read(_FANOUT.size))
        self.count = count

    def _digest(self, i: int) -> bytes:
        at = i * _ENTRY.size
        return self._index[at:at + 32]

    def find(self, sha256: str) -> PackEntry | None:
        try:
            digest = bytes.fromhex(sha256)
        except ValueError:
            return None
        if len(digest) != 32:
            return None
        low = self._fanout[digest[0] - 1] if digest[0] else 0
        high = self._fanout[digest[0]]
        while low < high:
            mid = (low + high) // 2
            here = self._digest(mid)
            if here < digest:
                low = mid + 1
            elif here > digest:
                high = mid
            else:
                _, offset, length, suffix = _ENTRY.unpack_from(self._index, mid * _ENTRY.size)
                return PackEntry(offset, length, SUFFIXES[suffix])
        return None

    def read(self, entry: PackEntry) -> bytes:
        with self.path.open("rb") as fh:
            fh.seek(entry.offset)
            return fh.read(entry.length)

    def digests(self) -> Iterator[str]:
        for i in range(self.count):
            yield self._digest(i).hex()

    def raw_digests(self) -> set[bytes]:
        """Every blob's 32-byte digest: for checking thousands of hashes at once (an import)."""
        size = _ENTRY.size
        return {self._index[at:at + 32] for at in range(0, self.count * size, size)}
