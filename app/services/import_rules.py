"""Who may have made each change a bundle brings into an enrolled store.

An enrolled store accepts a bundle only from a device whose certificate chains to the campaign key
and is not revoked (certificates and revocations come in the manifest, signed with it, and are
checked against the campaign key). Then every record the bundle would change is checked against
the permission table with the certificate of the device that made it (`permissions.first_refused`,
the same question `context.save` asks): one forbidden change refuses the whole bundle.

Relays. A bundle also carries records that other devices made (what its sender imported before).
The bureau is the campaign's authority: what it relays is taken, checked with the maker's own
certificate where this store knows it. A unit device vouches only for itself and the other devices
of its own unit: records it relays from anyone else (the bureau's spot-check, say) are not taken
from it — they come from the bureau's own bundle — and the summary counts them.

A store never enrolled has no gate (`open_gate` is None): it trusts senders on first use, alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.domain.authority import Certificate, Revocation, Role, cert_from_json
from app.domain.errors import BundleRejected
from app.domain.issuers import parse_number
from app.domain.model import AuditEvent, Hazard, InspectionKind, Notice, Record
from app.domain.permissions import deferral_too_late, first_refused
from app.store.keys import verify_signature

from . import authority
from .authority import AuthorityState
from .context import Context

__all__ = ["Gate", "open_gate", "authority_section"]


@dataclass
class Gate:
    """The authority an import checks against: this store's, plus what the bundle's manifest proves."""

    state: AuthorityState
    signer: Certificate
    today: dt.date
    name: str

    def maker(self, device_id: str) -> Certificate | None:
        """The certificate to check a change by `device_id` with; None: a relay not to take."""
        signer = self.signer.body
        if device_id == signer.device_id:
            return self.signer
        cert = self.state.cert_of(device_id)
        trusted = cert is not None and authority.certificate_problem(self.state, cert, self.today) in (
            None, "cert_revoked", "cert_expired")   # what a device made before it was revoked or expired stays history
        if signer.role is Role.BUREAU:
            return cert if trusted else self.signer
        if trusted and cert is not None and cert.body.role is Role.UNIT and cert.body.unit == signer.unit:
            return cert
        return None

    def check(self, kind: str, local: Record | None, incoming: Record, inspection_kind: InspectionKind | None) -> bool:
        """True: the change may be merged; False: an unvouched relay, left out. Refuses a forbidden change."""
        cert = self.maker(incoming.device)
        if cert is None:
            return False
        refused = first_refused(cert.body.role, cert.body.unit, local, incoming, inspection_kind)
        if refused is not None:
            raise BundleRejected(self.name, "forbidden_change", entry=f"{kind} {incoming.id}", action=refused[0].value,
                                 rule=refused[1], unit=incoming.unit)
        if isinstance(incoming, Hazard) and deferral_too_late(incoming) and (   # kind "hazard"
                not isinstance(local, Hazard) or (local.deferral, local.deferral_request) != (
                    incoming.deferral, incoming.deferral_request)):
            raise BundleRejected(self.name, "forbidden_change", entry=f"{kind} {incoming.id}", action="defer",
                                 rule="deferral_after_deadline", unit=incoming.unit)
        if isinstance(incoming, Notice) and local is None and incoming.device == cert.body.device_id and (
                incoming.issued_at.date().isoformat() >= cert.body.not_before):   # numbered under this certificate
            self._check_number(incoming, cert)
        return True

    def check_event(self, event: AuditEvent) -> bool:
        """An audit event is history: only its unit is checked against its maker's scope."""
        cert = self.maker(event.device)
        if cert is None:
            return False
        if cert.body.role is Role.UNIT and event.unit != cert.body.unit:
            raise BundleRejected(self.name, "forbidden_change", entry=f"audit {event.id}", action="record",
                                 rule="own_unit_only", unit=event.unit)
        return True

    def _check_number(self, notice: Notice, cert: Certificate) -> None:
        """A notice's number is one its maker's certificate grants: its prefix, inside its block."""
        parsed = parse_number(notice.number)
        body = cert.body
        if parsed is None or parsed[0] != body.issuer_prefix or parsed[2] not in body.block:
            raise BundleRejected(self.name, "forbidden_change", entry=f"notice {notice.number}", action="number",
                                 rule="number_not_granted", unit=notice.unit)


def _proven(current: AuthorityState, manifest: dict[str, Any], today: dt.date) -> AuthorityState:
    """This store's authority with the manifest's campaign-signed certificates and revocations added."""
    state = AuthorityState(current.campaign_key, current.own, dict(current.certificates), dict(current.revocations))
    for raw in manifest.get("revocations", []):
        try:
            revocation = Revocation(**raw)
        except TypeError:
            continue
        if isinstance(revocation.signature, str) and verify_signature(
                state.campaign_key, revocation.signed_bytes, revocation.signature):
            state.revocations.setdefault(revocation.serial, revocation)
    for raw in manifest.get("certificates", []):
        try:
            cert = cert_from_json(raw)
        except ValueError:
            continue
        if cert.body.serial not in state.certificates and authority.certificate_problem(state, cert, today) in (
                None, "cert_revoked", "cert_expired"):
            state.certificates[cert.body.serial] = cert
    return state


def _offered(manifest: dict[str, Any]) -> Certificate | None:
    """The sender's own certificate as its manifest offers it, trusted or not (to say why not)."""
    for raw in manifest.get("certificates", []):
        try:
            cert = cert_from_json(raw)
        except ValueError:
            continue
        if cert.body.device_id == manifest["device_id"]:
            return cert
    return None


def open_gate(ctx: Context, manifest: dict[str, Any], name: str) -> Gate | None:
    """The gate for this bundle, or None in a store never enrolled. Refuses an untrusted sender."""
    current = authority.state(ctx)
    if not current.enrolled:
        return None
    today = ctx.today()
    state = _proven(current, manifest, today)
    cert = state.cert_of(manifest["device_id"]) or _offered(manifest)
    if cert is None:
        raise BundleRejected(name, "no_certificate", entry=manifest["device_id"])
    if cert.body.public_key != manifest["public_key"]:
        raise BundleRejected(name, "key_mismatch", entry=manifest["device_id"])
    problem = authority.certificate_problem(state, cert, today)
    if problem is not None:
        raise BundleRejected(name, "untrusted_sender", entry=manifest["device_id"], problem=problem)
    return Gate(state, cert, today, name)


def authority_section(ctx: Context) -> dict[str, list[dict[str, Any]]] | None:
    """What an enrolled store's bundles carry in their manifest: every certificate and revocation it
    knows, so receivers can check who made each change (and learn who was revoked)."""
    current = authority.state(ctx)
    if not current.enrolled:
        return None
    doc = current.to_doc()
    return {"certificates": doc["certificates"], "revocations": doc["revocations"]}
