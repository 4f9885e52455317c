"""One data set built in parts, one process each, then joined into one store (a bulk build).

Why: a bureau's demo simulates 36 units, and one process uses one core. Built in two parts on
two processes, it takes about half the time; the join costs only renames.

A part is a data directory of its own that starts with the target's identity: the same device id
and keys (a notice's QR is signed by the device that issued it), and logical clocks from a floor
of its own (`REV_STRIDE` apart), so no two parts give the same rev. Parts hold whole units, and
never a unit another part or the target holds. Joining moves each part's unit folders and its
content-addressed files (photos, PDFs, checklist versions: the same name is the same bytes) into
the target, and raises the target's rev reservation above every part's.

Not a merge of two stores' histories (that is a bundle import, which checks what it takes): the
parts are the target's own writes, made by the same device in other processes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from app.domain.repository import Repository

from . import journal
from .atomic import TMP_SUFFIX
from .locking import DirectoryLock
from .tinystore import TinyRepository

__all__ = ["REV_STRIDE", "PartError", "prepare_part", "join_parts"]

REV_STRIDE = 100_000_000   # revs per part: a bureau's whole campaign gives about 600,000
_SHARED = ("keys", "checklists")            # copied into a part: what every part reads or signs with
_CONTENT = ("photos", "pdfs", "checklists")  # files named by their content: a name taken is the same file
_UNITS = "units"


class PartError(RuntimeError):
    """A part that cannot be joined: it overlaps the target, or was not built to the end."""


def prepare_part(target: Repository, part: Path, index: int) -> Path:
    """Make `part` (absent or empty) the `index`-th part of `target` (1, 2…; the target is part 0)."""
    if index < 1:
        raise ValueError("part 0 is the target itself")
    part.mkdir(parents=True, exist_ok=True)
    if any(part.iterdir()):
        raise PartError(f"{part} is not empty")
    for name in _SHARED:
        if (target.root / name).is_dir():
            shutil.copytree(target.root / name, part / name)
    TinyRepository.open(part, device_id=target.device_id, rev_floor=index * REV_STRIDE)
    return part


def join_parts(target: Path, parts: list[Path]) -> None:
    """Move every part into `target`, then remove the parts. Refuses (before moving anything) a part
    left mid-transaction, or holding a unit the target or another part already holds."""
    with DirectoryLock(target).hold():
        _check(target, parts)
        highest = 0
        for part in parts:
            for name in _CONTENT:
                _move_content(part / name, target / name)
            (target / _UNITS).mkdir(exist_ok=True)
            for unit in _unit_dirs(part):
                destination = target / _UNITS / unit.name
                if destination.is_dir():
                    destination.rmdir()   # empty: `_check` made sure
                unit.replace(destination)
            highest = max(highest, TinyRepository.reserved_rev(part))
        for part in parts:
            shutil.rmtree(part)
    TinyRepository.open(target, rev_floor=highest)   # from now on, revs above every part's


def _check(target: Path, parts: list[Path]) -> None:
    held = {u.name for u in _unit_dirs(target) if any(u.iterdir())}
    for part in parts:
        if (part / journal.JOURNAL).exists():
            raise PartError(f"{part} was left in the middle of a transaction")
        mine = {u.name for u in _unit_dirs(part)}
        if mine & held:
            raise PartError(f"{part} holds units held elsewhere: {', '.join(sorted(mine & held))}")
        held |= mine


def _unit_dirs(root: Path) -> list[Path]:
    folder = root / _UNITS
    return [u for u in folder.iterdir() if u.is_dir()] if folder.is_dir() else []


def _move_content(source: Path, destination: Path) -> None:
    """Every file under `source` to the same place under `destination`, unless one is there already."""
    if not source.is_dir():
        return
    for folder, _, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        (destination / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            target = destination / relative / name
            if not name.endswith(TMP_SUFFIX) and not target.exists():
                (Path(folder) / name).replace(target)
