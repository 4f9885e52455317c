"""A unit's 工作情况 for a report: kept on this device by unit and report, and the interim
measures in force read from its deferred hazards.

Kept in the device's settings (`work:<unit>:<report>`, e.g. `work:U01:monthly:2026-07`), like the
inspector profile: it is what the unit's office writes on the device that draws up the report,
not a record that bundles carry. A report drawn up without one prints "（未填报）" under each item.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from app.domain.errors import InvalidInput, NotFound
from app.domain.model import AuditEvent, HazardStatus
from app.domain.reports import TEXT_MAX, WorkReport

from .context import Context
from .report_history import areas_of

__all__ = ["BUREAU", "report_key", "work_report", "save_work_report", "interim_in_force", "with_interim"]

BUREAU = "bureau"     # the key of the bureau's own narrative (its campaign summary)


def report_key(kind: str, month: tuple[int, int] | None = None) -> str:
    """monthly:2026-07, rectification, summary."""
    return f"{kind}:{month[0]}-{month[1]:02d}" if kind == "monthly" and month else kind


def _settings_key(unit: str, key: str) -> str:
    return f"work:{unit}:{key}"


def work_report(ctx: Context, unit: str, key: str) -> WorkReport:
    """What the unit wrote for this report; the interim measures default to those in force."""
    return with_interim(ctx, unit, WorkReport.from_doc(ctx.repo.get_settings(_settings_key(unit, key))))


def with_interim(ctx: Context, unit: str, work: WorkReport) -> WorkReport:
    """`work` with the interim measures in force filled in where the unit wrote none."""
    if work.interim.strip() or unit == BUREAU:
        return work
    return replace(work, interim=interim_in_force(ctx, unit))


def save_work_report(ctx: Context, unit: str, key: str, report: WorkReport) -> WorkReport:
    """Store the unit's words for a report (durable before it returns); refuse what is too long."""
    if unit != BUREAU and ctx.catalog.units.get(unit) is None:
        raise NotFound("unit", unit)
    for name, value in report.to_doc().items():
        if len(value) > TEXT_MAX:
            raise InvalidInput(name, "too_long", max=TEXT_MAX)
    with ctx.repo.transaction():
        before = ctx.repo.get_settings(_settings_key(unit, key))
        ctx.repo.save_settings(_settings_key(unit, key), report.to_doc())
        ctx.repo.append_settings_audit(AuditEvent(   # the unit's words in a report of record: who wrote them
            id=uuid.uuid4().hex, unit=unit if unit != BUREAU else "", at=ctx.now(), actor=ctx.actor,
            device=ctx.repo.device_id, rev=ctx.repo.next_rev(), entity="work_report", entity_id=key,
            action="work_report:save", before=before, after=report.to_doc(),
        ))
    return report


def interim_in_force(ctx: Context, unit: str) -> str:
    """The temporary measures of the unit's deferred hazards, one line each (where: what)."""
    deferred = [(h, h.deferral) for h in ctx.repo.hazards(unit) if not h.deleted
                and h.status is HazardStatus.DEFERRED and h.deferral is not None]
    areas = areas_of(ctx, [h.inspection_id for h, _ in deferred])
    lines = []
    for hazard, deferral in sorted(deferred, key=lambda pair: (pair[0].deadline, pair[0].created_at)):
        area = areas.get(hazard.area_id)
        where = f"{area.name}：" if area else ""
        lines.append(f"{where}{deferral.temporary_measures}（暂缓整改至{hazard.deadline.month}月"
                     f"{hazard.deadline.day}日）")
    return "\n".join(lines)
