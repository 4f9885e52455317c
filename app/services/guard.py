"""The permission check every save passes through (`context.save` calls `check_change`).

Services also ask `authority.require` up front, so a refusal comes before any work; this gate is
what makes the table hold whichever service, CLI command or screen made the change. Bundle import
asks the same domain question (`permissions.first_refused`) with the writer's certificate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.authority import Role, cert_from_json
from app.domain.errors import Forbidden
from app.domain.model import Inspection, InspectionKind, Record
from app.domain.permissions import first_refused

if TYPE_CHECKING:
    from .context import Context

__all__ = ["own_role", "inspection_kind_of", "check_change"]

AUTHORITY_KEY = "authority"


def own_role(ctx: Context) -> tuple[Role | None, str]:
    """(role, unit) from this device's certificate; (None, "") when never enrolled.

    Reads only the device's own certificate (not every certificate the store knows): it runs on
    every save.
    """
    doc = ctx.repo.get_settings(AUTHORITY_KEY) or {}
    if not doc.get("campaign_key") or not doc.get("own"):
        return None, ""
    body = cert_from_json(doc["own"]).body
    return body.role, body.unit


def inspection_kind_of(ctx: Context, record: Record) -> InspectionKind | None:
    """The kind of the inspection a record belongs to (None for records outside inspections)."""
    if isinstance(record, Inspection):
        return record.kind
    inspection_id = getattr(record, "inspection_id", "")
    found = ctx.repo.get_inspection(inspection_id) if inspection_id else None
    return found.kind if found else None


def check_change(ctx: Context, before: Record | None, after: Record) -> None:
    """Refuse with `Forbidden` when this device's role may not make this change."""
    role, unit = own_role(ctx)
    if role is None:
        return
    refused = first_refused(role, unit, before, after, inspection_kind_of(ctx, after))
    if refused is not None:
        action, rule = refused
        raise Forbidden(action.value, rule, after.unit)
