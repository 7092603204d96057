"""Publishing reviewed results, and what the public reads of them.

:func:`publish` turns a reviewed task into its :class:`~spotcheck.publication.models.Publication`
(the frozen public snapshot), keeps the target's :class:`~spotcheck.publication.models.PublicTarget`
in step, moves the task to published and audits it. The initiating department's head publishes
from the task, or the sweep does when the deadline comes (:mod:`spotcheck.publication.sweep`).

The deadline: results are published within
:data:`~spotcheck.publication.models.DISCLOSURE_WORKING_DAYS` working days of being entered, the
day the leader recorded them (``Task.recorded_at``, as a date where the platform's users are).
A publication after that day is ``late`` by the working days between the deadline and the day of
publication, and counts against the initiating department. Without a complete calendar for a year
the count needs, nothing is published: the deadline is never guessed.

Services never commit; the caller does. The public reads (:func:`search_targets`,
:func:`public_target`, :func:`publications_of`, :func:`latest`) touch the public tables only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.calendar.service import CalendarMissing, WorkingCalendar, load_calendar
from spotcheck.draw.models import Draw
from spotcheck.followup.credit import record_publication
from spotcheck.punishment.service import list_serious
from spotcheck.followup.service import apply_outcome
from spotcheck.inspection import tasks
from spotcheck.inspection.models import Task, TaskState
from spotcheck.planning.models import AnnualPlan
from spotcheck.planning.service import PlanError
from spotcheck.publication.models import (DISCLOSURE_WORKING_DAYS, Publication, PublicationDepartment,
                                          PublicTarget)
from spotcheck.publication.naming import public_name
from spotcheck.registry.targets.search import COUNT_CAP, TargetFilters, name_prefix
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped
from spotcheck.web.pagination import Page

SEARCH_PER_PAGE = 50


class PublicationRefused(PlanError):
    """A task that cannot be published now, and why, in Chinese and English."""


def entered_on(task: Task, timezone: str) -> date:
    """The day the task's results were entered, where the platform's users are."""
    assert task.recorded_at is not None
    return task.recorded_at.astimezone(ZoneInfo(timezone)).date()


@dataclass(frozen=True)
class Deadline:
    """A task's disclosure deadline, as of a day: when it is due, and how late that day is."""

    entered_on: date
    due_on: date
    working_days_late: int

    @property
    def late(self) -> bool:
        return self.working_days_late > 0


def deadline(calendar: WorkingCalendar, task: Task, timezone: str, today: date) -> Deadline:
    """The deadline of ``task``'s results as of ``today``. Raises :class:`CalendarMissing` when a
    year it needs has no complete calendar."""
    entered = entered_on(task, timezone)
    due = calendar.add_working_days(entered, DISCLOSURE_WORKING_DAYS)
    late = calendar.working_days_between(due, today) if today > due else 0
    return Deadline(entered, due, late)


def publish(db_session: Session, task: Task, by: str, *, today: date, timezone: str,
            calendar: WorkingCalendar | None = None) -> Publication:
    """Publish reviewed ``task``: write its public snapshot, bring its public target up to date,
    move it to published and audit ``publication_publish``. ``today`` is the day of publication
    (where the platform's users are); a missing calendar refuses, naming the year."""
    if task.state != TaskState.REVIEWED.value:
        state = TaskState(task.state)
        raise PublicationRefused("state", f"任务状态为“{state.label}”：只有审核通过的检查结果才能公示。",
                                 f"Only reviewed results are published; this task is {state.label.lower()}.")
    try:
        due = deadline(calendar or load_calendar(db_session), task, timezone, today)
    except CalendarMissing as missing:
        raise PublicationRefused("calendar", missing.message_zh, missing.message_en) from None
    with scoped(db_session, Scope.system()):
        # The move first: it writes the task at the version read, so of two publishing at once
        # the second fails there (StaleDataError), before writing anything of its own.
        tasks.move(db_session, task, TaskState.PUBLISHED, by)
        publication = _snapshot(db_session, task, due, by, today)
        db_session.add(publication)
        db_session.flush()
        _keep_public_target(db_session, publication)
        # The follow-ups' outcome so far amends the public result; the record feeds the credit.
        apply_outcome(db_session, task)
        record_publication(db_session, publication)
        list_serious(db_session, publication)
    audit.record(db_session, "publication_publish", "publication", publication.id,
                 {"task": task.id, "due_on": due.due_on.isoformat(), "published_on": today.isoformat(),
                  "working_days_late": due.working_days_late})
    return publication


def _snapshot(db_session: Session, task: Task, due: Deadline, by: str, today: date) -> Publication:
    """The publication of ``task``: only what the public may see is copied."""
    assert task.check_ended_on is not None and task.result_category is not None, "recorded results"
    target = task.target
    department_ids = list(dict.fromkeys([task.department_id, *(i.department_id for i in task.items)]))
    departments = {d.id: d for d in db_session.scalars(
        select(Department).where(Department.id.in_(department_ids)))}
    plan_type, batch_id = db_session.execute(
        select(AnnualPlan.plan_type, Draw.batch_id).join(Draw, Draw.plan_id == AnnualPlan.id)
        .where(Draw.id == task.draw_id)).one()
    publication = Publication(
        task_id=task.id, department_id=task.department_id, plan_id=task.plan_id, batch_id=batch_id,
        draw_id=task.draw_id, check_type=plan_type, target_id=target.id, target_code=target.code,
        target_name=public_name(target.kind, target.name, target.legal_representative),
        target_kind=target.kind, area_code=target.area.code if target.area else None,
        checked_on=task.check_ended_on, year=task.check_ended_on.year,
        departments=[{"code": departments[i].code, "name_zh": departments[i].name_zh,
                      "name_en": departments[i].name_en} for i in department_ids],
        items=[{"department_code": i.department_code, "code": i.item_code, "name_zh": i.name_zh,
                "name_en": i.name_en} for i in task.items],
        result_category=task.result_category, non_cooperation=list(task.non_cooperation or []),
        followup_status=None, entered_on=due.entered_on, due_on=due.due_on, published_on=today,
        late=due.late, working_days_late=due.working_days_late, published_by=by)
    publication.department_links = [PublicationDepartment(department_id=i, position=n)
                                    for n, i in enumerate(department_ids)]
    return publication


def _keep_public_target(db_session: Session, publication: Publication) -> None:
    """Create or update the target's public row from its newest publication."""
    row = db_session.scalars(select(PublicTarget).where(PublicTarget.target_id == publication.target_id)
                             ).one_or_none()
    if row is None:
        db_session.add(PublicTarget(target_id=publication.target_id, code=publication.target_code,
                                    name=publication.target_name, kind=publication.target_kind,
                                    area_code=publication.area_code, publications=1,
                                    last_checked_on=publication.checked_on))
    else:
        row.code, row.name = publication.target_code, publication.target_name
        row.kind, row.area_code = publication.target_kind, publication.area_code
        row.publications += 1
        row.last_checked_on = max(row.last_checked_on, publication.checked_on)
    db_session.flush()


# -- what the public reads -----------------------------------------------------------------------

@dataclass(frozen=True)
class TargetPage(Page[PublicTarget]):
    """One page of a public target search; ``total`` stops at :data:`COUNT_CAP` (``capped``)."""

    capped: bool = False


def search_targets(db_session: Session, query: str, number: int = 1,
                   per_page: int = SEARCH_PER_PAGE) -> TargetPage:
    """The targets with published checks whose code is ``query`` (when it looks like a code) or
    whose public name starts with it, in name order: a range on the name index, or the unique
    code."""
    filters = TargetFilters.from_query(query)
    if filters.code:
        where = PublicTarget.code == filters.code
    elif filters.name:
        where = name_prefix(PublicTarget.name, filters.name)
    else:
        return TargetPage([], 1, per_page, 0)
    last = COUNT_CAP // per_page
    number = max(1, min(number, last))
    items = list(db_session.scalars(select(PublicTarget).where(where)
                                    .order_by(PublicTarget.name, PublicTarget.target_id)
                                    .offset((number - 1) * per_page).limit(per_page)))
    if number == 1 and len(items) < per_page:
        total = len(items)
    else:
        limited = select(PublicTarget.target_id).where(where).limit(COUNT_CAP + 1).subquery()
        total = db_session.scalar(select(func.count()).select_from(limited)) or 0
    return TargetPage(items, number, per_page, min(total, COUNT_CAP), total > COUNT_CAP)


def public_target(db_session: Session, code: str) -> PublicTarget | None:
    """The target with code ``code``, if it has a published check."""
    return db_session.scalars(select(PublicTarget).where(PublicTarget.code == code)).one_or_none()


def publications_of(db_session: Session, target: PublicTarget) -> list[Publication]:
    """Every published check of ``target``, the latest first."""
    return list(db_session.scalars(select(Publication).where(Publication.target_id == target.target_id)
                                   .order_by(Publication.checked_on.desc(), Publication.id.desc())))


def latest(db_session: Session, count: int) -> list[Publication]:
    """The ``count`` most recently published checks."""
    return list(db_session.scalars(select(Publication).order_by(Publication.id.desc()).limit(count)))
