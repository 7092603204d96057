"""Makers of tasks whose items are filled on a bundled plugin's real forms, for the tests of
notices, online checks and checklist forms (shipped like :mod:`spotcheck.testing`).

The market regulation bureau (SCJG, the bundled ``scjg`` plugin) initiates: its plan item is
filled on the plugin's food business form, and :func:`as_disclosure_item` turns it into the item
whose online pre-check the plugin implements. The target is the company ``credit_code(1)``,
whose annual report the plugin's sample says was filed on time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.inspection.models import Task, TaskItem
from spotcheck.inspection.testing import make_task
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

INITIATOR = "SCJG"
FILED_ON_TIME = 1
"""``credit_code(FILED_ON_TIME)`` filed its annual report on time (the plugin's sample)."""


def make_form_task(db_session: Session, participants: Sequence[Department] = (), **setup: Any) -> Task:
    """A dispatched task of a fresh joint draw initiated by SCJG, on the company that filed on time."""
    with scoped(db_session, Scope.system()):
        scjg = db_session.scalars(select(Department).where(Department.code == INITIATOR)).one()
    return make_task(db_session, scjg, participants, **{"first": FILED_ON_TIME, **setup})


def initiator_item(task: Task) -> TaskItem:
    """The task's SCJG item."""
    return next(item for item in task.items if item.department_code == INITIATOR)


def as_disclosure_item(db_session: Session, item: TaskItem) -> TaskItem:
    """``item`` as the check of publicised enterprise information, on its form."""
    with scoped(db_session, Scope.system()):
        item.item_code, item.form_code = "enterprise_disclosure", "enterprise_disclosure_record"
        item.name_zh, item.name_en = "企业公示信息的检查", "Inspection of information publicised by enterprises"
        db_session.commit()
    return item
