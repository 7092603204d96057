"""Makers of follow-ups for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from spotcheck.followup.models import Action, FollowUp, FollowUpEvent, FollowUpState
from spotcheck.publication.testing import make_reviewed_tasks
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped


def make_followup(db_session: Session, department: Department, participants: Sequence[Department] = (),
                  deadline: date = date(2025, 3, 17)) -> FollowUp:
    """An open order of correction owned by ``department``, on the first item of a fresh reviewed
    task it initiated (whatever its plugin's rules say); committed."""
    task = make_reviewed_tasks(db_session, department, participants)[0]
    item = task.items[0]
    with scoped(db_session, Scope.system()):
        followup = FollowUp(department_id=item.department_id, from_department_id=item.department_id,
                            task_id=task.id, task_item_id=item.id, target_id=task.target_id,
                            rule_code="test_order", rule_name_zh="责令限期改正", rule_name_en="Order correction",
                            finding="test_finding", action=Action.ORDER_CORRECTION.value, working_days=10,
                            next_action=Action.FILE_CASE.value, state=FollowUpState.OPEN.value,
                            deadline=deadline)
        followup.events.append(FollowUpEvent(to_state=FollowUpState.OPEN.value, by="head"))
        db_session.add(followup)
    db_session.commit()
    return followup
