"""Tasks: one per joint team, covering every department's items that apply; states move only as
the rules allow, and every move leaves a trail and an audit record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.inspection import tasks
from spotcheck.inspection.models import TRANSITIONS, TaskEvent, TaskState
from spotcheck.inspection.testing import make_task, make_tasks
from spotcheck.tenancy.scope import Scope, scoped


def test_a_draw_dispatches_one_task_per_team_with_every_departments_items(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    made = make_tasks(db_session, aaa, [bbb], targets=3)
    assert len(made) == 3 and len({t.team_id for t in made}) == 3
    for task in made:
        assert task.state == TaskState.DISPATCHED.value
        assert sorted(i.department_code for i in task.items) == ["AAA", "BBB"]


@pytest.mark.parametrize("start", list(TaskState))
def test_every_move_the_rules_do_not_list_is_refused(factories, db_session, start):
    task = make_task(db_session, factories.department("AAA"))
    with scoped(db_session, Scope.system()):
        task.state = start.value
        db_session.flush()
    for to in TaskState:
        if to in TRANSITIONS[start]:
            continue
        with pytest.raises(tasks.TaskRefused):
            tasks.move(db_session, task, to, "tester")
        assert task.state == start.value


def test_an_allowed_move_leaves_a_trail_and_an_audit_record(factories, db_session):
    task = make_task(db_session, factories.department("AAA"))
    tasks.move(db_session, task, TaskState.NOTIFIED, "leader", "电话告知")
    db_session.commit()
    with scoped(db_session, Scope.system()):
        trail = db_session.scalars(select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(TaskEvent.id)).all()
        assert [(e.from_state, e.to_state) for e in trail] == [(None, "dispatched"), ("dispatched", "notified")]
        assert db_session.scalar(select(AuditRecord).where(AuditRecord.action == "task_notified",
                                                           AuditRecord.object_id == str(task.id))) is not None


def test_results_are_due_seven_working_days_after_the_check_ends(factories, db_session):
    task = make_task(db_session, factories.department("AAA"))
    # 2025-09-30 ends a check before the National Day holiday (10/1–10/8; make-up day 10/11).
    # Working days after: 10/9, 10/10, 10/11 (Saturday, made up), 10/13, 10/14, 10/15, 10/16.
    assert tasks.end_check(db_session, task, date(2025, 9, 30)) == date(2025, 10, 16)
