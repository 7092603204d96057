"""The audit administrator's pages: search the trail, read a record, verify the chain, export.

Reading is open to the audit administrator alone (三权分立: the other administrators are what the
trail watches). Verifying and exporting are recorded in the trail itself, so who took a copy of
it, and when, is on the record too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import format_datetime, get_locale, lazy_gettext as _l
from sqlalchemy import Select, func, select
from werkzeug.datastructures import MultiDict
from wtforms import DateField, Form, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from spotcheck import audit
from spotcheck.audit import checkpoint as checkpoints
from spotcheck.audit.chain import Problem
from spotcheck.audit.checkpoint import Mismatch
from spotcheck.audit.models import AuditRecord
from spotcheck.db import session, utcnow
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.csvexport import csv_response
from spotcheck.web.pagination import paginate

bp = Blueprint("audit_log", __name__, url_prefix="/admin/audit")

PER_PAGE = 50
EXPORT_BATCH = 1000

PROBLEM_LABELS = {
    Problem.GAP: _l("A record is missing"),
    Problem.PREV_HASH: _l("The link to the previous record does not match"),
    Problem.HASH: _l("The record's content was altered"),
}

MISMATCH_LABELS = {
    Mismatch.MISSING: _l("The record is missing: the trail was cut back"),
    Mismatch.REWRITTEN: _l("The record has another hash: the trail was rewritten"),
}


class SearchForm(Form):
    """The filters of the trail; read from the query string (searching changes nothing)."""

    username = StringField(_l("User"), [Optional(), Length(max=128)])
    department = SelectField(_l("Department"), [Optional()], choices=[])
    action = StringField(_l("Action"), [Optional(), Length(max=32)])
    object_type = StringField(_l("Object type"), [Optional(), Length(max=64)])
    object_id = StringField(_l("Object ID"), [Optional(), Length(max=128)])
    request_id = StringField(_l("Request ID"), [Optional(), Length(max=64)])
    since = DateField(_l("From"), [Optional()])
    until = DateField(_l("To"), [Optional()])

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))

    def filters(self) -> dict[str, Any]:
        """The filters given, by field name (empty ones left out), for links and exports."""
        return {name: field.data.isoformat() if isinstance(field.data, date) else field.data
                for name, field in self._fields.items() if field.data}


@bp.get("/")
@require_permission(Permission.READ_AUDIT)
def index() -> str:
    """The trail, newest first, narrowed by the search form."""
    departments = _department_names()
    form = _search_form(request.args, departments)
    page = paginate(session, _search(form), request.args.get("page", 1, type=int), PER_PAGE) \
        if form.validate() else None
    return render_template("audit/index.html", form=form, page=page, filters=form.filters(),
                           departments=departments)


@bp.get("/<int:record_id>")
@require_permission(Permission.READ_AUDIT)
def detail(record_id: int) -> str:
    """One record in full: its summary, hashes, and its neighbours in the chain."""
    record = get_visible(session, AuditRecord, record_id)
    if record is None:
        abort(404)
    newer = get_visible(session, AuditRecord, record_id + 1)
    return render_template("audit/detail.html", record=record, summary=_pretty(record.summary),
                           departments=_department_names(), newer_id=newer.id if newer else None)


@bp.post("/verify")
@require_permission(Permission.READ_AUDIT)
def verify() -> str:
    """Recompute the whole chain and show whether it is intact, or its first broken link, and
    whether it still holds every checkpoint taken of it."""
    result = audit.verify_chain(session)
    kept = [checkpoints.published(c) for c in checkpoints.stored(session)]
    disagreements = checkpoints.compare(session, kept)
    audit.record(session, "verify", "audit_record", None,
                 {"ok": result.ok and not disagreements, "intact_records": result.count,
                  "broken_at": result.broken.record_id if result.broken else None,
                  "checkpoints": len(kept),
                  "checkpoints_not_held": [d.checkpoint.record_id for d in disagreements]})
    session.commit()
    return render_template("audit/verify.html", result=result, problem_labels=PROBLEM_LABELS,
                           verified_at=utcnow(), checkpoints=kept, disagreements=disagreements,
                           mismatch_labels=MISMATCH_LABELS)


@bp.post("/export")
@require_permission(Permission.READ_AUDIT)
def export() -> Response:
    """Download the records matching the filters as CSV; the export is itself recorded."""
    form = _search_form(request.form, _department_names())
    if not form.validate():
        abort(400)
    head = audit.chain_head(session)
    # Up to the newest record now, so the file holds exactly the rows the export record counts.
    statement = _search(form).where(AuditRecord.id <= (head.id if head else 0))
    count = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    audit.record(session, "export", "audit_record", None,
                 {"filters": form.filters(), "rows": count})
    session.commit()
    filename = f"audit-trail-{format_datetime(utcnow(), 'yyyyMMdd-HHmmss')}.csv"
    return csv_response(filename, _export_header(), _export_rows(statement))


def _search_form(data: MultiDict[str, str], departments: dict[str, str]) -> SearchForm:
    form = SearchForm(data)
    form.department.choices = [("", _l("Any department"))] + [
        (code, f"{code} {name}") for code, name in departments.items()]
    return form


def _search(form: SearchForm) -> Select[tuple[AuditRecord]]:
    """The records matching ``form``'s filters, newest first."""
    statement = select(AuditRecord).order_by(AuditRecord.id.desc())
    if form.username.data:
        statement = statement.where(
            func.lower(AuditRecord.username).contains(form.username.data.strip().lower(),
                                                      autoescape=True))
    exact = {"department": AuditRecord.department_code, "action": AuditRecord.action,
             "object_type": AuditRecord.object_type, "object_id": AuditRecord.object_id,
             "request_id": AuditRecord.request_id}
    for name, column in exact.items():
        value = (form[name].data or "").strip()
        if value:
            statement = statement.where(column == value)
    if form.since.data:
        statement = statement.where(AuditRecord.at >= _start_of_day(form.since.data))
    if form.until.data:
        statement = statement.where(AuditRecord.at < _start_of_day(form.until.data + timedelta(days=1)))
    return statement


def _start_of_day(day: date) -> datetime:
    """Midnight of ``day`` where the platform's users are (``BABEL_DEFAULT_TIMEZONE``)."""
    return datetime.combine(day, time.min, ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def _department_names() -> dict[str, str]:
    """Department code → name in the current language, for filters and display."""
    locale = str(get_locale() or "zh")
    return {d.code: d.name(locale)
            for d in session.scalars(select(Department).order_by(Department.code))}


def _pretty(summary: str | None) -> str | None:
    """A summary as indented JSON (it is stored compact), or as stored if it is not JSON."""
    if summary is None:
        return None
    try:
        return json.dumps(json.loads(summary), ensure_ascii=False, indent=2, sort_keys=True)
    except ValueError:
        return summary


def _export_header() -> list[str]:
    return [str(label) for label in (
        _l("No."), _l("Time"), _l("User ID"), _l("User"), _l("Department"), _l("Action"),
        _l("Object type"), _l("Object ID"), _l("Summary"), _l("IP address"), _l("Request ID"),
        _l("Previous hash"), _l("Hash"))]


def _export_rows(statement: Select[tuple[AuditRecord]]) -> Iterator[list[Any]]:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    for record in session.scalars(statement.execution_options(yield_per=EXPORT_BATCH)):
        yield [record.id, record.at.astimezone(zone).isoformat(timespec="seconds"),
               record.user_id, record.username, record.department_code, record.action,
               record.object_type, record.object_id, record.summary, record.ip,
               record.request_id, record.prev_hash, record.hash]
