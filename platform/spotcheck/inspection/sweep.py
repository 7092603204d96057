"""The inspection sweeps ``spotcheck sweep`` runs (from a timer): mark the tasks whose results are
late, and remind the teams whose results fall due soon.

A task is overdue once its due date has passed without results recorded (art. 16(3): such a task
counts as not completed). The mark stays when the results are recorded later. Marking is
idempotent: a task already marked is left alone, so running the sweep twice changes nothing more.
Reminders are the tasks due within :data:`REMIND_WORKING_DAYS` working days and not recorded yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from spotcheck import audit
from spotcheck.calendar.service import CalendarMissing, load_calendar
from spotcheck.draw import roster
from spotcheck.draw.models import Team
from spotcheck.inspection.models import Task
from spotcheck.tenancy.scope import Scope, scoped

REMIND_WORKING_DAYS = 2
"""A task due within this many working days (counting from today) is reminded."""


def mark_overdue(db_session: Session, today: date) -> list[Task]:
    """Mark every task due before ``today`` without recorded results as overdue (audited);
    the tasks marked now."""
    with scoped(db_session, Scope.system()):
        late = list(db_session.scalars(
            select(Task).where(Task.due_on < today, Task.recorded_at.is_(None), Task.overdue.is_(False))
            .order_by(Task.due_on, Task.id)))
        for task in late:
            task.overdue = True
        db_session.flush()
    for task in late:
        audit.record(db_session, "task_overdue", "task", task.id, {"due_on": task.due_on.isoformat()})
    return late


@dataclass(frozen=True)
class Reminder:
    """A task whose results fall due soon, with what the team needs to find it."""

    task: Task
    target: roster.TargetName
    leader: roster.MemberRow | None
    working_days_left: int


def due_soon(db_session: Session, today: date) -> list[Reminder]:
    """The tasks without recorded results due from ``today`` to :data:`REMIND_WORKING_DAYS`
    working days later, soonest first. Raises :class:`CalendarMissing` for a year without a
    complete calendar."""
    calendar = load_calendar(db_session)
    last = calendar.add_working_days(today, REMIND_WORKING_DAYS)
    with scoped(db_session, Scope.system()):
        found = list(db_session.scalars(
            select(Task).where(Task.due_on >= today, Task.due_on <= last, Task.recorded_at.is_(None),
                               Task.overdue.is_(False))
            .options(selectinload(Task.team).selectinload(Team.members)).order_by(Task.due_on, Task.id)))
        rows = {row.team.id: row for row in roster.team_rows(db_session, [t.team for t in found])}
    return [Reminder(t, rows[t.team_id].target, rows[t.team_id].leader,
                     calendar.working_days_between(today, t.due_on)) for t in found]


def overdue_sweep(db_session: Session, today: date) -> list[str]:
    """Sweep: mark late tasks overdue; one line per task marked."""
    return [f"task {t.id}: overdue, results were due on {t.due_on.isoformat()}"
            for t in mark_overdue(db_session, today)]


def reminder_sweep(db_session: Session, today: date) -> list[str]:
    """Sweep: list the reminders; one line per task due soon."""
    try:
        reminders = due_soon(db_session, today)
    except CalendarMissing as missing:
        return [f"warning: no reminders: {missing.message_en}"]
    return [f"task {r.task.id}: results due on {r.task.due_on.isoformat()} "
            f"({r.working_days_left} working day(s) left); target {r.target.code} {r.target.name}; "
            f"leader {r.leader.code + ' ' + r.leader.name if r.leader else '-'}"
            for r in reminders]
