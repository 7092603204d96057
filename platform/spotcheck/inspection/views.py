"""The pages of inspection tasks (检查任务): the work queue, a task with its team, items, notices,
evidence and trail, and the leader's and the head's actions on it.

Who sees and who acts is :mod:`spotcheck.inspection.access`'s answer, shared with the API. A task
the user does not see answers 404 like a missing one; an action the user may not take, 403. Every
action form carries the task's version: a change made from a stale page is a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from spotcheck.db import session
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection import access, archive, overview, review, schedule
from spotcheck.inspection.action_forms import (ApproveForm, EndCheckForm, ResultForm, ReturnForm, ScheduleForm,
                                               TaskFilterForm, VersionedForm)
from spotcheck.inspection.locking import at_version
from spotcheck.inspection.models import NON_COOPERATION_LABELS, NOTICE_CHANNELS, Task, TaskState
from spotcheck.inspection.results import record_result
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.planning.dryrun import DISTRICT_TIMEZONE
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.access import current_user_can, require_any_permission, require_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.pagination import paginate

bp = Blueprint("tasks", __name__)

PER_PAGE = 50

F = TypeVar("F", bound=VersionedForm)


def _locale() -> str:
    return str(get_locale() or "zh")


def _registry() -> PluginRegistry:
    return current_app.extensions["spotcheck.plugins"]


def _task(task_id: int) -> Task:
    task = get_visible(session, Task, task_id)
    if task is None or not access.sees(session, current_user, task):
        abort(404)
    return task


def _start_of(day: date | None, after: bool = False) -> datetime | None:
    """The first moment of ``day`` (of the day ``after`` it) where the users are."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if after else day, time(), DISTRICT_TIMEZONE)


@bp.get("/tasks/")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def index() -> str:
    """The work queue: an inspector's own tasks, a department's tasks, the office's all; the
    soonest due first."""
    form = TaskFilterForm(request.args)
    statement = access.queue(session, current_user)
    if form.validate():
        statement = overview.narrow(statement, state=form.state.data or None, plan=form.plan.data or None,
                                    overdue={"yes": True, "no": False}.get(form.overdue.data or ""),
                                    dispatched_from=_start_of(form.dispatched_from.data),
                                    dispatched_before=_start_of(form.dispatched_to.data, after=True))
    page = paginate(session, overview.with_draws(statement), request.args.get("page", 1, type=int) or 1, PER_PAGE)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("inspection/task_index.html", form=form, filters=filters, page=page,
                           rows=overview.task_rows(session, page.items))


@bp.get("/tasks/<int:task_id>")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def detail(task_id: int) -> str:
    """A task: target, plan and draw, team, every department's items, notices, evidence, the
    trail, and the actions the user may take."""
    task = _task(task_id)
    view = overview.task_view(session, _registry(), task, _locale())
    leads = access.leads(session, current_user, task)
    version = {"version": task.version}
    suggested = view.suggestion
    result_form = ResultForm(data={**version, "category": task.result_category or suggested.category.value,
                                   "non_cooperation": task.non_cooperation or list(suggested.non_cooperation)})
    return render_template(
        "inspection/task_detail.html", task=task, view=view, draw=task.team.draw, locale=_locale(),
        leads=leads, reviews=access.reviews(current_user, task), can_work=current_user_can(Permission.WORK),
        may_export=archive.may_export(session, current_user, task),
        records=[i for i in task.items if access.records(session, current_user, task, i)],
        before_visit=TaskState(task.state) in schedule.BEFORE_VISIT,
        schedule_form=ScheduleForm(data={**version, "scheduled_on": task.scheduled_on,
                                         "note": task.schedule_note}),
        start_form=VersionedForm(data=version),
        end_form=EndCheckForm(data={**version, "ended_on": task.check_ended_on}),
        result_form=result_form, approve_form=ApproveForm(data=version), return_form=ReturnForm(data=version),
        state_labels={s.value: s.label for s in TaskState}, notice_channels=NOTICE_CHANNELS,
        non_cooperation_labels=NON_COOPERATION_LABELS)


def _act(task_id: int, may: Callable[[Task], bool], form_class: type[F],
         action: Callable[[Task, F], object], done: str) -> Response:
    """Run a leader's or head's ``action`` with its form, at the version the page showed; flash
    what happened and go back to the task."""
    task = _task(task_id)
    if not may(task):
        abort(403)
    form = form_class()
    back = redirect(url_for(".detail", task_id=task.id))
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            label = form[name].label.text if name != "version" else _("Version")
            for error in errors:
                flash(f"{label}: {error}", "error")
        return back
    try:
        with at_version(task, form.read_version()):
            action(task, form)
    except TaskRefused as refused:
        session.rollback()
        flash(refused.message(_locale()), "error")
        return back
    session.commit()
    flash(done, "success")
    return back


def _leads(task: Task) -> bool:
    return access.leads(session, current_user, task)


def _reviews(task: Task) -> bool:
    return access.reviews(current_user, task)


@bp.post("/tasks/<int:task_id>/schedule", endpoint="schedule")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def schedule_visit(task_id: int) -> Response:
    """The leader sets the day of the visit, before the team is on site."""
    return _act(task_id, _leads, ScheduleForm,
                lambda task, form: schedule.schedule(session, task, form.scheduled_on.data, form.note.data),
                _("The visit is scheduled."))


@bp.post("/tasks/<int:task_id>/on-site")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def start_on_site(task_id: int) -> Response:
    """The leader starts the on-site check."""
    return _act(task_id, _leads, VersionedForm,
                lambda task, _form: schedule.start_on_site(session, task, current_user),
                _("The team is on site."))


@bp.post("/tasks/<int:task_id>/end-check")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def end_check(task_id: int) -> Response:
    """The leader enters the day the check ended; the results' due date follows from it."""
    return _act(task_id, _leads, EndCheckForm,
                lambda task, form: schedule.end_check(session, _registry(), task, form.ended_on.data, today()),
                _("The end of the check is recorded; the due date of the results is on the task."))


@bp.post("/tasks/<int:task_id>/result", endpoint="record_result")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def record(task_id: int) -> Response:
    """The leader records the result category once every item is recorded."""
    return _act(task_id, _leads, ResultForm,
                lambda task, form: record_result(session, _registry(), task, form.category.data,
                                                 form.non_cooperation.data or [], current_user),
                _("The results are recorded and sent to the initiating department's head for review."))


@bp.post("/tasks/<int:task_id>/review", endpoint="review")
@require_permission(Permission.APPROVE)
def approve(task_id: int) -> Response:
    """The initiating department's head approves the recorded results."""
    return _act(task_id, _reviews, ApproveForm,
                lambda task, form: review.approve(session, task, current_user, form.note.data),
                _("The results are approved for publication."))


@bp.post("/tasks/<int:task_id>/return")
@require_permission(Permission.APPROVE)
def return_results(task_id: int) -> Response:
    """The initiating department's head returns the results to the team, saying why."""
    return _act(task_id, _reviews, ReturnForm,
                lambda task, form: review.return_results(session, task, current_user, form.reason.data),
                _("The results are returned to the team with your reason."))
