"""Makers of reviewed and published results for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy.orm import Session

from spotcheck.inspection.models import ResultCategory, Task, TaskState
from spotcheck.inspection.testing import make_tasks
from spotcheck.publication.models import Publication
from spotcheck.publication.service import publish
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

TIMEZONE = "Asia/Shanghai"
ENDED = date(2025, 3, 3)


def review(db_session: Session, task: Task, *, ended: date = ENDED, entered: date | None = None,
           category: ResultCategory = ResultCategory.NO_PROBLEM, situations: Sequence[str] = (),
           state: TaskState = TaskState.REVIEWED) -> Task:
    """Give ``task`` what the inspection steps would have (items and result recorded, the check
    ended on ``ended``, results entered at noon Beijing time on ``entered``, default the day the
    check ended) and put it in ``state``; committed."""
    entered = entered or ended
    at = datetime.combine(entered, time(4, 0), tzinfo=timezone.utc)  # 12:00 in Beijing
    with scoped(db_session, Scope.system()):
        for item in task.items:
            item.recorded_at, item.recorded_by = at, "member"
        task.check_ended_on, task.due_on = ended, ended
        task.recorded_at, task.recorded_by = at, "leader"
        task.result_category, task.non_cooperation = category.value, list(situations)
        if state is TaskState.REVIEWED:
            task.reviewed_at, task.reviewed_by = at, "head"
        task.state = state.value
    db_session.commit()
    return task


def make_reviewed_tasks(db_session: Session, initiator: Department, participants: Sequence[Department] = (),
                        *, count: int = 1, first: int = 0, **reviewed: Any) -> list[Task]:
    """``count`` reviewed tasks of a fresh executed joint draw of targets and inspectors numbered
    from ``first`` (see :func:`~spotcheck.draw.testing.make_setup` and :func:`review`). The draw
    also picks the initiator's earlier test targets; their tasks are left dispatched."""
    made = {credit_code(first + n) for n in range(count)}
    return [review(db_session, task, **reviewed)
            for task in make_tasks(db_session, initiator, participants, targets=count, first=first)
            if task.target.code in made]


def make_publication(db_session: Session, task: Task, today: date | None = None) -> Publication:
    """Publish reviewed ``task`` on ``today`` (default: the day its results were entered); committed."""
    assert task.recorded_at is not None
    publication = publish(db_session, task, "head", today=today or task.recorded_at.date(), timezone=TIMEZONE)
    db_session.commit()
    return publication
