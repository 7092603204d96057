"""Plans for year Y are due by the end of February of Y (the calendar day, leap years included);
a plan submitted later is accepted and flagged late, and the office's dashboard shows who
submitted on time, late or not at all."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from spotcheck.planning import service
from spotcheck.planning.deadlines import deadline, is_late
from spotcheck.planning.testing import make_plan
from spotcheck.tenancy.scope import Scope, scoped

SHANGHAI = "Asia/Shanghai"


@pytest.mark.parametrize(("year", "day"), [(2027, date(2027, 2, 28)), (2028, date(2028, 2, 29)),
                                           (2100, date(2100, 2, 28)), (2000, date(2000, 2, 29))])
def test_the_deadline_is_the_last_calendar_day_of_february(year, day):
    assert deadline(year) == day


def test_the_deadline_day_itself_is_on_time_and_the_next_day_late():
    assert not is_late(2028, date(2028, 2, 29))
    assert is_late(2028, date(2028, 3, 1))
    assert not is_late(2027, date(2026, 12, 20))


def _submit(db_session, plan, moment):
    with scoped(db_session, Scope.department(plan.department_id)):
        service.submit(db_session, plan, SHANGHAI, now=moment)
    db_session.commit()


def test_a_plan_submitted_on_29_february_of_a_leap_year_is_on_time(factories, db_session):
    plan = make_plan(db_session, factories.department("AAA"), year=2028)
    _submit(db_session, plan, datetime(2028, 2, 29, 15, 0, tzinfo=timezone.utc))  # 23:00 in Xining
    assert plan.state == "submitted" and plan.late is False


def test_a_plan_submitted_after_midnight_local_time_is_late(factories, db_session):
    plan = make_plan(db_session, factories.department("AAA"), year=2027)
    # 28 February 17:00 UTC is already 1 March 01:00 where the users are.
    _submit(db_session, plan, datetime(2027, 2, 28, 17, 0, tzinfo=timezone.utc))
    assert plan.late is True


def test_the_dashboard_shows_on_time_late_and_missing(factories, db_session, login_as):
    on_time = make_plan(db_session, factories.department("AAA"), name="按时计划")
    late = make_plan(db_session, factories.department("BBB"), name="逾期计划")
    factories.department("CCC")
    _submit(db_session, on_time, datetime(2027, 2, 10, 2, 0, tzinfo=timezone.utc))
    _submit(db_session, late, datetime(2027, 3, 5, 2, 0, tzinfo=timezone.utc))
    rows = {row.department.code: row.status for row in service.submission_status(db_session, 2027)}
    assert rows["AAA"] == "on_time" and rows["BBB"] == "late" and rows["CCC"] == "missing"
    assert "OFFICE" not in rows

    page = login_as("office", "OFFICE").get("/plans/submissions?year=2027")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"/plans/{late.id}" in text and "badge-bad" in text and "badge-warn" in text


def test_the_dashboard_is_for_the_office(factories, login_as):
    factories.department("AAA")
    assert login_as("staff", "AAA").get("/plans/submissions?year=2027").status_code == 403


def test_a_late_plan_is_shown_late(factories, db_session, login_as):
    plan = make_plan(db_session, factories.department("AAA"), year=2027)
    _submit(db_session, plan, datetime(2027, 3, 2, 2, 0, tzinfo=timezone.utc))
    page = login_as("staff", "AAA").get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "2027-02-28" in page and "notice-bad" in page
