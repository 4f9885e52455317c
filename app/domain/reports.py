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
from dataclasses import dataclass, fields

from .errors import InvalidInput
from .figures import HazardFigures

__all__ = [
    "WorkReport", "WORK_ITEMS", "NARRATIVE_ITEMS", "parse_work_report", "TEXT_MAX", "PhaseLine", "OpenLine",
    "UnitReport",
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
