"""The campaign (专项行动): phases, report deadlines and obligations, read from data.

Dates live in `checklists/campaign.toml` as month-days of a configurable year, so the bureau can
run the sweep again next year by changing one number. Everything here takes `today` as an
argument: callers pass the injected clock's date in the campaign's time zone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from .errors import ConfigInvalid

__all__ = ["Phase", "Obligation", "CircularThresholds", "Campaign", "Deadline", "parse_campaign"]

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Phase:
    id: str
    name_zh: str
    name_en: str
    start: dt.date
    end: dt.date

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class Obligation:
    """Something each unit owes the bureau by `due`."""

    id: str
    name_zh: str
    name_en: str
    due: dt.date

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class CircularThresholds:
    min_rectification_rate: float
    max_overdue_major: int
    max_late_obligations: int


@dataclass(frozen=True)
class Deadline:
    """A dated thing to do: `kind` is 'monthly_report', 'summary' or an obligation id."""

    kind: str
    due: dt.date
    name_zh: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class Campaign:
    year: int
    timezone: str
    name_zh: str
    name_en: str
    issuer_zh: str
    issuer_en: str
    notice_prefix: str
    phases: tuple[Phase, ...]
    monthly_before_day: int
    monthly_from: int
    summary_due: dt.date
    obligations: tuple[Obligation, ...]
    circular: CircularThresholds

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    @property
    def start(self) -> dt.date:
        return self.phases[0].start

    @property
    def end(self) -> dt.date:
        return self.phases[-1].end

    def phase_on(self, day: dt.date) -> Phase | None:
        """The phase `day` falls in, or None before the start and after the end."""
        for phase in self.phases:
            if phase.start <= day <= phase.end:
                return phase
        return None

    def monthly_due(self, year: int, month: int) -> dt.date:
        """Last day a monthly report counts as on time: "每月25日前" → the 25th itself.

        "X日前" is read one way for every deadline (the plan's "6月25日前" too): by the end of
        day X, inclusive (docs/deadlines.md).
        """
        return dt.date(year, month, self.monthly_before_day)

    def monthly_period(self, year: int, month: int) -> tuple[dt.date, dt.date]:
        """The days the report of `month` covers: from the day after the previous report's due
        date (or the campaign's first day) to its own due date, so it never covers a day after it
        is due and no day falls between two reports."""
        end = self.monthly_due(year, month)
        previous = dt.date(year - 1, 12, 1) if month == 1 else dt.date(year, month - 1, 1)
        start = self.monthly_due(previous.year, previous.month) + dt.timedelta(days=1)
        if (year, month) == (self.year, self.monthly_from):
            start = min(self.start, end)
        return start, end

    def report_months(self) -> list[tuple[int, int]]:
        """(year, month) of every monthly report the campaign asks for."""
        return [(self.year, m) for m in range(self.monthly_from, self.end.month + 1)]

    def deadlines(self) -> list[Deadline]:
        """Every dated duty of a unit in the campaign, in date order."""
        items = [
            Deadline(
                "monthly_report", self.monthly_due(y, m),
                f"{y}年{m}月工作月报", f"Monthly report {y}-{m:02d}",
            )
            for y, m in self.report_months()
        ]
        items.append(Deadline("summary", self.summary_due, "专项行动总结报告", "Campaign summary report"))
        items += [Deadline(o.id, o.due, o.name_zh, o.name_en) for o in self.obligations if o.id != "summary"]
        return sorted(items, key=lambda d: (d.due, d.kind))

    def next_deadlines(self, today: dt.date, limit: int = 3) -> list[Deadline]:
        """The next `limit` deadlines on or after `today`."""
        return [d for d in self.deadlines() if d.due >= today][:limit]


def parse_campaign(text: str, path: str) -> Campaign:
    """Validate `campaign.toml`; raise `ConfigInvalid` naming the first problem and its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigInvalid(path, str(exc), int(match.group(1)) if match else None) from None

    def need(table: dict[str, Any], key: str, kind: type) -> Any:
        value = table.get(key)
        if type(value) is not kind and not (kind is float and type(value) is int):
            raise ConfigInvalid(path, f"'{key}' must be {kind.__name__}", _line_of(text, key))
        return value

    year = need(data, "year", int)
    if not 2000 <= year <= 2100:
        raise ConfigInvalid(path, f"year {year} out of range", _line_of(text, "year"))

    def day(table: dict[str, Any], key: str) -> dt.date:
        raw = need(table, key, str)
        match = _MONTH_DAY.match(raw)
        try:
            if not match:
                raise ValueError
            return dt.date(year, int(match.group(1)), int(match.group(2)))
        except ValueError:
            raise ConfigInvalid(path, f"'{key}' = '{raw}' is not a MM-DD date", _line_of(text, raw)) from None

    phases = tuple(
        Phase(need(p, "id", str), need(p, "name_zh", str), need(p, "name_en", str), day(p, "start"), day(p, "end"))
        for p in data.get("phases", [])
    )
    if not phases:
        raise ConfigInvalid(path, "no [[phases]]")
    for a, b in itertools.pairwise(phases):
        if not (a.start <= a.end < b.start <= b.end):
            raise ConfigInvalid(path, f"phases '{a.id}' and '{b.id}' overlap or are out of order", _line_of(text, b.id))
    reports = data.get("reports", {})
    before_day = need(reports, "monthly_before_day", int)
    if not 2 <= before_day <= 28:
        raise ConfigInvalid(path, "monthly_before_day must be 2..28", _line_of(text, "monthly_before_day"))
    monthly_from = int(need(reports, "monthly_from", str))
    obligations = tuple(
        Obligation(need(o, "id", str), need(o, "name_zh", str), need(o, "name_en", str), day(o, "due"))
        for o in data.get("obligations", [])
    )
    circular = data.get("circular", {})
    return Campaign(
        year=year,
        timezone=need(data, "timezone", str),
        name_zh=need(data, "name_zh", str),
        name_en=need(data, "name_en", str),
        issuer_zh=need(data, "issuer_zh", str),
        issuer_en=need(data, "issuer_en", str),
        notice_prefix=need(data, "notice_prefix", str),
        phases=phases,
        monthly_before_day=before_day,
        monthly_from=monthly_from,
        summary_due=day(reports, "summary_due"),
        obligations=obligations,
        circular=CircularThresholds(
            float(need(circular, "min_rectification_rate", float)),
            need(circular, "max_overdue_major", int),
            need(circular, "max_late_obligations", int),
        ),
    )


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line and not line.lstrip().startswith("#"):
            return number
    return None
