"""Enrollment as files and codes: what Settings hands out (a request, a certificate) and reads back.

A request or certificate is a small JSON file that travels by USB like a bundle; the same text is
shown as a QR code where a camera is at hand. What is read back may be the file itself or a photo
of the code. The rules stay in `authority`; this only packs and unpacks.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from app.domain.authority import Certificate, EnrollRequest
from app.media.qr_scan import QrUnavailable, read_qr_codes

from . import authority
from .context import Context

__all__ = ["EnrollFile", "request_file", "certificate_file", "file_text", "fingerprint", "DeviceRow",
           "enrolled_devices"]


@dataclass(frozen=True)
class EnrollFile:
    name: str          # a file name to save it under
    content: bytes     # UTF-8 JSON
    text: str          # the same, for a QR code


def _pack(name: str, value: dict) -> EnrollFile:
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))   # ASCII: scanners read it plainly
    return EnrollFile(name, text.encode("utf-8"), text)


def request_file(request: EnrollRequest) -> EnrollFile:
    who = request.unit or request.role.value
    return _pack(f"enroll-request-{who}-{request.device_id[:8]}.json", request.to_json())


def certificate_file(cert: Certificate) -> EnrollFile:
    who = cert.body.unit or cert.body.role.value
    return _pack(f"certificate-{who}-{cert.body.device_id[:8]}.json", cert.to_json())


def file_text(data: bytes) -> bytes:
    """The JSON of a request or certificate given as its file or as a photo of its QR code.

    Anything that is not an image with a code is returned as it came: the reader then says it is
    not a request (or certificate).
    """
    if data.lstrip()[:1] == b"{":
        return data
    try:
        codes = read_qr_codes(data)
    except QrUnavailable:
        return data
    return codes[0].encode("utf-8") if codes else data


def fingerprint(public_b64: str) -> str:
    """A campaign key's fingerprint to compare by eye: the first 16 bytes of SHA-256, in groups of 4."""
    digest = hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class DeviceRow:
    cert: Certificate
    status: str        # "valid", "revoked", "expired"
    own: bool          # this device's own certificate
    revoked_reason: str = ""


def enrolled_devices(ctx: Context) -> list[DeviceRow]:
    """Every certificate this store knows, newest first, with whether it still stands."""
    current = authority.state(ctx)
    today = ctx.today()
    own = current.own.body.serial if current.own else ""
    rows = []
    for cert in current.certificates.values():
        revoked = current.revocations.get(cert.body.serial)
        expired = dt.date.fromisoformat(cert.body.not_after) < today
        status = "revoked" if revoked else "expired" if expired else "valid"
        rows.append(DeviceRow(cert, status, cert.body.serial == own, revoked.reason if revoked else ""))
    rows.sort(key=lambda r: r.cert.body.not_before, reverse=True)
    rows.sort(key=lambda r: not r.own)   # stable: this device first, then the newest
    return rows
