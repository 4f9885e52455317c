"""Durable file replacement: a reader sees the old file or the new one, never half of either.

Each step has its reason:
- write to a temporary file in the *same* directory, so the rename below stays on one file
  system and is atomic;
- flush Python's buffer, then fsync, so the bytes are on the disk before the name points at them
  (without it a power cut can leave the new name pointing at an empty file);
- os.replace, the atomic switch;
- fsync the directory, so the rename itself survives a power cut (POSIX; Windows has no
  directory handles to sync and its MoveFileEx is already durable enough for us).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["TMP_SUFFIX", "write_temp", "open_temp", "fsync_dir", "atomic_write", "remove_stray_temps"]

TMP_SUFFIX = ".fstmp"


def write_temp(path: Path, data: bytes) -> Path:
    """Write `data` durably to a fresh temporary file beside `path`; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")
    with tmp.open("xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def open_temp(path: Path):
    """A new temporary file beside `path`, opened for binary writing; the caller syncs it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")
    return tmp, tmp.open("xb")


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
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
