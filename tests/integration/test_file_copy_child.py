"""A bundle's files copied by a child process: on import (`app.store.pack_copy`) the same packs as a
copy in the importing process, a full disk refused the same way, and no copy left running after its
parent; on export (`app.store.zip_copy`) the same bundle bytes as an export done in one process.

The hostile-bundle and kill-during-import tests run every case with both copies.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from app.domain.errors import StorageFull
from app.services import bundle_file_copy, sync
from app.store import child_job, pack_copy
from tests.integration.sync_world import device, fingerprint, state, tablet_bundle, walk


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    return tablet_bundle(tmp_path_factory.mktemp("tablet"))


def _packs(root: Path) -> list[bytes]:
    return sorted(p.read_bytes() for p in root.rglob("*.pack"))


def _copied_by(monkeypatch, where: str) -> list[str]:
    """Send every bundle's files to a child (or keep them here); returns who copied, per import."""
    monkeypatch.setattr(child_job, "CHILD_MIN_BYTES", 0 if where == "child" else 1 << 62)
    used: list[str] = []

    class Counted(child_job.ChildJob):
        def __init__(self, module, job, fds):
            used.append(module.rsplit(".", 1)[1])
            super().__init__(module, job, fds)

    monkeypatch.setattr(child_job, "ChildJob", Counted)
    return used


def test_a_child_writes_the_same_packs_and_records_as_a_copy_here(bundle, tmp_path, monkeypatch):
    here = device(tmp_path / "here")
    _copied_by(monkeypatch, "here")
    sync.import_bundle(here, bundle)
    child = device(tmp_path / "child")
    used = _copied_by(monkeypatch, "child")
    summary = sync.import_bundle(child, bundle)
    assert used == ["pack_copy"] and summary.files_added == len(state(here)["photos"]) > 0
    assert state(child) == state(here)
    assert _packs(child.repo.root) == _packs(here.repo.root)
    for sha in state(child)["photos"]:
        assert hashlib.sha256(child.photos.read(sha)).hexdigest() == sha


def test_a_full_disk_in_the_child_refuses_the_import_and_changes_nothing(bundle, tmp_path, monkeypatch):
    receiver = device(tmp_path / "receiver")
    walk(receiver, unit="U03", failures=1)
    before = fingerprint(receiver.repo.root)
    used = _copied_by(monkeypatch, "child")
    full = os.open("/dev/full", os.O_WRONLY)   # every write: ENOSPC
    monkeypatch.setattr(bundle_file_copy, "_fileno", lambda sink: full)
    try:
        with pytest.raises(StorageFull):
            sync.import_bundle(receiver, bundle)
    finally:
        os.close(full)
    assert used == ["pack_copy"]
    assert fingerprint(receiver.repo.root) == before


def test_a_child_whose_parent_is_gone_stops_before_copying(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("files/photos/"))
    entry = pack_copy.StoredEntry(info.filename, info.header_offset, info.file_size,
                                  info.filename.rsplit("/", 1)[1].split(".")[0], ".jpg")
    out = tmp_path / "out.pack"
    with bundle.open("rb") as source, out.open("wb") as sink:
        job = {"source": source.fileno(), "parent": -1, "check": [],   # no process's parent is -1
               "packs": [{"fd": sink.fileno(), "entries": [entry]}]}
        with pytest.raises(SystemExit) as stopped:
            pack_copy._run(job)
    assert stopped.value.code == 3 and out.read_bytes() == b""
    job["parent"] = os.getppid()   # the same job, its parent alive: copies (this test is the child here)
    with bundle.open("rb") as source, out.open("wb") as sink:
        job.update(source=source.fileno(), packs=[{"fd": sink.fileno(), "entries": [entry]}])
        pack_copy._run(job)
    assert out.stat().st_size > info.file_size


def test_an_export_whose_files_a_child_wrote_is_the_same_bundle(bundle, tmp_path, monkeypatch):
    """Every byte before the manifest (records, then each file's entry) is what an export writing
    its files itself writes, and the zip's directory lists them the same; it imports the same."""
    store = device(tmp_path / "store")
    sync.import_bundle(store, bundle)
    written = {}
    for where in ("here", "child"):
        used = _copied_by(monkeypatch, where)
        written[where] = tmp_path / f"{where}.fsb"
        sync.export_bundle(store, written[where], full=True)
        assert used == (["zip_copy"] if where == "child" else [])
    listings = {}
    for where, path in written.items():
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            infos = archive.infolist()
            listings[where] = [(i.filename, i.header_offset, i.CRC, i.compress_size, i.compress_type)
                               for i in infos if i.filename != "manifest.json"]
            manifest_at = archive.getinfo("manifest.json").header_offset
        listings[where + " bytes"] = path.read_bytes()[:manifest_at]
    assert any(name.startswith("files/photos/") for name, *_ in listings["child"])
    assert listings["child"] == listings["here"]
    assert listings["child bytes"] == listings["here bytes"]
    imported = {where: device(tmp_path / f"from-{where}") for where in written}
    for where, ctx in imported.items():
        sync.import_bundle(ctx, written[where])
    assert state(imported["child"])["records"] == state(imported["here"])["records"]
    assert state(imported["child"])["photos"] == state(imported["here"])["photos"]


def test_a_child_copies_from_the_threshold_on_and_not_below(bundle, tmp_path, monkeypatch):
    """The files' bytes, as the manifest lists them (import) or the store holds them (export),
    decide: a bundle of exactly `CHILD_MIN_BYTES` goes to a child, one byte less stays here."""
    with zipfile.ZipFile(bundle) as archive:
        size = sum(i.file_size for i in archive.infolist() if i.filename.startswith("files/"))
    store = device(tmp_path / "store")
    for threshold, expected in ((size + 1, []), (size, ["pack_copy"])):
        used = _copied_by(monkeypatch, "child")
        monkeypatch.setattr(child_job, "CHILD_MIN_BYTES", threshold)
        sync.import_bundle(device(tmp_path / f"to-{threshold}"), bundle)
        assert used == expected
    sync.import_bundle(store, bundle)
    for threshold, expected in ((size + 1, []), (size, ["zip_copy"])):
        used = _copied_by(monkeypatch, "child")
        monkeypatch.setattr(child_job, "CHILD_MIN_BYTES", threshold)
        sync.export_bundle(store, tmp_path / f"from-{threshold}.fsb", full=True)
        assert used == expected
