"""Who may see and act on a task — the one answer the pages, the API and the downloads share.

Seeing: the scope decides first (whoever reads the annual plan reads its tasks); then an
inspector sees only the tasks of teams they are on, a department the tasks where it has items or
members, and the office every task.

Acting:
- schedule the visit, record the notice, end the check and record the result category: the
  team's leader, or the initiating department's staff;
- run the online check and fill a department's checklist forms, findings and evidence: the
  members of the team from that department, or its staff;
- review (approve or return the results): the initiating department's head.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from spotcheck.draw.access import inspector_ids_of
from spotcheck.draw.models import TeamMember
from spotcheck.inspection.models import Task, TaskItem
from spotcheck.tenancy.models import User
from spotcheck.tenancy.roles import Permission, Role, has_permission


def _office(user: User) -> bool:
    return has_permission(user.role, Permission.OVERSEE)


def _on_team(db_session: Session, user: User, task: Task, department_id: int | None = None) -> bool:
    ids = set(inspector_ids_of(db_session, user))
    return any(m.active and m.inspector_id in ids and (department_id is None or m.department_id == department_id)
               for m in task.team.members)


def queue(db_session: Session, user: User) -> Select[tuple[Task]]:
    """The tasks in ``user``'s work queue (the scope narrows it further), oldest due first."""
    statement = select(Task).order_by(Task.due_on.is_(None), Task.due_on, Task.id)
    if _office(user):
        return statement
    if user.role is Role.INSPECTOR:
        return statement.where(exists().where(TeamMember.team_id == Task.team_id, TeamMember.active.is_(True),
                                              TeamMember.inspector_id.in_(inspector_ids_of(db_session, user))))
    return statement.where(or_(
        Task.department_id == user.department_id,
        exists().where(TaskItem.task_id == Task.id, TaskItem.department_id == user.department_id),
        exists().where(TeamMember.team_id == Task.team_id, TeamMember.department_id == user.department_id)))


def sees(db_session: Session, user: User, task: Task) -> bool:
    """Whether ``user`` may open a task their scope reads (see the module's rules)."""
    if _office(user):
        return True
    if user.role is Role.INSPECTOR:
        return _on_team(db_session, user, task)
    return (task.department_id == user.department_id
            or any(i.department_id == user.department_id for i in task.items)
            or any(m.department_id == user.department_id for m in task.team.members))


def leads(db_session: Session, user: User, task: Task) -> bool:
    """The team's leader, or the initiating department's staff or head."""
    if user.role is Role.INSPECTOR:
        leader = task.team.leader
        return leader is not None and leader.inspector_id in set(inspector_ids_of(db_session, user))
    return has_permission(user.role, Permission.WORK) and user.department_id == task.department_id


def records(db_session: Session, user: User, task: Task, item: TaskItem) -> bool:
    """A team member from the item's department, or that department's staff or head."""
    if user.role is Role.INSPECTOR:
        return _on_team(db_session, user, task, item.department_id)
    return has_permission(user.role, Permission.WORK) and user.department_id == item.department_id


def reviews(user: User, task: Task) -> bool:
    """The head of the initiating department."""
    return has_permission(user.role, Permission.APPROVE) and user.department_id == task.department_id
