"""Deadlines counted in working days, and the warning when a year's calendar is missing.

**The rule.** A day is a working day when it is a make-up workday (调休上班日) of its year's calendar,
or a Monday to Friday that is not a holiday there. Only a year whose calendar the office has marked
complete is counted in: a day of any other year raises :class:`CalendarMissing` naming the year.
A deadline is never guessed from the Monday–Friday rule alone.

**Counting.** ``add_working_days(start, n)`` is the *n*-th working day after ``start``: ``start``
itself is day 0 and never counts, whether or not it is a working day, and the count begins the day
after. "Results are due 7 working days after the check ends" is ``add_working_days(end, 7)``: a
check ending on Friday 24 January 2025 is due on Monday 10 February 2025 (make-up Sunday 26
January, Monday 27, then the Spring Festival holiday 28 January – 4 February, then 5, 6, 7 and the
make-up Saturday 8 February, then 10 February). ``working_days_between(start, end)`` counts the
working days after ``start`` up to and including ``end``, so that
``working_days_between(s, add_working_days(s, n)) == n``. ``start``, the result and every day
between must lie in complete years.

For many computations at once (a dashboard), load the calendar once with :func:`load_calendar` and
ask the :class:`WorkingCalendar`; the module-level functions load it for each call.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.calendar.models import CalendarDay, CalendarYear, DayKind

NEXT_YEAR_WARNING_FROM = (10, 1)
"""(month, day) from which next year's calendar is missed: the State Council publishes each next
year's schedule in late October or November, and a deadline of a check ending in December already
falls in the next year."""


class CalendarMissing(Exception):
    """A working-day computation reached a year without a complete calendar; says which, in
    Chinese and English, and what the office must do."""

    def __init__(self, year: int, drafted: bool) -> None:
        self.year = year
        self.drafted = drafted
        state_zh = "已开始录入但尚未标记为完整" if drafted else "尚未录入"
        state_en = "entered but not yet marked complete" if drafted else "not entered"
        self.message_zh = (f"{year}年的工作日历{state_zh}，无法计算涉及该年的工作日期限：请联席办在"
                           f"“工作日历”中录入国务院办公厅公布的{year}年节假日安排，并将该年标记为完整。")
        self.message_en = (f"The working-day calendar for {year} is {state_en}, so no deadline "
                           f"involving that year can be computed: the office must enter the State "
                           f"Council's holiday schedule for {year} under Working-day calendar and "
                           f"mark the year complete.")
        super().__init__(self.message_en)

    def message(self, locale: str) -> str:
        """The message in ``locale`` (Chinese unless English is asked for)."""
        return self.message_en if locale.startswith("en") else self.message_zh


class WorkingCalendar:
    """The working-day rule over the years in the database, loaded once and asked many times.

    ``overrides`` maps each holiday and make-up workday of the complete years to whether it is
    worked; ``drafted`` are the years entered but not marked complete (for the error's wording).
    """

    def __init__(self, complete: Iterable[int], drafted: Iterable[int],
                 overrides: Mapping[date, bool]) -> None:
        self.complete = frozenset(complete)
        self.drafted = frozenset(drafted) - self.complete
        self._overrides = dict(overrides)
        self._working: dict[int, list[date]] = {}

    def require(self, year: int) -> None:
        """Raise :class:`CalendarMissing` unless ``year`` has a complete calendar."""
        if year not in self.complete:
            raise CalendarMissing(year, drafted=year in self.drafted)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (see the module's rule)."""
        self.require(day.year)
        worked = self._overrides.get(day)
        return day.weekday() < 5 if worked is None else worked

    def working_days_of(self, year: int) -> list[date]:
        """Every working day of ``year``, in order."""
        if year not in self._working:
            self.require(year)
            first, last = date(year, 1, 1), date(year, 12, 31)
            days = (first + timedelta(n) for n in range((last - first).days + 1))
            self._working[year] = [day for day in days if self.is_working_day(day)]
        return self._working[year]

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` is day 0; ``n`` ≥ 0)."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        self.require(start.year)
        if n == 0:
            return start
        year = start.year
        days = self.working_days_of(year)
        index = bisect_right(days, start) + n - 1  # the n-th working day after start
        while index >= len(days):
            index -= len(days)
            year += 1
            days = self.working_days_of(year)
        return days[index]

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days after ``start`` up to and including ``end`` (negative
        when ``end`` comes first)."""
        if end < start:
            return -self.working_days_between(end, start)
        total = 0
        for year in range(start.year, end.year + 1):
            days = self.working_days_of(year)
            total += bisect_right(days, end) - bisect_right(days, start)
        return total


def load_calendar(db_session: Session) -> WorkingCalendar:
    """The calendar as stored: every year's state and the overrides of the complete ones."""
    states = dict(db_session.execute(select(CalendarYear.year, CalendarYear.complete)).all())
    complete = [year for year, done in states.items() if done]
    overrides = {day: kind == DayKind.WORKDAY.value for day, kind in db_session.execute(
        select(CalendarDay.day, CalendarDay.kind).where(CalendarDay.year.in_(complete)))}
    return WorkingCalendar(complete, states, overrides)


def add_working_days(db_session: Session, start: date, n: int) -> date:
    """The due date ``n`` working days after ``start``: the ``n``-th working day after it, ``start``
    being day 0 (see the module's rule). Raises :class:`CalendarMissing` for a year without a
    complete calendar."""
    return load_calendar(db_session).add_working_days(start, n)


def working_days_between(db_session: Session, start: date, end: date) -> int:
    """The working days after ``start`` up to and including ``end`` (negative when ``end`` is
    earlier). Raises :class:`CalendarMissing` for a year without a complete calendar."""
    return load_calendar(db_session).working_days_between(start, end)


def is_working_day(db_session: Session, day: date) -> bool:
    """Whether ``day`` is a working day. Raises :class:`CalendarMissing` for a year without a
    complete calendar."""
    return load_calendar(db_session).is_working_day(day)


def years_needed(today: date) -> list[int]:
    """The years whose calendar must be complete on ``today``: this year, and from 1 October
    (:data:`NEXT_YEAR_WARNING_FROM`) the next one too."""
    if (today.month, today.day) >= NEXT_YEAR_WARNING_FROM:
        return [today.year, today.year + 1]
    return [today.year]


def missing_years(db_session: Session, today: date) -> list[int]:
    """The years of :func:`years_needed` without a complete calendar: what the office's warning
    names (empty when all is well)."""
    needed = years_needed(today)
    complete = set(db_session.scalars(select(CalendarYear.year).where(
        CalendarYear.year.in_(needed), CalendarYear.complete.is_(True))))
    return [year for year in needed if year not in complete]
