"""The bulk import's pages: upload → report (a dry run) → confirm → result, and past runs.

An upload is always checked first, as a dry run that writes nothing but keeps the file; the
report lists every problem and, page by page, what each row would do. Confirming imports exactly
the file that was checked (the stored bytes, on whichever app server answers). Only a
department's staff and heads import, into their own department's directories; every run, dry or
not, stays listed with its report.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select, update
from sqlalchemy.orm import undefer
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

from spotcheck.db import session
from spotcheck.registry.importing import encodings
from spotcheck.registry.importing.engine import KINDS, ImportOptions, import_file
from spotcheck.registry.importing.models import ImportRun, KIND_LABELS
from spotcheck.registry.importing.report import ACTION_LABELS, Report
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.pagination import Page, paginate

bp = Blueprint("imports", __name__, url_prefix="/registry/imports")

PER_PAGE = 50
RUNS_PER_PAGE = 20


class UploadForm(FlaskForm):
    """The file to check, which directory it fills, and how."""

    kind = SelectField(_l("Directory"),
                       choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in KINDS])
    file = FileField(_l("File"), [FileRequired(_l("Choose a file to import."))],
                     description=_l("CSV (UTF-8, UTF-8 with BOM, GBK or GB18030) or Excel .xlsx, "
                                    "with the template's headers in the first row."))
    encoding = SelectField(_l("Encoding of a CSV file"),
                           choices=[SelectChoice("", _l("Detect")),
                                    *(SelectChoice(name, name.upper()) for name in encodings.CHOICES)])
    valid_only = BooleanField(_l("Import the valid rows even if other rows have problems"))


class ConfirmForm(FlaskForm):
    """Confirming a checked file (a POST with its CSRF token only)."""


def _require_member_unit() -> None:
    # The office oversees the directories; each member unit fills its own.
    if current_user.department.is_office:
        abort(403)


@bp.route("/", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def index() -> Response | str:
    """Upload a file (checked at once, as a dry run) and the department's past runs (the
    office sees every department's runs, and uploads nothing)."""
    if request.method == "POST":
        _require_member_unit()
    form = UploadForm()
    if request.method == "GET" and request.args.get("kind") in KINDS:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        upload = form.file.data
        stream = io.BytesIO(upload.read())
        result = import_file(session, current_user.department, stream, ImportOptions(
            kind=form.kind.data, channel="web", dry_run=True, valid_only=form.valid_only.data,
            encoding=form.encoding.data or None, file_name=(upload.filename or "")[:255],
            keep_upload=True))
        session.commit()
        return redirect(url_for(".detail", run_id=result.run_id))
    runs = paginate(session, select(ImportRun).order_by(ImportRun.id.desc()),
                    request.args.get("page", 1, type=int), RUNS_PER_PAGE)
    return render_template("registry/imports/index.html", form=form, runs=runs, kinds=KINDS,
                           kind_labels=KIND_LABELS, can_upload=not current_user.department.is_office)


@bp.get("/<int:run_id>")
@require_permission(Permission.WORK)
def detail(run_id: int) -> str:
    """A run's report: counts, every problem, and what each row does (paginated, filterable)."""
    run = _visible_run(run_id)
    report = Report.from_dict(run.report) if run.report else None
    action = request.args.get("action", "")
    rows = [] if report is None else [o for o in report.rows if not action or o.action == action]
    number = request.args.get("page", 1, type=int)
    pages = max(1, -(-len(rows) // PER_PAGE))
    number = min(max(1, number), pages)
    page = Page(items=rows[(number - 1) * PER_PAGE:number * PER_PAGE], number=number,
                per_page=PER_PAGE, total=len(rows))
    return render_template("registry/imports/detail.html", run=run, report=report, page=page,
                           action=action, action_labels=ACTION_LABELS,
                           can_confirm=_can_confirm(run, report), confirm_form=ConfirmForm(),
                           applied_by=_applied_by(run))


@bp.post("/<int:run_id>/confirm")
@require_permission(Permission.WORK)
def confirm(run_id: int) -> Response:
    """Import the file a dry run checked, exactly as it was uploaded."""
    run = _visible_run(run_id, with_upload=True)
    _require_member_unit()
    form = ConfirmForm()
    report = Report.from_dict(run.report) if run.report else None
    if not form.validate_on_submit() or not _can_confirm(run, report) or run.upload is None:
        flash(_("This check cannot be imported (any more): upload the file again."), "error")
        return redirect(url_for(".detail", run_id=run.id))
    stream = io.BytesIO(run.upload)
    # The stored copy has served its purpose: cleared before the import, in the same transaction.
    session.connection().execute(update(ImportRun.__table__).where(ImportRun.__table__.c.id == run.id)
                                 .values(upload=None))
    result = import_file(session, current_user.department, stream, ImportOptions(
        kind=run.kind, channel="web", valid_only=run.mode == "valid_only", encoding=run.encoding,
        file_name=run.file_name, confirms_id=run.id))
    session.commit()
    return redirect(url_for(".detail", run_id=result.run_id))  # its notice says what happened


def _visible_run(run_id: int, with_upload: bool = False) -> ImportRun:
    if with_upload:
        run = session.scalars(select(ImportRun).options(undefer(ImportRun.upload))
                              .where(ImportRun.id == run_id)).one_or_none()
    else:
        run = get_visible(session, ImportRun, run_id)
    if run is None:
        abort(404)
    return run


def _can_confirm(run: ImportRun, report: Report | None) -> bool:
    """A dry run whose file is kept, with rows to import and nothing that would refuse them."""
    if not run.dry_run or run.status != "checked" or report is None or current_user.department.is_office:
        return False
    importable = report.rows_total - report.counts["invalid"]
    return importable > 0 and (report.ok or run.mode == "valid_only") and _has_upload(run)


def _has_upload(run: ImportRun) -> bool:
    return bool(session.scalar(select(ImportRun.upload.is_not(None)).where(ImportRun.id == run.id)))


def _applied_by(run: ImportRun) -> Any:
    """The run that imported this dry run's file, if one did."""
    return session.scalars(select(ImportRun).where(ImportRun.confirms_id == run.id)
                           .order_by(ImportRun.id.desc()).limit(1)).first()
