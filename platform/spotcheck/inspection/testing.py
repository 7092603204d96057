"""Makers of tasks for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.calendar.testing import seed_calendar
from spotcheck.draw.testing import make_draw, make_setup
from spotcheck.inspection.models import Task
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped


def make_tasks(db_session: Session, initiator: Department, participants: Sequence[Department] = (),
               **setup: Any) -> list[Task]:
    """The dispatched tasks of a fresh executed joint draw (see
    :func:`~spotcheck.draw.testing.make_setup`), in team order; the 2025–2026 calendars seeded."""
    seed_calendar(db_session, 2025, 2026)
    draw = make_draw(db_session, make_setup(db_session, initiator, participants, **setup).batch)
    with scoped(db_session, Scope.system()):
        return list(db_session.scalars(select(Task).where(Task.draw_id == draw.id).order_by(Task.id)))


def make_task(db_session: Session, initiator: Department, participants: Sequence[Department] = (),
              **setup: Any) -> Task:
    """One dispatched task of a fresh executed joint draw of one target."""
    return make_tasks(db_session, initiator, participants, **{"targets": 1, **setup})[0]
