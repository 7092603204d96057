"""Review of recorded results (issue 6, point 8): the initiating department's head approves them
for publication, or returns them to the team with the reason.

Returned results go back on site: the team sees the reason on the task page, the items stay
recorded (their forms may be recorded again) and the leader records the result anew. A return does
not make the team late: the results were recorded, so the sweep never marks such a task overdue.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from spotcheck.db import utcnow
from spotcheck.followup.service import open_followups
from spotcheck.hooks import get_registry
from spotcheck.inspection import tasks
from spotcheck.inspection.models import Task, TaskState
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped

NOTE_MAX = 2000


def _check_reviewable(task: Task) -> None:
    state = TaskState(task.state)
    if state is not TaskState.RECORDED:
        raise TaskRefused("review_state", f"任务状态为“{state.label}”：只有已录入的检查结果才能审核。",
                          f"Only recorded results are reviewed; this task is {state.label.lower()}.")


def _note(text: str | None, code: str) -> str | None:
    text = (text or "").strip() or None
    if text is not None and len(text) > NOTE_MAX:
        raise TaskRefused(code, f"内容不能超过{NOTE_MAX}个字符。", f"The text is longer than {NOTE_MAX} characters.")
    return text


def _stamp(task: Task, user: User, note: str | None) -> None:
    task.reviewed_at = utcnow()
    task.reviewed_by = user.username
    task.review_note = note


def approve(db_session: Session, task: Task, user: User, note: str | None = None,
            reviewed_on: date | None = None) -> None:
    """Approve the recorded results: the task is reviewed, ready for publication. ``reviewed_on``
    (default today) is the day the follow-ups' deadlines count from: the demo's past year gives it."""
    _check_reviewable(task)
    note = _note(note, "note")
    with scoped(db_session, Scope.system()):
        _stamp(task, user, note)
        tasks.move(db_session, task, TaskState.REVIEWED, user.username, note)
        # Article 17: the findings the departments' rules act on open their follow-ups now.
        open_followups(db_session, task, get_registry(), reviewed_on or today(), user.username)


def return_results(db_session: Session, task: Task, user: User, reason: str | None) -> None:
    """Return the results to the team, saying why (required): the task is on site again."""
    _check_reviewable(task)
    reason = _note(reason, "reason")
    if reason is None:
        raise TaskRefused("reason", "退回检查结果须说明理由。", "Say why the results are returned.")
    with scoped(db_session, Scope.system()):
        _stamp(task, user, reason)
        tasks.move(db_session, task, TaskState.ON_SITE, user.username, reason)
