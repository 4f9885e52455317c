"""One writer at a time per data directory, across threads and processes.

A thread lock serializes the app's own sessions (two browser tabs share one process); an OS
file lock on `<data>/.lock` keeps a second process (a CLI import while the app is open) out.
The OS releases the file lock when a process dies, so a crash never leaves the store locked.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.domain.errors import StoreBusy

__all__ = ["DirectoryLock"]

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only (mypy knows this form)
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class DirectoryLock:
    """Re-entrant within a thread; waits up to `timeout` seconds for other holders."""

    def __init__(self, root: Path, timeout: float = 30.0):
        self.path = root / ".lock"
        self.timeout = timeout
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def hold(self) -> Iterator[None]:
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise StoreBusy(str(self.path.parent))
        try:
            if self._depth == 0:
                self._acquire_file()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release_file()
        finally:
            self._thread_lock.release()

    @contextmanager
    def thread(self) -> Iterator[None]:
        """Only this process's lock: enough for reads, which never see a half-written file."""
        with self._thread_lock:
            yield

    def read_generation(self) -> int:
        """A counter every committing process bumps: if it moved, someone else wrote.

        File stamps (inode, mtime, size) alone can miss a change: a replaced file's inode is
        reused and mtime is only as fine as the kernel's clock tick.
        """
        try:
            with self.path.open("rb") as fh:
                raw = fh.read(20)
        except FileNotFoundError:
            return 0
        try:
            return int(raw.strip() or b"0")
        except ValueError:
            return 0

    def bump_generation(self) -> int:
        """Called by the lock holder after a commit; the value is a cache hint, not data."""
        generation = self.read_generation() + 1
        with self.path.open("r+b" if self.path.exists() else "wb") as fh:
            fh.write(str(generation).rjust(20).encode())
        return generation

    def _acquire_file(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                os.close(fd)
                raise StoreBusy(str(self.path.parent))
            time.sleep(0.005)
        self._fd = fd

    def _release_file(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
