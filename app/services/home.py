"""What the home screen of the person holding the tablet puts first: their drafts and today's work.

`home_is_bureau` is the one place that decides whether this device shows the bureau's reminders
for every unit; identity and roles (issue 14) will redirect it to the device's enrolled role.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.domain import lifecycle

from .context import Context
from .obligations import reminder_scope

__all__ = ["home_is_bureau", "TodayWork", "today_work"]


def home_is_bureau(ctx: Context) -> bool:
    """A bureau device (for now): one with no unit of its own, i.e. not holding exactly one unit's
    inspections (`reminder_scope`). Only a bureau device shows every unit's reminders on home."""
    return reminder_scope(ctx) is None


@dataclass(frozen=True)
class TodayWork:
    raised_today: int        # hazards raised today on this device's data
    due_this_week: int       # open hazards whose deadline falls in the next 7 days
    inspections_today: int   # visits dated today (drafts and completed)


def today_work(ctx: Context) -> TodayWork:
    today = ctx.today()
    local = ZoneInfo(ctx.catalog.campaign.timezone)
    live = [h for h in ctx.repo.hazards() if not h.deleted]
    return TodayWork(
        raised_today=sum(1 for h in live if h.created_at.astimezone(local).date() == today),
        due_this_week=sum(1 for h in live if lifecycle.due_this_week(h, today)),
        inspections_today=sum(1 for i in ctx.repo.inspections() if not i.deleted and i.date == today),
    )
