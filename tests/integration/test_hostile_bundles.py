"""Every hostile or broken bundle is refused with a clear reason and leaves the store untouched."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import stat
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.domain.errors import BundleRejected
from app.i18n import describe_error
from app.services import sync
from app.store import child_job
from app.store.bundle_file import canonical
from app.store.keys import DeviceKey
from tests.integration.sync_world import device, fingerprint, walk


@pytest.fixture(autouse=True, params=["here", "child"])
def copy_path(request, monkeypatch):
    """Every case twice: the files copied by the importing process, and by a child process (see
    `app.store.pack_copy`; a real bundle's files are copied there from 10 MB on)."""
    monkeypatch.setattr(child_job, "CHILD_MIN_BYTES", 0 if request.param == "child" else 1 << 62)
    return request.param


@pytest.fixture(scope="module")
def good_bundle(tmp_path_factory) -> bytes:
    root = tmp_path_factory.mktemp("source")
    tablet = device(root / "tablet")
    walk(tablet, failures=1)
    out = root / "good.fsb"
    sync.export_bundle(tablet, out, full=True)
    return out.read_bytes()


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def rezip(items: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, data)
    return buffer.getvalue()


def resign(files: dict[str, bytes], key: DeviceKey | None = None, **changes) -> bytes:
    """Rebuild a bundle from entries, with manifest changes, properly signed (by `key`)."""
    manifest = json.loads(files["manifest.json"])
    manifest.update(changes)
    if key is not None:
        manifest["public_key"] = key.public_b64
        manifest["signature"] = key.sign(canonical(manifest))
    files = {**files, "manifest.json": json.dumps(manifest).encode()}
    return rezip(list(files.items()))


def with_entry(data: bytes, name, content: bytes = b"x") -> bytes:
    return rezip([*entries(data).items(), (name, content)])


def symlink_entry() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("files/photos/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def zip_bomb(data: bytes) -> bytes:
    return with_entry(data, "records/bomb.jsonl", b"\n" * (50 * 1024 * 1024))


def tampered_record(data: bytes) -> bytes:
    files = entries(data)
    files["records/hazard.jsonl"] = files["records/hazard.jsonl"].replace("地".encode(), "天".encode(), 1)
    return rezip(list(files.items()))


def hash_mismatch_resigned(data: bytes) -> bytes:
    """Valid signature by the same key, but a file whose bytes no longer match the manifest."""
    files = entries(data)
    files["records/hazard.jsonl"] += b"\n"
    return rezip(list(files.items()))


def unknown_kind(data: bytes) -> bytes:
    files = entries(data)
    manifest = json.loads(files["manifest.json"])
    payload = b'{"id": "x"}\n'
    manifest["files"]["records/secrets.jsonl"] = {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
    files["records/secrets.jsonl"] = payload
    files["manifest.json"] = json.dumps(manifest).encode()
    return resign(files, ATTACKER)


def forged_path_in_record(data: bytes) -> bytes:
    """A validly signed bundle whose record names a unit that would escape the data directory."""
    files = entries(data)
    lines = [json.loads(x) for x in files["records/hazard.jsonl"].decode().splitlines()]
    lines[0]["unit"] = "../../etc"
    payload = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["records/hazard.jsonl"] = {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
    files["records/hazard.jsonl"] = payload
    files["manifest.json"] = json.dumps(manifest).encode()
    return resign(files, ATTACKER)


def altered_photo(data: bytes) -> bytes:
    """A photo's bytes changed after signing, its size kept: only hashing its bytes can tell."""
    files = entries(data)
    name = next(n for n in files if n.startswith("files/photos/"))
    files[name] = files[name][:-3] + bytes(b ^ 0xFF for b in files[name][-3:])
    return rezip(list(files.items()))


def _stored_photo(data: bytes, alter) -> bytes:
    """The bundle rebuilt as an export writes it (photos stored, not compressed), its first photo's
    entry bytes changed by `alter(zip bytes, entry name)`: the importer reads stored entries
    straight from the file, by their offsets, not through zipfile."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries(data).items():
            archive.writestr(name, content, zipfile.ZIP_STORED if name.startswith("files/") else zipfile.ZIP_DEFLATED)
    name = next(n for n in entries(data) if n.startswith("files/photos/"))
    return alter(buffer.getvalue(), name.encode())


def stored_photo_altered(data: bytes) -> bytes:
    def flip(raw: bytes, name: bytes) -> bytes:   # the last bytes of the photo's data, just before the next entry
        end = raw.index(b"PK\x03\x04", raw.index(name) + len(name))
        return raw[:end - 3] + bytes(b ^ 0xFF for b in raw[end - 3:end]) + raw[end:]
    return _stored_photo(data, flip)


def stored_photo_local_name_changed(data: bytes) -> bytes:
    """The entry's local header names another file than the directory does (the first mention
    of the name is its local header; the directory is at the end)."""
    return _stored_photo(data, lambda raw, name: raw.replace(name, name[:-5] + b"0.jpg", 1))


ATTACKER = DeviceKey(Ed25519PrivateKey.generate())   # signs validly, but is not the sender

CASES = {
    "not a zip": (lambda d: b"PK\x03\x04 this is not really a zip", "not_a_zip"),
    "truncated zip": (lambda d: d[: len(d) // 2], "not_a_zip"),
    "zip-slip path": (lambda d: with_entry(d, "../../evil.txt"), "path_traversal"),
    "absolute path": (lambda d: with_entry(d, "/etc/passwd"), "absolute_path"),
    "symlink entry": (lambda d: with_entry(d, symlink_entry(), b"/etc/passwd"), "link_entry"),
    "zip bomb": (zip_bomb, "zip_bomb"),
    "missing manifest": (lambda d: rezip([(n, b) for n, b in entries(d).items() if n != "manifest.json"]),
                         "no_manifest"),
    "invalid manifest": (lambda d: rezip([*{**entries(d), "manifest.json": b"{not json"}.items()]), "bad_manifest"),
    "wrong format version": (lambda d: resign(entries(d), ATTACKER, format=99),
                             "wrong_format"),
    "hash mismatch": (hash_mismatch_resigned, "hash_mismatch"),
    "unlisted extra file": (lambda d: with_entry(d, "files/photos/extra.jpg"), "unlisted_file"),
    "photo altered after signing": (altered_photo, "hash_mismatch"),
    "stored photo altered after signing": (stored_photo_altered, "hash_mismatch"),
    "stored photo whose local header names another file": (stored_photo_local_name_changed, "corrupt_entry"),
    "record altered after signing": (tampered_record, "hash_mismatch"),
    "manifest altered after signing": (lambda d: resign(entries(d), None, created="2020-01-01"), "bad_signature"),
    "forged manifest counts": (lambda d: resign(entries(d), None, counts={"hazard": 999}), "bad_signature"),
    "unknown record kind": (unknown_kind, "unknown_kind"),
    "record escaping the data folder": (forged_path_in_record, "bad_record"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_bundle_is_refused_and_the_store_is_unchanged(case, good_bundle, tmp_path):
    make, reason = CASES[case]
    bureau = device(tmp_path / "bureau")
    walk(bureau, unit="U03", photo=False, failures=1)
    before = fingerprint(bureau.repo.root)
    hostile = tmp_path / "hostile.fsb"
    hostile.write_bytes(make(good_bundle))
    with pytest.raises(BundleRejected) as caught:
        sync.import_bundle(bureau, hostile)
    assert caught.value.reason == reason
    assert "hostile.fsb" in describe_error(caught.value, "zh-CN")
    assert fingerprint(bureau.repo.root) == before
    assert gc.isenabled()   # paused for the import (see app.store.heap), back on after a refusal


def test_a_revoked_device_is_refused_and_a_changed_key_too(good_bundle, tmp_path):
    bureau = device(tmp_path / "bureau")
    bundle = tmp_path / "good.fsb"
    bundle.write_bytes(good_bundle)
    sync.import_bundle(bureau, bundle)
    sender = json.loads(entries(good_bundle)["manifest.json"])["device_id"]
    impostor = tmp_path / "impostor.fsb"
    impostor.write_bytes(resign(entries(good_bundle), ATTACKER))
    before = fingerprint(bureau.repo.root)
    with pytest.raises(BundleRejected) as caught:
        sync.import_bundle(bureau, impostor)
    assert caught.value.reason == "key_mismatch"
    sync.set_device_status(bureau, sender, "revoked")
    before = fingerprint(bureau.repo.root)
    with pytest.raises(BundleRejected) as caught:
        sync.import_bundle(bureau, bundle)
    assert caught.value.reason == "revoked_device"
    assert fingerprint(bureau.repo.root) == before


def test_an_altered_photo_is_refused_even_when_the_store_already_holds_it(good_bundle, tmp_path):
    """Photos are hashed as the merge copies them; one the store has is hashed all the same."""
    bureau = device(tmp_path / "bureau")
    bundle = tmp_path / "good.fsb"
    bundle.write_bytes(good_bundle)
    sync.import_bundle(bureau, bundle)
    other = tmp_path / "other.fsb"   # another, validly signed sender with the same photos, one altered
    other.write_bytes(resign(entries(altered_photo(good_bundle)), ATTACKER, device_id="0abcdef0123",
                             bundle_id="b" * 32))
    before = fingerprint(bureau.repo.root)
    with pytest.raises(BundleRejected) as caught:
        sync.import_bundle(bureau, other)
    assert caught.value.reason == "hash_mismatch" and caught.value.detail["entry"].startswith("files/photos/")
    assert fingerprint(bureau.repo.root) == before


def test_an_event_listed_twice_is_kept_once(good_bundle, tmp_path):
    """The merge no longer looks up the events of records new to the store (there are none): one
    listed twice by a validly signed sender must still be stored once."""
    files = entries(good_bundle)
    first = files["records/audit.jsonl"].split(b"\n")[0] + b"\n"
    payload = files["records/audit.jsonl"] + first
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["records/audit.jsonl"] = {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
    files["records/audit.jsonl"] = payload
    files["manifest.json"] = json.dumps(manifest).encode()
    bundle = tmp_path / "twice.fsb"
    bundle.write_bytes(resign(files, ATTACKER))
    bureau = device(tmp_path / "bureau")
    summary = sync.import_bundle(bureau, bundle)
    event_id = json.loads(first)["id"]
    assert summary.audit_added == payload.count(b"\n") - 1
    assert [e.id for e in bureau.repo.audit()].count(event_id) == 1


def test_a_record_entry_changed_after_its_check_is_refused_when_read(good_bundle, tmp_path, monkeypatch):
    """Records are hashed when the bundle is verified and read again, a chunk at a time, as they are
    decoded: bytes changed in between (the file rewritten in place) refuse the bundle then."""
    from app.store import bundle_file

    ENTRY = "records/hazard.jsonl"
    buffer = io.BytesIO()   # records stored, so that a byte can be flipped without breaking the zip
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries(good_bundle).items():
            archive.writestr(name, content, zipfile.ZIP_STORED)
    hostile = tmp_path / "hostile.fsb"
    hostile.write_bytes(buffer.getvalue())
    verify = bundle_file.OpenedBundle.verify

    def verify_then_alter(self):
        """A digit of a hazard's id changed in place to another digit (still a valid record)."""
        verified = verify(self)
        raw = bytearray(hostile.read_bytes())
        at = raw.index(b'"id":"', raw.index(ENTRY.encode()) + len(ENTRY)) + 6
        at += next(i for i, c in enumerate(raw[at:at + 32]) if chr(c).isdigit())
        with hostile.open("r+b") as fh:   # in place: the open bundle reads the same file
            fh.seek(at)
            fh.write(bytes([raw[at] ^ 0x01]))   # 0↔1, 2↔3…
        return verified

    monkeypatch.setattr(bundle_file.OpenedBundle, "verify", verify_then_alter)
    # CRC-32 is no defence against a deliberate change (four more bytes make any CRC): as if forged
    monkeypatch.setattr(zipfile.ZipExtFile, "_update_crc", lambda self, data: None)
    bureau = device(tmp_path / "bureau")
    before = fingerprint(bureau.repo.root)
    with pytest.raises(BundleRejected) as caught:
        sync.import_bundle(bureau, hostile)
    assert caught.value.reason == "hash_mismatch" and caught.value.detail["entry"] == ENTRY
    assert fingerprint(bureau.repo.root) == before

