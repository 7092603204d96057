"""The disclosure sweep ``spotcheck sweep`` runs (from a timer): publish the reviewed results whose
deadline has come, and flag the results that are due but cannot be published.

A reviewed task is published by the sweep on its deadline day at the latest (the head may publish
it any day before): so a platform whose timer runs is never late, and one whose timer stopped
publishes late, counted against the department. Results recorded but not yet reviewed when their
deadline comes cannot be published: the sweep names them, each day, until the head reviews them.
A task whose deadline needs a year without a complete calendar is named with the office's task.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from spotcheck.calendar.service import CalendarMissing, load_calendar
from spotcheck.inspection.models import Task, TaskState
from spotcheck.publication.service import deadline, publish
from spotcheck.tenancy.scope import Scope, scoped

SWEEPER = "system:publication-sweep"
"""Who the trail says published what the sweep published."""


def publication_sweep(db_session: Session, today: date) -> list[str]:
    """Sweep: publish the reviewed results due by ``today``; flag what is due and cannot be.
    One line per task published or flagged."""
    timezone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    calendar = load_calendar(db_session)
    with scoped(db_session, Scope.system()):
        waiting = list(db_session.scalars(
            select(Task).where(Task.state.in_((TaskState.RECORDED.value, TaskState.REVIEWED.value)),
                               Task.recorded_at.is_not(None))
            .order_by(Task.recorded_at, Task.id)))
    lines = []
    for task in waiting:
        try:
            due = deadline(calendar, task, timezone, today)
        except CalendarMissing as missing:
            lines.append(f"warning: task {task.id} cannot be published: {missing.message_en}")
            continue
        if due.due_on > today:
            continue
        if task.state == TaskState.RECORDED.value:
            lines.append(f"warning: task {task.id}: results not reviewed, publication was due on "
                         f"{due.due_on.isoformat()}")
            continue
        try:
            with db_session.begin_nested():  # a task that fails leaves the others' publications
                publication = publish(db_session, task, SWEEPER, today=today, timezone=timezone,
                                      calendar=calendar)
        except StaleDataError:
            lines.append(f"task {task.id}: published by someone else meanwhile")
            continue
        late = (f", {publication.working_days_late} working day(s) late" if publication.late else "")
        lines.append(f"task {task.id}: published as {publication.id} (due on {due.due_on.isoformat()}{late})")
    return lines
