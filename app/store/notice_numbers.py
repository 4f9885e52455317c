"""The notice numbers of a TinyDB store, kept in memory per notices file: what numbering reads.

Issuing a notice needs the serials already used in its series, and Settings the series this device
issued in last. Both used to decode every notice of every unit, on every issue. Here each notices
file's notices are kept as four raw fields (`Issued`), read from the stored documents, with the
version of the file they came from; `UsedNumbers` indexes the numbers of all of them. The
repository (`TinyRepository`) decides when a file's entry is read, updated, confirmed by a commit
or forgotten by a rollback; this module only keeps them consistent with each other.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from app.domain.issuers import UsedNumbers
from app.domain.model import Notice

__all__ = ["Issued", "NoticeNumbers", "issued_of", "FIELDS"]

FIELDS = ("number", "device", "issued_at", "deleted")   # the stored fields `Issued` is read from


class Issued(NamedTuple):
    """What numbering needs of one stored notice."""

    number: str
    device: str
    issued_at: str      # ISO time, as stored
    deleted: bool


def issued_of(notice: Notice) -> Issued:
    return Issued(notice.number, notice.device, notice.issued_at.isoformat(), notice.deleted)


def issued_from(values: tuple[Any, ...]) -> Issued:
    """From a stored document's `FIELDS`, whatever they hold (a number that is not one is ignored)."""
    number, device, issued_at, deleted = values
    return Issued(str(number or ""), str(device or ""), str(issued_at or ""), bool(deleted))


class NoticeNumbers:
    """Per notices file: its notices' `Issued` by id and the file version they were read from."""

    def __init__(self) -> None:
        self._used = UsedNumbers()
        self._files: dict[Path, tuple[Any, dict[str, Issued]]] = {}

    def of(self, path: Path, version: Any) -> dict[str, Issued] | None:
        """The file's entries if they were read from `version` of it, else None (read it again)."""
        known = self._files.get(path)
        return known[1] if known is not None and known[0] == version else None

    def read(self, path: Path, version: Any, entries: dict[str, Issued]) -> dict[str, Issued]:
        """The file's entries as read from `version`, replacing what was known of it."""
        self.forget(path)
        self._used.update(e.number for e in entries.values())
        self._files[path] = (version, entries)
        return entries

    def note(self, path: Path, notice_id: str, issued: Issued) -> None:
        """A notice staged in the file (whose entries are current): its number counts from now."""
        entries = self._files[path][1]
        old = entries.get(notice_id)
        if old is None or old.number != issued.number:
            if old is not None:
                self._used.discard(old.number)
            self._used.add(issued.number)
        entries[notice_id] = issued

    def committed(self, path: Path, version: Any) -> None:
        """The file was written: what is known of it is now `version`'s."""
        known = self._files.get(path)
        if known is not None:
            self._files[path] = (version, known[1])

    def forget(self, path: Path) -> None:
        """The file's entries no longer hold (a rollback discarded its changes): its numbers stop counting."""
        known = self._files.pop(path, None)
        if known is not None:
            for entry in known[1].values():
                self._used.discard(entry.number)

    def clear(self) -> None:
        self._used, self._files = UsedNumbers(), {}

    def known_paths(self) -> set[Path]:
        return set(self._files)

    def used(self) -> UsedNumbers:
        """A snapshot of every number known, deleted notices' included."""
        return copy.copy(self._used)

    def latest_of(self, device: str) -> str | None:
        """The number of the last notice (by issue time) `device` issued that is not deleted."""
        mine = [e for _, entries in self._files.values() for e in entries.values()
                if e.device == device and not e.deleted]
        return max(mine, key=_moment).number if mine else None


def _moment(entry: Issued) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(entry.issued_at)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
