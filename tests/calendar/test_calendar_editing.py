"""The office's changes to the calendar, and seeding from the package: refused changes say why,
every change moves deadlines at once and leaves its trace in the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from spotcheck.audit.models import AuditRecord
from spotcheck.calendar import editing, service
from spotcheck.calendar.editing import CalendarError
from spotcheck.calendar.models import CalendarDay, CalendarYear, DayKind
from spotcheck.calendar.seed import package_source, package_years, seed
from spotcheck.calendar.testing import make_year, seed_calendar


def actions(db_session, object_type):
    return [(r.action, r.object_id) for r in db_session.scalars(
        select(AuditRecord).where(AuditRecord.object_type == object_type).order_by(AuditRecord.id))]


def test_an_extra_holiday_moves_the_deadline_and_removing_it_moves_it_back(db_session):
    seed_calendar(db_session, 2026)
    calendar_year = editing.year_of(db_session, 2026)
    assert service.add_working_days(db_session, date(2026, 3, 6), 7) == date(2026, 3, 17)
    editing.set_day(db_session, calendar_year, date(2026, 3, 10), DayKind.HOLIDAY, "临时放假")
    db_session.commit()
    assert service.add_working_days(db_session, date(2026, 3, 6), 7) == date(2026, 3, 18)
    editing.set_day(db_session, calendar_year, date(2026, 3, 14), DayKind.WORKDAY, "临时调休")
    db_session.commit()
    assert service.add_working_days(db_session, date(2026, 3, 6), 7) == date(2026, 3, 17)
    editing.remove_day(db_session, calendar_year, date(2026, 3, 10))
    editing.remove_day(db_session, calendar_year, date(2026, 3, 14))
    db_session.commit()
    assert service.add_working_days(db_session, date(2026, 3, 6), 7) == date(2026, 3, 17)


def test_setting_a_day_again_replaces_its_kind_and_name(db_session):
    calendar_year = make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")})
    editing.set_day(db_session, calendar_year, date(2027, 1, 2), DayKind.HOLIDAY, "元旦")
    editing.set_day(db_session, calendar_year, date(2027, 1, 2), DayKind.WORKDAY, " 元旦调休 ")
    db_session.commit()
    row = db_session.scalars(select(CalendarDay).where(CalendarDay.day == date(2027, 1, 2))).one()
    assert (row.kind, row.name) == ("workday", "元旦调休")


@pytest.mark.parametrize(("day", "kind", "name", "code", "english"), [
    (date(2028, 1, 1), DayKind.HOLIDAY, "元旦", "other_year", "2028-01-01 is not in 2027"),
    (date(2027, 10, 1), DayKind.HOLIDAY, "  ", "name", "give the holiday's name"),
    (date(2027, 10, 1), DayKind.HOLIDAY, "节" * 101, "name", "at most 100 characters"),
    (date(2027, 9, 29), DayKind.WORKDAY, "国庆节", "workday_on_weekday", "a working day already"),
])
def test_a_refused_override_says_why_in_both_languages(db_session, day, kind, name, code, english):
    calendar_year = make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")})
    with pytest.raises(CalendarError) as refused:
        editing.set_day(db_session, calendar_year, day, kind, name)
    assert refused.value.code == code
    assert english in refused.value.message("en")
    assert refused.value.message("zh") != refused.value.message("en")


def test_removing_a_day_that_follows_the_rule_is_refused(db_session):
    calendar_year = make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")})
    with pytest.raises(CalendarError, match="neither a holiday nor a make-up workday"):
        editing.remove_day(db_session, calendar_year, date(2027, 3, 3))


def test_a_year_is_started_once_within_the_supported_range(db_session):
    editing.start_year(db_session, 2027)
    with pytest.raises(CalendarError) as twice:
        editing.start_year(db_session, 2027)
    assert twice.value.code == "year_exists"
    with pytest.raises(CalendarError) as far:
        editing.start_year(db_session, 2101)
    assert far.value.code == "year_range"


def test_a_year_without_any_holiday_cannot_be_complete(db_session):
    calendar_year = editing.start_year(db_session, 2027)
    with pytest.raises(CalendarError) as refused:
        editing.mark_complete(db_session, calendar_year)
    assert refused.value.code == "no_holiday"
    editing.set_day(db_session, calendar_year, date(2027, 1, 1), DayKind.HOLIDAY, "元旦")
    editing.mark_complete(db_session, calendar_year)
    assert calendar_year.complete and calendar_year.completed_by == "test"
    with pytest.raises(CalendarError, match="marked complete already"):
        editing.mark_complete(db_session, calendar_year)


def test_every_change_is_audited_as_a_row_change_and_a_named_event(db_session):
    calendar_year = make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦"),
                                                 date(2027, 2, 7): (DayKind.WORKDAY, "春节")})
    editing.remove_day(db_session, calendar_year, date(2027, 2, 7))
    db_session.commit()
    assert actions(db_session, "calendar_year") == [
        ("create", "2027"), ("calendar_year_start", "2027"), ("update", "2027"), ("update", "2027"),
        ("update", "2027"), ("calendar_year_complete", "2027"), ("update", "2027")]
    assert actions(db_session, "calendar_day") == [
        ("create", "2027-01-01"), ("calendar_day_set", "2027-01-01"), ("create", "2027-02-07"),
        ("calendar_day_set", "2027-02-07"), ("delete", "2027-02-07"), ("calendar_day_remove", "2027-02-07")]
    assert (calendar_year.created_by, calendar_year.updated_by) == ("test", "test")


def test_seeding_creates_complete_years_from_the_package_and_keeps_years_already_there(db_session):
    report = seed(db_session, [2025])
    db_session.commit()
    year_2025 = editing.year_of(db_session, 2025)
    assert report.created == [2025] and year_2025.complete
    assert year_2025.source == package_source() and year_2025.completed_by == "test"
    assert actions(db_session, "calendar_year")[-1] == ("calendar_seed", "2025")
    editing.set_day(db_session, year_2025, date(2025, 12, 31), DayKind.HOLIDAY, "本地假日")
    db_session.commit()

    again = seed(db_session, [2025, 2026])
    assert again.created == [2026]
    assert again.kept == {2025: [date(2025, 12, 31)]}  # the office's change stays, and is reported
    assert db_session.scalar(select(func.count()).select_from(CalendarDay)
                             .where(CalendarDay.year == 2025, CalendarDay.name == "本地假日")) == 1


def test_seeding_a_year_the_package_does_not_cover_is_refused(db_session):
    last = package_years()[-1]
    with pytest.raises(CalendarError) as refused:
        seed(db_session, [last + 1])
    assert f"the office must enter {last + 1}" in refused.value.message("en")
    assert db_session.scalar(select(func.count()).select_from(CalendarYear)) == 0


def test_the_seed_command_loads_every_year_the_package_covers_and_warns_about_the_rest(app, db_session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["calendar", "seed"])
    assert first.exit_code == 0, first.output
    assert f"seeded from {package_source()}: 2004, 2005" in first.output
    assert set(db_session.scalars(select(CalendarYear.year))) == set(package_years())
    second = runner.invoke(args=["calendar", "seed", "--year", "2026"])
    assert second.exit_code == 0 and "2026: already in the database, left as it is" in second.output
    status = runner.invoke(args=["calendar", "status"])
    assert status.exit_code == 0 and "2026  complete" in status.output
    refused = runner.invoke(args=["calendar", "seed", "--year", "2099"])
    assert refused.exit_code != 0 and "the office must enter 2099" in refused.output
