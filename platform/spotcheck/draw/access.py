"""Who may act on a draw, its teams and their replacements — the one answer the pages and the API
share. Seeing a draw is the scope's business (whoever reads the annual plan reads its draws);
these say who may change something, and whose work queue a team belongs to.

- prepare a batch's draw: the initiating department's staff or head, or the office;
- execute it (the public draw) or void a preparation: the initiating department's head, or the
  office;
- ask to replace a drawn inspector: the staff or head of the inspector's department;
- approve or reject that request: the head of the inspector's department.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from spotcheck.draw.models import Draw, Replacement, Team, TeamMember, TeamState
from spotcheck.planning.models import AnnualPlan
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.tenancy.models import User
from spotcheck.tenancy.roles import Permission, Role, has_permission
from spotcheck.tenancy.scope import Scope, scoped


def _office(user: User) -> bool:
    return has_permission(user.role, Permission.OVERSEE)


def may_prepare(user: User, plan: AnnualPlan) -> bool:
    """The initiating department's staff or head, or the office."""
    return _office(user) or (has_permission(user.role, Permission.WORK)
                             and user.department_id == plan.department_id)


def may_execute(user: User, draw: Draw) -> bool:
    """The office, or the head of the initiating department (also who may void a preparation)."""
    return _office(user) or (has_permission(user.role, Permission.APPROVE)
                             and user.department_id == draw.department_id)


def may_request_replacement(user: User, member: TeamMember) -> bool:
    """The staff or head of the drawn inspector's department."""
    return has_permission(user.role, Permission.WORK) and user.department_id == member.department_id


def may_decide(user: User, replacement: Replacement) -> bool:
    """The head of the drawn inspector's department."""
    return (has_permission(user.role, Permission.APPROVE)
            and user.department_id == replacement.department_id)


def inspector_ids_of(db_session: Session, user: User) -> list[int]:
    """The directory entries the account signs in for (``Inspector.user_id``)."""
    with scoped(db_session, Scope.system()):
        return list(db_session.scalars(select(Inspector.id).where(Inspector.user_id == user.id)))


def _member_where(db_session: Session, user: User) -> list[object]:
    if user.role is Role.INSPECTOR:
        return [TeamMember.inspector_id.in_(inspector_ids_of(db_session, user))]
    return [TeamMember.department_id == user.department_id]


def work_queue(db_session: Session, user: User) -> Select[tuple[Team]]:
    """The dispatched teams in ``user``'s work queue, newest first: for an inspector the teams
    they are on, for a department the teams it has members on, for the office every team its
    scope reads."""
    statement = (select(Team).where(Team.state == TeamState.DISPATCHED.value)
                 .order_by(Team.created_at.desc(), Team.draw_id.desc(), Team.position))
    if _office(user):
        return statement
    return statement.where(exists().where(TeamMember.team_id == Team.id, TeamMember.active.is_(True),
                                          *_member_where(db_session, user)))


def sees_team(db_session: Session, user: User, team: Team) -> bool:
    """Whether ``user`` may open a team their scope reads: an inspector only a team they are
    on; everyone else whichever team of a plan their department takes part in."""
    if user.role is not Role.INSPECTOR:
        return True
    ids = set(inspector_ids_of(db_session, user))
    return any(m.active and m.inspector_id in ids for m in team.members)
