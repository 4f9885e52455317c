"""Durable file replacement: a reader sees the old file or the new one, never half of either.

Each step has its reason:
- write to a temporary file in the *same* directory, so the rename below stays on one file
  system and is atomic;
- flush Python's buffer, then fsync, so the bytes are on the disk before the name points at them
  (without it a power cut can leave the new name pointing at an empty file);
- os.replace, the atomic switch;
- fsync the directory, so the rename itself survives a power cut (POSIX; Windows has no
  directory handles to sync and its MoveFileEx is already durable enough for us).

A bulk build of a whole new data set (the demo) may defer every sync to one at its end
(`deferred_sync`): a process that dies mid-build still leaves each file old or new (the page cache
holds every write), and only a power cut during the build can lose it, a build that is thrown
away and made again anyway. Everything else syncs file by file, as above.

A full disk (ENOSPC, or a quota: EDQUOT) surfaces as `StorageFull`, and the temporary file that
did not fit is removed: the old file is untouched and no half-written file is left behind. Every
byte of data goes through `_write_chunk`, the one place a test injects faults.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO

from app.domain.errors import StorageFull

__all__ = ["TMP_SUFFIX", "FULL_ERRNOS", "storage_errors", "write_temp", "open_temp", "fsync_dir", "atomic_write",
           "remove_stray_temps", "deferred_sync", "sync_deferred"]

TMP_SUFFIX = ".fstmp"
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
# Set inside `deferred_sync` (this thread and what it calls only: a server's other threads still sync).
_DEFERRED: ContextVar[bool] = ContextVar("firesweep_deferred_sync", default=False)


def sync_deferred() -> bool:
    """True inside `deferred_sync`: per-file fsyncs are skipped (callers that sync by other means
    ask this too)."""
    return _DEFERRED.get()


@contextmanager
def deferred_sync() -> Iterator[None]:
    """Skip every per-file and per-directory fsync inside; sync the file systems once on leaving.

    For building a whole data set in one go: ~270,000 files with two fsyncs each cost ~15 minutes
    of disk waits on their own. Each write is still a temp file and a rename (atomic for other
    readers and for a killed process); durability comes at the end, all at once. Nested uses join
    the outer one. On an error nothing is synced: the build failed and is discarded.
    """
    if _DEFERRED.get():
        yield
        return
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    if hasattr(os, "sync"):
        os.sync()


@contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """Turn "no space left" into `StorageFull` (a user can act on it); other OS errors stay."""
    try:
        yield
    except OSError as exc:
        if exc.errno in FULL_ERRNOS:
            raise StorageFull(str(path)) from exc
        raise


def _write_chunk(fh: BinaryIO, data: bytes) -> None:
    """Every data write goes through here (tests replace it to simulate a full disk)."""
    fh.write(data)


def _temp_name(path: Path) -> Path:
    return path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")


def write_temp(path: Path, data: bytes, sync: bool = True) -> Path:
    """Write `data` durably to a fresh temporary file beside `path`; return its path.

    `sync=False` leaves the fsync to the caller, who writes many and then syncs once (`os.sync`).
    On any failure the temporary file is removed: nothing half-written stays behind.
    """
    with storage_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_name(path)
        try:
            with tmp.open("xb") as fh:
                _write_chunk(fh, data)
                fh.flush()
                if sync and not _DEFERRED.get():
                    os.fsync(fh.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return tmp


class TempFile:
    """A temporary file being streamed into (a photo out of a bundle): writes that hit a full
    disk raise `StorageFull`, and leaving the block with an error removes the file."""

    def __init__(self, tmp: Path, final: Path):
        self.tmp, self._final = tmp, final
        self._fh = tmp.open("xb")

    def write(self, data: bytes) -> int:
        with storage_errors(self._final):
            _write_chunk(self._fh, data)
        return len(data)

    def flush(self) -> None:
        with storage_errors(self._final):
            self._fh.flush()

    def fileno(self) -> int:
        return self._fh.fileno()

    def close(self) -> None:
        with storage_errors(self._final):
            self._fh.close()

    def __enter__(self) -> TempFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.close()
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            if exc_type is None:
                raise
        if exc_type is not None:
            self.tmp.unlink(missing_ok=True)


def open_temp(path: Path) -> tuple[Path, TempFile]:
    """A new temporary file beside `path`, opened for binary writing; the caller syncs it."""
    with storage_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_name(path)
        return tmp, TempFile(tmp, path)


def fsync_dir(directory: Path) -> None:
    if os.name != "posix" or _DEFERRED.get():
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, durably and atomically."""
    tmp = write_temp(path, data)
    try:
        with storage_errors(path):
            tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def remove_stray_temps(root: Path) -> int:
    """Delete temporary files left by writes that never committed (a crash mid-write)."""
    count = 0
    for tmp in root.rglob(f"*{TMP_SUFFIX}"):
        tmp.unlink(missing_ok=True)
        count += 1
    return count
