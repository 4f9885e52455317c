"""`bootstrap.bulk_build`: a whole new data set written without a sync per file, synced once at the end."""

from __future__ import annotations

import os
import threading

import pytest

from app import bootstrap
from app.domain.model import InspectionKind
from app.services import inspections
from app.store import atomic


@pytest.fixture
def syncs(monkeypatch) -> dict[str, int]:
    counts = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        counts["fsync"] += 1
        real_fsync(fd)

    def sync() -> None:
        counts["sync"] += 1

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", sync)
    return counts


def test_writes_inside_skip_fsync_and_sync_once_on_leaving(tmp_path, syncs):
    ctx = bootstrap.build(tmp_path / "data")
    syncs["fsync"] = 0
    with bootstrap.bulk_build():
        with bootstrap.bulk_build():      # nested: joins the outer one
            inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
        assert syncs == {"fsync": 0, "sync": 0}
        atomic.atomic_write(tmp_path / "note.bin", b"x")
    assert syncs == {"fsync": 0, "sync": 1}
    assert (tmp_path / "note.bin").read_bytes() == b"x"
    again = bootstrap.build(tmp_path / "data")         # what was written is there, read from disk
    assert again.repo.get_inspection(inspection.id).inspectors == ("王喆",)
    syncs["fsync"] = 0
    atomic.atomic_write(tmp_path / "after.bin", b"y")
    assert syncs["fsync"] == 2                      # outside: the file and its folder again


def test_a_failed_build_is_not_synced_and_the_next_writes_sync_again(tmp_path, syncs):
    with pytest.raises(RuntimeError), bootstrap.bulk_build():
        atomic.atomic_write(tmp_path / "a.bin", b"a")
        raise RuntimeError("build failed")
    assert syncs == {"fsync": 0, "sync": 0}
    atomic.atomic_write(tmp_path / "b.bin", b"b")
    assert syncs["fsync"] == 2


def test_other_threads_keep_syncing_file_by_file(tmp_path, syncs):
    """A server thread writing while a demo builds in another still makes each write durable."""
    with bootstrap.bulk_build():
        worker = threading.Thread(target=atomic.atomic_write, args=(tmp_path / "c.bin", b"c"))
        worker.start()
        worker.join()
        assert syncs["fsync"] == 2
