"""Helpers for the command-line tests: a pinned clock, a small unit's data, one call of `main`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import bootstrap
from app.cli import main
from app.domain.clock import FixedClock
from tests.integration.photo_fixtures import jpeg
from tests.integration.sync_world import START, device, fingerprint, walk

__all__ = ["START", "Result", "pin_clock", "run", "photo_file", "unit_data", "records"]


def pin_clock(monkeypatch: pytest.MonkeyPatch, now: dt.datetime = START) -> None:
    """The CLI opens its data with the system clock: pin it (dates in these tests are 2026-07-10)."""
    real = bootstrap.build
    monkeypatch.setattr(bootstrap, "build", lambda d, clock=None, **kw: real(d, clock or FixedClock(now), **kw))


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture, *argv: str) -> Result:
    """`firesweep argv…` in process; what it printed."""
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def photo_file(folder: Path, name: str = "fix.jpg", width: int = 160) -> Path:
    path = folder / name
    path.write_bytes(jpeg(width, 120))
    return path


def unit_data(root: Path, failures: int = 3):
    """U01's self-check by 王喆 with `failures` open hazards (each with a photo), all on 2026-07-10."""
    ctx = device(root)
    inspection, _area, hazards = walk(ctx, "U01", failures=failures)
    return ctx, inspection, hazards


def records(root: Path) -> dict[str, str]:
    """Every record file: what a refused command must leave as it was. Not compared: photo and evidence
    files (a refused rectify may have stored its photo, unreferenced, as the tablet does) and store.json,
    whose logical-clock reservation moves each time any command opens the store."""
    return {k: v for k, v in fingerprint(root).items()
            if not k.startswith(("photos/", "pdfs/")) and k != "store.json"}
