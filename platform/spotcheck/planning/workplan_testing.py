"""Makers of work plans and batches for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from spotcheck.planning import service
from spotcheck.planning.batches import create_batch, validate_batch
from spotcheck.planning.models import AnnualPlan, Batch, WorkPlan
from spotcheck.planning.testing import make_plan
from spotcheck.planning.workplans import create_work_plan
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.scope import Scope, scoped


def make_submitted_plan(db_session: Session, initiator: Department,
                        participants: Sequence[Department] = (), **fields: Any) -> AnnualPlan:
    """A committed plan of ``initiator``, confirmed by every participant and submitted."""
    plan = make_plan(db_session, initiator, participants, **fields)
    for participant in participants:
        with scoped(db_session, Scope.department(participant.id)):
            service.answer(db_session, plan, participant.id,
                           User(id=None, username=f"staff-{participant.code}"), confirmed=True)
    with scoped(db_session, Scope.department(initiator.id)):
        service.submit(db_session, plan, "Asia/Shanghai")
    db_session.commit()
    return plan


def make_work_plan(db_session: Session, initiator: Department, plan: AnnualPlan | None = None,
                   **plan_fields: Any) -> WorkPlan:
    """A committed draft work plan of ``plan`` (by default a new submitted plan of ``initiator``)."""
    plan = plan or make_submitted_plan(db_session, initiator, **plan_fields)
    with scoped(db_session, Scope.department(initiator.id)):
        work_plan = create_work_plan(db_session, plan)
    db_session.commit()
    return work_plan


def make_batch(db_session: Session, work_plan: WorkPlan, **raw: Any) -> Batch:
    """A committed batch of ``work_plan``: the plan's window and the credit-risk default strata
    unless ``raw`` (as :func:`~spotcheck.planning.batches.validate_batch` takes it) says otherwise."""
    plan = work_plan.plan
    values = {"name": "第一批次", "window_start": plan.window_start, "window_end": plan.window_end, **raw}
    with scoped(db_session, Scope.department(work_plan.department_id)):
        batch_values, errors = validate_batch(db_session, work_plan, values)
        assert batch_values is not None, errors
        batch = create_batch(db_session, work_plan, batch_values)
    db_session.commit()
    return batch
