"""Online check first (seed article 16(1)): before the visit, each department's items are checked
in its own systems; what that settles is marked on the item and not asked again on site.

Two ways, both on the item (:class:`~spotcheck.inspection.models.TaskItem`): the department's
plugin answers ``spotcheck_online_precheck`` (:func:`run_online_check`), or an inspector who checked
by hand marks the checklist fields the online sources settled, with a note saying what was seen
(:func:`verify_manually`). Either moves a dispatched or notified task to "checked online". A later
check of an item replaces the earlier one — except that a plugin with no check for the item, or
whose system did not answer, leaves an inspector's verification standing; once the item's form is
recorded its online check is final.

Services never commit; the caller checks who may act (:func:`~spotcheck.inspection.access.records`
for each item) and commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.hooks.definitions import ChecklistFormDef, OnlinePrecheckResult, TargetRef
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection.forms import form_definition
from spotcheck.inspection.models import Task, TaskItem, TaskState
from spotcheck.inspection.tasks import TaskRefused, move
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.scope import Scope, scoped

log = logging.getLogger(__name__)

HOOK = "spotcheck_online_precheck"

ONLINE_STATES = frozenset({TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED})
"""The online check comes before the visit."""

ONLINE_STATUSES = {
    "verified": _l("Verified online"),
    "discrepancy": _l("Discrepancy found online"),
    "not_found": _l("Not found in the department's system"),
    "unavailable": _l("The department's system did not answer"),
    "not_offered": _l("No online check for this item"),
    "manual": _l("Verified online by an inspector"),
}
"""An item's ``online_status``: the plugin's answers, and the two the core adds."""

KEEPS_MANUAL = frozenset({"not_offered", "unavailable"})
"""Answers that say nothing about the target, so an inspector's own verification stands."""

NOTE_MAX = 2000


def target_ref(db_session: Session, task: Task) -> TargetRef:
    """The task's target as plugins see it (the caller has checked the task is visible; the
    target is the initiator's, so it is read in the system scope)."""
    with scoped(db_session, Scope.system()):
        target = db_session.scalars(select(Target).where(Target.id == task.target_id)).one()
        return TargetRef(kind=target.kind, identifier=target.code, name=target.name)  # type: ignore[arg-type]


def run_online_check(db_session: Session, registry: PluginRegistry, task: Task, items: Iterable[TaskItem],
                     by: str) -> list[TaskItem]:
    """Ask each item's plugin about the task's target and keep its answer on the item; the items
    whose result changed. Items already recorded, and an inspector's verification the plugin's
    answer cannot replace (:data:`KEEPS_MANUAL`), are left as they are."""
    _check_state(task)
    target = target_ref(db_session, task)
    checked = []
    for item in items:
        if item.recorded:
            continue
        status, summary, fields = _precheck(registry, item, target)
        if status in KEEPS_MANUAL and item.online_status == "manual":
            continue
        checked.append(item)
        with scoped(db_session, Scope.system()):
            item.online_status, item.online_summary = status, summary
            item.online_fields = _form_order(form_definition(registry, item), fields) if fields else []
            db_session.flush()
        audit.record(db_session, "item_online_check", "task_item", item.id,
                     {"task": task.id, "status": status, "fields": item.online_fields})
    if checked:
        _advance(db_session, task, by)
    return checked


def verify_manually(db_session: Session, registry: PluginRegistry, task: Task, item: TaskItem,
                    fields: Iterable[str], note: str, by: str) -> None:
    """Mark the checklist ``fields`` an inspector verified online by hand, with ``note`` saying
    where and what was seen."""
    _check_state(task)
    if item.recorded:
        raise TaskRefused("recorded", f"事项“{item.name_zh}”的检查记录表已录入，网络检查结果不能再更改。",
                          f"The checklist of “{item.name_en}” is recorded; its online check can no "
                          "longer change.")
    form = form_definition(registry, item)
    names = {field.name for field in form.fields}
    chosen = set(fields)
    unknown = sorted(chosen - names)
    if unknown:
        raise TaskRefused("fields", f"检查记录表中没有这些项目：{'、'.join(unknown)}。",
                          f"The checklist has no such questions: {', '.join(unknown)}.")
    if not chosen:
        raise TaskRefused("fields", "请选择网络检查已核实的项目。", "Choose the questions the online check settled.")
    note = note.strip()
    if not note:
        raise TaskRefused("note", "请说明网络检查的来源和核实情况。",
                          "Say where the online check looked and what it found.")
    if len(note) > NOTE_MAX:
        raise TaskRefused("note", f"说明最多{NOTE_MAX}个字符。", f"The note is at most {NOTE_MAX} characters.")
    with scoped(db_session, Scope.system()):
        item.online_status, item.online_summary = "manual", note
        item.online_fields = _form_order(form, chosen)
        db_session.flush()
    audit.record(db_session, "item_online_verify", "task_item", item.id,
                 {"task": task.id, "fields": item.online_fields})
    _advance(db_session, task, by)


def _check_state(task: Task) -> None:
    state = TaskState(task.state)
    if state not in ONLINE_STATES:
        raise TaskRefused("state", f"任务状态为“{state.label}”：网络检查应在实地检查之前进行。",
                          f"The task is {state.label.lower()}: the online check comes before the visit.")


def _advance(db_session: Session, task: Task, by: str) -> None:
    if TaskState(task.state) in (TaskState.DISPATCHED, TaskState.NOTIFIED):
        move(db_session, task, TaskState.ONLINE_CHECKED, by)


def _form_order(form: ChecklistFormDef, names: Iterable[str]) -> list[str]:
    """``names`` that are questions of ``form``, in the form's order (a plugin naming a field the
    form does not have settles nothing)."""
    chosen = set(names)
    return [field.name for field in form.fields if field.name in chosen]


def _precheck(registry: PluginRegistry, item: TaskItem, target: TargetRef) -> tuple[str, str | None, tuple[str, ...]]:
    """Status, summary and settled fields of one item's pre-check."""
    if item.department_code not in registry.loaded:
        return "not_offered", None, ()
    try:
        result: OnlinePrecheckResult | None = registry.call(item.department_code, HOOK, item_code=item.item_code,
                                                            target=target)
    except Exception as error:  # noqa: BLE001 - one department's failing system must not stop the others' checks
        log.warning("online pre-check of %s/%s failed", item.department_code, item.item_code, exc_info=True)
        return "unavailable", f"{type(error).__name__}: {error}", ()
    if result is None:
        return "not_offered", None, ()
    summary = "\n".join(part for part in (result.summary_zh, result.summary_en, result.source_url) if part)
    return result.status, summary, tuple(result.verified_fields)
