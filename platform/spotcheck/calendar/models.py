"""The working-day calendar (工作日历): for each year, the days that break the Monday–Friday rule.

Deadlines are counted in working days (工作日): Monday to Friday, except the public holidays the
State Council fixes each year (法定节假日), plus the weekend days it makes working days to bridge
them (调休上班日). A :class:`CalendarYear` is one year's schedule as loaded from the
``chinesecalendar`` package or typed by the office, with who did it and when, and whether the
office has declared it complete: only a complete year counts days (:mod:`.service`). Its
:class:`CalendarDay` rows are the overrides of the rule. The calendar is the platform's own, the
same for every department: no department owns a row of it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow


class DayKind(str, enum.Enum):
    """What an override makes of a day."""

    HOLIDAY = "holiday"  # 放假: no work, even on a weekday
    WORKDAY = "workday"  # 调休上班: work, even on a Saturday or Sunday

    @property
    def label(self) -> str:
        return str(DAY_KIND_LABELS[self])

    @property
    def working(self) -> bool:
        return self is DayKind.WORKDAY


DAY_KIND_LABELS = {
    DayKind.HOLIDAY: _l("Holiday"),
    DayKind.WORKDAY: _l("Make-up workday"),
}


class CalendarYear(Base):
    """One year's schedule: where it came from, who entered and changed it, and whether it is
    complete (the office has entered the State Council's whole schedule for the year).

    ``source`` is ``office`` for a year typed in the editor, else the package and version it was
    seeded from (``chinesecalendar 1.11.0``). The ``*_by`` columns hold the acting user's login
    name (``cli:…`` for commands), as the audit trail names them.
    """

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_by: Mapped[str | None] = mapped_column(String(128))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    days: Mapped[list[CalendarDay]] = relationship(
        back_populates="calendar_year", order_by="CalendarDay.day", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<CalendarYear {self.year}{' complete' if self.complete else ''}>"


class CalendarDay(Base):
    """An override of the Monday–Friday rule: a holiday or a make-up workday, with its name
    (the festival it belongs to, e.g. 春节 for both the days off and the make-up Sunday)."""

    __tablename__ = "calendar_day"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_year.year"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(100))

    calendar_year: Mapped[CalendarYear] = relationship(back_populates="days")

    @property
    def kind_label(self) -> str:
        return DayKind(self.kind).label

    def __repr__(self) -> str:
        return f"<CalendarDay {self.day.isoformat()} {self.kind} {self.name}>"
