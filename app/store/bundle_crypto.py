"""Encrypted bundles: a lost USB stick leaks nothing (ODK's encrypted submissions, our way).

A sealed bundle is still a signed, verifiable .fsb zip, with two entries:

    manifest.json        the usual signed manifest, saying only what a courier must know: sender
                         (device id and keys), recipient device, created, the payload's size and
                         SHA-256, and `sealed` (scheme, ephemeral key, wrapped content key). No
                         record counts, no clock vector, no unit names.
    sealed/payload.bin   the whole ordinary bundle (records, photos, PDFs and its own signed
                         manifest), encrypted.

Encryption: a random 256-bit content key encrypts the inner bundle with AES-256-GCM in 1 MiB
chunks (the nonce is a random prefix + the chunk's number + a last-chunk flag, so chunks cannot
be reordered, dropped or the stream cut short without failing). The content key is wrapped for
the recipient: an ephemeral X25519 key agreement with the recipient's X25519 public key, HKDF-
SHA256 over the shared secret and both public keys, AES-256-GCM. Only the holder of the
recipient's private key (kept in its data directory) can unwrap it; the sender keeps nothing.

Reading checks the outer signature and the payload's hash, refuses a bundle sealed for another
device, decrypts into a temporary file in the data directory (as protected as the store it is
merged into; removed afterwards, or by recovery after a crash), and then the inner bundle is
verified like any other; its sender must be the outer one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import struct
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.domain.errors import BundleRejected
from app.domain.repository import ByteSink

from .atomic import FULL_ERRNOS, TMP_SUFFIX
from .bundle_file import FORMAT, MAX_BUNDLE_BYTES, ZIP_ERRORS, canonical, check_entries, check_manifest, read_entry
from .keys import BoxKey, DeviceKey

__all__ = ["SCHEME", "PAYLOAD", "is_sealed", "seal", "unseal", "plain_temp"]

SCHEME = "x25519-hkdf-sha256+aes-256-gcm/1MiB"
PAYLOAD = "sealed/payload.bin"
CHUNK = 1 << 20
TAG = 16
_INFO = b"firesweep bundle key v1"
_SEALED_KEYS = ("scheme", "recipient", "recipient_key", "ephemeral_key", "wrap_nonce", "wrapped_key", "nonce_prefix")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    """The key-wrapping key; both public keys go in, so a key cannot be replayed to another pair."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_INFO).derive(shared)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def _aad(bundle_id: str, device_id: str, recipient: str) -> bytes:
    return f"{bundle_id}|{device_id}|{recipient}".encode()


def is_sealed(path: Path) -> bool:
    """True when `path` looks like a sealed bundle (anything unreadable is left to the verifier).

    A sealed bundle holds two entries. A plain one holds thousands, and listing them all only to
    say no cost a tenth of a second per bundle of a merge: the count in the zip's end record
    answers first.
    """
    if _entry_count(path) > _SEALED_MOST:
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return PAYLOAD in archive.namelist()
    except ZIP_ERRORS:
        return False


_SEALED_MOST = 8                 # entries a sealed bundle could have (it has two)
_END_RECORD = b"PK\x05\x06"     # a zip's end of central directory record (APPNOTE 4.3.16)


def _entry_count(path: Path) -> int:
    """The entry count a zip's end record gives (0 if there is none: left to the full check).
    A zip64 archive says 0xFFFF there, which also means "many"."""
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, 2)
            fh.seek(max(0, size - (22 + 0xFFFF)))   # the record, after at most a 64 KB comment
            tail = fh.read()
    except OSError:
        return 0
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) < at + 12:
        return 0
    return int.from_bytes(tail[at + 10:at + 12], "little")


@contextmanager
def plain_temp(root: Path) -> Iterator[Path]:
    """A temporary path in the data directory for a decrypted (or not yet encrypted) bundle.

    Its suffix is the store's temporary suffix, so recovery removes it after a crash.
    """
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"bundle.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def seal(plain: Path, out: Path, key: DeviceKey, recipient: str, recipient_box_b64: str) -> dict[str, Any]:
    """Encrypt the ordinary bundle `plain` for `recipient` into the sealed bundle `out`."""
    with zipfile.ZipFile(plain) as inner:
        meta = json.loads(inner.read("manifest.json"))
    recipient_pub = X25519PublicKey.from_public_bytes(base64.b64decode(recipient_box_b64, validate=True))
    content_key = AESGCM.generate_key(bit_length=256)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw, recipient_raw = _raw(ephemeral.public_key()), _raw(recipient_pub)
    aad = _aad(meta["bundle_id"], meta["device_id"], recipient)
    wrap_nonce, prefix = os.urandom(12), os.urandom(7)
    wrapped = AESGCM(_kek(ephemeral.exchange(recipient_pub), ephemeral_raw, recipient_raw)).encrypt(
        wrap_nonce, content_key, aad)
    cipher = AESGCM(content_key)
    digest, size = hashlib.sha256(), 0
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            info = zipfile.ZipInfo(PAYLOAD, date_time=(2026, 1, 1, 0, 0, 0))
            with plain.open("rb") as source, archive.open(info, "w", force_zip64=True) as sink:
                chunk, counter = source.read(CHUNK), 0
                while True:
                    following = source.read(CHUNK)
                    sealed = cipher.encrypt(_nonce(prefix, counter, not following), chunk, aad)
                    sink.write(sealed)
                    digest.update(sealed)
                    size += len(sealed)
                    if not following:
                        break
                    chunk, counter = following, counter + 1
            manifest = {
                "format": FORMAT, "bundle_id": meta["bundle_id"], "device_id": meta["device_id"],
                "public_key": key.public_b64, "target": recipient, "created": meta["created"],
                "files": {PAYLOAD: {"sha256": digest.hexdigest(), "size": size}}, "counts": {}, "vector": {},
                "sealed": {
                    "scheme": SCHEME, "recipient": recipient, "recipient_key": _b64(recipient_raw),
                    "ephemeral_key": _b64(ephemeral_raw), "wrap_nonce": _b64(wrap_nonce),
                    "wrapped_key": _b64(wrapped), "nonce_prefix": _b64(prefix),
                },
            }
            if "box_key" in meta:
                manifest["box_key"] = meta["box_key"]
            manifest["signature"] = key.sign(canonical(manifest))
            archive.writestr(zipfile.ZipInfo("manifest.json", date_time=(2026, 1, 1, 0, 0, 0)),
                             json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return manifest


@dataclass(frozen=True)
class _Sealed:
    """The manifest's `sealed` section, checked and decoded: who it is for, and the raw key material."""

    recipient: str
    recipient_key: bytes
    ephemeral_key: bytes
    wrap_nonce: bytes
    wrapped_key: bytes
    nonce_prefix: bytes


def _sealed_header(name: str, manifest: dict[str, Any]) -> _Sealed:
    header = manifest.get("sealed")
    if not isinstance(header, dict) or not all(isinstance(header.get(k), str) for k in _SEALED_KEYS):
        raise BundleRejected(name, "bad_manifest_field", field="sealed")
    if header["scheme"] != SCHEME:
        raise BundleRejected(name, "wrong_format", found=str(header["scheme"])[:60], expected=SCHEME)
    decoded: dict[str, bytes] = {}
    sizes = {"recipient_key": 32, "ephemeral_key": 32, "wrap_nonce": 12, "wrapped_key": 48, "nonce_prefix": 7}
    for field, size in sizes.items():
        try:
            value = base64.b64decode(header[field], validate=True)
        except ValueError:
            value = b""
        if len(value) != size:
            raise BundleRejected(name, "bad_manifest_field", field=f"sealed/{field}")
        decoded[field] = value
    return _Sealed(recipient=header["recipient"], **decoded)


def unseal(path: Path, name: str, device_id: str, box_key: Callable[[], BoxKey], out: ByteSink) -> dict[str, Any]:
    """Verify the sealed bundle at `path` and decrypt its inner bundle into `out`.

    `box_key` gives this device's X25519 key. Returns the outer manifest. Raises `BundleRejected`
    for anything wrong, including a bundle sealed for another device.
    """
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleRejected(name, "too_large")
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS:
        raise BundleRejected(name, "not_a_zip") from None
    with archive:
        infos = {i.filename: i for i in check_entries(name, archive)}
        if "manifest.json" not in infos:
            raise BundleRejected(name, "no_manifest")
        manifest = check_manifest(name, read_entry(name, archive, infos.pop("manifest.json")))
        extra = sorted(set(infos) - set(manifest["files"]))
        if extra:
            raise BundleRejected(name, "unlisted_file", entry=extra[0])
        if set(infos) != {PAYLOAD} or set(manifest["files"]) != {PAYLOAD}:
            raise BundleRejected(name, "missing_file", entry=PAYLOAD)
        header = _sealed_header(name, manifest)
        if header.recipient != device_id:   # (checked before the own key is even loaded)
            raise BundleRejected(name, "encrypted_for_other", entry=header.recipient[:40])
        box = box_key()
        if header.recipient_key != _raw(box.private.public_key()):
            raise BundleRejected(name, "encrypted_for_other", entry=header.recipient[:40])
        if manifest["target"] != device_id:
            raise BundleRejected(name, "wrong_target", entry=manifest["target"][:40])
        aad = _aad(manifest["bundle_id"], manifest["device_id"], device_id)
        ephemeral = X25519PublicKey.from_public_bytes(header.ephemeral_key)
        try:
            kek = _kek(box.private.exchange(ephemeral), header.ephemeral_key, header.recipient_key)
            content_key = AESGCM(kek).decrypt(header.wrap_nonce, header.wrapped_key, aad)
        except (InvalidTag, ValueError):
            raise BundleRejected(name, "decrypt_failed") from None
        _decrypt(name, archive, infos[PAYLOAD], manifest["files"][PAYLOAD], AESGCM(content_key),
                 header.nonce_prefix, aad, out)
    return manifest


def _decrypt(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, listed: dict[str, Any], cipher: AESGCM,
             prefix: bytes, aad: bytes, out: ByteSink) -> None:
    """Check the payload against its signed hash and size, then stream-decrypt it.

    Two passes: a payload changed after signing is reported as such, not as a decryption error.
    """
    try:
        digest, size = hashlib.sha256(), 0
        with archive.open(info) as source:
            for block in iter(lambda: source.read(CHUNK), b""):
                digest.update(block)
                size += len(block)
                if size > listed["size"]:
                    break
        if size != listed["size"] or digest.hexdigest() != listed["sha256"]:
            raise BundleRejected(name, "hash_mismatch", entry=PAYLOAD)
        counter = 0
        with archive.open(info) as source:
            chunk = source.read(CHUNK + TAG)
            while True:
                following = source.read(CHUNK + TAG)
                out.write(cipher.decrypt(_nonce(prefix, counter, not following), chunk, aad))
                if not following:
                    break
                chunk, counter = following, counter + 1
    except InvalidTag:
        raise BundleRejected(name, "decrypt_failed") from None
    except OSError as exc:
        if exc.errno in FULL_ERRNOS:   # writing the decrypted copy: the disk is full, not the bundle bad
            raise
        raise BundleRejected(name, "corrupt_entry", entry=PAYLOAD, message=str(exc)[:100]) from None
    except ZIP_ERRORS as exc:
        raise BundleRejected(name, "corrupt_entry", entry=PAYLOAD, message=str(exc)[:100]) from None
