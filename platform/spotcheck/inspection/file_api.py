"""``/api/v1``: a task's evidence files (list, upload, download) and its archive (article 20).

Whoever sees the task reads its evidence (a task they may not see answers 404); who may attach
and who may export are :mod:`spotcheck.inspection.evidence`'s and
:mod:`spotcheck.inspection.archive`'s answers, as on the pages."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask.views import MethodView
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response as BaseResponse

from spotcheck.api.auth import current_api_user
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.api.i18n import N_
from spotcheck.db import session
from spotcheck.inspection import access, archive as archives, evidence as evidence_files
from spotcheck.inspection.evidence import EvidenceRefused, Storage
from spotcheck.inspection.file_views import DESCRIPTION_MAX, attachment
from spotcheck.inspection.models import Evidence, Task
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import get_visible

blp = ApiBlueprint("api_task_files", __name__,
                   description="Evidence files of inspection tasks (type checked by content, SHA-256 "
                               "recorded and re-checked on every download) and a task's complete "
                               "archive with its manifest of SHA-256 sums.")

NO_FILE = N_("Send the file in the multipart field \"file\".")

FILE_REFUSALS = {"evidence_type", "evidence_size", "evidence_empty", "evidence_polyglot", "evidence_macros"}
"""Refusals of the uploaded file itself: 422 naming the field ``file``."""


class EvidenceSchema(Schema):
    """An evidence file attached to a task."""

    id = fields.Integer()
    task = fields.Integer()
    filename = fields.String(metadata={"description": "The name shown (cleaned; its extension is "
                                                      "the real type's)"})
    content_type = fields.String(metadata={"description": "The type judged by the content: image/jpeg, "
                                                          "image/png, application/pdf, DOCX or XLSX"})
    size = fields.Integer(metadata={"description": "Bytes"})
    sha256 = fields.String(metadata={"description": "SHA-256 of the file, hex"})
    description = fields.String(allow_none=True)
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()
    download = fields.String(metadata={"description": "URL of the file"})


class EvidenceUploadSchema(Schema):
    """An evidence file (multipart/form-data) and what it shows."""

    file = Upload(metadata={"description": "JPEG, PNG, PDF, DOCX or XLSX, at most EVIDENCE_MAX_BYTES"})
    description = fields.String(load_default=None, validate=validate.Length(max=DESCRIPTION_MAX),
                                metadata={"description": "What the file shows"})


def _refused(error: EvidenceRefused | TaskRefused) -> Response:
    """The refusal in both languages: 422 on the file itself, 503 when it cannot be stored, 409
    otherwise (the task's state, a stored file that fails its check)."""
    code = 422 if error.code in FILE_REFUSALS else 503 if error.code == "evidence_storage" else 409
    body = error_body(code)
    body["message"] = {"zh": error.message_zh, "en": error.message_en}
    if code == 422:
        body["errors"] = {"file": [dict(body["message"])]}
    response = jsonify(body)
    response.status_code = code
    return response


def _task(task_id: int) -> Task:
    user = current_api_user()
    if not (has_permission(user.role, Permission.WORK) or has_permission(user.role, Permission.INSPECT)):
        raise ApiError(403)
    task = get_visible(session, Task, task_id)
    if task is None or not access.sees(session, user, task):
        raise ApiError(404)
    return task


def _document(row: Evidence) -> dict[str, Any]:
    return {"id": row.id, "task": row.task_id, "filename": row.filename, "content_type": row.content_type,
            "size": row.size, "sha256": row.sha256, "description": row.description,
            "uploaded_by": row.uploaded_by, "uploaded_at": row.uploaded_at,
            "download": url_for("api_task_files.TaskEvidenceFile", task_id=row.task_id, evidence_id=row.id,
                                _external=True)}


@blp.route("/tasks/<int:task_id>/evidence")
class TaskEvidence(MethodView):
    @blp.response(200, EvidenceSchema(many=True))
    def get(self, task_id: int) -> list[dict[str, Any]]:
        """A task's evidence files

        Oldest first, for whoever sees the task.
        """
        return [_document(row) for row in evidence_files.evidence_of(session, _task(task_id))]

    @blp.arguments(EvidenceUploadSchema, location="form", content_type="multipart/form-data")
    @blp.response(201, EvidenceSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Any:
        """Attach an evidence file to a task

        Whoever records one of the task's items, or leads it (others: 403), while its results
        are open (409 once recorded). The type is judged by the content: JPEG, PNG, PDF, or a
        Word or Excel document without macros; anything else, also renamed, and a file that is
        two types at once are refused (422 on ``file``), as is a file over the size limit. 503
        when the storage cannot be written: nothing is saved.
        """
        task = _task(task_id)
        user = current_api_user()
        if not evidence_files.may_attach(session, user, task):
            raise ApiError(403)
        upload = request.files.get("file")
        if upload is None:
            raise ApiError(422, errors={"file": [NO_FILE]})
        storage = Storage.of(current_app)
        try:
            row = evidence_files.attach(session, task, upload.stream, upload.filename, data.get("description"),
                                        user, storage)
        except EvidenceRefused as error:
            return _refused(error)
        evidence_files.commit(session, row, storage)
        return _document(row)


@blp.route("/tasks/<int:task_id>/evidence/<int:evidence_id>")
class TaskEvidenceFile(MethodView):
    @blp.response(200, description="The file, as an attachment", content_type="application/octet-stream")
    def get(self, task_id: int, evidence_id: int) -> BaseResponse:
        """Download an evidence file

        Its SHA-256 is checked first: a stored file that was changed or lost answers 409 (the
        refusal is logged and audited). Every download is audited.
        """
        task = _task(task_id)
        row = evidence_files.find(session, task, evidence_id)
        if row is None:
            raise ApiError(404)
        try:
            handle = evidence_files.open_verified(session, row, Storage.of(current_app))
        except EvidenceRefused as error:
            session.commit()  # the audit record of the refusal
            return _refused(error)
        evidence_files.downloaded(session, row)
        session.commit()
        return attachment(handle, row.content_type, row.filename, row.size)


@blp.route("/tasks/<int:task_id>/archive")
class TaskArchive(MethodView):
    @blp.response(200, description="The zip: the task's file and manifest.json (every file's "
                                   "size and SHA-256), with the manifest's own digest in "
                                   "manifest.sha256", content_type="application/zip")
    def get(self, task_id: int) -> Any:
        """Export a task's complete file (article 20)

        The plan and batch, the draw proof's excerpt for the target, the team, notices, each
        recorded item's form as PDF, the answers and findings, the evidence, the review, the state
        trail and the audit records about the task. The task's leader, the initiating
        department's staff or head, or the office (others: 403); the export is audited with the
        manifest's digest. 409 when a stored evidence file fails its check, or when an
        item's checklist form is no longer provided by its department's plugin.
        """
        task = _task(task_id)
        user = current_api_user()
        if not archives.may_export(session, user, task):
            raise ApiError(403)
        try:
            made = archives.export(session, task, Storage.of(current_app), user.username,
                                   proof_url=url_for("draws.public_proof", draw_id=task.draw_id, _external=True))
        except EvidenceRefused as error:
            session.commit()  # the audit record of the refusal
            return _refused(error)
        except TaskRefused as refused:  # an item's form that its plugin no longer provides: 409
            session.rollback()
            return _refused(refused)
        session.commit()
        return attachment(made.file, "application/zip", made.name, made.size)
