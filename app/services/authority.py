"""Enrollment: the bureau's campaign key, device certificates, revocations, and this device's role.

    bureau init  →  campaign key + the bureau device's own certificate
    tablet: enroll request (its keys, the role and unit it asks for)  → file / QR → bureau
    bureau: enroll sign (checks, allots a block of document numbers) → certificate → tablet
    tablet: enroll install (the certificate must name this device's key; its campaign key
            becomes this store's trust anchor)

What a store knows of the campaign lives in its settings (store.json: never carried by a bundle
as such): the campaign's public key, this device's certificate, every certificate and revocation
it has seen. Certificates and revocations travel in bundle manifests, signed by the sender; each
is checked against the campaign key on arrival. A store never enrolled has no role and works alone.
The campaign's private key is a file of its own (keys/campaign_ed25519.pem), encrypted with a
passphrase when one is given; it is the campaign's one secret (docs/security.md).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.domain.authority import (
    REQUEST_FORMAT,
    CertBody,
    Certificate,
    DeviceStatus,
    EnrollRequest,
    Revocation,
    Role,
    TrustVia,
    cert_from_json,
    cert_problem,
)
from app.domain.errors import Forbidden, InvalidInput
from app.domain.issuers import NumberBlock, default_unit_prefix
from app.domain.model import AuditEvent
from app.domain.permissions import Action, authorize
from app.store.keys import BoxKey, CampaignKey, DeviceKey, verify_signature

from .context import Context
from .settings import validate_prefix

__all__ = [
    "AuthorityState", "state", "role_of", "require", "permitted", "is_enrolled", "bureau_init", "make_request",
    "read_request", "sign_request", "install_certificate", "revoke", "learn", "trusted_cert", "BLOCK_SIZE",
    "CERT_DAYS", "certificate_problem", "own_block",
]

SETTINGS_KEY = "authority"
BLOCK_SIZE = 1000          # document serials per device: a busy unit issues ~300 notices a year
CERT_DAYS = 730            # certificates last two campaigns; revocation ends one sooner
NAME_MAX = 60
_DEVICE = re.compile(r"^[0-9a-f]{8,64}$")


@dataclass
class AuthorityState:
    """What this store knows of the campaign's authority (empty: never enrolled)."""

    campaign_key: str = ""                                   # the trust anchor (base64 Ed25519)
    own: Certificate | None = None                           # this device's certificate
    certificates: dict[str, Certificate] = field(default_factory=dict)   # by serial, every one seen
    revocations: dict[str, Revocation] = field(default_factory=dict)     # by serial

    @property
    def enrolled(self) -> bool:
        return bool(self.campaign_key) and self.own is not None

    @property
    def role(self) -> Role | None:
        return self.own.body.role if self.enrolled and self.own else None

    @property
    def unit(self) -> str:
        return self.own.body.unit if self.own else ""

    def cert_of(self, device_id: str) -> Certificate | None:
        """The newest certificate of a device this store has seen (a re-enrolled device has several)."""
        found = [c for c in self.certificates.values() if c.body.device_id == device_id]
        return max(found, key=lambda c: c.body.not_before, default=None)

    def to_doc(self) -> dict[str, Any]:
        return {
            "campaign_key": self.campaign_key,
            "own": self.own.to_json() if self.own else None,
            "certificates": [c.to_json() for c in self.certificates.values()],
            "revocations": [asdict(r) for r in self.revocations.values()],
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> AuthorityState:
        if not doc:
            return cls()
        certs = [cert_from_json(c) for c in doc.get("certificates", [])]
        return cls(
            campaign_key=doc.get("campaign_key", ""),
            own=cert_from_json(doc["own"]) if doc.get("own") else None,
            certificates={c.body.serial: c for c in certs},
            revocations={r["serial"]: Revocation(**r) for r in doc.get("revocations", [])},
        )


def state(ctx: Context) -> AuthorityState:
    return AuthorityState.from_doc(ctx.repo.get_settings(SETTINGS_KEY))


def _save(ctx: Context, current: AuthorityState, action: str, **after: Any) -> None:
    """Store the authority state and append its audit event (in the settings audit: never in a bundle)."""
    ctx.repo.save_settings(SETTINGS_KEY, current.to_doc())
    ctx.repo.append_settings_audit(AuditEvent(
        id=uuid.uuid4().hex, unit=str(after.get("unit", "")), at=ctx.now(), actor=ctx.actor,
        device=ctx.repo.device_id, rev=ctx.repo.next_rev(), entity="authority", entity_id=SETTINGS_KEY,
        action=f"authority:{action}", after=after or None,
    ))


def is_enrolled(ctx: Context) -> bool:
    return state(ctx).enrolled


def role_of(ctx: Context) -> tuple[Role | None, str]:
    """(role, own unit) of this device: (None, "") when the store was never enrolled."""
    current = state(ctx)
    return current.role, current.unit


def require(ctx: Context, action: Action, unit: str | None) -> None:
    """Refuse with `Forbidden` unless this device may do `action` at `unit` (the services' gate)."""
    role, own = role_of(ctx)
    authorize(role, own, action, unit)


def permitted(ctx: Context, action: Action, unit: str | None) -> bool:
    """Whether `require` would pass: what the UI asks before offering an action."""
    try:
        require(ctx, action, unit)
    except Forbidden:
        return False
    return True


def _campaign_key_file(ctx: Context) -> Path:
    return ctx.repo.root / "keys" / "campaign_ed25519.pem"


def _text(field_name: str, value: str, limit: int = NAME_MAX) -> str:
    text = (value or "").strip()
    if not text or len(text) > limit:
        raise InvalidInput(field_name, "required" if not text else "too_long", max=limit)
    return text


def _device_keys(ctx: Context) -> tuple[str, str]:
    """This device's signing and encryption public keys (made on first use, like sync's)."""
    keys = ctx.repo.root / "keys"
    return DeviceKey.load_or_create(keys).public_b64, BoxKey.load_or_create(keys).public_b64


def _new_cert(ctx: Context, key: CampaignKey, request: EnrollRequest, issuer_name: str, prefix: str,
              block: NumberBlock, days: int) -> Certificate:
    today = ctx.today()
    body = CertBody(
        serial=secrets.token_hex(8), campaign=key.public_b64, device_id=request.device_id,
        public_key=request.public_key, role=request.role, unit=request.unit, issuer_name=issuer_name,
        issuer_prefix=prefix, block_first=block.first, block_last=block.last, not_before=today.isoformat(),
        not_after=(today + dt.timedelta(days=days)).isoformat(), signed_by=ctx.actor,
    )
    return Certificate(body, key.sign(Certificate(body, "").signed_bytes))


def bureau_init(ctx: Context, name: str, prefix: str, passphrase: str = "") -> Certificate:
    """Make this device the bureau's: a new campaign key and this device's bureau certificate.

    Refused when this store is enrolled already (a second campaign key would split the campaign).
    """
    name, prefix = _text("issuer_name", name), validate_prefix(prefix)
    if state(ctx).enrolled or _campaign_key_file(ctx).exists():
        raise InvalidInput("campaign", "already_enrolled")
    key = CampaignKey.create(_campaign_key_file(ctx), passphrase)
    public, box = _device_keys(ctx)
    request = EnrollRequest(device_id=ctx.repo.device_id, public_key=public, box_key=box, role=Role.BUREAU, unit="")
    cert = _new_cert(ctx, key, request, name, prefix, NumberBlock(1, BLOCK_SIZE), CERT_DAYS)
    with ctx.repo.transaction():
        _save(ctx, AuthorityState(key.public_b64, cert, {cert.body.serial: cert}, {}), "bureau_init",
              serial=cert.body.serial, issuer=name, prefix=prefix)
    return cert


def make_request(ctx: Context, role: Role, unit: str = "", label: str = "") -> EnrollRequest:
    """This device's request to join the campaign as `role` (of `unit`)."""
    role = Role(role)
    if role is Role.UNIT and ctx.catalog.units.get(unit) is None:
        raise InvalidInput("unit", "unit_not_listed" if unit else "required", unit=unit)
    public, box = _device_keys(ctx)
    return EnrollRequest(device_id=ctx.repo.device_id, public_key=public, box_key=box, role=role,
                         unit=unit if role is Role.UNIT else "", label=label.strip()[:NAME_MAX])


def read_request(data: bytes) -> EnrollRequest:
    """An enrollment request from its file (or QR text); `InvalidInput` when it is not one."""
    try:
        raw = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict) or raw.get("format") != REQUEST_FORMAT:
            raise ValueError("format")
        values = {name: raw[name] for name in EnrollRequest.__dataclass_fields__}
        if not all(isinstance(v, str) for v in values.values()):
            raise ValueError("types")
        request = EnrollRequest(**{**values, "role": Role(values["role"])})
        if len(base64.b64decode(request.public_key, validate=True)) != 32 or not _DEVICE.match(request.device_id):
            raise ValueError("key")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InvalidInput("request", "not_a_request") from None
    return request


def _free_block(ctx: Context, current: AuthorityState, prefix: str) -> NumberBlock:
    """The first block of serials that no certificate with this prefix holds and that lies above
    every serial already used with it (numbers issued before enrollment): never reused."""
    taken = [c.body.block for c in current.certificates.values() if c.body.issuer_prefix == prefix]
    used = ctx.repo.used_numbers().highest(prefix) or 0   # in any year
    first = 1
    while first <= used or any(NumberBlock(first, first + BLOCK_SIZE - 1).overlaps(b) for b in taken):
        first += BLOCK_SIZE
    return NumberBlock(first, first + BLOCK_SIZE - 1)


def sign_request(ctx: Context, request: EnrollRequest, role: Role | None = None, unit: str | None = None,
                 issuer_name: str = "", prefix: str = "", passphrase: str = "",
                 days: int = CERT_DAYS) -> Certificate:
    """The bureau signs a device's certificate: role, unit, issuing body, prefix and a fresh block.

    A unit device's issuer defaults to the unit's security office (单位名称 + 保卫处) and its
    prefix to the unit's default; a bureau device's to the bureau's own.
    """
    current = state(ctx)
    authorize(current.role, current.unit, Action.ENROLL, None)
    if not current.enrolled:
        raise InvalidInput("campaign", "not_enrolled")
    role = Role(role or request.role)
    unit = (unit if unit is not None else request.unit) if role is Role.UNIT else ""
    known = ctx.catalog.units.get(unit) if unit else None
    if role is Role.UNIT and known is None:
        raise InvalidInput("unit", "unit_not_listed" if unit else "required", unit=unit)
    bureau = current.own.body if current.own else None
    if role is Role.UNIT and known is not None:
        default_name, default_prefix = f"{known.name_zh}保卫处", default_unit_prefix(known.name_zh)
    elif bureau is not None:
        default_name, default_prefix = bureau.issuer_name, bureau.issuer_prefix
    else:   # allowed to enroll but holding no certificate of its own: not the bureau's device
        raise InvalidInput("campaign", "not_enrolled")
    name = _text("issuer_name", issuer_name or default_name)
    prefix = validate_prefix(prefix or default_prefix)
    if not 1 <= days <= 3650:
        raise InvalidInput("days", "out_of_range", value=str(days))
    key = CampaignKey.load(_campaign_key_file(ctx), passphrase)
    resolved = EnrollRequest(request.device_id, request.public_key, request.box_key, role, unit, request.label)
    cert = _new_cert(ctx, key, resolved, name, prefix, _free_block(ctx, current, prefix), days)
    with ctx.repo.transaction():
        current.certificates[cert.body.serial] = cert
        _save(ctx, current, "sign", serial=cert.body.serial, device=cert.body.device_id, role=role.value, unit=unit,
              issuer=name, prefix=prefix, block=f"{cert.body.block_first}-{cert.body.block_last}")
        _remember_device(ctx, cert, request.box_key)
    return cert


def certificate_problem(current: AuthorityState, cert: Certificate, today: dt.date) -> str | None:
    """Why a certificate is not trusted in this store (a reason key), or None."""
    if not verify_signature(current.campaign_key, cert.signed_bytes, cert.signature):
        return "cert_signature"
    return cert_problem(cert, current.campaign_key, today, set(current.revocations))


def trusted_cert(ctx: Context, current: AuthorityState, device_id: str) -> Certificate | None:
    """The device's certificate if this store trusts it today, else None."""
    cert = current.cert_of(device_id)
    if cert is None or certificate_problem(current, cert, ctx.today()) is not None:
        return None
    return cert


def install_certificate(ctx: Context, data: bytes) -> Certificate:
    """Install this device's certificate: it must name this device and its key, and be signed by the
    campaign key it names, which becomes this store's trust anchor."""
    try:
        cert = cert_from_json(json.loads(data.decode("utf-8")))
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("certificate", "not_a_certificate") from None
    public, _ = _device_keys(ctx)
    if cert.body.device_id != ctx.repo.device_id or cert.body.public_key != public:
        raise InvalidInput("certificate", "other_device")
    current = state(ctx)
    if current.campaign_key and current.campaign_key != cert.body.campaign:
        raise InvalidInput("certificate", "cert_other_campaign")
    candidate = AuthorityState(cert.body.campaign, cert, {**current.certificates, cert.body.serial: cert},
                               current.revocations)
    problem = certificate_problem(candidate, cert, ctx.today())
    if problem is not None:
        raise InvalidInput("certificate", problem)
    with ctx.repo.transaction():
        _save(ctx, candidate, "install", serial=cert.body.serial, role=cert.body.role.value, unit=cert.body.unit)
    return cert


def revoke(ctx: Context, device_or_serial: str, reason: str, passphrase: str = "") -> list[Revocation]:
    """The bureau revokes a device (every certificate it holds) or one certificate by serial.

    Revocations travel in the bureau's bundles; a store that learns one refuses the device's
    bundles from then on (and its records in any later bundle).
    """
    current = state(ctx)
    authorize(current.role, current.unit, Action.ENROLL, None)
    reason = _text("reason", reason, limit=200)
    targets = [c for c in current.certificates.values()
               if device_or_serial in (c.body.serial, c.body.device_id) and c.body.serial not in current.revocations]
    if not targets:
        raise InvalidInput("device", "unknown_device", device=device_or_serial)
    if current.own and current.own.body.serial in {c.body.serial for c in targets}:
        raise InvalidInput("device", "revoke_self")
    key = CampaignKey.load(_campaign_key_file(ctx), passphrase)
    made = []
    for cert in targets:
        unsigned = Revocation(cert.body.serial, ctx.now().isoformat(), reason, "")
        made.append(Revocation(unsigned.serial, unsigned.at, reason, key.sign(unsigned.signed_bytes)))
    with ctx.repo.transaction():
        current.revocations.update({r.serial: r for r in made})
        _save(ctx, current, "revoke", serials=[r.serial for r in made], reason=reason)
    return made


def learn(ctx: Context, certificates: list[dict[str, Any]], revocations: list[dict[str, Any]]) -> list[str]:
    """Take the certificates and revocations a bundle carries: keep those the campaign key signed.

    Must run inside the import's transaction. Returns the serials newly revoked.
    """
    current = state(ctx)
    if not current.enrolled:
        return []
    newly: list[str] = []
    learned: list[str] = []
    for raw in revocations:
        try:
            revocation = Revocation(**raw)
        except TypeError:
            continue
        if revocation.serial in current.revocations:
            continue
        if verify_signature(current.campaign_key, revocation.signed_bytes, revocation.signature):
            current.revocations[revocation.serial] = revocation
            newly.append(revocation.serial)
    for raw in certificates:
        try:
            cert = cert_from_json(raw)
        except ValueError:
            continue
        if cert.body.serial not in current.certificates and certificate_problem(current, cert, ctx.today()) is None:
            current.certificates[cert.body.serial] = cert
            learned.append(cert.body.serial)
    if newly or learned:
        _save(ctx, current, "learn", revoked=newly, certificates=learned)
    return newly


def _remember_device(ctx: Context, cert: Certificate, box: str) -> None:
    """Record an enrolled device in the device table, so `devices` lists it with its role."""
    known = ctx.repo.devices().get(cert.body.device_id, {})
    ctx.repo.save_device({
        **known, "id": cert.body.device_id, "public_key": cert.body.public_key, "status": DeviceStatus.TRUSTED.value,
        "via": TrustVia.CERTIFICATE.value, "first_seen": known.get("first_seen", ctx.now().isoformat()),
        "box_key": box or known.get("box_key", ""), "role": cert.body.role.value, "unit": cert.body.unit,
        "issuer": cert.body.issuer_name, "serial": cert.body.serial,
    })


def own_block(ctx: Context) -> NumberBlock | None:
    current = state(ctx)
    return current.own.body.block if current.enrolled and current.own else None
