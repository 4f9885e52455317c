"""This device's Ed25519 signing key, made on first run and kept in the data directory.

The private key never leaves the device: bundles carry the public key and a signature over
their manifest. Anyone holding the data directory holds the key (see docs on what is protected
at rest); the file is readable by its owner only.
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .atomic import atomic_write

__all__ = ["DeviceKey", "verify_signature"]


class DeviceKey:
    def __init__(self, private: Ed25519PrivateKey):
        self._private = private

    @classmethod
    def load_or_create(cls, folder: Path) -> DeviceKey:
        path = folder / "device_ed25519.pem"
        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"{path} is not an Ed25519 key")
            return cls(key)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, pem)
        path.chmod(0o600)
        return cls(key)

    @property
    def public_b64(self) -> str:
        raw = self._private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._private.sign(message)).decode()


def verify_signature(public_b64: str, message: bytes, signature_b64: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
