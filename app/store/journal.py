"""All-or-nothing commits across several files.

A single file is replaced atomically by a rename. When one change spans files (a hazard and
its inspection, a bundle import touching hundreds), every new version is first written to a
temporary file and synced; then a journal listing the renames is written atomically; then the
renames happen; then the journal goes. A crash before the journal exists leaves only stray
temporary files (deleted on the next open): nothing changed. A crash after it is rolled forward
on the next open: everything changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import orjson

from .atomic import atomic_write, fsync_dir, remove_stray_temps, sync_deferred, write_temp

__all__ = ["commit_files", "recover"]

JOURNAL = "journal.json"
BULK_FILES = 32   # above this many files in one commit (an import), sync once for all of them:
#   os.sync() flushes the whole file system, so a user's few-file save keeps its own fsyncs


def commit_files(root: Path, files: dict[Path, Callable[[], bytes]], staged: dict[Path, Path] | None = None) -> None:
    """Replace every file in `files` with the bytes its function makes, and move every
    already-written temporary file in `staged` (final path → temp path) into place: all or
    nothing (see module doc). Each file's bytes are made just before they are written, so a
    big commit holds one file's encoding at a time, not all of them."""
    staged = staged or {}
    if not files and not staged:
        return
    if len(files) == 1 and not staged:
        [(path, encode)] = files.items()
        atomic_write(path, encode())
        return
    renames = [(tmp, final) for final, tmp in staged.items()]
    journal = root / JOURNAL
    # Many files (an import): write them all, then one os.sync() makes them and the staged files
    # durable together, instead of an fsync per file (each a disk round trip).
    bulk = hasattr(os, "sync") and (bool(staged) or len(files) > BULK_FILES)
    try:
        for path, encode in files.items():
            renames.append((write_temp(path, encode(), sync=not bulk), path))
        if bulk and not sync_deferred():   # a bulk build syncs once at its very end
            os.sync()
        listing = [[str(t.relative_to(root)), str(p.relative_to(root))] for t, p in renames]
        atomic_write(journal, orjson.dumps(listing))
    except BaseException:
        # Before the journal exists nothing has changed: remove every temporary file now
        # (a full disk must not be left fuller, nor `verify` see an interrupted commit).
        for tmp, _ in renames:
            tmp.unlink(missing_ok=True)
        raise
    _apply(root, renames)
    journal.unlink()
    fsync_dir(root)


def _apply(root: Path, renames: list[tuple[Path, Path]]) -> None:
    dirs: set[Path] = set()
    for tmp, final in renames:
        if tmp.exists():
            tmp.replace(final)
        dirs.add(final.parent)
    for directory in dirs:
        fsync_dir(directory)


def recover(root: Path) -> str | None:
    """Finish or undo an interrupted commit; return what was done ('rolled_forward'/'cleaned')."""
    journal = root / JOURNAL
    outcome = None
    if journal.exists():
        try:
            pairs = json.loads(journal.read_bytes())
        except ValueError:
            pairs = None  # a torn journal cannot exist (atomic write), but never trust a file blindly
        if pairs is not None:
            _apply(root, [(root / t, root / p) for t, p in pairs])
            outcome = "rolled_forward"
        journal.unlink()
        fsync_dir(root)
    if remove_stray_temps(root):
        outcome = outcome or "cleaned"
    return outcome
