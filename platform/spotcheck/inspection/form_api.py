"""``/api/v1``: a task's advance notices, its online check and its items' checklist records (and
their PDF).

As on the pages: a task the caller does not see answers 404 like a missing one; notice is given by
the team's leader, items are checked online and recorded by their department's people (403
otherwise); a refusal of the rules is 409, or 422 naming the field, in Chinese and English.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app, jsonify
from flask.views import MethodView
from sqlalchemy import select

from spotcheck import audit
from spotcheck.api.auth import current_api_user
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.db import session
from spotcheck.hooks.definitions import to_document
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection import access
from spotcheck.inspection.form_schemas import (ItemRecordInputSchema, ItemRecordSchema, NoticeInputSchema,
                                               NoticeSchema, OnlineSchema, OnlineVerifyInputSchema)
from spotcheck.inspection.forms import (RecordInvalid, asked_fields, item_choices, record_item,
                                        recorded_form)
from spotcheck.inspection.mailer import MailSettings
from spotcheck.inspection.models import Notice, Task, TaskItem
from spotcheck.inspection.notice import NoticeValues, record_notice
from spotcheck.inspection.online import run_online_check, verify_manually
from spotcheck.inspection.pdf import render_item_pdf
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import get_visible

blp = ApiBlueprint("api_task_forms", __name__,
                   description="A task's advance notices (e-mail sent through the platform's mail server), "
                               "its online check, and each item's checklist form, methods and findings, "
                               "recorded and printed as a PDF.")

FIELD_REFUSALS = {"channel": "channel", "recipient": "recipient", "items": "items", "notice_forbidden": "items",
                  "visit_on": "visit_on", "notified_at": "notified_at", "message": "message",
                  "fields": "fields", "note": "note"}
"""Refusals about one field of the request: 422 naming the field, not 409."""

MISSING = "Missing data for required field."


def _refused(error: TaskRefused) -> Response:
    field = FIELD_REFUSALS.get(error.code)
    code = 422 if field else 409
    body = error_body(code)
    body["message"] = {"zh": error.message_zh, "en": error.message_en}
    if field:
        body["errors"] = {field: [{"zh": error.message_zh, "en": error.message_en}]}
    response = jsonify(body)
    response.status_code = code
    return response


def _registry() -> PluginRegistry:
    return current_app.extensions["spotcheck.plugins"]  # type: ignore[no-any-return]


def _task(task_id: int) -> Task:
    user = current_api_user()
    if not (has_permission(user.role, Permission.WORK) or has_permission(user.role, Permission.INSPECT)):
        raise ApiError(403)
    task = get_visible(session, Task, task_id)
    if task is None or not access.sees(session, user, task):
        raise ApiError(404)
    return task


def _item(task: Task, item_id: int) -> TaskItem:
    item = next((i for i in task.items if i.id == item_id), None)
    if item is None:
        raise ApiError(404)
    return item


def _require(data: dict[str, Any], *names: str) -> None:
    missing = {name: [MISSING] for name in names if data.get(name) is None}
    if missing:
        raise ApiError(422, errors=missing)


def _notice(notice: Notice) -> dict[str, Any]:
    return {"id": notice.id, "task": notice.task_id, "channel": notice.channel,
            "recipient": audit.mask(notice.recipient), "notified_at": notice.notified_at,
            "visit_on": notice.visit_on, "items": notice.item_codes, "message": notice.message,
            "delivery": notice.delivery, "delivery_error": notice.delivery_error, "recorded_by": notice.recorded_by}


def _online(item: TaskItem) -> dict[str, Any]:
    return {"id": item.id, "department": item.department_code, "item": item.item_code,
            "status": item.online_status, "summary": item.online_summary, "fields_": item.online_fields or []}


def _record(task: Task, item: TaskItem) -> dict[str, Any]:
    form = recorded_form(_registry(), item)
    choices = item_choices(session, item)
    return {"id": item.id, "task": task.id, "department": item.department_code, "item": item.item_code,
            "name_zh": item.name_zh, "name_en": item.name_en, "notice_forbidden": item.notice_forbidden,
            "form": to_document(form), "asked": [f.name for f in asked_fields(form, item)], "online": _online(item),
            "answers": item.answers, "methods": item.methods or [], "findings": item.findings or [],
            "method_choices": list(choices.methods),
            "finding_choices": [{"code": f.code, "label_zh": f.label_zh or "", "label_en": f.label_en or ""}
                                for f in choices.findings],
            "recorded_by": item.recorded_by, "recorded_at": item.recorded_at}


@blp.route("/tasks/<int:task_id>/notices")
class TaskNotices(MethodView):
    @blp.response(200, NoticeSchema(many=True))
    def get(self, task_id: int) -> list[dict[str, Any]]:
        """The task's advance notices

        Newest first, failed e-mail attempts included.
        """
        task = _task(task_id)
        return [_notice(n) for n in session.scalars(select(Notice).where(Notice.task_id == task.id)
                                                    .order_by(Notice.id.desc()))]

    @blp.arguments(NoticeInputSchema)
    @blp.response(201, NoticeSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Any:
        """Give or record an advance notice

        The team's leader. An e-mail is sent at once through the platform's mail server; the
        answer's ``delivery`` says whether the server accepted it (a failed attempt is recorded
        and leaves the task as it was). Refused (422 on ``items``) when an item announced is one
        the law forbids announcing.
        """
        task = _task(task_id)
        if not access.leads(session, current_api_user(), task):
            raise ApiError(403)
        _require(data, "channel", "recipient", "visit_on", "items")
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        at = data.get("notified_at")
        values = NoticeValues(channel=data["channel"], recipient=data["recipient"], visit_on=data["visit_on"],
                              item_ids=tuple(data["items"]), message=data.get("message"),
                              notified_at=at.replace(tzinfo=zone) if at and at.tzinfo is None else at)
        try:
            notice = record_notice(session, task, values, current_api_user().username,
                                   MailSettings.from_config(current_app.config), str(zone))
        except TaskRefused as refused:
            session.rollback()
            return _refused(refused)
        session.commit()
        return _notice(notice)


@blp.route("/tasks/<int:task_id>/online-check")
class TaskOnlineCheck(MethodView):
    @blp.response(200, OnlineSchema(many=True))
    def post(self, task_id: int) -> Any:
        """Check the caller's items online

        Asks each item's department plugin about the target (items already recorded are left as
        they are) and moves a dispatched or notified task to ``online_checked``. The items of
        the caller's department are checked; the answer lists them.
        """
        task = _task(task_id)
        mine = [i for i in task.items if access.records(session, current_api_user(), task, i)]
        if not mine:
            raise ApiError(403)
        try:
            checked = run_online_check(session, _registry(), task, mine, current_api_user().username)
        except TaskRefused as refused:
            session.rollback()
            return _refused(refused)
        session.commit()
        return [_online(item) for item in checked]


@blp.route("/tasks/<int:task_id>/items/<int:item_id>/online")
class ItemOnlineVerification(MethodView):
    @blp.arguments(OnlineVerifyInputSchema)
    @blp.response(200, OnlineSchema)
    def put(self, data: dict[str, Any], task_id: int, item_id: int) -> Any:
        """Record an online verification by hand

        The questions of the item's checklist the inspector verified online (not asked again on
        site) and a note saying where and what was seen. Replaces the item's earlier online result.
        """
        task = _task(task_id)
        item = _item(task, item_id)
        if not access.records(session, current_api_user(), task, item):
            raise ApiError(403)
        _require(data, "fields_", "note")
        try:
            verify_manually(session, _registry(), task, item, data["fields_"], data["note"],
                            current_api_user().username)
        except TaskRefused as refused:
            session.rollback()
            return _refused(refused)
        session.commit()
        return _online(item)


@blp.route("/tasks/<int:task_id>/items/<int:item_id>")
class ItemRecord(MethodView):
    @blp.response(200, ItemRecordSchema)
    def get(self, task_id: int, item_id: int) -> Any:
        """An item's checklist record

        Its form (as recorded, else the plugin's current one), the questions still asked, the
        online result, the answers, methods and findings, and the methods and findings it offers.
        """
        task = _task(task_id)
        try:
            return _record(task, _item(task, item_id))
        except TaskRefused as refused:
            return _refused(refused)

    @blp.arguments(ItemRecordInputSchema)
    @blp.response(200, ItemRecordSchema)
    def put(self, data: dict[str, Any], task_id: int, item_id: int) -> Any:
        """Record an item's checklist

        ``answers`` to the questions still asked (an answer to a question settled online is
        refused), ``methods`` used, ``findings``. Replaces an earlier record, until the task is
        reviewed. Invalid answers: 422 naming each (``answers.<question>``).
        """
        task = _task(task_id)
        item = _item(task, item_id)
        if not access.records(session, current_api_user(), task, item):
            raise ApiError(403)
        try:
            record_item(session, _registry(), task, item, data, current_api_user().username)
        except RecordInvalid as invalid:
            session.rollback()
            body = error_body(422)
            body["errors"] = invalid.bilingual()
            response = jsonify(body)
            response.status_code = 422
            return response
        except TaskRefused as refused:
            session.rollback()
            return _refused(refused)
        session.commit()
        return _record(task, item)


@blp.route("/tasks/<int:task_id>/items/<int:item_id>/pdf")
class ItemPdf(MethodView):
    @blp.response(200, description="The checklist form as a PDF (filled when recorded, blank otherwise)",
                  content_type="application/pdf")
    def get(self, task_id: int, item_id: int) -> Response:
        """An item's checklist form as a PDF

        In Chinese, the font embedded; questions settled online are marked.
        """
        task = _task(task_id)
        item = _item(task, item_id)
        try:
            pdf = render_item_pdf(session, task, item)
        except TaskRefused as refused:
            return _refused(refused)
        response = Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = (
            f"attachment; filename=task-{task.id}-{item.department_code}-{item.item_code}.pdf")
        return response
