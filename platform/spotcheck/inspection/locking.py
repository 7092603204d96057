"""Optimistic locking of tasks: a change made from a stale page is a conflict, never an overwrite.

Every form and API call that changes a task carries the ``version`` it read (``Task.version``, the
mapper's version counter). :func:`at_version` refuses a version that is no longer the task's, and
turns SQLAlchemy's :class:`~sqlalchemy.orm.exc.StaleDataError` — another request saved the task
between this one's read and its write — into the same refusal. The caller rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from spotcheck.inspection.models import Task
from spotcheck.inspection.tasks import TaskRefused


def stale(task_id: int) -> TaskRefused:
    """The conflict refusal, in Chinese and English."""
    return TaskRefused("stale", f"任务 {task_id} 已被他人修改：请重新打开任务页面，核对最新情况后再操作。",
                       f"Task {task_id} was changed by someone else meanwhile: open the task again, "
                       "check what changed and then try again.")


@contextmanager
def at_version(task: Task, version: int | None) -> Iterator[None]:
    """Run a change of ``task`` only if it is still at ``version``; raise :func:`stale` otherwise,
    also when a concurrent save is detected at flush."""
    task_id = task.id  # the task's state is unusable once a flush failed
    if version != task.version:
        raise stale(task_id)
    try:
        yield
    except StaleDataError:
        raise stale(task_id) from None
