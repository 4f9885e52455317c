"""Factories with defaults for unit tests: records made through the services, in memory.

Every factory takes only what a test cares about; the rest is a sensible default. The catalog
is the real shipped one (loaded once: it is frozen, so sharing it between tests is safe).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from functools import cache

from app.domain.catalog import Catalog
from app.domain.clock import Clock, FixedClock
from app.domain.model import (
    Deferral,
    Hazard,
    HazardStatus,
    InspectionKind,
    PlanStep,
    Rectification,
    Severity,
    Verification,
)
from app.services import catalog as catalog_service
from app.services import hazards, inspections
from app.services.context import Context
from app.store.memory import MemoryRepository

__all__ = [
    "SHANGHAI_NOON", "TODAY", "OTHER_ACTOR", "shared_catalog", "make_context", "as_actor", "make_inspection",
    "make_area", "make_hazard", "make_hazard_in", "build_hazard",
]

# 2026-07-10 (a Friday) 12:00 in Shanghai, inside the campaign's rectification phase.
SHANGHAI_NOON = dt.datetime(2026, 7, 10, 4, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 7, 10)
OTHER_ACTOR = "李秀兰"


@cache
def shared_catalog() -> Catalog:
    return catalog_service.load()


def make_context(clock: Clock | None = None, actor: str = "王喆") -> Context:
    """A context over an empty in-memory repository, the shipped catalog and a fixed clock."""
    return Context(
        repo=MemoryRepository(device_id="test-device"),
        catalog=shared_catalog(),
        clock=clock or FixedClock(SHANGHAI_NOON),
        actor=actor,
    )


def as_actor(ctx: Context, actor: str) -> Context:
    """The same repository, catalog and clock, signed in as someone else."""
    return replace(ctx, actor=actor)


def make_inspection(
    ctx: Context, kind: InspectionKind = InspectionKind.SELF_CHECK, unit: str = "U01",
    inspectors: list[str] | None = None, date: dt.date | None = None, **kwargs,
):
    if inspectors is None:
        partner = next(name for name in (OTHER_ACTOR, "张堃") if name != ctx.actor)
        inspectors = [ctx.actor, partner] if kind is InspectionKind.SPOT_CHECK else [ctx.actor]
    return inspections.start_inspection(ctx, unit, kind, inspectors, date=date, **kwargs)


def make_area(
    ctx: Context, inspection_id: str | None = None, location_type: str = "inpatient_ward",
    name: str = "住院部3号楼5层", department: str = "",
):
    if inspection_id is None:
        inspection_id = make_inspection(ctx).id
    return inspections.add_area(ctx, inspection_id, location_type, name, department=department)


def make_hazard(
    ctx: Context, item_id: str = "iw-02", *, inspection_id: str | None = None, area_id: str | None = None,
    location_type: str = "inpatient_ward", **kwargs,
) -> Hazard:
    """A hazard raised through the service; with an empty `item_id` it is ad hoc."""
    if area_id is None:
        area = make_area(ctx, inspection_id, location_type=location_type)
        inspection_id, area_id = area.inspection_id, area.id
    elif inspection_id is None:
        raise ValueError("pass inspection_id with area_id")
    if not item_id:
        kwargs.setdefault("description", "消防通道堆放杂物")
    return hazards.raise_hazard(ctx, inspection_id, area_id, item_id, **kwargs)


def make_hazard_in(ctx: Context, status: HazardStatus, **kwargs) -> Hazard:
    """A hazard brought to `status` through the services, the way a user would get it there.

    Rectified by `ctx.actor`; verified or reopened by OTHER_ACTOR through a follow-up inspection.
    """
    hazard = make_hazard(ctx, **kwargs)
    if status is HazardStatus.OPEN:
        return hazard
    if status is HazardStatus.RECTIFYING:
        return hazards.start_rectifying(ctx, hazard.id)
    if status is HazardStatus.DEFERRED:
        plan = [(ctx.today() + dt.timedelta(days=30), "临时隔离"), (ctx.today() + dt.timedelta(days=90), "更换线路")]
        return hazards.defer(ctx, hazard.id, "资金需年度预算", plan, "专人值守")
    hazard = hazards.rectify(ctx, hazard.id, "已拆除私接电线", ("a" * 64,))
    if status is HazardStatus.RECTIFIED:
        return hazard
    checker = as_actor(ctx, OTHER_ACTOR)
    follow_up = make_inspection(checker, InspectionKind.FOLLOW_UP, source_hazards=(hazard.id,))
    return hazards.verify(checker, hazard.id, follow_up.id, passed=status is HazardStatus.VERIFIED)


def build_hazard(**overrides) -> Hazard:
    """A bare domain `Hazard` value (no repository), for the pure lifecycle functions."""
    at = SHANGHAI_NOON
    fields = {
        "id": "h1", "unit": "U01", "created_at": at, "updated_at": at, "device": "d", "rev": 1,
        "inspection_id": "i1", "area_id": "a1", "item_id": "iw-02", "description": "病房内私拉电线",
        "severity": Severity.GENERAL, "deadline": TODAY, "status": HazardStatus.OPEN, "funds": Decimal("0"),
    }
    status = overrides.get("status", HazardStatus.OPEN)
    if status in (HazardStatus.RECTIFIED, HazardStatus.VERIFIED) and "rectification" not in overrides:
        fields["rectification"] = Rectification(note="已整改", photos=("a" * 64,), by="王喆", at=at)
    if status is HazardStatus.DEFERRED and "deferral" not in overrides:
        fields["deferral"] = Deferral(
            explanation="资金需年度预算", plan=(PlanStep(TODAY, "隔离"),), temporary_measures="专人值守"
        )
    if status is HazardStatus.VERIFIED and "verifications" not in overrides:
        fields["verifications"] = (Verification(passed=True, by=OTHER_ACTOR, at=at, inspection_id="i2"),)
    fields.update(overrides)
    return Hazard(**fields)
