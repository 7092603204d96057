"""Seeding the calendar from the ``chinesecalendar`` package, for the years it covers.

The package carries the State Council's schedules (国务院办公厅关于部分节假日安排的通知) as data:
every holiday, including the weekend days inside a holiday period, and every make-up workday,
each with its festival. A seeded year is complete at once (the package adds a year only when the
whole schedule is published) and names the package and version as its source. Years already in
the database are left as they are (the office may have corrected them); the report lists the days
on which they differ from the package, for the office to look at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.calendar.editing import CalendarError, acting_name
from spotcheck.calendar.models import CalendarDay, CalendarYear, DayKind
from spotcheck.db import utcnow


@dataclass
class SeedReport:
    """What seeding did: the years created, and for each year left as it was, the days on which
    it differs from the package."""

    created: list[int] = field(default_factory=list)
    kept: dict[int, list[date]] = field(default_factory=dict)


def package_source() -> str:
    """How a seeded year names its source: the package and its version."""
    return f"chinesecalendar {version('chinesecalendar')}"


def package_years() -> list[int]:
    """The years the installed package covers."""
    return sorted({day.year for day in chinese_calendar.holidays})


def _chinese_name(english: str) -> str:
    try:
        return str(chinese_calendar.Holiday(english).chinese)
    except ValueError:  # a festival the enumeration does not name: keep the package's own name
        return english


def package_days(year: int) -> dict[date, tuple[DayKind, str]]:
    """The package's overrides of ``year``: each day's kind and festival (in Chinese)."""
    days = {day: (DayKind.HOLIDAY, _chinese_name(name))
            for day, name in chinese_calendar.holidays.items() if day.year == year}
    days.update({day: (DayKind.WORKDAY, _chinese_name(name))
                 for day, name in chinese_calendar.workdays.items() if day.year == year})
    return days


def seed(db_session: Session, years: Iterable[int] | None = None) -> SeedReport:
    """Create the calendar of each of ``years`` (default: every year the package covers) that is
    not in the database yet, marked complete. Raises :class:`CalendarError` for a year the package
    does not cover."""
    covered = package_years()
    wanted = sorted(set(covered if years is None else years))
    uncovered = [year for year in wanted if year not in covered]
    if uncovered:
        listed = ", ".join(map(str, uncovered))
        raise CalendarError(
            "not_covered",
            f"{package_source()}只包含{covered[0]}至{covered[-1]}年，{listed}年须由联席办录入。",
            f"{package_source()} covers {covered[0]} to {covered[-1]}: the office must enter {listed}.")
    existing = set(db_session.scalars(select(CalendarYear.year).where(CalendarYear.year.in_(wanted))))
    report = SeedReport()
    source, name, now = package_source(), acting_name(db_session), utcnow()
    for year in wanted:
        days = package_days(year)
        if year in existing:
            report.kept[year] = _differing(db_session, year, days)
            continue
        db_session.add(CalendarYear(
            year=year, complete=True, source=source, created_by=name, created_at=now,
            updated_by=name, updated_at=now, completed_by=name, completed_at=now,
            days=[CalendarDay(day=day, kind=kind.value, name=festival)
                  for day, (kind, festival) in sorted(days.items())]))
        db_session.flush()
        audit.record(db_session, "calendar_seed", "calendar_year", year,
                     {"source": source,
                      "holidays": sum(kind is DayKind.HOLIDAY for kind, _name in days.values()),
                      "workdays": sum(kind is DayKind.WORKDAY for kind, _name in days.values())})
        report.created.append(year)
    return report


def _differing(db_session: Session, year: int, days: dict[date, tuple[DayKind, str]]) -> list[date]:
    """The days whose kind in the stored calendar of ``year`` is not the package's."""
    stored = dict(db_session.execute(select(CalendarDay.day, CalendarDay.kind)
                                     .where(CalendarDay.year == year)).all())
    packaged = {day: kind.value for day, (kind, _name) in days.items()}
    return sorted(day for day in stored.keys() | packaged.keys() if stored.get(day) != packaged.get(day))
