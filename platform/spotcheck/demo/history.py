"""Demo history: a year of published results, their follow-up and the targets' credit.

The tasks the demo walk (:mod:`spotcheck.demo.tasks`) leaves dispatched, and those of the
entertainment venues plan's draw (WLJ with RSJ, drawn here by the office), are checked on days
spread over their batches' windows, reviewed the next working day and published a few working
days later (one late), as the year went: mostly no problem found, problems followed up under the
departments' rules, information not disclosed, targets unreachable, and serious non-cooperation.
Then the follow-ups move as the year went: some orders are met (corrected), a case is closed,
the rest is left to the follow-up sweep as of today (overdue orders and their cases). The credit
record and class follow by themselves; the two serious non-cooperations list their targets for
joint punishment, and the earlier one's credit is repaired (recorded by the department, approved
by its head, after the shortest listing period).

Through the services in the system scope; each step's day is the story's, and the time of a
task's recording and review is set to it, so each result's disclosure deadline counts from the
day it was entered. Idempotent: the history is loaded once, with the entertainment draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.calendar.service import WorkingCalendar, load_calendar
from spotcheck.demo.accounts import acting_user
from spotcheck.demo.plans import plan_named
from spotcheck.demo.tasks import Walk, _Actors, _Walker, demo_draws
from spotcheck.draw import service as draws
from spotcheck.draw.models import Draw
from spotcheck.followup.models import Action, FollowUp, FollowUpState
from spotcheck.followup.service import act, followup_sweep
from spotcheck.hooks.validation import OFFICE_CODE
from spotcheck.inspection import review
from spotcheck.inspection.models import ResultCategory, Task, TaskState
from spotcheck.planning.models import WorkPlanState
from spotcheck.planning.workplans import work_plan_of
from spotcheck.publication.service import publish
from spotcheck.punishment.models import PunishmentEntry
from spotcheck.punishment.service import current_repair_rule, decide_repair, request_repair
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.roles import Role

ENTERTAINMENT_PLAN = "2026年度娱乐场所联合抽查"
ENTERTAINMENT_ENTROPY = "2026年5月8日城东区公证处监督，群众代表抽取的彩球号码：12 05 33 27"
PUBLISHER_ROLE = Role.HEAD
TIMEZONE = "Asia/Shanghai"
BEIJING = timezone(timedelta(hours=8))
PER_DRAW = 30
"""At most this many tasks of a draw go into the history: the load stays quick."""

_DONE = dict(notice="phone", on_site=True, record="all", ended=True, result=True)
CLEAN = Walk(**_DONE)  # type: ignore[arg-type]
PROBLEM = Walk(**{**_DONE, "findings": "problem"})  # type: ignore[arg-type]
NOT_DISCLOSED = Walk(**_DONE, category=ResultCategory.NOT_DISCLOSED)  # type: ignore[arg-type]
UNREACHABLE = Walk(on_site=True, record="all", ended=True, result=True, category=ResultCategory.UNREACHABLE)
NON_COOPERATION = Walk(on_site=True, record="all", findings="non_cooperation", ended=True, result=True)

PATTERN = (CLEAN, PROBLEM, CLEAN, NON_COOPERATION, CLEAN, PROBLEM, NOT_DISCLOSED, CLEAN, CLEAN, PROBLEM,
           UNREACHABLE, CLEAN, PROBLEM, CLEAN, CLEAN, NOT_DISCLOSED, PROBLEM, CLEAN)
"""How the year's checks ended, in the order of their visits (repeated; non-cooperation only the
first time round in each draw)."""

CORRECTION_NOTE = "当事人已按要求完成整改，执法人员现场复查确认。"
CASE_CLOSED_NOTE = "已立案查处，依法作出行政处罚决定并执行完毕。"
REPAIR_REASON = "当事人已书面承诺依法配合监督检查，并在复查中如实提供全部材料，失信行为已纠正。"
REPAIR_NOTE = "经核实，当事人已纠正失信行为，同意信用修复。"
LATE_INDEX = 5
"""The one result published after its 20 working days, so that the late count has an entry."""


@dataclass
class HistoryReport:
    """What the history made."""

    published: int = 0
    followups_moved: int = 0
    listed: int = 0
    repaired: int = 0


def load_demo_history(db: Session, today: date) -> HistoryReport:
    """Load the year of published results (see the module) unless it is there. Runs in ``db``'s
    system scope; the caller commits."""
    report = HistoryReport()
    entertainment = _entertainment_draw(db)
    if entertainment is None:
        return report
    calendar = load_calendar(db)
    walker = _Walker(db, calendar, today)
    for draw in [*demo_draws(db), entertainment]:
        tasks = db.scalars(select(Task).where(Task.draw_id == draw.id, Task.state == TaskState.DISPATCHED.value,
                                              Task.scheduled_on.is_(None)).order_by(Task.id).limit(PER_DRAW)).all()
        report.published += _year_of(db, calendar, walker, draw, list(tasks), today)
    db.flush()
    report.followups_moved = _follow_up(db, today)
    report.listed, report.repaired = _repair_the_earliest(db, today)
    db.flush()
    return report


def _entertainment_draw(db: Session) -> Draw | None:
    """The entertainment plan's draw, made now; ``None`` when it exists (the history is loaded) or
    the plan has no approved work plan."""
    plan = plan_named(db, ENTERTAINMENT_PLAN)
    work_plan = work_plan_of(db, plan) if plan is not None else None
    if work_plan is None or work_plan.state != WorkPlanState.APPROVED.value or not work_plan.batches:
        return None
    batch = min(work_plan.batches, key=lambda b: b.number)
    if db.scalar(select(Draw.id).where(Draw.batch_id == batch.id).limit(1)) is not None:
        return None
    office = acting_user(db, OFFICE_CODE, Role.OFFICE)
    return draws.execute(db, draws.prepare(db, batch, office), ENTERTAINMENT_ENTROPY, office)


def _visit_days(calendar: WorkingCalendar, draw: Draw, count: int, today: date) -> list[date]:
    """``count`` working days spread over the draw's batch window, ending a month before today."""
    start = calendar.add_working_days(draw.batch.window_start - timedelta(days=1), 1)
    end = min(draw.batch.window_end, today - timedelta(days=45))
    span = max(1, calendar.working_days_between(start, end))
    return [calendar.add_working_days(start, index * span // max(1, count)) for index in range(count)]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), BEIJING).astimezone(timezone.utc)


def _year_of(db: Session, calendar: WorkingCalendar, walker: _Walker, draw: Draw, tasks: list[Task],
             today: date) -> int:
    actors = _Actors(db, draw)
    head = acting_user(db, draw.initiator.code, PUBLISHER_ROLE)
    for index, (task, day) in enumerate(zip(tasks, _visit_days(calendar, draw, len(tasks), today))):
        walk = PATTERN[index % len(PATTERN)]
        if walk is NON_COOPERATION and index >= len(PATTERN):
            walk = CLEAN
        walker.walk(task, walk, day, actors)
        entered = calendar.add_working_days(day, 1)
        review.approve(db, task, head, review_note(walk), reviewed_on=entered)
        # The story's days: results entered and reviewed the working day after the visit.
        task.recorded_at = _at(entered, 10)
        task.reviewed_at = _at(entered, 16)
        for item in task.items:
            item.recorded_at = _at(day, 17)
        late = 24 if index == LATE_INDEX else 3 + (index * 7) % 14
        publish(db, task, head.username, today=min(today, calendar.add_working_days(entered, late)),
                timezone=TIMEZONE)
    return len(tasks)


def review_note(walk: Walk) -> str:
    return "检查记录完整，结果类别与发现的问题相符，同意公示。" if walk.findings else "检查记录完整，同意公示。"


def _owner(db: Session, followup: FollowUp) -> User:
    """Who acts for the owning department: its demo staff account, or a stand-in of it."""
    department = db.get(Department, followup.department_id)
    assert department is not None
    user = acting_user(db, department.code, Role.STAFF)
    if user.id is None:
        user.department_id = department.id  # the stand-in is never saved
    return user


def _follow_up(db: Session, today: date) -> int:
    """Every other open order met, one case closed; then the sweep as of today."""
    moved = 0
    orders = db.scalars(select(FollowUp).where(FollowUp.state == FollowUpState.OPEN.value,
                                               FollowUp.action == Action.ORDER_CORRECTION.value)
                        .order_by(FollowUp.id)).all()
    for order in orders[::2]:
        act(db, order, FollowUpState.CORRECTED, _owner(db, order), CORRECTION_NOTE)
        moved += 1
    followup_sweep(db, today)
    case = db.scalar(select(FollowUp).where(FollowUp.state == FollowUpState.OPEN.value,
                                            FollowUp.action == Action.FILE_CASE.value).order_by(FollowUp.id))
    if case is not None:
        act(db, case, FollowUpState.CLOSED, _owner(db, case), CASE_CLOSED_NOTE)
        moved += 1
    return moved


def _repair_the_earliest(db: Session, today: date) -> tuple[int, int]:
    """The listed entries, and the earliest one's credit repaired once its shortest period passed."""
    entries = db.scalars(select(PunishmentEntry).order_by(PunishmentEntry.listed_on, PunishmentEntry.id)).all()
    if not entries:
        return 0, 0
    first = entries[0]
    asked = current_repair_rule().repair_from(first.basis, first.last_event_on) + timedelta(days=14)
    if asked >= today:
        return len(entries), 0
    code = first.department.code
    request_repair(db, first, acting_user(db, code, Role.STAFF).username, REPAIR_REASON, asked)
    decide_repair(db, first, acting_user(db, code, Role.HEAD).username, True, REPAIR_NOTE,
                  asked + timedelta(days=7))
    return len(entries), 1
