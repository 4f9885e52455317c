"""Encrypted bundles: only the recipient reads them; anything else is refused and changes nothing."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from app.cli import main
from app.domain.errors import BundleRejected, InvalidInput
from app.i18n import describe_error
from app.services import photos as photo_service
from app.services import sync
from app.store import bundle_crypto
from tests.integration.photo_fixtures import jpeg
from tests.integration.sync_world import device, fingerprint, state, walk


@pytest.fixture
def world(tmp_path):
    """A tablet and a bureau that have met once: the bureau learnt the tablet's keys, and back."""
    tablet, bureau, stranger = (device(tmp_path / n) for n in ("tablet", "bureau", "stranger"))
    walk(tablet, failures=2)
    for source, target in ((tablet, bureau), (bureau, tablet), (stranger, tablet)):
        hello = tmp_path / f"hello-{source.repo.device_id}.fsb"
        sync.export_bundle(source, hello, full=True)
        sync.import_bundle(target, hello)
    return tmp_path, tablet, bureau, stranger


def sealed_for_bureau(world) -> bytes:
    tmp_path, tablet, bureau, _ = world
    out = tmp_path / "sealed.fsb"
    sync.export_bundle(tablet, out, full=True, encrypt_to=bureau.repo.device_id)
    return out.read_bytes()


def test_a_sealed_bundle_round_trips_to_its_recipient(world):
    tmp_path, tablet, bureau, _ = world
    _, _, found = walk(tablet, unit="U02", failures=2)   # news since the hello bundle, with a new photo
    photo_service.add_hazard_photo(tablet, found[0].id, jpeg(333, 222), "new.jpg")
    data = sealed_for_bureau(world)
    plain = tmp_path / "plain.fsb"
    sync.export_bundle(tablet, plain, full=True)
    fresh = device(tmp_path / "fresh-bureau")   # the same content, imported as a plain bundle
    sync.import_bundle(fresh, plain)

    sealed = tmp_path / "in.fsb"
    sealed.write_bytes(data)
    summary = sync.import_bundle(bureau, sealed)
    assert summary.new > 0 and summary.files_added > 0
    assert state(bureau)["records"] == state(fresh)["records"]
    assert state(bureau)["photos"] == state(fresh)["photos"] == state(tablet)["photos"]
    assert not list(bureau.repo.root.rglob("*.fstmp")), "the decrypted copy was left behind"


def test_a_lost_stick_leaks_nothing(world):
    """No record text, unit, photo or PDF byte readable; the manifest says only what it must."""
    _, tablet, _, _ = world
    data = sealed_for_bureau(world)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", bundle_crypto.PAYLOAD]
        manifest = json.loads(archive.read("manifest.json"))
        payload = archive.read(bundle_crypto.PAYLOAD)
    assert manifest["counts"] == {} and manifest["vector"] == {}
    assert set(manifest) == {"format", "bundle_id", "device_id", "public_key", "box_key", "target", "created",
                             "files", "counts", "vector", "sealed", "signature"}
    hazard = tablet.repo.hazards()[0]
    [photo] = list(tablet.photos.root.glob("??/*.jpg"))[:1]
    for secret in (hazard.description.encode(), hazard.id.encode(), b"U01", b"records/hazard.jsonl",
                   photo.read_bytes()[200:264], b"%PDF", "地下一层".encode()):
        assert secret not in data, secret[:20]
    assert len(payload) > 10_000    # the photos are in there, encrypted


def test_a_bundle_sealed_for_another_device_is_refused_with_a_clear_message(world):
    tmp_path, tablet, bureau, stranger = world
    out = tmp_path / "for-stranger.fsb"
    sync.export_bundle(tablet, out, full=True, encrypt_to=stranger.repo.device_id)
    before = fingerprint(bureau.repo.root)
    with pytest.raises(BundleRejected) as caught:
        sync.import_bundle(bureau, out)
    assert caught.value.reason == "encrypted_for_other"
    assert "无法解密" in describe_error(caught.value, "zh-CN")
    assert stranger.repo.device_id in describe_error(caught.value, "en")
    assert fingerprint(bureau.repo.root) == before


def flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1:]


def rebuild(data: bytes, payload=None, manifest_change=None) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        body = archive.read(bundle_crypto.PAYLOAD)
    if manifest_change:
        manifest_change(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(bundle_crypto.PAYLOAD, payload(body) if payload else body)
        archive.writestr("manifest.json", json.dumps(manifest))
    return buffer.getvalue()


def resigned(data: bytes, key, payload) -> bytes:
    """Tampered ciphertext whose manifest lists the new hash, signed again by the sender's own key."""
    import hashlib

    from app.store.bundle_file import canonical

    def change(manifest):
        body = payload(BODY[0])
        manifest["files"][bundle_crypto.PAYLOAD] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
        manifest["signature"] = key.sign(canonical(manifest))

    return rebuild(data, payload, change)


BODY: list[bytes] = [b""]

TAMPERING = {
    "ciphertext byte flipped": (lambda d, k: rebuild(d, lambda b: flip(b, len(b) // 2)), "hash_mismatch"),
    "ciphertext flipped, manifest re-signed by the sender": (
        lambda d, k: resigned(d, k, lambda b: flip(b, len(b) // 2)), "decrypt_failed"),
    "last chunk cut off, re-signed": (lambda d, k: resigned(d, k, lambda b: b[:-100]), "decrypt_failed"),
    "wrapped key altered, unsigned": (
        lambda d, k: rebuild(d, manifest_change=lambda m: m["sealed"].update(recipient="0" * 12)), "bad_signature"),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_tampered_ciphertext_is_refused_and_the_store_is_unchanged(case, world):
    tmp_path, tablet, bureau, _ = world
    data = sealed_for_bureau(world)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        BODY[0] = archive.read(bundle_crypto.PAYLOAD)
    make, reason = TAMPERING[case]
    bad = tmp_path / "bad.fsb"
    bad.write_bytes(make(data, sync.device_key(tablet)))
    before = fingerprint(bureau.repo.root)
    with pytest.raises(BundleRejected) as caught:
        sync.import_bundle(bureau, bad)
    assert caught.value.reason == reason
    assert fingerprint(bureau.repo.root) == before


def test_exporting_to_a_device_whose_key_is_unknown_is_refused(world, tmp_path):
    _, tablet, *_ = world
    with pytest.raises(InvalidInput) as caught:
        sync.export_bundle(tablet, tmp_path / "x.fsb", encrypt_to="0123456789ab")
    assert caught.value.reason == "no_recipient_key"
    assert not (tmp_path / "x.fsb").exists()


def test_cli_exports_encrypted_and_imports_decrypted(world, capsys):
    tmp_path, tablet, bureau, _ = world
    out = tmp_path / "cli.fsb"
    code = main(["export", "--data", str(tablet.repo.root), "--full", "--encrypt-to", bureau.repo.device_id,
                 "--out", str(out)])
    assert code == 0 and bundle_crypto.is_sealed(out)
    assert bureau.repo.device_id in capsys.readouterr().out
    assert main(["import", "--data", str(bureau.repo.root), str(out)]) == 0
    assert main(["import", "--data", str(tablet.repo.root), str(out)]) == 1   # sealed for the bureau
    assert "无法解密" in capsys.readouterr().err
    assert main(["export", "--data", str(tablet.repo.root), "--encrypt-to", "0123456789ab",
                 "--out", str(tmp_path / "nokey.fsb")]) == 2
    assert main(["devices", "--data", str(bureau.repo.root)]) == 0
    assert sync.box_key(bureau).public_b64 in capsys.readouterr().out
