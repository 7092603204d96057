"""The figures of the office console (seed article 21), each computed by one set-based query.

Every figure is counted per department with ``GROUP BY`` (never one query per department or per
task), so a dashboard costs the same few statements whatever the number of departments, plans or
tasks. Which department a figure belongs to:

- plans submitted on time: the initiator and every confirmed participant of a submitted plan
  (as :func:`spotcheck.planning.service.submission_status`); plans are yearly, the period's year;
- draws executed (drawn in the period) and tasks (dispatched in the period): the plan's initiator,
  whose joint team leads the visit; a task is completed once its results are recorded, within the
  7 working days when the deadline sweep never marked it overdue;
- results published in the period, and within the 20 working days: the initiator, as the
  publication records it;
- follow-ups opened in the period: the department that must act (the receiver of a transfer);
- replacement requests made in the period: the drawn inspector's department;
- "enter once": the visits (tasks) a department took part in (it sends members to the joint
  teams of the task's draw), against the separate visits the same checks would have needed (one
  per department of the joint team);
- coverage: the targets a department supervises, and those of them visited in the period (a
  count over the whole directory: the office's page shows it in total only, see :func:`dashboard`).

The caller reads in the system scope and narrows to the departments the user may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Select, and_, case, distinct, func, or_, select, union_all
from sqlalchemy.orm import Session

from spotcheck.console.periods import Period
from spotcheck.draw.models import Draw, DrawDepartment, DrawState, Replacement, ReplacementState
from spotcheck.followup.models import PENDING, FollowUp, FollowUpState
from spotcheck.inspection.models import Task
from spotcheck.planning.models import AnnualPlan, Confirmation, PlanParticipant, PlanState
from spotcheck.publication.models import Publication
from spotcheck.registry.targets.models import Target, TargetSupervision
from spotcheck.tenancy.models import Department

ON_TIME, LATE, MISSING = "on_time", "late", "missing"


@dataclass
class Figures:
    """The counts of one department (or of all of them) for one period."""

    plans_on_time: int = 0
    plans_late: int = 0
    plans_missing: int = 0
    draws_executed: int = 0
    targets_drawn: int = 0
    tasks: int = 0
    tasks_completed: int = 0
    tasks_completed_on_time: int = 0
    tasks_overdue: int = 0
    published: int = 0
    published_on_time: int = 0
    followups_open: int = 0
    followups_overdue: int = 0
    followups_closed: int = 0
    replacements: int = 0
    replacements_approved: int = 0
    replacements_rejected: int = 0
    visits: int = 0
    department_checks: int = 0
    directory: int = 0
    checked: int = 0

    def add(self, other: Figures, names: Iterable[str]) -> None:
        for name in names:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def plan_status(self) -> str:
        """A department's submission for the year: on time, late, or missing."""
        return ON_TIME if self.plans_on_time else LATE if self.plans_late else MISSING

    @property
    def followups(self) -> int:
        return self.followups_open + self.followups_overdue + self.followups_closed

    @property
    def visits_saved(self) -> int:
        return self.department_checks - self.visits

    def rate(self, name: str) -> float | None:
        """One of :data:`RATES` as a share from 0 to 1; ``None`` when there is nothing to count."""
        numerator, denominator = RATES[name]
        whole = sum(getattr(self, part) for part in denominator)
        return None if not whole else getattr(self, numerator) / whole


RATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "plans_on_time": ("plans_on_time", ("plans_on_time", "plans_late", "plans_missing")),
    "tasks_completed": ("tasks_completed", ("tasks",)),
    "tasks_completed_on_time": ("tasks_completed_on_time", ("tasks",)),
    "published_on_time": ("published_on_time", ("published",)),
    "followups_closed": ("followups_closed", ("followups_open", "followups_overdue", "followups_closed")),
    "coverage": ("checked", ("directory",)),
}
"""Each share the console shows and the assessment scores: numerator over the sum of the rest."""

ADDITIVE = tuple(f.name for f in fields(Figures) if f.name not in {"visits", "department_checks",
                                                                     "directory", "checked"})
"""Figures whose total over all departments is the sum of theirs (a joint visit or a target
supervised by several departments is counted once in the total, so those four are not)."""


@dataclass
class DepartmentFigures:
    department: Department
    figures: Figures


@dataclass
class Dashboard:
    """The figures of a period: one row per department shown, and the total."""

    period: Period
    department: Department | None
    rows: list[DepartmentFigures] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)


def member_units(db_session: Session) -> list[Department]:
    """The active member units (the office itself is not assessed), by code."""
    return list(db_session.scalars(select(Department).where(
        Department.active.is_(True), Department.is_office.is_(False)).order_by(Department.code)))


def dashboard(db_session: Session, period: Period, department: Department | None = None,
              unit_coverage: bool = True) -> Dashboard:
    """Every figure of ``period`` for each member unit and in total, or for ``department`` alone.

    ``unit_coverage=False`` leaves out each unit's coverage (its directory and the part visited),
    the one figure that counts every supervision of the directory; the total's stays."""
    units = [department] if department is not None else member_units(db_session)
    only = department.id if department is not None else None
    by_id = {d.id: Figures() for d in units}
    groups = _task_groups(db_session, period, only)
    teams = _draw_departments(db_session, {group[1] for group in groups})
    found = [query(db_session, period, only) for query in (
        _plans, _draws, _publications, _followups, _replacements, *((_coverage,) if unit_coverage else ()))]
    for grouped in (*found, _tasks_and_visits(groups, teams, only)):
        for department_id, values in grouped.items():
            if department_id in by_id:
                for name, value in values.items():
                    setattr(by_id[department_id], name, int(value or 0))
    for figures in by_id.values():
        figures.plans_missing = int(not figures.plans_on_time and not figures.plans_late)
    rows = [DepartmentFigures(d, by_id[d.id]) for d in units]
    total = by_id[only] if only is not None else _total(db_session, period, rows, _joint_visits(groups, teams))
    return Dashboard(period, department, rows, total)


def _total(db_session: Session, period: Period, rows: list[DepartmentFigures],
           joint_visits: tuple[int, int]) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row.figures, ADDITIVE)
    total.plans_on_time = sum(r.figures.plan_status == ON_TIME for r in rows)
    total.plans_late = sum(r.figures.plan_status == LATE for r in rows)
    total.plans_missing = sum(r.figures.plan_status == MISSING for r in rows)
    total.visits, total.department_checks = joint_visits
    total.directory = int(db_session.scalar(select(func.count()).select_from(Target)) or 0)
    total.checked = int(db_session.scalar(select(func.count(distinct(Task.target_id))).where(
        _dispatched_in(period))) or 0)
    return total


Grouped = dict[int, dict[str, Any]]


def _grouped(db_session: Session, statement: Select[Any], names: tuple[str, ...]) -> Grouped:
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in db_session.execute(statement)}


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _dispatched_in(period: Period) -> Any:
    return and_(Task.created_at >= period.starts_at, Task.created_at < period.ends_before)


def _narrow(statement: Select[Any], column: Any, only: int | None) -> Select[Any]:
    return statement if only is None else statement.where(column == only)


def _plans(db_session: Session, period: Period, only: int | None) -> Grouped:
    submitted = and_(AnnualPlan.year == period.year, AnnualPlan.submitted_at.is_not(None),
                     AnnualPlan.state != PlanState.WITHDRAWN.value)
    parts = union_all(
        select(AnnualPlan.department_id.label("department_id"), AnnualPlan.late.label("late"))
        .where(submitted),
        select(PlanParticipant.department_id, AnnualPlan.late)
        .join(AnnualPlan, AnnualPlan.id == PlanParticipant.plan_id)
        .where(submitted, PlanParticipant.status == Confirmation.CONFIRMED.value),
    ).subquery()
    statement = select(parts.c.department_id, _count_if(parts.c.late.is_(False)),
                       _count_if(parts.c.late.is_(True))).group_by(parts.c.department_id)
    found = _grouped(db_session, _narrow(statement, parts.c.department_id, only), ("on_time", "late"))
    # Any plan on time makes the department on time; only late ones, late (as the February page).
    return {department_id: {"plans_on_time": int(bool(v["on_time"])),
                            "plans_late": int(not v["on_time"] and bool(v["late"]))}
            for department_id, v in found.items()}


def _draws(db_session: Session, period: Period, only: int | None) -> Grouped:
    statement = select(Draw.department_id, func.count(), func.sum(func.coalesce(Draw.selected_count, 0))).where(
        Draw.state == DrawState.EXECUTED.value, Draw.drawn_at >= period.starts_at,
        Draw.drawn_at < period.ends_before).group_by(Draw.department_id)
    return _grouped(db_session, _narrow(statement, Draw.department_id, only),
                    ("draws_executed", "targets_drawn"))


TASK_COUNTS = ("tasks", "tasks_completed", "tasks_completed_on_time", "tasks_overdue")


def _task_groups(db_session: Session, period: Period, only: int | None) -> list[Any]:
    """The period's tasks counted per initiator and draw, in one pass: the task figures add up
    by initiator, the visits by the departments of each draw's joint teams."""
    recorded = Task.recorded_at.is_not(None)
    statement = select(Task.department_id, Task.draw_id, func.count(), _count_if(recorded),
                       _count_if(and_(recorded, Task.overdue.is_(False))),
                       _count_if(and_(Task.recorded_at.is_(None), Task.overdue.is_(True)))
                       ).where(_dispatched_in(period)).group_by(Task.department_id, Task.draw_id)
    if only is not None:
        statement = statement.where(or_(Task.department_id == only, Task.draw_id.in_(
            select(DrawDepartment.draw_id).where(DrawDepartment.department_id == only))))
    return list(db_session.execute(statement))


def _draw_departments(db_session: Session, draw_ids: set[int]) -> dict[int, list[int]]:
    """The departments on the joint teams of each draw."""
    found: dict[int, list[int]] = {}
    if draw_ids:
        for draw_id, department_id in db_session.execute(select(
                DrawDepartment.draw_id, DrawDepartment.department_id).where(DrawDepartment.draw_id.in_(draw_ids))):
            found.setdefault(draw_id, []).append(department_id)
    return found


def _tasks_and_visits(groups: list[Any], teams: dict[int, list[int]], only: int | None) -> Grouped:
    found: Grouped = {}
    for department_id, draw_id, *counts in groups:
        if only is None or department_id == only:
            mine = found.setdefault(department_id, {})
            for name, value in zip(TASK_COUNTS, counts, strict=True):
                mine[name] = mine.get(name, 0) + int(value or 0)
        departments = teams.get(draw_id, [])
        for member in departments:
            visits = found.setdefault(member, {})
            visits["visits"] = visits.get("visits", 0) + counts[0]
            visits["department_checks"] = visits.get("department_checks", 0) + counts[0] * len(departments)
    return found


def _joint_visits(groups: list[Any], teams: dict[int, list[int]]) -> tuple[int, int]:
    """The visits of joint teams (every member unit's), and the separate visits they replaced."""
    visits = sum(group[2] for group in groups if teams.get(group[1]))
    return visits, sum(group[2] * len(teams.get(group[1], [])) for group in groups)


def _publications(db_session: Session, period: Period, only: int | None) -> Grouped:
    statement = select(Publication.department_id, func.count(), _count_if(Publication.late.is_(False))).where(
        Publication.published_on >= period.start, Publication.published_on <= period.end
    ).group_by(Publication.department_id)
    return _grouped(db_session, _narrow(statement, Publication.department_id, only),
                    ("published", "published_on_time"))


CLOSED_FOLLOWUPS = (FollowUpState.CORRECTED.value, FollowUpState.CLOSED.value)
OPEN_FOLLOWUPS = tuple(s.value for s in PENDING)


def _followups(db_session: Session, period: Period, only: int | None) -> Grouped:
    statement = select(FollowUp.department_id, _count_if(FollowUp.state.in_(OPEN_FOLLOWUPS)),
                       _count_if(FollowUp.state == FollowUpState.OVERDUE.value),
                       _count_if(FollowUp.state.in_(CLOSED_FOLLOWUPS))).where(
        FollowUp.created_at >= period.starts_at, FollowUp.created_at < period.ends_before
    ).group_by(FollowUp.department_id)
    return _grouped(db_session, _narrow(statement, FollowUp.department_id, only),
                    ("followups_open", "followups_overdue", "followups_closed"))


def _replacements(db_session: Session, period: Period, only: int | None) -> Grouped:
    statement = select(Replacement.department_id, func.count(),
                       _count_if(Replacement.state == ReplacementState.APPROVED.value),
                       _count_if(Replacement.state == ReplacementState.REJECTED.value)).where(
        Replacement.requested_at >= period.starts_at, Replacement.requested_at < period.ends_before
    ).group_by(Replacement.department_id)
    return _grouped(db_session, _narrow(statement, Replacement.department_id, only),
                    ("replacements", "replacements_approved", "replacements_rejected"))


def checked_targets(period: Period) -> Select[Any]:
    """The targets visited (a task dispatched) in ``period``."""
    return select(Task.target_id).where(_dispatched_in(period))


def _coverage(db_session: Session, period: Period, only: int | None) -> Grouped:
    supervision = TargetSupervision.department_id
    directory = _grouped(db_session, _narrow(select(supervision, func.count()).group_by(supervision),
                                             supervision, only), ("directory",))
    # From the period's few visited targets to their supervisions (by the unique index), rather
    # than through every supervision of the directory.
    visited = checked_targets(period).distinct().subquery()
    checked = _grouped(db_session, _narrow(
        select(supervision, func.count()).join(visited, visited.c.target_id == TargetSupervision.target_id)
        .group_by(supervision), supervision, only), ("checked",))
    return {department_id: {**values, **checked.get(department_id, {})}
            for department_id, values in directory.items()}
