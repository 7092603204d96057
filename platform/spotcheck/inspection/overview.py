"""What the task pages and the API show of tasks: target, leader and team, every department's items
with their state, notices, evidence, the trail, and the result the findings suggest.

A team works across departments, so once the caller has established that the user sees the task
(:func:`spotcheck.inspection.access.sees`), the target's and the inspectors' names are read in the
system scope by :mod:`spotcheck.draw.roster` — codes, names and the address only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from spotcheck.draw import roster
from spotcheck.draw.models import Draw, Team
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection.forms import item_choices
from spotcheck.inspection.models import (NON_COOPERATION_LABELS, Evidence, Notice, Task, TaskEvent,
                                         TaskItem, TaskState)
from spotcheck.inspection.results import Suggestion, may_skip_on_site, suggest, verified_online
from spotcheck.tenancy.models import Department


@dataclass(frozen=True)
class TaskRow:
    """A task as the work queue lists it."""

    task: Task
    target: roster.TargetName
    leader: roster.MemberRow | None


def task_rows(db_session: Session, tasks: Sequence[Task]) -> list[TaskRow]:
    """The rows of visible ``tasks``, in their order, in a fixed number of queries."""
    teams = {row.team.id: row for row in roster.team_rows(db_session, [t.team for t in tasks])}
    return [TaskRow(t, teams[t.team_id].target, teams[t.team_id].leader) for t in tasks]


def with_draws(statement: Select[tuple[Task]]) -> Select[tuple[Task]]:
    """The queue loading each task's team, draw, plan and batch with it (a few queries a page)."""
    draw = selectinload(Task.team).selectinload(Team.draw)
    return statement.options(draw.selectinload(Draw.plan), draw.selectinload(Draw.batch))


def narrow(statement: Select[tuple[Task]], state: str | None = None, overdue: bool | None = None,
           plan: int | None = None, dispatched_from: datetime | None = None,
           dispatched_before: datetime | None = None) -> Select[tuple[Task]]:
    """The work queue narrowed to a state, to overdue (or not overdue) tasks, to a plan, to the
    tasks dispatched from ``dispatched_from`` or before ``dispatched_before``."""
    if state is not None:
        statement = statement.where(Task.state == state)
    if overdue is not None:
        statement = statement.where(Task.overdue.is_(overdue))
    if plan is not None:
        statement = statement.where(Task.plan_id == plan)
    if dispatched_from is not None:
        statement = statement.where(Task.created_at >= dispatched_from)
    if dispatched_before is not None:
        statement = statement.where(Task.created_at < dispatched_before)
    return statement


def finding_labels(db_session: Session, item: TaskItem, locale: str) -> dict[str, str]:
    """Finding code → what it means: the findings the item declares, and the art. 18 situations."""
    labels = {code: str(label) for code, label in NON_COOPERATION_LABELS.items()}
    for choice in item_choices(db_session, item).findings:
        if choice.label_zh and choice.label_en:
            labels[choice.code] = choice.label_en if locale.startswith("en") else choice.label_zh
    return labels


@dataclass(frozen=True)
class ItemRow:
    """A department's item on the task, with its findings as (code, meaning)."""

    item: TaskItem
    verified_online: bool
    findings: list[tuple[str, str]]


@dataclass(frozen=True)
class DepartmentItems:
    """A department's items on the task."""

    department: Department
    items: list[ItemRow]


@dataclass(frozen=True)
class TaskView:
    """Everything the task page shows."""

    task: Task
    team: roster.TeamRow
    departments: list[DepartmentItems]
    notices: list[Notice]
    evidence: int
    trail: list[TaskEvent]
    returned: TaskEvent | None
    suggestion: Suggestion
    skip_on_site: bool

    @property
    def items_recorded(self) -> bool:
        return all(row.item.recorded for group in self.departments for row in group.items)


def department_items(db_session: Session, registry: PluginRegistry, task: Task,
                     locale: str) -> list[DepartmentItems]:
    """The task's items grouped by department, the initiator first."""
    by_id = roster.departments(db_session, (i.department_id for i in task.items))
    groups: dict[int, DepartmentItems] = {}
    for item in sorted(task.items, key=lambda i: (i.department_id != task.department_id, i.id)):
        labels = finding_labels(db_session, item, locale)
        groups.setdefault(item.department_id, DepartmentItems(by_id[item.department_id], [])).items.append(
            ItemRow(item, verified_online(registry, item), [(c, labels.get(c, c)) for c in item.findings or ()]))
    return list(groups.values())


def trail_of(db_session: Session, task: Task) -> list[TaskEvent]:
    """The task's state changes, oldest first."""
    return list(db_session.scalars(select(TaskEvent).where(TaskEvent.task_id == task.id)
                                   .order_by(TaskEvent.at, TaskEvent.id)))


def evidence_count(db_session: Session, task: Task) -> int:
    return db_session.scalar(select(func.count()).select_from(Evidence).where(Evidence.task_id == task.id)) or 0


def returned_by(task: Task, trail: Sequence[TaskEvent]) -> TaskEvent | None:
    """The review that returned the results, while the team is working on them again."""
    if task.state != TaskState.ON_SITE.value or not trail:
        return None
    last = trail[-1]
    return last if last.from_state == TaskState.RECORDED.value else None


def task_view(db_session: Session, registry: PluginRegistry, task: Task, locale: str) -> TaskView:
    """The task page's content for a task the user sees."""
    trail = trail_of(db_session, task)
    return TaskView(
        task=task, team=roster.team_rows(db_session, [task.team])[0],
        departments=department_items(db_session, registry, task, locale),
        notices=list(db_session.scalars(select(Notice).where(Notice.task_id == task.id)
                                        .order_by(Notice.notified_at, Notice.id))),
        evidence=evidence_count(db_session, task), trail=trail, returned=returned_by(task, trail),
        suggestion=suggest(task), skip_on_site=may_skip_on_site(registry, task))

