"""Deadlines in working days across the 2025 and 2026 Spring Festival and National Day holidays,
with their make-up workdays; a year without a complete calendar is an error, never a guess."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings, strategies as st

from spotcheck.calendar import service
from spotcheck.calendar.models import DayKind
from spotcheck.calendar.seed import package_days
from spotcheck.calendar.service import CalendarMissing, WorkingCalendar
from spotcheck.calendar.testing import make_year, seed_calendar

RESULTS_DUE = 7  # working days after the check ends (article 16(3))


def package_calendar(*years: int) -> WorkingCalendar:
    """The rule over the package's own data for ``years``, without a database."""
    return WorkingCalendar(years, (), {day: kind.working for year in years
                                       for day, (kind, _name) in package_days(year).items()})


PACKAGE_2025_2026 = package_calendar(2025, 2026)


def days_of(*years: int):
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    return (first + timedelta(n) for n in range((last - first).days + 1))


def test_the_package_carries_the_2025_and_2026_schedules_as_published():
    # 国办发明电〔2024〕12号 and 国办发明电〔2025〕7号, checked by hand against the notices.
    days_2025, days_2026 = package_days(2025), package_days(2026)
    assert [d for d, (k, _n) in days_2025.items() if k is DayKind.HOLIDAY and d.month in (1, 2)] == [
        date(2025, 1, 1), *(date(2025, 1, 28) + timedelta(n) for n in range(8))]
    assert {d for d, (k, _n) in days_2025.items() if k is DayKind.WORKDAY} == {
        date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)}
    assert days_2025[date(2025, 1, 26)] == (DayKind.WORKDAY, "春节")
    assert days_2025[date(2025, 10, 8)] == (DayKind.HOLIDAY, "国庆节")
    assert {d for d, (k, _n) in days_2026.items() if k is DayKind.HOLIDAY and d.month == 2} == {
        date(2026, 2, 15) + timedelta(n) for n in range(9)}
    assert {d for d, (k, _n) in days_2026.items() if k is DayKind.WORKDAY} == {
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
        date(2026, 10, 10)}
    assert {d for d, (k, _n) in days_2026.items() if k is DayKind.HOLIDAY and d.month == 10} == {
        date(2026, 10, 1) + timedelta(n) for n in range(7)}


def test_every_day_of_2025_and_2026_is_a_working_day_exactly_when_the_package_says_so():
    calendar = package_calendar(2025, 2026)
    assert [day for day in days_of(2025, 2026)
            if calendar.is_working_day(day) != chinese_calendar.is_workday(day)] == []


@pytest.mark.parametrize(("check_ends", "due"), [
    # Spring Festival 2025: off 1/28–2/4, make-up Sunday 1/26 and Saturday 2/8.
    (date(2025, 1, 24), date(2025, 2, 10)),  # Sun 1/26, Mon 1/27, 2/5, 2/6, 2/7, Sat 2/8, Mon 2/10
    (date(2025, 1, 27), date(2025, 2, 12)),
    (date(2025, 1, 30), date(2025, 2, 12)),  # ends inside the holiday: counting starts after it
    # National Day 2025: off 10/1–10/8, make-up Sunday 9/28 and Saturday 10/11.
    (date(2025, 9, 26), date(2025, 10, 13)),  # Sun 9/28, 9/29, 9/30, 10/9, 10/10, Sat 10/11, Mon 10/13
    (date(2025, 9, 30), date(2025, 10, 16)),
    # Spring Festival 2026: off 2/15–2/23, make-up Saturdays 2/14 and 2/28.
    (date(2026, 2, 12), date(2026, 2, 28)),  # due on the make-up Saturday
    (date(2026, 2, 13), date(2026, 3, 2)),
    # Mid-autumn and National Day 2026: off 9/25–9/27 and 10/1–10/7, make-up 9/20 and 10/10.
    (date(2026, 9, 18), date(2026, 9, 29)),  # Sun 9/20, 9/21–9/24, Mon 9/28, Tue 9/29
    (date(2026, 9, 30), date(2026, 10, 15)),  # 10/8, 10/9, Sat 10/10, 10/12–10/15
    # Across the new year: off 2026-01-01–01-03, make-up Sunday 2026-01-04.
    (date(2025, 12, 26), date(2026, 1, 7)),
])
def test_results_are_due_on_the_seventh_working_day_after_the_check_ends(db_session, check_ends, due):
    seed_calendar(db_session, 2025, 2026)
    assert service.add_working_days(db_session, check_ends, RESULTS_DUE) == due
    assert service.working_days_between(db_session, check_ends, due) == RESULTS_DUE
    assert service.is_working_day(db_session, due)


def test_the_day_the_count_starts_from_is_day_zero_and_never_counts():
    calendar = package_calendar(2025)
    assert calendar.add_working_days(date(2025, 3, 3), 0) == date(2025, 3, 3)
    assert calendar.add_working_days(date(2025, 3, 3), 1) == date(2025, 3, 4)  # Monday → Tuesday
    assert calendar.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)  # Friday → Monday
    assert calendar.add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)  # Saturday → Monday
    assert calendar.working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2025, 3, 3), -1)


@settings(deadline=None, database=None)
@given(start=st.dates(date(2025, 1, 1), date(2026, 6, 30)), n=st.integers(0, 120))
def test_counting_forward_and_counting_between_agree(start, n):
    calendar = PACKAGE_2025_2026
    due = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, due) == n
    assert calendar.working_days_between(due, start) == -n
    if n:
        assert calendar.is_working_day(due)
        assert sum(calendar.is_working_day(start + timedelta(k))
                   for k in range(1, (due - start).days + 1)) == n


def test_a_deadline_reaching_a_year_without_a_calendar_is_an_error_naming_the_year(db_session):
    seed_calendar(db_session, 2026)
    with pytest.raises(CalendarMissing) as refused:
        service.add_working_days(db_session, date(2026, 12, 28), RESULTS_DUE)
    assert refused.value.year == 2027
    assert "2027年的工作日历尚未录入" in refused.value.message("zh")
    assert "The working-day calendar for 2027 is not entered" in refused.value.message("en")
    with pytest.raises(CalendarMissing, match="2027"):
        service.is_working_day(db_session, date(2027, 1, 4))
    with pytest.raises(CalendarMissing, match="2025"):
        service.working_days_between(db_session, date(2025, 12, 31), date(2026, 1, 5))
    # Within the year the calendar covers, the same count is fine.
    assert service.add_working_days(db_session, date(2026, 12, 18), RESULTS_DUE) == date(2026, 12, 29)


def test_a_year_entered_but_not_marked_complete_is_no_calendar_yet(db_session):
    seed_calendar(db_session, 2026)
    make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")}, complete=False)
    with pytest.raises(CalendarMissing) as refused:
        service.add_working_days(db_session, date(2026, 12, 28), RESULTS_DUE)
    assert refused.value.drafted
    assert "已开始录入但尚未标记为完整" in refused.value.message("zh")


def test_a_year_the_office_typed_counts_once_complete(db_session):
    seed_calendar(db_session, 2026)
    make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")})
    # Mon 12/28, Tue 12/29, Wed 12/30, Thu 12/31, (New Year's Day) Mon 1/4, Tue 1/5, Wed 1/6.
    assert service.add_working_days(db_session, date(2026, 12, 25), RESULTS_DUE) == date(2027, 1, 6)


@pytest.mark.parametrize(("today", "needed"), [
    (date(2026, 3, 1), [2026]),
    (date(2026, 9, 30), [2026]),
    (date(2026, 10, 1), [2026, 2027]),
    (date(2026, 12, 31), [2026, 2027]),
])
def test_next_years_calendar_is_missed_from_the_first_of_october(today, needed):
    assert service.years_needed(today) == needed


def test_the_warning_names_the_years_still_missing(db_session):
    assert service.missing_years(db_session, date(2026, 11, 26)) == [2026, 2027]
    seed_calendar(db_session, 2026)
    assert service.missing_years(db_session, date(2026, 5, 1)) == []
    assert service.missing_years(db_session, date(2026, 11, 26)) == [2027]
    make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")}, complete=False)
    assert service.missing_years(db_session, date(2026, 11, 26)) == [2027]  # a draft is not enough
