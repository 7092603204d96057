"""``/api/v1``: inspection tasks — the work queue, a task, and the leader's and the head's actions.

Who sees and who acts is :mod:`spotcheck.inspection.access`'s answer, as on the pages: a task the
caller does not see answers 404 like a missing one; an action the caller may not take, 403; a
refusal of the rules, 409 (422 when it is about one field), in Chinese and English. Every action
carries the task's ``version``: a stale one is a conflict (409), never an overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, jsonify
from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.db import session
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection import access, overview, review, schedule
from spotcheck.inspection.locking import at_version
from spotcheck.inspection.models import Task
from spotcheck.inspection.results import record_result
from spotcheck.inspection.schemas import (TaskApproveInputSchema, TaskEndCheckInputSchema, TaskQuerySchema,
                                          TaskResultInputSchema, TaskReturnInputSchema, TaskScheduleInputSchema,
                                          TaskSchema, TaskSummarySchema, TaskVersionInputSchema)
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.pagination import paginate

blp = ApiBlueprint("api_tasks", __name__,
                   description="Inspection tasks: each joint team's visit to its target, the leader's "
                               "schedule, on-site check, end of the check and result, and the initiating "
                               "head's review.")

MAX_PER_PAGE = 500

FIELD_REFUSALS = {"scheduled_on": "scheduled_on", "note": "note", "ended_on": "ended_on",
                  "category": "category", "non_cooperation": "non_cooperation", "reason": "reason"}
"""Refusals about one field of the request: answered 422 naming the field, not 409."""


def _refused(error: TaskRefused) -> Response:
    """The service's refusal in both languages: 422 on a field, 409 otherwise."""
    field = FIELD_REFUSALS.get(error.code)
    code = 422 if field else 409
    body = error_body(code)
    body["message"] = {"zh": error.message_zh, "en": error.message_en}
    if field:
        body["errors"] = {field: [{"zh": error.message_zh, "en": error.message_en}]}
    response = jsonify(body)
    response.status_code = code
    return response


def _require_reader() -> None:
    user = current_api_user()
    if not (has_permission(user.role, Permission.WORK) or has_permission(user.role, Permission.INSPECT)):
        raise ApiError(403)


def _visible(task_id: int) -> Task:
    task = get_visible(session, Task, task_id)
    if task is None or not access.sees(session, current_api_user(), task):
        raise ApiError(404)
    return task


def _registry() -> PluginRegistry:
    return current_app.extensions["spotcheck.plugins"]


def _codes() -> dict[int, str]:
    return dict(session.execute(select(Department.id, Department.code)).all())


def _summary(row: overview.TaskRow, codes: dict[int, str]) -> dict[str, Any]:
    task = row.task
    return {"id": task.id, "version": task.version, "plan": task.plan_id, "batch": task.team.draw.batch_id,
            "draw": task.draw_id, "team": task.team_id, "initiator": codes.get(task.department_id),
            "target": {"code": row.target.code, "name": row.target.name, "address": row.target.address},
            "leader": row.leader.code if row.leader else None, "state": task.state,
            "scheduled_on": task.scheduled_on, "schedule_note": task.schedule_note,
            "check_ended_on": task.check_ended_on, "due_on": task.due_on, "overdue": task.overdue,
            "result_category": task.result_category, "non_cooperation": task.non_cooperation or [],
            "recorded_at": task.recorded_at, "recorded_by": task.recorded_by,
            "reviewed_at": task.reviewed_at, "reviewed_by": task.reviewed_by, "review_note": task.review_note}


def _item(row: overview.ItemRow) -> dict[str, Any]:
    i = row.item
    return {"id": i.id, "department": i.department_code, "item": i.item_code, "name_zh": i.name_zh,
            "name_en": i.name_en, "notice_forbidden": i.notice_forbidden, "form": i.form_code,
            "online_status": i.online_status, "online_fields": i.online_fields or [],
            "verified_online": row.verified_online, "recorded": i.recorded, "recorded_at": i.recorded_at,
            "recorded_by": i.recorded_by, "methods": i.methods or [], "findings": i.findings or []}


def _document(task: Task) -> dict[str, Any]:
    view = overview.task_view(session, _registry(), task, "en")
    return {**_summary(overview.TaskRow(task, view.team.target, view.team.leader), _codes()),
            "items": [_item(row) for group in view.departments for row in group.items],
            "notices": len(view.notices), "evidence": view.evidence, "trail": view.trail,
            "may_skip_on_site": view.skip_on_site,
            "suggestion": {"category": view.suggestion.category.value,
                           "non_cooperation": list(view.suggestion.non_cooperation)}}


@blp.route("/tasks")
class Tasks(MethodView):
    @blp.arguments(TaskQuerySchema, location="query")
    @blp.response(200, TaskSummarySchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The caller's work queue of tasks

        An inspector's: the tasks of the teams they are on; a department's: the tasks it
        initiated, has items or members on; the office's: every task. The soonest due first, a
        page at a time.
        """
        _require_reader()
        statement = overview.narrow(access.queue(session, current_api_user()), state=query.get("state"),
                                    overdue=query.get("overdue"), plan=query.get("plan"))
        per_page = max(1, min(query["per_page"], MAX_PER_PAGE))
        page = paginate(session, overview.with_draws(statement), query["page"], per_page)
        codes = _codes()
        return [_summary(row, codes) for row in overview.task_rows(session, page.items)]


@blp.route("/tasks/<int:task_id>")
class TaskResource(MethodView):
    @blp.response(200, TaskSchema)
    def get(self, task_id: int) -> dict[str, Any]:
        """A task

        Its target, team, every department's items (verified online? recorded? findings), how
        many notices and evidence files, the trail of state changes and the result the findings
        suggest.
        """
        _require_reader()
        return _document(_visible(task_id))


def _act(task_id: int, data: dict[str, Any], may: Callable[[Task], bool], required: tuple[str, ...],
         action: Callable[[Task], object]) -> Any:
    """Run an action on a task the caller sees and may act on, at the version they read."""
    task = _visible(task_id)
    if not may(task):
        raise ApiError(403)
    missing = {name: ["Missing data for required field."] for name in ("version", *required)
               if data.get(name) is None}
    if missing:
        raise ApiError(422, errors=missing)
    try:
        with at_version(task, data["version"]):
            action(task)
    except TaskRefused as refused:
        session.rollback()
        return _refused(refused)
    session.commit()
    return _document(_visible(task_id))


def _leader_action(task_id: int, data: dict[str, Any], required: tuple[str, ...],
                   action: Callable[[Task], object]) -> Any:
    _require_reader()
    return _act(task_id, data, lambda task: access.leads(session, current_api_user(), task), required, action)


def _review_action(task_id: int, data: dict[str, Any], required: tuple[str, ...],
                   action: Callable[[Task], object]) -> Any:
    require_permission(Permission.APPROVE)
    return _act(task_id, data, lambda task: access.reviews(current_api_user(), task), required, action)


@blp.route("/tasks/<int:task_id>/schedule")
class TaskSchedule(MethodView):
    @blp.arguments(TaskScheduleInputSchema)
    @blp.response(200, TaskSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Any:
        """Schedule the visit

        The team's leader or the initiating department's staff (others: 403), before the team is
        on site (409 after).
        """
        return _leader_action(task_id, data, ("scheduled_on",), lambda task: schedule.schedule(
            session, task, data["scheduled_on"], data.get("note")))


@blp.route("/tasks/<int:task_id>/start-on-site")
class TaskStartOnSite(MethodView):
    @blp.arguments(TaskVersionInputSchema)
    @blp.response(200, TaskSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Any:
        """Start the on-site check

        The leader: the task moves on site, from dispatched, notified or checked online.
        """
        return _leader_action(task_id, data, (), lambda task: schedule.start_on_site(
            session, task, current_api_user()))


@blp.route("/tasks/<int:task_id>/end-check")
class TaskEndCheck(MethodView):
    @blp.arguments(TaskEndCheckInputSchema)
    @blp.response(200, TaskSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Any:
        """End the check

        The leader enters the day the check ended (not in the future); the results are due 7
        working days later (``due_on``). On site, or checked online when the online check
        verified every item. 409 when that needs a year without a complete working-day calendar
        (nothing is saved), or once the results are recorded or their due date has passed.
        """
        return _leader_action(task_id, data, ("ended_on",), lambda task: schedule.end_check(
            session, _registry(), task, data["ended_on"], today()))


@blp.route("/tasks/<int:task_id>/result")
class TaskResult(MethodView):
    @blp.arguments(TaskResultInputSchema)
    @blp.response(200, TaskSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Any:
        """Record the result

        The leader records the result category once the check has ended and every item's
        checklist form is recorded (409 otherwise); ``non_cooperation`` names one or more
        situations of article 18 with the category ``non_cooperation`` and none otherwise (422).
        The task moves to recorded, for the head's review. An overdue task stays overdue.
        """
        return _leader_action(task_id, data, ("category",), lambda task: record_result(
            session, _registry(), task, data["category"], data["non_cooperation"], current_api_user()))


@blp.route("/tasks/<int:task_id>/approve")
class TaskApprove(MethodView):
    @blp.arguments(TaskApproveInputSchema)
    @blp.response(200, TaskSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Any:
        """Approve the results

        The initiating department's head (others: 403): recorded results become reviewed, ready
        for publication.
        """
        return _review_action(task_id, data, (), lambda task: review.approve(
            session, task, current_api_user(), data.get("note")))


@blp.route("/tasks/<int:task_id>/return")
class TaskReturn(MethodView):
    @blp.arguments(TaskReturnInputSchema)
    @blp.response(200, TaskSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Any:
        """Return the results to the team

        The initiating department's head, with the ``reason`` (422 without): the task goes back
        on site, its items stay recorded and the leader records the result again.
        """
        return _review_action(task_id, data, ("reason",), lambda task: review.return_results(
            session, task, current_api_user(), data["reason"]))
