"""The office's changes to the calendar: start a year, set and remove overrides, mark it complete.

Each change is a row change (captured by the audit trail) and a named event (``calendar_year_start``,
``calendar_day_set``, ``calendar_day_remove``, ``calendar_year_complete``), and stamps the year
with who changed it and when. A complete year stays editable: the State Council has amended a
published schedule before (the 2020 Spring Festival extension), and deadlines follow at once.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.audit.service import get_actor
from spotcheck.calendar.models import CalendarDay, CalendarYear, DayKind
from spotcheck.db import utcnow

FIRST_YEAR, LAST_YEAR = 2000, 2100
"""The years a calendar may be kept for."""

NAME_MAX = 100
OFFICE_SOURCE = "office"


class CalendarError(Exception):
    """A change to the calendar that is refused, said in Chinese and English."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, locale: str) -> str:
        """The message in ``locale`` (Chinese unless English is asked for)."""
        return self.message_en if locale.startswith("en") else self.message_zh


def acting_name(db_session: Session) -> str:
    """The login name the unit of work acts as (``cli:…`` in commands), as the trail names it."""
    return get_actor(db_session).username or "system"


def year_of(db_session: Session, year: int) -> CalendarYear | None:
    """The calendar of ``year``, or ``None`` when it has not been started."""
    return db_session.scalars(select(CalendarYear).where(CalendarYear.year == year)).one_or_none()


def year_overview(db_session: Session) -> list[tuple[CalendarYear, int, int]]:
    """Every year's calendar, newest first, with its numbers of holidays and make-up workdays."""
    counts: dict[tuple[int, str], int] = {
        (year, kind): count for year, kind, count in db_session.execute(
            select(CalendarDay.year, CalendarDay.kind, func.count())
            .group_by(CalendarDay.year, CalendarDay.kind))}
    return [(row, counts.get((row.year, DayKind.HOLIDAY.value), 0),
             counts.get((row.year, DayKind.WORKDAY.value), 0))
            for row in db_session.scalars(select(CalendarYear).order_by(CalendarYear.year.desc()))]


def _touch(db_session: Session, calendar_year: CalendarYear) -> None:
    calendar_year.updated_by = acting_name(db_session)
    calendar_year.updated_at = utcnow()


def start_year(db_session: Session, year: int) -> CalendarYear:
    """Begin the calendar of ``year`` for the office to fill in (not complete, no overrides)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarError("year_range", f"年份须在{FIRST_YEAR}至{LAST_YEAR}之间（填写的是{year}）。",
                            f"The year must lie between {FIRST_YEAR} and {LAST_YEAR} (given: {year}).")
    if year_of(db_session, year) is not None:
        raise CalendarError("year_exists", f"{year}年的工作日历已存在，请直接修改。",
                            f"The calendar for {year} exists already: change it instead.")
    name = acting_name(db_session)
    calendar_year = CalendarYear(year=year, complete=False, source=OFFICE_SOURCE, created_by=name,
                                 updated_by=name)
    db_session.add(calendar_year)
    db_session.flush()
    audit.record(db_session, "calendar_year_start", "calendar_year", year)
    return calendar_year


def set_day(db_session: Session, calendar_year: CalendarYear, day: date, kind: DayKind,
            name: str) -> CalendarDay:
    """Make ``day`` a holiday or a make-up workday named ``name`` (replacing what it was).

    Refused: a day of another year, an empty or over-long name, and a make-up workday on a
    Monday to Friday (already a working day: the override would change nothing).
    """
    name = name.strip()
    where = day.isoformat()
    if day.year != calendar_year.year:
        raise CalendarError("other_year", f"{where}不属于{calendar_year.year}年。",
                            f"{where} is not in {calendar_year.year}.")
    if not name or len(name) > NAME_MAX:
        raise CalendarError("name", f"{where}：请填写节日名称（不超过{NAME_MAX}个字），如“国庆节”。",
                            f"{where}: give the holiday's name (at most {NAME_MAX} characters), "
                            f"e.g. 国庆节.")
    if kind is DayKind.WORKDAY and day.weekday() < 5:
        raise CalendarError("workday_on_weekday",
                            f"{where}是周一至周五，本来就是工作日，无需设为调休上班日。",
                            f"{where} is a Monday to Friday, a working day already: only a "
                            f"Saturday or Sunday can be a make-up workday.")
    row = db_session.scalars(select(CalendarDay).where(CalendarDay.day == day)).one_or_none()
    if row is None:
        row = CalendarDay(day=day, kind=kind.value, name=name)
        calendar_year.days.append(row)
    else:
        row.kind, row.name = kind.value, name
    _touch(db_session, calendar_year)
    db_session.flush()
    audit.record(db_session, "calendar_day_set", "calendar_day", where,
                 {"year": calendar_year.year, "kind": kind.value, "name": name})
    return row


def remove_day(db_session: Session, calendar_year: CalendarYear, day: date) -> None:
    """Let ``day`` follow the Monday–Friday rule again."""
    row = db_session.scalars(select(CalendarDay).where(
        CalendarDay.day == day, CalendarDay.year == calendar_year.year)).one_or_none()
    if row is None:
        raise CalendarError("no_override", f"{day.isoformat()}不是{calendar_year.year}年的节假日或调休上班日。",
                            f"{day.isoformat()} is neither a holiday nor a make-up workday of "
                            f"{calendar_year.year}.")
    if row in calendar_year.days:
        calendar_year.days.remove(row)
    db_session.delete(row)
    _touch(db_session, calendar_year)
    db_session.flush()
    audit.record(db_session, "calendar_day_remove", "calendar_day", day.isoformat(),
                 {"year": calendar_year.year, "kind": row.kind, "name": row.name})


def mark_complete(db_session: Session, calendar_year: CalendarYear) -> None:
    """Declare the year's schedule complete: deadlines in it can be computed from now on.

    Refused for a year already complete, and for one without any holiday (every year has New
    Year's Day at least, so such a year is surely not entered yet).
    """
    year = calendar_year.year
    if calendar_year.complete:
        raise CalendarError("complete", f"{year}年的工作日历已标记为完整。",
                            f"The calendar for {year} is marked complete already.")
    counts = dict(db_session.execute(select(CalendarDay.kind, func.count())
                                     .where(CalendarDay.year == year)
                                     .group_by(CalendarDay.kind)).all())
    if not counts.get(DayKind.HOLIDAY.value):
        raise CalendarError("no_holiday", f"{year}年还没有录入任何节假日，不能标记为完整。",
                            f"No holiday of {year} is entered yet: the year cannot be complete.")
    calendar_year.complete = True
    calendar_year.completed_by = acting_name(db_session)
    calendar_year.completed_at = utcnow()
    _touch(db_session, calendar_year)
    db_session.flush()
    audit.record(db_session, "calendar_year_complete", "calendar_year", year,
                 {"holidays": counts[DayKind.HOLIDAY.value],
                  "workdays": counts.get(DayKind.WORKDAY.value, 0)})
