"""Every figure of the dashboard, computed by hand from the world of spotcheck.console.testing."""

from datetime import date

import pytest

from spotcheck.console import metrics
from spotcheck.console.periods import Period, period_from
from spotcheck.console.testing import YEAR


def _rows(db_session, period, department=None):
    dashboard = metrics.dashboard(db_session, period, department)
    return {row.department.code: row.figures for row in dashboard.rows}, dashboard.total


def test_plans_on_time_late_or_missing_per_member_unit(world, db_session):
    rows, total = _rows(db_session, Period(YEAR))
    # AAA initiated on time, BBB confirmed AAA's plan, CCC's plan was late, DDD submitted nothing.
    assert [rows[c].plan_status for c in ("AAA", "BBB", "CCC", "DDD")] == ["on_time", "on_time", "late", "missing"]
    missing = sum(f.plan_status == "missing" for f in rows.values())
    assert (total.plans_on_time, total.plans_late, total.plans_missing) == (2, 1, missing)
    assert rows["DDD"].rate("plans_on_time") == 0 and rows["AAA"].rate("plans_on_time") == 1


def test_draws_executed_count_by_initiator_and_day_drawn(world, db_session):
    rows, total = _rows(db_session, Period(YEAR))
    assert (rows["AAA"].draws_executed, rows["AAA"].targets_drawn) == (1, 4)
    assert (rows["CCC"].draws_executed, rows["CCC"].targets_drawn) == (1, 2)
    assert rows["BBB"].draws_executed == 0
    assert (total.draws_executed, total.targets_drawn) == (2, 6)
    first, _ = _rows(db_session, Period(YEAR, "quarter", 1))
    assert (first["AAA"].draws_executed, first["CCC"].draws_executed) == (1, 0)


def test_tasks_completed_and_completed_within_7_working_days(world, db_session):
    rows, total = _rows(db_session, Period(YEAR))
    # AAA: one recorded in time, one recorded after being swept overdue, one overdue, one waiting.
    aaa = rows["AAA"]
    assert (aaa.tasks, aaa.tasks_completed, aaa.tasks_completed_on_time, aaa.tasks_overdue) == (4, 2, 1, 1)
    ccc = rows["CCC"]
    assert (ccc.tasks, ccc.tasks_completed, ccc.tasks_completed_on_time, ccc.tasks_overdue) == (2, 1, 1, 0)
    assert (total.tasks, total.tasks_completed, total.tasks_completed_on_time, total.tasks_overdue) == (6, 3, 2, 1)
    assert aaa.rate("tasks_completed") == 2 / 4 and aaa.rate("tasks_completed_on_time") == 1 / 4
    assert rows["BBB"].rate("tasks_completed") is None


def test_results_published_within_20_working_days_by_day_of_publication(world, db_session):
    rows, total = _rows(db_session, Period(YEAR))
    assert (rows["AAA"].published, rows["AAA"].published_on_time) == (2, 1)
    assert (rows["CCC"].published, rows["CCC"].published_on_time) == (1, 1)
    assert (total.published, total.published_on_time) == (3, 2)
    second, _ = _rows(db_session, Period(YEAR, "quarter", 2))
    # AAA's late one was published on 20 May, CCC's on 18 May.
    assert (second["AAA"].published, second["AAA"].published_on_time) == (1, 0)
    assert (second["CCC"].published, second["CCC"].published_on_time) == (1, 1)


def test_followups_open_overdue_closed_by_the_department_that_must_act(world, db_session):
    rows, total = _rows(db_session, Period(YEAR))
    assert (rows["AAA"].followups_open, rows["AAA"].followups_overdue, rows["AAA"].followups_closed) == (1, 0, 1)
    # A transfer awaiting acceptance is open, for the receiver.
    assert (rows["BBB"].followups_open, rows["BBB"].followups_closed) == (1, 0)
    assert (rows["CCC"].followups_open, rows["CCC"].followups_overdue) == (0, 1)
    assert (total.followups_open, total.followups_overdue, total.followups_closed) == (2, 1, 1)
    assert rows["AAA"].rate("followups_closed") == 1 / 2


def test_replacement_requests_by_the_inspectors_department(world, db_session):
    rows, total = _rows(db_session, Period(YEAR))
    assert (rows["AAA"].replacements, rows["AAA"].replacements_approved) == (1, 1)
    assert (rows["BBB"].replacements, rows["BBB"].replacements_approved) == (1, 0)
    assert (total.replacements, total.replacements_approved, total.replacements_rejected) == (2, 1, 0)
    assert _rows(db_session, Period(YEAR, "month", 4))[1].replacements == 0


def test_enter_once_joint_visits_against_separate_visits(world, db_session):
    rows, total = _rows(db_session, Period(YEAR))
    # Four joint AAA+BBB visits would have been eight separate ones; CCC's two were alone.
    assert (rows["AAA"].visits, rows["AAA"].department_checks) == (4, 8)
    assert (rows["BBB"].visits, rows["BBB"].department_checks) == (4, 8)
    assert (rows["CCC"].visits, rows["CCC"].department_checks) == (2, 2)
    assert (total.visits, total.department_checks, total.visits_saved) == (6, 10, 4)


def test_coverage_of_each_departments_directory(world, db_session):
    from sqlalchemy import func, select

    from spotcheck.registry.targets.models import Target

    rows, total = _rows(db_session, Period(YEAR))
    assert (rows["AAA"].directory, rows["AAA"].checked) == (4, 4)
    assert (rows["CCC"].directory, rows["CCC"].checked) == (2, 2)
    assert (rows["BBB"].directory, rows["BBB"].checked) == (0, 0)
    assert total.directory == db_session.scalar(select(func.count()).select_from(Target))
    assert total.checked == 6
    first, first_total = _rows(db_session, Period(YEAR, "quarter", 1))
    assert (first["CCC"].checked, first_total.checked) == (0, 4)


def test_a_department_alone_has_its_own_figures_as_total(world, db_session):
    aaa = world.departments["AAA"]
    dashboard = metrics.dashboard(db_session, Period(YEAR), aaa)
    assert [row.department.code for row in dashboard.rows] == ["AAA"]
    assert dashboard.total is dashboard.rows[0].figures
    assert (dashboard.total.tasks, dashboard.total.visits, dashboard.total.directory) == (4, 4, 4)


def test_nothing_outside_the_period_is_counted(world, db_session):
    _rows_, total = _rows(db_session, Period(YEAR, "half", 2))
    assert (total.tasks, total.draws_executed, total.published, total.followups, total.visits) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(("token", "start", "end"), [
    ("year", date(2026, 1, 1), date(2026, 12, 31)), ("h2", date(2026, 7, 1), date(2026, 12, 31)),
    ("q1", date(2026, 1, 1), date(2026, 3, 31)), ("m2", date(2026, 2, 1), date(2026, 2, 28))])
def test_periods_are_calendar_days(token, start, end):
    period = period_from(2026, token)
    assert (period.start, period.end, period.token) == (start, end, token)
