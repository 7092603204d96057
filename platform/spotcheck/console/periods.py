"""The period a dashboard, an assessment or a report covers: a year, or one of its halves,
quarters or months, as calendar days in the district's time zone."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _, lazy_gettext as _l

from spotcheck.planning.dryrun import DISTRICT_TIMEZONE

KINDS = ("year", "half", "quarter", "month")
"""The kinds of period, and how many of each a year has."""
COUNT = {"year": 1, "half": 2, "quarter": 4, "month": 12}
MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}


class PeriodError(ValueError):
    """A period that does not exist (quarter 5, month 13)."""


@dataclass(frozen=True)
class Period:
    """``kind`` number ``number`` of ``year`` (the year itself is number 1)."""

    year: int
    kind: str = "year"
    number: int = 1

    def __post_init__(self) -> None:
        if self.kind not in COUNT:
            raise PeriodError(f"period kind {self.kind!r}: one of {', '.join(KINDS)}")
        if not 1 <= self.number <= COUNT[self.kind]:
            raise PeriodError(f"{self.kind} {self.number}: from 1 to {COUNT[self.kind]}")

    @property
    def start(self) -> date:
        """The first day of the period."""
        return date(self.year, (self.number - 1) * MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        month = self.number * MONTHS[self.kind]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def starts_at(self) -> datetime:
        """The period's first moment, in the district's time zone (times are stored in UTC)."""
        return datetime.combine(self.start, time(), DISTRICT_TIMEZONE)

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(), DISTRICT_TIMEZONE)

    @property
    def token(self) -> str:
        """The period as the query string names it (see :func:`period_from`)."""
        return "year" if self.kind == "year" else f"{self.kind[0]}{self.number}"

    @property
    def slug(self) -> str:
        """A name for files: ``2026``, ``2026-H1``, ``2026-Q3``, ``2026-07``."""
        return {"year": f"{self.year}", "half": f"{self.year}-H{self.number}",
                "quarter": f"{self.year}-Q{self.number}", "month": f"{self.year}-{self.number:02d}"}[self.kind]

    def label(self) -> str:
        """The period as people say it, in the page's language."""
        if self.kind == "half":
            return _("First half of %(year)d", year=self.year) if self.number == 1 else \
                _("Second half of %(year)d", year=self.year)
        if self.kind == "quarter":
            return _("Quarter %(number)d of %(year)d", number=self.number, year=self.year)
        if self.kind == "month":
            return _("%(month)d/%(year)d", month=self.number, year=self.year)
        return _("Year %(year)d", year=self.year)


PERIOD_CHOICES = (
    ("year", _l("Whole year")),
    ("h1", _l("First half")), ("h2", _l("Second half")),
    *((f"q{n}", _l("Quarter %(number)d", number=n)) for n in range(1, 5)),
    *((f"m{n}", _l("Month %(number)d", number=n)) for n in range(1, 13)),
)
"""The periods a filter offers: the token in the query string and its label."""

_TOKEN_KINDS = {"h": "half", "q": "quarter", "m": "month"}


def period_from(year: int, token: str | None) -> Period:
    """The period a query names: ``year``, ``h1``–``h2``, ``q1``–``q4``, ``m1``–``m12``."""
    if not token or token == "year":
        return Period(year)
    kind = _TOKEN_KINDS.get(token[0])
    if kind is None or not token[1:].isdigit():
        raise PeriodError(f"period {token!r}: year, h1–h2, q1–q4 or m1–m12")
    return Period(year, kind, int(token[1:]))
