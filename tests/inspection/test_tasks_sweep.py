"""The sweep: tasks whose results are late are marked overdue (audited, once), the mark stays when
the results come later, and the teams whose results fall due within two working days are
reminded; ``spotcheck sweep`` runs every sweep."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.inspection import results, sweep
from spotcheck.inspection.models import Task, TaskState
from spotcheck.inspection.testing import make_tasks
from spotcheck.tenancy.models import User


def _tasks(factories, db_session, count):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    return make_tasks(db_session, aaa, [bbb], targets=count)


def _due(db_session, task, due_on, state=TaskState.ON_SITE, **fields):
    task.state, task.check_ended_on, task.due_on = state.value, date(2025, 1, 2), due_on
    for name, value in fields.items():
        setattr(task, name, value)
    db_session.commit()


def _overdue_records(db_session):
    return db_session.scalars(select(AuditRecord.object_id).where(AuditRecord.action == "task_overdue")
                              .order_by(AuditRecord.id)).all()


def test_tasks_due_before_today_without_results_are_marked_overdue_once(factories, db_session):
    late, due_today, recorded, returned, unended = _tasks(factories, db_session, 5)
    _due(db_session, late, date(2025, 10, 9))
    _due(db_session, due_today, date(2025, 10, 10))
    _due(db_session, recorded, date(2025, 10, 9), TaskState.RECORDED, recorded_at=utcnow())
    # Returned by the head: its results were recorded in time, so the team is not late.
    _due(db_session, returned, date(2025, 10, 9), TaskState.ON_SITE, recorded_at=utcnow())

    marked = sweep.mark_overdue(db_session, date(2025, 10, 10))
    db_session.commit()
    assert [t.id for t in marked] == [late.id]
    assert [t.id for t in db_session.scalars(select(Task).where(Task.overdue.is_(True)))] == [late.id]
    assert _overdue_records(db_session) == [str(late.id)]

    assert sweep.mark_overdue(db_session, date(2025, 10, 10)) == []
    db_session.commit()
    assert _overdue_records(db_session) == [str(late.id)], "a second sweep changes nothing"
    assert unended.overdue is False


def test_an_overdue_task_is_still_recorded_later_and_stays_counted_overdue(factories, db_session):
    (task,) = _tasks(factories, db_session, 1)
    _due(db_session, task, date(2025, 10, 9))
    for item in task.items:
        item.recorded_at = utcnow()
    sweep.mark_overdue(db_session, date(2025, 10, 13))
    db_session.commit()
    results.record_result(db_session, factories.app.extensions["spotcheck.plugins"], task, "no_problem", [],
                          User(id=None, username="leader"))
    db_session.commit()
    assert (task.state, task.overdue) == (TaskState.RECORDED.value, True)


def test_teams_are_reminded_of_results_due_within_two_working_days(factories, db_session):
    tomorrow, after_holiday, later, recorded = _tasks(factories, db_session, 4)
    # Monday 29 September 2025: Tuesday 30 is one working day away; the National Day holiday
    # (1–8 October) makes Thursday 9 October the second and Friday 10 the third.
    _due(db_session, tomorrow, date(2025, 9, 30))
    _due(db_session, after_holiday, date(2025, 10, 9))
    _due(db_session, later, date(2025, 10, 10))
    _due(db_session, recorded, date(2025, 9, 30), TaskState.RECORDED, recorded_at=utcnow())
    reminders = sweep.due_soon(db_session, date(2025, 9, 29))
    assert [(r.task.id, r.working_days_left) for r in reminders] == [(tomorrow.id, 1), (after_holiday.id, 2)]
    assert reminders[0].target.code == tomorrow.team.target.code
    assert reminders[0].leader.code == tomorrow.team.leader.inspector_code


def test_the_sweep_command_runs_every_sweep_and_a_second_run_marks_nothing(app, factories, db_session):
    late, soon = _tasks(factories, db_session, 2)
    _due(db_session, late, date(2025, 9, 26))
    _due(db_session, soon, date(2025, 9, 30))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["sweep", "--on", "2025-09-29"])
    assert first.exit_code == 0, first.output
    assert f"task {late.id}: overdue, results were due on 2025-09-26" in first.output
    assert f"task {soon.id}: results due on 2025-09-30 (1 working day(s) left)" in first.output
    assert soon.team.target.code in first.output
    db_session.expire_all()
    assert db_session.scalars(select(Task.id).where(Task.overdue.is_(True))).all() == [late.id]

    again = runner.invoke(args=["sweep", "--on", "2025-09-29", "--only", "overdue"])
    assert again.exit_code == 0 and "overdue: nothing to do" in again.output and "reminders" not in again.output
    assert _overdue_records(db_session) == [str(late.id)]


def test_reminders_in_a_year_without_a_calendar_say_so_instead_of_guessing(app, factories, db_session):
    _tasks(factories, db_session, 1)
    shown = app.test_cli_runner().invoke(args=["sweep", "--on", "2024-12-30", "--only", "reminders"])
    assert shown.exit_code == 0 and "warning: no reminders: The working-day calendar for 2024" in shown.output
