"""Calendars for tests (shipped like :mod:`spotcheck.testing`): any test that computes a deadline
needs the years it touches."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from spotcheck.calendar import editing
from spotcheck.calendar.models import CalendarYear, DayKind
from spotcheck.calendar.seed import seed


def seed_calendar(db_session: Session, *years: int) -> None:
    """Seed ``years`` (default 2025 and 2026) from the chinesecalendar package, and commit."""
    seed(db_session, years or (2025, 2026))
    db_session.commit()


def make_year(db_session: Session, year: int, days: Mapping[date, tuple[DayKind, str]],
              complete: bool = True) -> CalendarYear:
    """A year typed as the office would (e.g. one the package does not cover yet), committed."""
    calendar_year = editing.start_year(db_session, year)
    for day, (kind, name) in days.items():
        editing.set_day(db_session, calendar_year, day, kind, name)
    if complete:
        editing.mark_complete(db_session, calendar_year)
    db_session.commit()
    return calendar_year
