"""This device's keys, made on first run and kept in the data directory: an Ed25519 key that
signs bundles, and an X25519 key that peers encrypt bundles to (`bundle_crypto`).

Private keys never leave the device: bundles carry the public keys and a signature over
their manifest. Anyone holding the data directory holds the key (see docs on what is protected
at rest); the file is readable by its owner only.
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from .atomic import atomic_write

__all__ = ["DeviceKey", "BoxKey", "CampaignKey", "verify_signature"]


def _load_or_make(path: Path, kind: type, generate):
    """The private key in `path` (PEM, PKCS8), made and stored owner-readable on first use."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, kind):
            raise ValueError(f"{path} is not a {kind.__name__}")
        return key
    key = generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, pem)
    path.chmod(0o600)
    return key


def _raw_b64(public_key) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


class DeviceKey:
    def __init__(self, private: Ed25519PrivateKey):
        self._private = private

    @classmethod
    def load_or_create(cls, folder: Path) -> DeviceKey:
        return cls(_load_or_make(folder / "device_ed25519.pem", Ed25519PrivateKey, Ed25519PrivateKey.generate))

    @property
    def public_b64(self) -> str:
        return _raw_b64(self._private.public_key())

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._private.sign(message)).decode()


class BoxKey:
    """The X25519 key bundles are encrypted to. Kept apart from the signing key: one key, one job."""

    def __init__(self, private: X25519PrivateKey):
        self.private = private

    @classmethod
    def load_or_create(cls, folder: Path) -> BoxKey:
        return cls(_load_or_make(folder / "device_x25519.pem", X25519PrivateKey, X25519PrivateKey.generate))

    @property
    def public_b64(self) -> str:
        return _raw_b64(self.private.public_key())


def verify_signature(public_b64: str, message: bytes, signature_b64: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


class CampaignKey:
    """The campaign's Ed25519 key: it signs device certificates and revocations, nothing else.

    Kept apart from the device key (another file, and with a passphrase when one is given):
    whoever holds it can enroll devices into the campaign, so it is the campaign's one secret.
    """

    def __init__(self, private: Ed25519PrivateKey):
        self._private = private

    @classmethod
    def create(cls, path: Path, passphrase: str = "") -> CampaignKey:
        if path.exists():
            raise FileExistsError(path)
        key = Ed25519PrivateKey.generate()
        encryption = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
                      else serialization.NoEncryption())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, pem)
        path.chmod(0o600)
        return cls(key)

    @classmethod
    def load(cls, path: Path, passphrase: str = "") -> CampaignKey:
        """The key, or `InvalidInput` when this device holds none or the passphrase is wrong."""
        from app.domain.errors import InvalidInput

        if not path.exists():
            raise InvalidInput("campaign_key", "no_campaign_key")
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase.encode() or None)
        except (ValueError, TypeError):
            raise InvalidInput("campaign_key", "bad_passphrase") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise InvalidInput("campaign_key", "no_campaign_key")
        return cls(key)

    @property
    def public_b64(self) -> str:
        return _raw_b64(self._private.public_key())

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._private.sign(message)).decode()
