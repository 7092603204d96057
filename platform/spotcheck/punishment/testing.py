"""Makers of joint punishment entries for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.inspection.models import ResultCategory
from spotcheck.publication.testing import make_publication, make_reviewed_tasks
from spotcheck.punishment.models import PunishmentEntry
from spotcheck.punishment.service import request_repair
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

LONG_AFTER = date(2030, 1, 6)
"""A day after every default shortest listing period of the makers' entries."""


def make_entry(db_session: Session, department: Department, participants: Sequence[Department] = (),
               first: int = 0, repair: bool = False) -> PunishmentEntry:
    """The entry listing the target of a fresh published check of ``department`` with serious
    non-cooperation (refused entry); with a pending repair if ``repair``; committed."""
    task = make_reviewed_tasks(db_session, department, participants, first=first,
                               category=ResultCategory.NON_COOPERATION, situations=["refused_entry"])[0]
    make_publication(db_session, task)
    with scoped(db_session, Scope.system()):
        entry = db_session.scalars(select(PunishmentEntry).where(PunishmentEntry.target_id == task.target_id)).one()
        if repair:
            request_repair(db_session, entry, "staff", "已整改并书面承诺配合检查", LONG_AFTER)
    db_session.commit()
    return entry
