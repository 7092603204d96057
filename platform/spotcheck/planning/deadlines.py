"""The February deadline (seed article 12): plans for year Y are due by the end of February of Y.

"2月底" is the calendar day: 28 February, or 29 February in a leap year, to the end of that day
where the platform's users are (``BABEL_DEFAULT_TIMEZONE``, Asia/Shanghai), not the last working
day. A plan submitted on a later day is late: it is accepted and flagged, never refused.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo


def deadline(year: int) -> date:
    """The last day of February of ``year``: the day plans for ``year`` are due."""
    return date(year, 2, calendar.monthrange(year, 2)[1])


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day ``moment`` falls on in ``timezone``."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def is_late(year: int, submitted_on: date) -> bool:
    """Whether a plan for ``year`` submitted on ``submitted_on`` (a local day) missed the deadline."""
    return submitted_on > deadline(year)
