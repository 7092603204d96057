"""The leader's steps before the result (seed articles 15 and 16): schedule the visit, start the
on-site check, and say when the check ended — which sets the results' due date,
:data:`~spotcheck.inspection.models.RESULT_DUE_WORKING_DAYS` working days later.

The day the check ended can be corrected until the results are recorded, but not once the due date
it gave has passed: a late team cannot move its own deadline.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.calendar.service import CalendarMissing
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection import tasks
from spotcheck.inspection.models import Task, TaskState
from spotcheck.inspection.results import may_skip_on_site
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped

BEFORE_VISIT = frozenset({TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED})
"""States before the team is on site: the visit can be (re)scheduled and started."""

NOTE_MAX = 1000


def schedule(db_session: Session, task: Task, day: date | None, note: str | None) -> None:
    """Set (or change) the day of the visit, with a note for the team."""
    state = TaskState(task.state)
    if state not in BEFORE_VISIT:
        raise TaskRefused("schedule_state", f"任务状态为“{state.label}”，不能再安排检查时间。",
                          f"A task that is {state.label.lower()} can no longer be scheduled.")
    if day is None:
        raise TaskRefused("scheduled_on", "请填写检查日期。", "Enter the day of the visit.")
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX:
        raise TaskRefused("note", f"备注不能超过{NOTE_MAX}个字符。", f"The note is longer than {NOTE_MAX} characters.")
    with scoped(db_session, Scope.system()):
        task.scheduled_on = day
        task.schedule_note = note
        db_session.flush()
    audit.record(db_session, "task_schedule", "task", task.id,
                 {"scheduled_on": day.isoformat(), "note": note})


def start_on_site(db_session: Session, task: Task, user: User) -> None:
    """The team is on site: the task moves to on site. (Recorded results go back on site only
    when the head returns them.)"""
    state = TaskState(task.state)
    if state not in BEFORE_VISIT:
        raise TaskRefused("transition", f"任务状态为“{state.label}”，不能开始实地检查。",
                          f"A task that is {state.label.lower()} cannot start its on-site check.")
    tasks.move(db_session, task, TaskState.ON_SITE, user.username)


def end_check(db_session: Session, registry: PluginRegistry, task: Task, ended_on: date | None,
              today: date) -> date:
    """Record the day the check ended and return the results' due date. Nothing is saved when
    that date needs a year without a complete calendar."""
    state = TaskState(task.state)
    if state is TaskState.ONLINE_CHECKED and not may_skip_on_site(registry, task):
        raise TaskRefused("on_site_needed", "网上核查未覆盖全部检查内容，须实地检查后才能结束检查。",
                          "The online check did not settle every item: the check ends after the "
                          "on-site visit.")
    if state not in (TaskState.ON_SITE, TaskState.ONLINE_CHECKED):
        raise TaskRefused("end_state", f"任务状态为“{state.label}”，不能填写检查结束日期。",
                          f"A task that is {state.label.lower()} cannot have its check ended.")
    if task.recorded_at is not None:
        raise TaskRefused("end_fixed", "检查结果已录入，检查结束日期不能再修改。",
                          "The results are recorded: the day the check ended can no longer change.")
    if task.due_on is not None and task.due_on < today:
        raise TaskRefused("end_fixed", f"结果录入期限（{task.due_on.isoformat()}）已过，检查结束日期不能再修改。",
                          f"The results were due on {task.due_on.isoformat()}: the day the check "
                          "ended can no longer change.")
    if ended_on is None:
        raise TaskRefused("ended_on", "请填写检查结束日期。", "Enter the day the check ended.")
    if ended_on > today:
        raise TaskRefused("ended_on", f"检查结束日期（{ended_on.isoformat()}）不能晚于今天。",
                          f"The check cannot end in the future ({ended_on.isoformat()}).")
    previous = task.check_ended_on
    try:
        due = tasks.end_check(db_session, task, ended_on)
    except CalendarMissing as missing:
        raise TaskRefused("calendar_missing", missing.message_zh, missing.message_en) from None
    audit.record(db_session, "task_end_check", "task", task.id,
                 {"ended_on": ended_on.isoformat(), "due_on": due.isoformat(),
                  "previous": previous.isoformat() if previous else None})
    return due
