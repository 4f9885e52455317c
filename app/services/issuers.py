"""The issuing body of each document, and the serials this device may number it with.

Every document of record asks here who issues it, so a notice, a report and the circular name
their issuer the same way:
- a self-check notice: the unit's security office (its certificate's name and prefix on an enrolled
  unit device; else 单位名称 + 保卫处 and the unit's default prefix);
- a spot-check notice (and a re-check by the bureau): the bureau's security division;
- the circular: the campaign's leading-group office, seated in the bureau's security division.
"""

from __future__ import annotations

from app.domain.authority import Role
from app.domain.issuers import FULL_BLOCK, Issuer, IssuerKind, NumberBlock, default_unit_prefix
from app.domain.model import Inspection, InspectionKind

from . import authority
from .context import Context

__all__ = ["unit_office", "bureau_office", "campaign_office", "notice_issuer", "number_block", "SECURITY_OFFICE"]

SECURITY_OFFICE = "保卫处"
CAMPAIGN_OFFICE = "专项行动领导小组办公室"


def unit_office(ctx: Context, unit: str) -> Issuer:
    """The unit's security office, as this device's certificate names it when it serves that unit."""
    own = authority.state(ctx)
    if own.enrolled and own.own and own.own.body.role is Role.UNIT and own.own.body.unit == unit:
        return own.own.body.issuer
    known = ctx.catalog.units.get(unit)
    name = known.name_zh if known else unit
    legacy = _device_prefix(ctx)
    return Issuer(kind=IssuerKind.UNIT_SECURITY, name=f"{name}{SECURITY_OFFICE}",
                  prefix=legacy or default_unit_prefix(name), unit=unit, signer_title="保卫处（科）负责人")


def bureau_office(ctx: Context) -> Issuer:
    """The bureau's security division: its certificate's name and prefix on an enrolled bureau device."""
    own = authority.state(ctx)
    if own.enrolled and own.own and own.own.body.role is Role.BUREAU:
        body = own.own.body
        return Issuer(kind=IssuerKind.BUREAU_SECURITY, name=body.issuer_name, prefix=body.issuer_prefix,
                      signer_title="保卫处负责人")
    campaign = ctx.catalog.campaign
    return Issuer(kind=IssuerKind.BUREAU_SECURITY, name=campaign.issuer_zh,
                  prefix=_device_prefix(ctx) or campaign.notice_prefix, signer_title="保卫处负责人")


def campaign_office(ctx: Context) -> Issuer:
    """专项行动领导小组办公室: issues the circular; the plan seats it in the bureau's security division."""
    bureau = bureau_office(ctx)
    return Issuer(kind=IssuerKind.CAMPAIGN_OFFICE, name=f"{ctx.catalog.campaign.name_zh}领导小组办公室",
                  prefix=f"{bureau.prefix}办", seal=bureau.name, signer_title="领导小组办公室主任")


def notice_issuer(ctx: Context, inspection: Inspection) -> Issuer:
    """Who issues the notice of `inspection`.

    On an enrolled device, the body its certificate names: a unit device's notices are its
    office's (self-checks and its own re-checks), a bureau device's are the bureau's, whatever
    it inspected. A device numbers only in its own series, so no two devices share numbers.
    Never enrolled: the unit's office for a self-check, the bureau for a spot-check or re-check.
    """
    role = authority.role_of(ctx)[0]
    if role is Role.UNIT or (role is None and inspection.kind is InspectionKind.SELF_CHECK):
        return unit_office(ctx, inspection.unit)
    return bureau_office(ctx)


def number_block(ctx: Context, prefix: str) -> NumberBlock:
    """The serials this device may use in `prefix`'s series: its certificate's block; when never
    enrolled, all of them (or the context's block for the series: a demo built in parts)."""
    return authority.own_block(ctx) or ctx.number_blocks.get(prefix) or FULL_BLOCK


def _device_prefix(ctx: Context) -> str:
    """The prefix set in this device's settings before enrollment existed (kept for old stores)."""
    doc = ctx.repo.get_settings("device") or {}
    return str(doc.get("notice_prefix", ""))
