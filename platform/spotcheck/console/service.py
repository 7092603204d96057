"""What a user's console shows: the office every member unit (or the one it chose), a department
itself only; and the figures, assessment and coverage of that choice.

The figures are read in the system scope (one grouped query per figure is far cheaper than the
tenant criteria on every row) and narrowed here, before any query runs, to the departments the
user may see: a department asking for another one is answered like for one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.console import assessment, coverage, metrics
from spotcheck.console.periods import Period
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import Scope, scoped


class NotVisible(LookupError):
    """The department asked for is not one the user may see (or does not exist)."""


@dataclass(frozen=True)
class Choice:
    """Whose figures a request shows: ``department`` (``None``: every member unit)."""

    period: Period
    department: Department | None

    @property
    def all_units(self) -> bool:
        return self.department is None


def oversees(user: User) -> bool:
    return has_permission(user.role, Permission.OVERSEE)


def choose(db_session: Session, user: User, period: Period, department_code: str | None,
           acting_department_id: int | None = None) -> Choice:
    """The office's choice of a member unit by ``department_code`` (else the one it is acting as,
    else all); anyone else's own department, whatever they ask for. :class:`NotVisible` for a
    department the user may not see."""
    with scoped(db_session, Scope.system()):
        if not oversees(user):
            if department_code and department_code != user.department.code:
                raise NotVisible(department_code)
            return Choice(period, user.department)
        if department_code:
            chosen = db_session.scalars(select(Department).where(
                Department.code == department_code, Department.is_office.is_(False))).one_or_none()
            if chosen is None:
                raise NotVisible(department_code)
            return Choice(period, chosen)
        if acting_department_id is not None:
            return Choice(period, db_session.get(Department, acting_department_id))
        return Choice(period, None)


def figures(db_session: Session, choice: Choice, unit_coverage: bool = True) -> metrics.Dashboard:
    """The dashboard of ``choice`` (see :func:`spotcheck.console.metrics.dashboard`)."""
    with scoped(db_session, Scope.system()):
        return metrics.dashboard(db_session, choice.period, choice.department, unit_coverage)


def shares(db_session: Session, choice: Choice) -> dict[str, list[coverage.Share]]:
    """The coverage breakdowns of ``choice``."""
    with scoped(db_session, Scope.system()):
        return coverage.breakdowns(db_session, choice.period, choice.department)


def criteria(config: Any = None) -> list[assessment.Criterion]:
    """The assessment scheme configured (``CONSOLE_ASSESSMENT``), else the default."""
    return assessment.scheme_from(current_app.config.get("CONSOLE_ASSESSMENT") if config is None else config)


def scores(dashboard: metrics.Dashboard) -> list[assessment.Score]:
    """Each department of ``dashboard``, scored under the configured scheme."""
    return assessment.assess(dashboard, criteria())


def member_units(db_session: Session) -> list[Department]:
    """The member units the office may choose from."""
    with scoped(db_session, Scope.system()):
        return metrics.member_units(db_session)
