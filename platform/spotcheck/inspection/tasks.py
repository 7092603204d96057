"""Tasks: made when a draw dispatches its teams, moved through their states, each move audited.

:func:`dispatch` writes one task per team and one task item per department item that applies to
the target (the plan's items of the departments the draw required for it, whose target kinds
cover the target's kind), in bulk inside the draw's unit of work. :func:`move` is the one way a
task changes state: it checks :data:`~spotcheck.inspection.models.TRANSITIONS`, stamps the trail
(:class:`~spotcheck.inspection.models.TaskEvent`) and records the audit event ``task_<state>``.

Services never commit; the caller does. The caller checks that the user may act on the task
(:mod:`spotcheck.inspection.access`); the services write in the system scope.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.calendar.service import add_working_days
from spotcheck.db import utcnow
from spotcheck.draw.bulk import ids_by, insert_rows
from spotcheck.draw.models import Draw
from spotcheck.inspection.models import (RESULT_DUE_WORKING_DAYS, TRANSITIONS, Task, TaskEvent, TaskItem,
                                         TaskState)
from spotcheck.planning.models import PlanItem
from spotcheck.planning.service import PlanError
from spotcheck.registry.items.models import CheckItemVersion
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped


class TaskRefused(PlanError):
    """A move or change the task's state or the rules do not allow, in Chinese and English."""


def dispatch(db_session: Session, draw: Draw, teams: Mapping[int, int], kinds: Mapping[int, str],
             required: Mapping[int, Sequence[str]]) -> int:
    """Write the tasks of a draw's teams (``teams``: target id → team id; ``kinds``: target id →
    kind; ``required``: target id → department codes) and their items; how many task items."""
    if not teams:
        return 0
    connection = db_session.connection()
    now = utcnow()
    table = Task.__table__
    insert_rows(connection, table, [
        {"department_id": draw.department_id, "plan_id": draw.plan_id, "draw_id": draw.id,
         "team_id": team_id, "target_id": target_id, "state": TaskState.DISPATCHED.value,
         "overdue": False, "non_cooperation": [], "created_at": now, "updated_at": now, "version": 1}
        for target_id, team_id in teams.items()])
    created = ids_by(connection, table.c.target_id, table.c.id, table.c.draw_id, draw.id)
    items = _plan_items(db_session, draw.plan_id)
    rows = [{"department_id": item.department_id, "plan_id": draw.plan_id, "task_id": task_id,
             "plan_item_id": item.id, "department_code": code, "item_code": item.code,
             "name_zh": item.name_zh, "name_en": item.name_en, "notice_forbidden": forbidden,
             "form_code": form, "online_fields": [], "methods": [], "findings": []}
            for target_id, task_id in created.items()
            for item, code, forbidden, form in items
            if code in required[target_id] and (not item.target_kinds or kinds[target_id] in item.target_kinds)]
    insert_rows(connection, TaskItem.__table__, rows)
    events = [{"department_id": draw.department_id, "plan_id": draw.plan_id, "task_id": task_id,
               "from_state": None, "to_state": TaskState.DISPATCHED.value, "by": draw.drawn_by or "",
               "at": now, "note": None} for task_id in created.values()]
    insert_rows(connection, TaskEvent.__table__, events)
    return len(rows)


def _plan_items(db_session: Session, plan_id: int) -> list[tuple[PlanItem, str, bool, str]]:
    """The plan's items with their department's code, the notice ban and the form code."""
    rows = db_session.execute(
        select(PlanItem, Department.code, CheckItemVersion.content)
        .join(Department, Department.id == PlanItem.department_id)
        .join(CheckItemVersion, CheckItemVersion.id == PlanItem.item_version_id)
        .where(PlanItem.plan_id == plan_id).order_by(PlanItem.id)).all()
    return [(item, code, bool(content.get("notice_forbidden")), str(content.get("form") or ""))
            for item, code, content in rows]


def move(db_session: Session, task: Task, to: TaskState, by: str, note: str | None = None) -> None:
    """Move ``task`` to ``to`` when :data:`TRANSITIONS` allows it; the trail and the audit
    record say who, when and why."""
    current = TaskState(task.state)
    if to not in TRANSITIONS[current]:
        raise TaskRefused("transition", f"任务状态为“{current.label}”，不能变为“{to.label}”。",
                          f"A task that is {current.label.lower()} cannot become {to.label.lower()}.")
    with scoped(db_session, Scope.system()):
        task.state = to.value
        db_session.add(TaskEvent(department_id=task.department_id, plan_id=task.plan_id, task_id=task.id,
                                 from_state=current.value, to_state=to.value, by=by, note=note))
        db_session.flush()
    audit.record(db_session, f"task_{to.value}", "task", task.id,
                 {"from": current.value, "to": to.value, "note": note})


def end_check(db_session: Session, task: Task, ended_on: date) -> date:
    """Record the day the check ended and the results' due date, :data:`RESULT_DUE_WORKING_DAYS`
    working days later (an error, never a guess, when that year has no calendar)."""
    due = add_working_days(db_session, ended_on, RESULT_DUE_WORKING_DAYS)
    with scoped(db_session, Scope.system()):
        task.check_ended_on = ended_on
        task.due_on = due
        db_session.flush()
    return due
