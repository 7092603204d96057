"""``/api/v1/imports``: bulk import through the API, and the report of any run.

``POST /api/v1/imports/targets`` (or ``inspectors``, ``experts``) takes a multipart upload with
``dry_run`` and ``valid_only``; ``GET /api/v1/imports/<id>`` reads a run's report again. A run is
created (201) whatever it found: its ``status`` and ``problems`` say whether anything was imported.
"""

from __future__ import annotations

import io
from typing import Any

from flask import request
from flask.views import MethodView

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError
from spotcheck.api.i18n import N_
from spotcheck.db import session
from spotcheck.registry.importing.engine import KINDS, ImportOptions, import_file
from spotcheck.registry.importing.models import ImportRun
from spotcheck.registry.importing.report import Report
from spotcheck.registry.importing.schemas import ImportRunSchema, UploadSchema
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

blp = ApiBlueprint("api_imports", __name__,
                   description="Bulk import into the department's directories (CSV or .xlsx): "
                               "every row checked first, all imported or none (or the valid rows "
                               "only, when asked), a report of every problem.")

NO_FILE = N_("Send the file to import in the multipart field \"file\".")


def run_document(run: ImportRun) -> dict[str, Any]:
    """A run as the API answers it."""
    report = Report.from_dict(run.report) if run.report else None
    return {
        "id": run.id, "kind": run.kind, "status": run.status, "dry_run": run.dry_run,
        "mode": run.mode, "started_at": run.started_at, "finished_at": run.finished_at,
        "file_name": run.file_name, "file_size": run.file_size, "sha256": run.sha256,
        "file_format": run.file_format, "encoding": run.encoding,
        "counts": {"created": run.created, "updated": run.updated, "supervised": run.supervised,
                   "unchanged": run.unchanged, "invalid": run.invalid},
        "problems_total": report.problems_total if report else 0,
        "problems": [{"row": p.row, "column": p.column, "field": p.field, "code": p.code,
                      "message": {"zh": p.message_zh, "en": p.message_en}}
                     for p in (report.problems if report else [])],
        "rows": [{"row": o.row, "action": o.action, "key": o.key, "name": o.name,
                  "changed": o.changed} for o in (report.rows if report else [])],
    }


def _upload_view(kind: str) -> type[MethodView]:
    class Upload(MethodView):
        @blp.arguments(UploadSchema, location="form", content_type="multipart/form-data")
        @blp.response(201, ImportRunSchema)
        def post(self, options: dict[str, Any]) -> dict[str, Any]:
            require_permission(Permission.WORK)
            user = current_api_user()
            if user.department.is_office:
                raise ApiError(403)
            upload = request.files.get("file")
            if upload is None:
                raise ApiError(422, errors={"file": [NO_FILE]})
            result = import_file(session, user.department, io.BytesIO(upload.read()), ImportOptions(
                kind=kind, channel="api", dry_run=options["dry_run"],
                valid_only=options["valid_only"], encoding=options["encoding"],
                file_name=(upload.filename or "")[:255]))
            session.commit()
            run = get_visible(session, ImportRun, result.run_id)
            assert run is not None
            return run_document(run)

    Upload.post.__doc__ = (f"Import a file into the {kind}\n\nChecks every row first. With "
                           "dry_run nothing is written; otherwise every row is imported, or none "
                           "when any has a problem (unless valid_only). Answers the run and its "
                           "report, whatever happened.")
    Upload.__name__ = f"Import{kind.title()}"
    return Upload


for _kind in KINDS:
    blp.route(f"/imports/{_kind}", endpoint=f"Import{_kind.title()}")(_upload_view(_kind))


@blp.route("/imports/<int:run_id>")
class ImportRunResource(MethodView):
    @blp.response(200, ImportRunSchema)
    def get(self, run_id: int) -> dict[str, Any]:
        """An import run and its report

        Any run of the caller's department, dry runs included. Another department's run answers
        404, like one that does not exist.
        """
        require_permission(Permission.WORK)
        run = get_visible(session, ImportRun, run_id)
        if run is None:
            raise ApiError(404)
        return run_document(run)
