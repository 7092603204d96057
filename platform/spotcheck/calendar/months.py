"""A year as twelve month grids (weeks from Monday), each day marked by what the rule makes of it."""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from spotcheck.calendar.models import CalendarDay


@dataclass(frozen=True)
class Cell:
    """One day of a grid. ``mark`` is ``holiday`` or ``workday`` for an override, else ``weekend``
    or ``weekday``; ``name`` is the override's festival."""

    day: date
    mark: str
    name: str | None = None


@dataclass(frozen=True)
class Month:
    """A month's weeks, Monday first; ``None`` pads the days of the neighbouring months."""

    number: int
    weeks: list[list[Cell | None]]


def month_grids(year: int, overrides: Mapping[date, CalendarDay]) -> list[Month]:
    """The twelve months of ``year`` with ``overrides`` (day → its override) marked."""

    def cell(day: date) -> Cell:
        override = overrides.get(day)
        if override is not None:
            return Cell(day, override.kind, override.name)
        return Cell(day, "weekend" if day.weekday() >= 5 else "weekday")

    weeks_of = stdlib_calendar.Calendar(firstweekday=stdlib_calendar.MONDAY).monthdayscalendar
    return [Month(month, [[cell(date(year, month, n)) if n else None for n in week]
                          for week in weeks_of(year, month)])
            for month in range(1, 13)]
