"""What a unit writes into its reports besides figures: 工作情况 and the summary's narrative.

The campaign plan asks each unit for its monthly 工作情况 (meetings held, responsibility letters
signed, funds, training and publicity, interim measures in force), a report of its self-check and
rectification when the rectification phase ends, and a 总结报告 (成功经验和先进模式, 存在问题,
长效机制). Figures come from the records (`app.domain.figures`); these words come from the unit:
typed in the app, or read by the CLI from a TOML file:

    meetings = "7月3日召开专项行动推进会，院长主持……"
    letters = "与28个科室签订消防安全责任书"
    funds = "落实整改资金12.6万元"
    training = "开展全员消防培训4场、疏散演练2次"
    interim = "……"            # optional: the app lists the measures in force from deferred hazards
    other = ""
    experience = ""          # 成功经验和先进模式 (summary)
    problems = ""            # 存在问题 (summary, rectification report)
    mechanisms = ""          # 长效机制 (summary)
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields

from .campaign import CircularThresholds, Obligation
from .errors import InvalidInput
from .figures import HazardFigures, share
from .model import Flag, HazardStatus, InspectionKind

__all__ = [
    "WorkReport", "WORK_ITEMS", "NARRATIVE_ITEMS", "parse_work_report", "TEXT_MAX", "PhaseLine", "OpenLine",
    "UnitReport", "LATE_GRACE_DAYS", "GRADES", "HazardLine", "Figures", "LocationRow", "MonthlyReport", "LedgerRow",
    "LagReason", "LaggingUnit", "CircularData", "PhaseInfo", "PhaseFigures", "UnitSummary", "SummaryReport",
]

TEXT_MAX = 2000
# (field, heading) in the order a report prints them
WORK_ITEMS = (
    ("meetings", "召开专题会议、研究部署情况"),
    ("letters", "签订责任状、落实整改责任情况"),
    ("funds", "整改资金落实情况"),
    ("training", "消防培训和宣传情况"),
    ("interim", "整改期间临时性防范措施落实情况"),
    ("other", "其他工作"),
)
NARRATIVE_ITEMS = (
    ("experience", "成功经验和先进模式"),
    ("problems", "存在的问题"),
    ("mechanisms", "长效工作机制"),
)


@dataclass(frozen=True)
class WorkReport:
    meetings: str = ""
    letters: str = ""
    funds: str = ""
    training: str = ""
    interim: str = ""
    other: str = ""
    experience: str = ""
    problems: str = ""
    mechanisms: str = ""

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name).strip() for f in fields(self))

    def to_doc(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_doc(cls, doc: dict | None) -> WorkReport:
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in (doc or {}).items() if k in known})


def parse_work_report(text: str) -> WorkReport:
    """A work report from TOML text; InvalidInput naming the problem (nothing is kept of a bad file)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("work", "bad_work_file", message=str(exc)) from None
    known = {f.name for f in fields(WorkReport)}
    for key, value in data.items():
        if key not in known:
            raise InvalidInput("work", "bad_work_file", message=f"未知字段“{key}”/ unknown key '{key}'")
        if not isinstance(value, str):
            raise InvalidInput("work", "bad_work_file", message=f"“{key}”应为文字 / '{key}' must be text")
        if len(value) > TEXT_MAX:
            raise InvalidInput("work", "too_long", max=TEXT_MAX)
    return WorkReport(**{k: v.strip() for k, v in data.items()})


# ---------------------------------------------------------------- a unit's own reports


@dataclass(frozen=True)
class PhaseLine:
    name: str
    start: dt.date
    end: dt.date
    inspections: int
    found: int
    rectified: int


@dataclass(frozen=True)
class OpenLine:
    """A hazard not yet rectified, as a unit's report lists it."""

    area: str
    description: str
    major: bool
    deadline: dt.date
    status: str          # 待整改 / 整改中 / 暂缓 / 复查未通过, in Chinese
    days_overdue: int


@dataclass(frozen=True)
class UnitReport:
    """A unit's rectification-phase report (`kind` "rectification": 自查整改工作情况) or its
    campaign summary (`kind` "summary": 总结报告), addressed to the bureau's security division."""

    kind: str
    unit: str
    unit_name: str
    campaign: str
    addressee: str               # 主送: the bureau's security division (the plan: 报市卫生局保卫处)
    as_of: dt.date
    due: dt.date
    generated_at: dt.datetime
    phases: tuple[PhaseLine, ...]
    inspections: tuple[tuple[str, int], ...]    # (自查/抽查/回头看, count)
    figures: HazardFigures
    open: tuple[OpenLine, ...]
    departments: int             # departments with hazards
    work: WorkReport
    signer_title: str = "单位负责人"

    @property
    def title(self) -> str:
        if self.kind == "summary":
            return f"关于{self.campaign}的总结报告"
        return f"关于{self.campaign}自查整改工作情况的报告"


# ---------------------------------------------------------------- the reports' values (issue #20)
# Frozen values the services gather and the documents render: kept in the domain so that
# `app.documents` imports the domain only. The services re-export them under their old names.

LATE_GRACE_DAYS = 7      # paperwork late by up to a week is reminded on the dashboard, not circulated
GRADES = {"spot_check": 1, "overdue_major": 1, "rectification_rate": 2, "late_obligations": 3}


@dataclass(frozen=True)
class HazardLine:
    description: str
    area: str
    major: bool
    status: HazardStatus
    deadline: dt.date
    days_overdue: int
    listed: bool


@dataclass(frozen=True)
class Figures:
    """Hazard counts. For a month: found, rectified, verified, deferred and listed *in* it, and
    `overdue` = became overdue in it. To date: everything found so far and its state at the cut-off."""

    found: int = 0
    major: int = 0
    rectified: int = 0
    verified: int = 0
    overdue: int = 0
    deferred: int = 0
    listed: int = 0

    @property
    def rate(self) -> float | None:
        return share(self.rectified, self.found)


@dataclass(frozen=True)
class LocationRow:
    location_type: str
    name: str
    areas: int          # areas of this type inspected in the month
    found: int          # hazards found in the month
    rectified: int      # hazards rectified in the month
    overdue: int        # overdue at the cut-off


@dataclass(frozen=True)
class MonthlyReport:
    unit: str
    unit_name: str
    campaign: str
    bureau: str
    year: int
    month: int
    start: dt.date
    end: dt.date                      # the period's last day: the report's due date
    as_of: dt.date                    # the cut-off: the period's end, or today in the current period
    due: dt.date                      # last day the report counts as on time
    phases: tuple[str, ...]           # names of the campaign phases the month touches
    generated_at: dt.datetime
    inspections: tuple[tuple[InspectionKind, int], ...]
    areas: int
    by_location: tuple[LocationRow, ...]
    this_month: Figures               # what happened in the month
    to_date: Figures                  # everything found up to the cut-off, as it stood then
    overdue: tuple[HazardLine, ...]   # overdue at the cut-off, most overdue first
    work: WorkReport = field(default_factory=WorkReport)   # the unit's 工作情况 (`work_reports`)
    addressee: str = ""               # the bureau's security division, to which it is sent

    @property
    def inspection_total(self) -> int:
        return sum(n for _, n in self.inspections)


@dataclass(frozen=True)
class LedgerRow:
    number: int
    hazard_id: str
    unit: str
    unit_name: str
    inspection_date: dt.date          # found
    inspection_kind: InspectionKind | None
    area: str
    location_type: str
    location_name: str
    department: str
    description: str
    basis: str
    major: bool
    status: HazardStatus
    flags: tuple[Flag, ...]
    deadline: dt.date
    responsible: str
    measures: str
    funds: str                        # yuan, as stored ("1200.00")
    raised: dt.date                   # entered (audit: create)
    started: dt.date | None           # audit: transition:rectifying (the latest)
    rectified: dt.date | None         # audit: transition:rectified (the latest)
    verified: dt.date | None          # audit: transition:verified
    reopened: dt.date | None          # audit: transition:reopened (the latest)
    deferred: dt.date | None          # audit: transition:deferred (the latest)
    overdue: bool                     # on `as_of`
    days_overdue: int
    as_of: dt.date                    # the day the ledger was drawn up (today)


@dataclass(frozen=True)
class LagReason:
    """Why a unit is named: `kind` is spot_check, overdue_major, rectification_rate or
    late_obligations; its grade (1 gravest) orders the circular."""

    kind: str
    value: float | int
    limit: float | int

    @property
    def grade(self) -> int:
        return GRADES.get(self.kind, 2)


@dataclass(frozen=True)
class LaggingUnit:
    unit: str
    name: str
    reasons: tuple[LagReason, ...]
    found: int
    due: int                          # hazards whose deadline has passed
    rectified_due: int                # … of which rectified or verified
    overdue: int
    overdue_major: tuple[HazardLine, ...]
    late: tuple[Obligation, ...]
    spot_findings: tuple[HazardLine, ...] = ()   # what the bureau's spot-checks found, still unfixed
    late_days: tuple[int, ...] = ()              # days each of `late` is overdue

    @property
    def due_rate(self) -> float | None:
        return share(self.rectified_due, self.due)

    @property
    def grade(self) -> int:
        return min(r.grade for r in self.reasons)


@dataclass(frozen=True)
class CircularData:
    campaign: str
    bureau: str
    as_of: dt.date
    generated_at: dt.datetime
    thresholds: CircularThresholds
    units_checked: int                # units of the roster judged
    found: int                        # hazards found by all units
    rectified: int
    lagging: tuple[LaggingUnit, ...]  # gravest grade first, then roster order
    spot_checked: int = 0             # units the bureau spot-checked
    number: str = ""                  # 文号 of the circular
    issuer: str = ""                  # 专项行动领导小组办公室
    seal: str = ""
    main_to: str = "各直属单位"         # 主送
    copy_to: str = ""                 # 抄送


@dataclass(frozen=True)
class PhaseInfo:
    id: str
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class PhaseFigures:
    inspections: int = 0
    found: int = 0          # hazards found in the phase
    rectified: int = 0      # hazards with a rectification recorded in the phase


@dataclass(frozen=True)
class UnitSummary:
    unit: str               # "" for the total
    name: str
    phases: tuple[PhaseFigures, ...]   # as `SummaryReport.phases`
    inspections: int
    found: int
    rectified: int          # rectified or verified now
    verified: int
    major: int
    major_rectified: int
    overdue: int
    overdue_major: int
    deferred: int
    listed: int
    lagging: bool

    @property
    def rate(self) -> float | None:
        return share(self.rectified, self.found)


@dataclass(frozen=True)
class SummaryReport:
    campaign: str
    bureau: str
    as_of: dt.date
    generated_at: dt.datetime
    phases: tuple[PhaseInfo, ...]
    units: tuple[UnitSummary, ...]     # every unit of the roster, in roster order
    total: UnitSummary
    circular: CircularData             # the lagging units and why
    narrative: WorkReport = field(default_factory=WorkReport)   # 成功经验、存在问题、长效机制
    notices: int = 0                   # rectification notices issued
    seal: str = ""                     # the issuing division's seal text
    signer_title: str = "负责人"

    @property
    def units_active(self) -> int:
        return sum(1 for u in self.units if u.inspections)
