"""Pack files (issue 19): an import's photos in one file, read back by hash like loose files."""

from __future__ import annotations

import hashlib
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from app.store.blob_packs import PACK_SUFFIX, PackReader, PackWriter
from app.store.blobs import PACKS, BlobStore


def _pack(folder, blobs: list[tuple[bytes, str]], name: str = "a") -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}{PACK_SUFFIX}").open("wb") as fh:
        pack = PackWriter(fh)
        hashes = [pack.add(data, suffix) for data, suffix in blobs]
        pack.finish()
    return hashes


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.binary(max_size=300), st.sampled_from([".jpg", ".pdf", ".png"])), max_size=40))
def test_every_blob_packed_is_found_and_read_back_and_nothing_else_is(tmp_path_factory, blobs):
    folder = tmp_path_factory.mktemp("packs")
    hashes = _pack(folder, blobs)
    reader = PackReader(folder / f"a{PACK_SUFFIX}")
    for (data, _), sha in zip(blobs, hashes, strict=True):
        entry = reader.find(sha)
        assert entry is not None and reader.read(entry) == data
    first_suffix = {}
    for data, suffix in blobs:   # the same bytes twice are one blob, with the first suffix
        first_suffix.setdefault(hashlib.sha256(data).hexdigest(), suffix)
    assert {sha: reader.find(sha).suffix for sha in hashes} == first_suffix
    assert sorted(reader.digests()) == sorted(first_suffix)
    assert reader.find(hashlib.sha256(b"not packed \x00").hexdigest()) is None
    assert reader.find("zz" * 32) is None and reader.find("ab") is None


def test_the_store_reads_loose_and_packed_blobs_alike(tmp_path):
    store = BlobStore(tmp_path / "photos")
    loose = store.put(b"taken on this tablet", ".jpg")
    [packed, pdf] = _pack(tmp_path / "photos" / PACKS, [(b"imported photo", ".jpg"), (b"%PDF imported", ".pdf")])
    assert store.read(loose) == b"taken on this tablet" and store.read(packed) == b"imported photo"
    assert (store.suffix(loose), store.suffix(packed), store.suffix(pdf)) == (".jpg", ".jpg", ".pdf")
    assert store.check(packed) is None and store.check("0" * 64) == "missing"
    assert store.all() == sorted([loose, packed, pdf])
    has = store.finder()
    assert has(loose) and has(packed) and not has("1" * 64) and not has("../x")
    assert store.put(b"imported photo", ".jpg") == packed   # already held: not written again as a loose file
    assert not (tmp_path / "photos" / packed[:2]).exists()


def test_a_pack_committed_later_is_seen_by_a_store_opened_before(tmp_path):
    store = BlobStore(tmp_path / "photos")
    [first] = _pack(tmp_path / "photos" / PACKS, [(b"first", ".jpg")], "a")
    assert store.has(first)
    folder = tmp_path / "photos" / PACKS
    before = folder.stat().st_mtime_ns
    [second] = _pack(folder, [(b"second", ".jpg")], "b")
    os.utime(folder, ns=(before, before))   # as on a file system whose clock did not tick
    assert store.has(second) and store.read(second) == b"second"


def test_a_damaged_pack_is_reported_and_its_blobs_read_as_missing(tmp_path):
    folder = tmp_path / "photos" / PACKS
    [sha] = _pack(folder, [(b"photo", ".jpg")])
    path = folder / f"a{PACK_SUFFIX}"
    path.write_bytes(path.read_bytes()[:-3])   # torn trailer
    store = BlobStore(tmp_path / "photos")
    assert store.check(sha) == "missing"
    assert store.unreadable == [f"a{PACK_SUFFIX}"]


def test_a_changed_byte_inside_a_pack_is_a_hash_mismatch(tmp_path):
    folder = tmp_path / "photos" / PACKS
    [sha] = _pack(folder, [(b"evidence photo", ".jpg")])
    path = folder / f"a{PACK_SUFFIX}"
    data = bytearray(path.read_bytes())
    data[0] ^= 1
    path.write_bytes(bytes(data))
    assert BlobStore(tmp_path / "photos").check(sha) == "hash_mismatch"
