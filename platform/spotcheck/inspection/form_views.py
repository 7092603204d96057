"""The pages of a task's advance notice, its online check and its items' checklist forms (and
their PDF). Who may see a task is :func:`~spotcheck.inspection.access.sees`; who may give notice
is the team's leader (:func:`~.access.leads`); who may check online and fill an item's form is a
member or the staff of the item's department (:func:`~.access.records`)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from spotcheck import audit
from spotcheck.db import session
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.inspection import access
from spotcheck.inspection.form_display import (finding_options, labels_of, method_options, question_rows)
from spotcheck.inspection.forms import (RECORD_STATES, RecordInvalid, asked_fields, form_definition, item_choices,
                                        record_item, recorded_form)
from spotcheck.inspection.mailer import MailSettings
from spotcheck.inspection.models import NOTICE_CHANNELS, Notice, Task, TaskItem, TaskState
from spotcheck.inspection.notice import DELIVERY_LABELS, FAILED, NoticeValues, record_notice
from spotcheck.inspection.notice_forms import NoticeForm, OnlineVerifyForm
from spotcheck.inspection.online import ONLINE_STATES, ONLINE_STATUSES, run_online_check, verify_manually
from spotcheck.inspection.pdf import render_item_pdf
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.tenancy.access import require_any_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

bp = Blueprint("task_forms", __name__)

NOTICE_FIELDS = {"channel": "channel", "recipient": "recipient", "items": "items", "notice_forbidden": "items",
                 "visit_on": "visit_on", "notified_at": "notified_at", "message": "message"}
"""Refusals of the notice service about one field of the form."""


def _locale() -> str:
    return str(get_locale() or "zh")


def _registry() -> PluginRegistry:
    return current_app.extensions["spotcheck.plugins"]  # type: ignore[no-any-return]


def _task(task_id: int) -> Task:
    task = get_visible(session, Task, task_id)
    if task is None or not access.sees(session, current_user, task):
        abort(404)
    return task


def _item(task: Task, item_id: int) -> TaskItem:
    item = next((i for i in task.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


def _linked(endpoint: str, **values: Any) -> str | None:
    """The URL of another blueprint's page, once that blueprint is registered."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def _page(template: str, task: Task, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, task=task, task_url=_linked("tasks.detail", task_id=task.id),
                           tasks_url=_linked("tasks.index"), locale=_locale(), **context), status


@bp.route("/tasks/<int:task_id>/notice", methods=["GET", "POST"])
@require_any_permission(Permission.WORK, Permission.INSPECT)
def notice(task_id: int) -> Response | tuple[str, int]:
    """Advance notice: the notices given so far, and (for the leader) the form to give one."""
    task = _task(task_id)
    may = access.leads(session, current_user, task) and TaskState(task.state) in ONLINE_STATES
    form = NoticeForm(item_ids=[item.id for item in task.items])
    if request.method == "POST":
        if not may:
            abort(403)
        if form.validate_on_submit():
            zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
            values = NoticeValues(channel=form.channel.data, recipient=form.recipient.data, visit_on=form.visit_on.data,
                                  item_ids=tuple(form.items.data or ()), message=form.message.data,
                                  notified_at=form.notified_at.data.replace(tzinfo=zone) if form.notified_at.data else None)
            try:
                given = record_notice(session, task, values, current_user.username,
                                      MailSettings.from_config(current_app.config), str(zone))
            except TaskRefused as error:
                session.rollback()
                if error.code in NOTICE_FIELDS:
                    form[NOTICE_FIELDS[error.code]].errors.append(error.message(_locale()))
                else:
                    flash(error.message(_locale()), "error")
            else:
                session.commit()
                if given.delivery == FAILED:
                    flash(_("The mail server did not accept the notice (%(error)s). The attempt is recorded; "
                            "try again, or notify by telephone or fax.", error=given.delivery_error), "error")
                else:
                    flash(_("The notice is recorded."), "success")
                return redirect(url_for(".notice", task_id=task.id))
        return _notice_page(task, form, may, 422)
    if task.scheduled_on and not form.visit_on.data:
        form.visit_on.data = task.scheduled_on
    return _notice_page(task, form, may)


def _notice_page(task: Task, form: NoticeForm, may: bool, status: int = 200) -> tuple[str, int]:
    notices = session.scalars(select(Notice).where(Notice.task_id == task.id).order_by(Notice.id.desc())).all()
    return _page("inspection/form_notice.html", task, status, form=form, may=may, notices=notices,
                 channels=NOTICE_CHANNELS, delivery_labels=DELIVERY_LABELS, mask=audit.mask)


def _mine(task: Task) -> list[TaskItem]:
    return [item for item in task.items if access.records(session, current_user, task, item)]


@bp.route("/tasks/<int:task_id>/online-check", methods=["GET", "POST"])
@require_any_permission(Permission.WORK, Permission.INSPECT)
def online_check(task_id: int) -> Response | tuple[str, int]:
    """Online check first: each item's online result; the department's systems asked (POST) for
    the items the user records."""
    task = _task(task_id)
    mine = _mine(task)
    if request.method == "POST":
        if not mine:
            abort(403)
        try:
            checked = run_online_check(session, _registry(), task, mine, current_user.username)
        except TaskRefused as error:
            session.rollback()
            flash(error.message(_locale()), "error")
        else:
            session.commit()
            flash(_("%(count)s items checked online.", count=len(checked)), "success")
        return redirect(url_for(".online_check", task_id=task.id))
    return _online_page(task, mine)


def _online_page(task: Task, mine: list[TaskItem], failed: TaskItem | None = None,
                 failed_form: OnlineVerifyForm | None = None) -> tuple[str, int]:
    registry, locale = _registry(), _locale()
    rows = []
    for item in task.items:
        questions = _questions(_try_form(registry, item), locale)
        verify = None
        if item in mine and not item.recorded and questions and TaskState(task.state) in ONLINE_STATES:
            verify = failed_form if failed is item else OnlineVerifyForm(
                formdata=None, prefix=f"item{item.id}", questions=questions,
                data={"questions": item.online_fields or []})
        rows.append({"item": item, "status": ONLINE_STATUSES.get(item.online_status or ""),
                     "settled": labels_of(questions, item.online_fields or []), "verify": verify})
    runnable = bool(mine) and TaskState(task.state) in ONLINE_STATES
    return _page("inspection/form_online.html", task, 422 if failed else 200, rows=rows, runnable=runnable)


def _questions(form_def: Any, locale: str) -> list[tuple[str, str]]:
    """A form's questions as (name, label) choices."""
    if form_def is None:
        return []
    return [(f.name, f.label_en if locale.startswith("en") else f.label_zh) for f in form_def.fields]


def _try_form(registry: PluginRegistry, item: TaskItem) -> Any:
    try:
        return recorded_form(registry, item)
    except TaskRefused:
        return None


@bp.post("/tasks/<int:task_id>/items/<int:item_id>/online")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def verify_online(task_id: int, item_id: int) -> Response | tuple[str, int]:
    """An inspector marks the questions of one item they verified online, saying how."""
    task = _task(task_id)
    item = _item(task, item_id)
    if not access.records(session, current_user, task, item):
        abort(403)
    form_def = _try_form(_registry(), item)
    if form_def is None:
        abort(404)
    form = OnlineVerifyForm(prefix=f"item{item.id}", questions=_questions(form_def, _locale()))
    if form.validate_on_submit():
        try:
            verify_manually(session, _registry(), task, item, form.questions.data or [], form.note.data,
                            current_user.username)
        except TaskRefused as error:
            session.rollback()
            flash(error.message(_locale()), "error")
        else:
            session.commit()
            flash(_("The online verification is recorded."), "success")
        return redirect(url_for(".online_check", task_id=task.id))
    return _online_page(task, _mine(task), failed=item, failed_form=form)


@bp.route("/tasks/<int:task_id>/items/<int:item_id>", methods=["GET", "POST"])
@require_any_permission(Permission.WORK, Permission.INSPECT)
def item(task_id: int, item_id: int) -> Response | tuple[str, int]:
    """One item's checklist form: filled in by its department's people until the task is
    reviewed, read by everyone else who sees the task."""
    task = _task(task_id)
    entry = _item(task, item_id)
    may = access.records(session, current_user, task, entry) and TaskState(task.state) in RECORD_STATES
    if request.method == "POST":
        if not may:
            abort(403)
        try:
            form_def = form_definition(_registry(), entry)
            payload = _submitted(form_def, entry)
            record_item(session, _registry(), task, entry, payload, current_user.username)
        except RecordInvalid as invalid:
            session.rollback()
            flash(_("The form is not recorded: correct the answers marked below."), "error")
            return _item_page(task, entry, may, payload, invalid.messages(), 422)
        except TaskRefused as error:
            session.rollback()
            flash(error.message(_locale()), "error")
            return redirect(url_for(".item", task_id=task.id, item_id=entry.id))
        session.commit()
        flash(_("The checklist is recorded."), "success")
        return redirect(url_for(".item", task_id=task.id, item_id=entry.id))
    return _item_page(task, entry, may)


def _submitted(form_def: Any, entry: TaskItem) -> dict[str, Any]:
    """The record as the page's form sends it: empty answers are no answers."""
    answers: dict[str, Any] = {}
    for field in asked_fields(form_def, entry):
        name = f"answer-{field.name}"
        if field.type == "multichoice":
            if chosen := request.form.getlist(name):
                answers[field.name] = chosen
        elif value := request.form.get(name, "").strip():
            answers[field.name] = value
    return {"answers": answers, "methods": request.form.getlist("methods"),
            "findings": request.form.getlist("findings")}


def _item_page(task: Task, entry: TaskItem, may: bool, payload: dict[str, Any] | None = None,
               errors: dict[str, list[str]] | None = None, status: int = 200) -> tuple[str, int]:
    locale = _locale()
    try:
        form_def = (form_definition if may else recorded_form)(_registry(), entry)
    except TaskRefused as error:
        return _page("inspection/form_item.html", task, 409, item=entry, form=None, unavailable=error.message(locale))
    choices = item_choices(session, entry)
    methods, findings = method_options(choices), finding_options(choices, locale)
    if payload is None:
        chosen_methods = entry.methods or (["online"] if entry.online_fields and "online" in choices.methods else [])
        chosen_findings = entry.findings or []
    else:
        chosen_methods, chosen_findings = payload["methods"], payload["findings"]
    return _page("inspection/form_item.html", task, status, item=entry, form=form_def, may=may,
                 rows=question_rows(form_def, entry, locale, None if payload is None else payload["answers"], errors),
                 errors=errors or {}, methods=methods, findings=findings, chosen_methods=chosen_methods,
                 chosen_findings=chosen_findings, online_status=ONLINE_STATUSES.get(entry.online_status or ""))


@bp.get("/tasks/<int:task_id>/items/<int:item_id>.pdf")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def item_pdf(task_id: int, item_id: int) -> Response:
    """The item's checklist form as a PDF to print: filled when recorded, blank otherwise."""
    task = _task(task_id)
    entry = _item(task, item_id)
    try:
        pdf = render_item_pdf(session, task, entry)
    except TaskRefused as error:
        flash(error.message(_locale()), "error")
        return redirect(url_for(".item", task_id=task.id, item_id=entry.id))
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"inline; filename=task-{task.id}-{entry.department_code}-{entry.item_code}.pdf")
    return response
