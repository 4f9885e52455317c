"""`bootstrap.bulk_build`: a whole new data set written without a sync per file, synced once at the end."""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import replace

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


def _count_file_loads(monkeypatch) -> list:
    """The paths of the store files parsed from now on, in order (a TinyFile made is a file parsed)."""
    from app.store import tinystore
    loaded = []
    real = tinystore.TinyFile

    def counting(path):
        loaded.append(path)
        return real(path)

    monkeypatch.setattr(tinystore, "TinyFile", counting)
    return loaded


def _files_loaded_by_a_second_round(tmp_path, monkeypatch, bulk: bool) -> int:
    """Eight units written one transaction each, twice over: how many files the second round parsed."""
    from app.store import tinystore
    from tests.integration.test_repository_contract import area, hazard, inspection

    monkeypatch.setattr(tinystore, "MAX_OPEN_FILES", 4)
    monkeypatch.setattr(tinystore, "BULK_OPEN_FILES", 64)
    loaded = _count_file_loads(monkeypatch)
    repo = tinystore.TinyRepository.open(tmp_path / "data")
    headers = [inspection(f"U{n:02d}") for n in range(1, 9)]
    with bootstrap.bulk_build() if bulk else contextlib.nullcontext():
        for insp in headers:                          # each unit's headers and hazard month: 16 files
            with repo.transaction():
                repo.save_inspection(insp)
                repo.save_hazard(hazard(insp, area(insp)))
        loaded.clear()
        for insp in headers:
            with repo.transaction():
                repo.save_inspection(replace(insp, rev=insp.rev + 1))
                repo.save_hazard(hazard(insp, area(insp)))
    reloaded = [p for p in loaded if p.name == "inspections.json" or p.parent.name == "hazards"]
    again = tinystore.TinyRepository.open(tmp_path / "data")
    assert len(again.inspections()) == 8 and len(again.hazards()) == 16   # nothing lost either way
    return len(reloaded)


def test_a_bulk_build_keeps_the_files_of_many_units_parsed(tmp_path, monkeypatch):
    """The demo interleaves 36 units: outside a bulk build the 48-file cache reparsed files evicted a
    moment before; inside it they stay (`tinystore.bulk_cache`)."""
    assert _files_loaded_by_a_second_round(tmp_path / "bulk", monkeypatch, bulk=True) == 0
    assert _files_loaded_by_a_second_round(tmp_path / "plain", monkeypatch, bulk=False) > 0


def _inspection_files_loaded_reading_areas_again(tmp_path, monkeypatch, bulk: bool) -> int:
    """Forty inspections with an area each, their areas read twice: the files the second reading parsed."""
    from app.store import tinystore
    from tests.integration.test_repository_contract import area, inspection

    monkeypatch.setattr(tinystore, "MAX_OPEN_FILES", 2)
    monkeypatch.setattr(tinystore, "BULK_OPEN_FILES", 2)
    monkeypatch.setattr(tinystore, "MAX_DECODED_INSPECTIONS", 1)
    loaded = _count_file_loads(monkeypatch)
    repo = tinystore.TinyRepository.open(tmp_path / "data")
    headers = [inspection() for _ in range(40)]
    with bootstrap.bulk_build() if bulk else contextlib.nullcontext():
        with repo.transaction():
            for insp in headers:
                repo.save_inspection(insp)
                repo.save_area(area(insp))
        names = [[a.name for a in repo.areas(insp.id)] for insp in headers]
        loaded.clear()
        assert [[a.name for a in repo.areas(insp.id)] for insp in headers] == names
    return len([p for p in loaded if p.parent.name == "inspections"])


def test_a_bulk_build_keeps_every_inspections_areas_decoded(tmp_path, monkeypatch):
    """The bureau's monthly reports name the area of every hazard: outside a bulk build each report
    reparsed every inspection's file; inside one the areas stay decoded."""
    assert _inspection_files_loaded_reading_areas_again(tmp_path / "bulk", monkeypatch, bulk=True) == 0
    assert _inspection_files_loaded_reading_areas_again(tmp_path / "plain", monkeypatch, bulk=False) > 0
