"""Device certificates: who a device is in the campaign, as the bureau's campaign key signed it.

A certificate binds one device's Ed25519 public key to a role (bureau or unit), the unit it serves,
the issuing body it numbers documents for (name and prefix) and the block of serials it may use.
It is a small signed document, not X.509: the fields we need (role, issuer, number block) would all
be private extensions there, and no outside party reads these certificates. Its format, in full:

    {"format": "firesweep-cert/1", "body": {...the fields of `CertBody`...}, "signature": base64}

where the signature is the campaign key's Ed25519 signature over `canonical(body)` (UTF-8 JSON,
keys sorted, no spaces). This module only describes and checks the content; signing and verifying
bytes is the store's job (`app.store.keys`), so the domain stays free of cryptography.

A revocation is the same kind of document: the campaign key signs {"revoked": serial, "at": …}.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from .issuers import Issuer, IssuerKind, NumberBlock

__all__ = [
    "Role", "DeviceStatus", "TrustVia", "CERT_FORMAT", "CertBody", "Certificate", "Revocation", "canonical",
    "cert_from_json", "cert_problem",
    "EnrollRequest", "REQUEST_FORMAT",
]

CERT_FORMAT = "firesweep-cert/1"
REQUEST_FORMAT = "firesweep-enroll-request/1"
_DEVICE = re.compile(r"^[0-9a-f]{8,64}$")
_UNIT = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


class DeviceStatus(StrEnum):
    """A known device's standing in this store's device table."""

    TRUSTED = "trusted"
    REVOKED = "revoked"


class TrustVia(StrEnum):
    """How a device came to be trusted."""

    FIRST_USE = "first_use"       # a store never enrolled: its first bundle (can be revoked)
    MANUAL = "manual"             # pinned by hand (`devices trust`)
    CERTIFICATE = "certificate"   # enrolled: a certificate the campaign key signed


class Role(StrEnum):
    BUREAU = "bureau"   # the bureau's security division: spot-checks, listing, approvals, the circular
    UNIT = "unit"       # a unit's security office: its own self-checks, rectification, reports


def canonical(value: Any) -> bytes:
    """The bytes a signature covers: JSON with sorted keys and no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class CertBody:
    serial: str                 # unique per certificate (hex); revocations name it
    campaign: str               # campaign key's public half (base64): the chain's anchor
    device_id: str
    public_key: str             # the device's Ed25519 public key (base64)
    role: Role
    unit: str                   # the unit a unit device serves; "" for the bureau
    issuer_name: str            # e.g. 示例市第一中心医院保卫处
    issuer_prefix: str          # e.g. 第一中心医院保消
    block_first: int            # the serials of document numbers this device may use
    block_last: int
    not_before: str             # ISO date
    not_after: str              # ISO date
    signed_by: str = ""         # the bureau person who signed it, for the record

    @property
    def block(self) -> NumberBlock:
        return NumberBlock(self.block_first, self.block_last)

    @property
    def issuer(self) -> Issuer:
        kind = IssuerKind.BUREAU_SECURITY if self.role is Role.BUREAU else IssuerKind.UNIT_SECURITY
        return Issuer(kind=kind, name=self.issuer_name, prefix=self.issuer_prefix, unit=self.unit)


@dataclass(frozen=True)
class Certificate:
    body: CertBody
    signature: str

    def to_json(self) -> dict[str, Any]:
        return {"format": CERT_FORMAT, "body": asdict(self.body), "signature": self.signature}

    @property
    def signed_bytes(self) -> bytes:
        return canonical(asdict(self.body))


@dataclass(frozen=True)
class Revocation:
    serial: str
    at: str          # ISO timestamp
    reason: str
    signature: str   # campaign key over canonical({"revoked": serial, "at": at, "reason": reason})

    @property
    def signed_bytes(self) -> bytes:
        return canonical({"revoked": self.serial, "at": self.at, "reason": self.reason})


@dataclass(frozen=True)
class EnrollRequest:
    """What a device asks the bureau for: its keys, and the role and unit it wants."""

    device_id: str
    public_key: str
    box_key: str
    role: Role
    unit: str
    label: str = ""   # e.g. the tablet's owner, to help the bureau recognise it

    def to_json(self) -> dict[str, Any]:
        return {"format": REQUEST_FORMAT, **asdict(self)}


def cert_from_json(data: Any) -> Certificate:
    """A certificate from its JSON form; ValueError naming the first thing wrong."""
    if not isinstance(data, dict) or data.get("format") != CERT_FORMAT:
        raise ValueError("format")
    raw = data.get("body")
    if not isinstance(raw, dict) or set(raw) != set(CertBody.__dataclass_fields__):
        raise ValueError("fields")
    try:
        body = CertBody(**{**raw, "role": Role(raw["role"])})
    except (ValueError, TypeError):
        raise ValueError("role") from None
    for name in ("serial", "campaign", "device_id", "public_key", "unit", "issuer_name", "issuer_prefix",
                 "not_before", "not_after", "signed_by"):
        if not isinstance(getattr(body, name), str):
            raise ValueError(name)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (body.block_first, body.block_last)):
        raise ValueError("block")
    if not isinstance(data.get("signature"), str):
        raise ValueError("signature")
    return Certificate(body, data["signature"])


def cert_problem(cert: Certificate, campaign_key: str, today: dt.date, revoked: set[str]) -> str | None:
    """Why `cert` cannot be trusted in this campaign today (a reason key), or None.

    The signature itself is checked by the caller (the store holds the crypto); this checks what
    the certificate says.
    """
    body = cert.body
    if body.campaign != campaign_key:
        return "cert_other_campaign"
    if body.serial in revoked:
        return "cert_revoked"
    if not _DEVICE.match(body.device_id):
        return "cert_bad_device"
    if body.role is Role.UNIT and not _UNIT.match(body.unit):
        return "cert_bad_unit"
    if body.role is Role.BUREAU and body.unit:
        return "cert_bad_unit"
    try:
        NumberBlock(body.block_first, body.block_last)
        start, end = dt.date.fromisoformat(body.not_before), dt.date.fromisoformat(body.not_after)
    except ValueError:
        return "cert_bad_fields"
    if not body.issuer_name.strip() or not body.issuer_prefix.strip():
        return "cert_bad_fields"
    if today < start:
        return "cert_not_yet_valid"
    if today > end:
        return "cert_expired"
    return None
