"""Per data file, the highest logical clock of each device in it: lets an export skip old files.

A tablet exports what changed since its last bundle. Without this, choosing a month's changes
means parsing a year of files. The index is a cache, not a record: each entry carries the
identity of the file version it describes (inode, mtime, size — a new inode at every atomic
replace) and is used only while that still matches. A missing, stale or unreadable index just
means reading the file; losing it loses nothing, so it is written without a journal.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import orjson

from .atomic import atomic_write
from .tinyfile import file_stamp

__all__ = ["RevIndex", "INDEX_FILE", "highest_revs", "has_newer"]

INDEX_FILE = "revs.cache"


def highest_revs(tables: dict[str, dict[str, Any]]) -> dict[str, int]:
    """device → highest rev among the documents of a file's tables (records and audit events)."""
    revs: dict[str, int] = {}
    for name, docs in tables.items():
        if name.startswith("_"):
            continue
        for doc in docs.values():
            device, rev = doc.get("device"), doc.get("rev")
            if isinstance(device, str) and isinstance(rev, int) and rev > revs.get(device, -1):
                revs[device] = rev
    return revs


def has_newer(revs: dict[str, int], known: dict[str, int]) -> bool:
    return any(rev > known.get(device, -1) for device, rev in revs.items())


class RevIndex:
    def __init__(self, root: Path):
        self.path = root / INDEX_FILE
        self.root = root
        self._entries: dict[str, list[Any]] | None = None
        self._changed = False

    def _load(self) -> dict[str, list[Any]]:
        if self._entries is None:
            try:
                entries = orjson.loads(self.path.read_bytes())
                self._entries = entries if isinstance(entries, dict) else {}
            except (OSError, ValueError):
                self._entries = {}
        return self._entries

    def get(self, path: Path) -> dict[str, int] | None:
        """The file's highest revs if the index describes its current version, else None."""
        entry = self._load().get(path.relative_to(self.root).as_posix())
        stamp = file_stamp(path)
        if (stamp is not None and isinstance(entry, list) and len(entry) == 2 and entry[0] == list(stamp)
                and isinstance(entry[1], dict)):
            return entry[1]
        return None

    def put(self, path: Path, stamp: tuple[int, int, int] | None, revs: dict[str, int]) -> None:
        """Remember `revs` for the version of the file identified by `stamp` (taken when it was read)."""
        if stamp is not None:
            self._load()[path.relative_to(self.root).as_posix()] = [list(stamp), revs]
            self._changed = True

    def save(self) -> None:
        """Keep what was learnt for the next export (best effort: a failure only costs time)."""
        if self._changed and self._entries is not None:
            with contextlib.suppress(OSError):
                atomic_write(self.path, orjson.dumps(self._entries))
            self._changed = False
