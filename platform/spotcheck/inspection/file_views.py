"""The pages of a task's files: its evidence (list, upload, download) and its archive (article 20).

Whoever sees the task (:func:`spotcheck.inspection.access.sees`) lists and downloads its evidence;
a task they may not see answers 404 like a missing one. Attaching and exporting are
:mod:`spotcheck.inspection.evidence`'s and :mod:`spotcheck.inspection.archive`'s answers."""

from __future__ import annotations

from typing import IO

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response as BaseResponse
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from spotcheck.db import session
from spotcheck.inspection import access, archive as archives, evidence as evidence_files
from spotcheck.inspection.evidence import EvidenceRefused, Storage
from spotcheck.inspection.models import Task, TaskState
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.tenancy.access import require_any_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

bp = Blueprint("task_files", __name__)

DESCRIPTION_MAX = 2000


class EvidenceForm(FlaskForm):
    """One evidence file and what it shows."""

    file = FileField(_l("File"), [FileRequired(_l("Choose a file to attach."))])
    description = TextAreaField(_l("What it shows"), [Optional(), Length(max=DESCRIPTION_MAX)],
                                description=_l("E.g. the licence on the wall, the test report of batch 2025-03."))


def _locale() -> str:
    return str(get_locale() or "zh")


def _task(task_id: int) -> Task:
    task = get_visible(session, Task, task_id)
    if task is None or not access.sees(session, current_user, task):
        abort(404)
    return task


def attachment(handle: IO[bytes], content_type: str, name: str, size: int) -> BaseResponse:
    """``handle`` as a download that no browser renders or sniffs, and no cache keeps."""
    response = send_file(handle, mimetype=content_type, as_attachment=True, download_name=name,
                         conditional=False, etag=False)
    response.content_length = size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/tasks/<int:task_id>/evidence", methods=["GET", "POST"])
@require_any_permission(Permission.WORK, Permission.INSPECT)
def evidence(task_id: int) -> Response | tuple[str, int] | str:
    """The task's evidence, and the form to attach a file (for whoever records one of its items
    or leads it)."""
    task = _task(task_id)
    may_attach = evidence_files.may_attach(session, current_user, task)
    form = EvidenceForm()
    if request.method == "POST":
        if not may_attach:
            abort(403)
        if form.validate_on_submit():
            storage = Storage.of(current_app)
            upload = form.file.data
            try:
                row = evidence_files.attach(session, task, upload.stream, upload.filename,
                                            form.description.data, current_user, storage)
            except EvidenceRefused as error:
                form.file.errors = [error.message(_locale())]
            else:
                evidence_files.commit(session, row, storage)
                flash(_("“%(name)s” is attached as %(type)s evidence; its SHA-256 is recorded.",
                        name=row.filename, type=_kind_label(row.content_type)), "success")
                return redirect(url_for(".evidence", task_id=task.id))
        return _page(task, form, may_attach), 422
    return _page(task, form, may_attach)


def _page(task: Task, form: EvidenceForm, may_attach: bool) -> str:
    storage = Storage.of(current_app)
    return render_template("inspection/files_evidence.html", task=task, form=form, may_attach=may_attach,
                           rows=evidence_files.evidence_of(session, task), kind_label=_kind_label,
                           kinds=evidence_files.KINDS, max_mb=storage.max_bytes / 1048576,
                           may_export=archives.may_export(session, current_user, task),
                           is_open=TaskState(task.state) in evidence_files.OPEN_STATES, locale=_locale())


def _kind_label(content_type: str) -> str:
    return next((k.label for k in evidence_files.KINDS if k.content_type == content_type), content_type)


@bp.get("/tasks/<int:task_id>/evidence/<int:evidence_id>")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def evidence_file(task_id: int, evidence_id: int) -> BaseResponse:
    """One evidence file, once its SHA-256 matches the record; a changed or missing file is refused."""
    task = _task(task_id)
    row = evidence_files.find(session, task, evidence_id)
    if row is None:
        abort(404)
    try:
        handle = evidence_files.open_verified(session, row, Storage.of(current_app))
    except EvidenceRefused as error:
        session.commit()  # the audit record of the refusal
        flash(error.message(_locale()), "error")
        return redirect(url_for(".evidence", task_id=task.id))
    evidence_files.downloaded(session, row)
    session.commit()
    return attachment(handle, row.content_type, row.filename, row.size)


@bp.get("/tasks/<int:task_id>/archive.zip")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def archive(task_id: int) -> BaseResponse:
    """The task's complete file as a zip with its manifest of SHA-256 sums (the task's leader, the
    initiating department's staff or head, or the office); the export is audited."""
    task = _task(task_id)
    if not archives.may_export(session, current_user, task):
        abort(403)
    try:
        made = archives.export(session, task, Storage.of(current_app), current_user.username,
                               proof_url=url_for("draws.public_proof", draw_id=task.draw_id, _external=True))
    except EvidenceRefused as error:
        session.commit()  # the audit record of the refusal
        flash(error.message(_locale()), "error")
        return redirect(url_for(".evidence", task_id=task.id))
    except TaskRefused as refused:  # an item's form that its plugin no longer provides
        session.rollback()
        flash(refused.message(_locale()), "error")
        return redirect(url_for(".evidence", task_id=task.id))
    session.commit()
    return attachment(made.file, "application/zip", made.name, made.size)
