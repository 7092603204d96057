"""The task's result (seed articles 16 and 18): the leader records the category of the national
disclosure system once every department has recorded its items; serious non-cooperation names
one or more of the five situations of article 18.

What the online check verified is not asked again on site (art. 16(1)); so when it verified every
field of every item's form, the team may record the result without going on site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from spotcheck.db import utcnow
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection import tasks
from spotcheck.inspection.forms import recorded_form
from spotcheck.inspection.models import (NON_COOPERATION_LABELS, RESULT_DUE_WORKING_DAYS, ResultCategory, Task,
                                         TaskItem, TaskState)
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped


def verified_online(registry: PluginRegistry, item: TaskItem) -> bool:
    """Whether the online check verified every field of the item's form (the one it was recorded
    on, else its plugin's current one; an item without a known form is not verified)."""
    try:
        form = recorded_form(registry, item)
    except TaskRefused:
        return False
    return {f.name for f in form.fields} <= set(item.online_fields or ())


def may_skip_on_site(registry: PluginRegistry, task: Task) -> bool:
    """Whether the online check settled every item, so the team need not go on site."""
    return all(verified_online(registry, item) for item in task.items)


@dataclass(frozen=True)
class Suggestion:
    """The category (and art. 18 situations) the findings point to; the leader decides."""

    category: ResultCategory
    non_cooperation: tuple[str, ...] = ()


def suggest(task: Task) -> Suggestion:
    """No finding: no problem; any non-cooperation finding: non-cooperation (with its
    situations); other findings: awaiting further handling."""
    findings = [code for item in task.items for code in item.findings or ()]
    situations = tuple(code for code in NON_COOPERATION_LABELS if code in findings)
    if situations:
        return Suggestion(ResultCategory.NON_COOPERATION, situations)
    return Suggestion(ResultCategory.PENDING_FOLLOWUP if findings else ResultCategory.NO_PROBLEM)


def _names(items: Sequence[TaskItem]) -> tuple[str, str]:
    return ("、".join(f"{i.name_zh}（{i.department_code}）" for i in items),
            ", ".join(f"{i.name_en} ({i.department_code})" for i in items))


def check_recordable(registry: PluginRegistry, task: Task) -> None:
    """Raise :class:`TaskRefused` unless the results may be recorded now: on site or settled
    online, the check ended, every item recorded."""
    state = TaskState(task.state)
    if state is TaskState.ONLINE_CHECKED:
        unsettled = [i for i in task.items if not verified_online(registry, i)]
        if unsettled:
            zh, en = _names(unsettled)
            raise TaskRefused("on_site_needed", f"以下事项未在网上核查完毕，须先实地检查：{zh}。",
                              f"These items were not fully verified online, so the team must check "
                              f"on site first: {en}.")
    elif state is not TaskState.ON_SITE:
        raise TaskRefused("state", f"任务状态为“{state.label}”，不能录入检查结果。",
                          f"A task that is {state.label.lower()} cannot have its results recorded.")
    if task.check_ended_on is None:
        raise TaskRefused("not_ended", f"请先填写检查结束日期：检查结果应在其后{RESULT_DUE_WORKING_DAYS}个工作日内录入。",
                          f"Enter the day the check ended first: the results are due "
                          f"{RESULT_DUE_WORKING_DAYS} working days later.")
    missing = [i for i in task.items if not i.recorded]
    if missing:
        zh, en = _names(missing)
        raise TaskRefused("items_not_recorded", f"以下事项尚未填写检查记录表：{zh}。",
                          f"These items have no recorded checklist form yet: {en}.")


def _check_category(category: str | None, situations: Sequence[str]) -> ResultCategory:
    try:
        chosen = ResultCategory(category or "")
    except ValueError:
        raise TaskRefused("category", "请选择检查结果类别。", "Choose the result category.") from None
    unknown = [code for code in situations if code not in NON_COOPERATION_LABELS]
    if unknown:
        raise TaskRefused("non_cooperation", f"不配合检查的情形无效：{'、'.join(unknown)}。",
                          f"Unknown non-cooperation situations: {', '.join(unknown)}.")
    if chosen is ResultCategory.NON_COOPERATION and not situations:
        raise TaskRefused("non_cooperation", "“不配合检查情节严重”须至少选择一种第十八条规定的情形。",
                          "Refusing to cooperate seriously needs at least one of the situations of "
                          "article 18.")
    if chosen is not ResultCategory.NON_COOPERATION and situations:
        raise TaskRefused("non_cooperation", "只有结果类别为“不配合检查情节严重”时才记录第十八条规定的情形。",
                          "The situations of article 18 are recorded only with the category "
                          "'Refused to cooperate with the check, seriously'.")
    return chosen


def record_result(db_session: Session, registry: PluginRegistry, task: Task, category: str | None,
                  situations: Sequence[str], user: User) -> None:
    """Record the task's result category (and art. 18 situations) and move it to recorded.

    A task the sweep marked overdue may still be recorded; it stays counted as overdue."""
    check_recordable(registry, task)
    chosen = _check_category(category, situations)
    with scoped(db_session, Scope.system()):
        task.result_category = chosen.value
        task.non_cooperation = [code for code in NON_COOPERATION_LABELS if code in situations]
        task.recorded_at = utcnow()
        task.recorded_by = user.username
        tasks.move(db_session, task, TaskState.RECORDED, user.username)
