"""Time is injected: services take a `Clock`, tests pass a fixed one.

Dates that matter to the campaign (deadlines, overdue, phases) are calendar days in the
campaign's time zone (Asia/Shanghai), whatever zone the device is set to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

__all__ = ["Clock", "SystemClock", "FixedClock", "DatedClock", "CAMPAIGN_TZ", "local_date"]

CAMPAIGN_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """An aware datetime."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


@dataclass
class FixedClock:
    """A clock that says what it is told; `advance` moves it on."""

    current: dt.datetime

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


class DatedClock:
    """The system clock moved back to a world's own calendar: today is `as_of`, and time flows.

    A demo data set is a campaign as it stood on one day; shown on a later day, a month with no
    simulated work would turn every open hazard overdue. Opened with this clock it keeps its own
    date, while moments still advance, so what is recorded in it is ordered like real work.
    """

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self._shift = dt.timedelta(days=(local_date(dt.datetime.now(dt.UTC)) - as_of).days)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) - self._shift


def local_date(moment: dt.datetime, tz: ZoneInfo = CAMPAIGN_TZ) -> dt.date:
    """The calendar day of `moment` in the campaign's zone."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one")
    return moment.astimezone(tz).date()
