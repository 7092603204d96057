"""Downloads of the directories: exports filtered like the list pages (CSV or Excel), and the
import templates. Links to them sit on the directory pages; every export is audited.

The directory is a query parameter (``?directory=targets``), like the list pages' filters, which
the export reads under the same names.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, request
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from spotcheck import audit
from spotcheck.db import session, utcnow
from spotcheck.registry.experts.service import ExpertFilters
from spotcheck.registry.exporting import directories
from spotcheck.registry.exporting.templates import SHEET_TITLES, choices_for, template_workbook
from spotcheck.registry.exporting.writers import XLSX_MIMETYPE, download
from spotcheck.registry.importing.engine import KINDS
from spotcheck.registry.inspectors.service import InspectorFilters
from spotcheck.registry.targets.rows import current_area_index
from spotcheck.registry.targets.search import TargetFilters
from spotcheck.tenancy.access import current_user_can, require_permission
from spotcheck.tenancy.roles import Permission

bp = Blueprint("registry_exports", __name__, url_prefix="/registry")

FORMATS = ("csv", "xlsx")
FILE_NAMES = {"targets": "检查对象名录", "inspectors": "执法检查人员名录", "experts": "专家库"}
TEMPLATE_NAMES = {"targets": "检查对象导入模板", "inspectors": "执法检查人员导入模板",
                  "experts": "专家库导入模板"}


@bp.get("/export")
@require_permission(Permission.WORK)
def export() -> Response:
    """The directory's rows matching the list page's filters, as CSV (UTF-8 with BOM) or Excel.

    Personal fields are masked unless the user holds APPROVE. Recorded in the audit trail.
    """
    kind = _directory()
    file_format = request.args.get("format", "csv")
    if file_format not in FORMATS:
        abort(404)
    unmasked = current_user_can(Permission.APPROVE)
    own = None if current_user.department.is_office else current_user.department_id
    # The rows are read while the response streams, after this view returns: they use this
    # unit of work itself (with its scope), not the per-context proxy.
    db = session._get_current_object()  # type: ignore[attr-defined]
    header, rows, filters = _rows(db, kind, request.args, own, unmasked)
    audit.record(session, "export", kind, None, {
        "format": file_format, "filters": filters, "masked": not unmasked,
        "department": current_user.department.code})
    session.commit()
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return download(f"{FILE_NAMES[kind]}-{stamp}.{file_format}", header, rows, file_format,
                    SHEET_TITLES[kind])


@bp.get("/template")
@require_permission(Permission.WORK)
def template() -> Response:
    """The import template of a directory (.xlsx, Chinese headers, drop-down lists)."""
    kind = _directory()
    response = Response(template_workbook(kind, choices_for(session, kind)), mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(TEMPLATE_NAMES[kind] + '.xlsx')}")
    return response


def _directory() -> str:
    kind = request.args.get("directory", "")
    if kind not in KINDS:
        abort(404)
    return kind


def _rows(db: Session, kind: str, args: MultiDict[str, str], own: int | None, unmasked: bool
          ) -> tuple[list[str], Any, dict[str, str]]:
    """Header, rows and the filters applied (for the audit record), from the list page's
    query parameters."""
    given = {name: value.strip() for name, value in args.items()
             if name not in ("directory", "format") and value.strip()}
    department = _int(given.get("department")) if current_user_can(Permission.OVERSEE) else None
    if kind == "targets":
        area = given.get("area")
        filters = TargetFilters.from_query(
            given.get("q"), area_id=current_area_index().resolve(area) if area else None,
            industry=given.get("industry"), kind=given.get("kind"),
            risk_level=given.get("risk_level"), credit_class=given.get("credit_class"),
            tag=given.get("tag"), status=given.get("status"))
        return (directories.target_header(),
                directories.target_rows(db, filters, own, unmasked), given)
    if kind == "inspectors":
        inspector_filters = InspectorFilters(
            text=given.get("q"), status=given.get("status"), level=given.get("level"),
            authority=given.get("authority"), area_code=given.get("area"), department_id=department)
        return (directories.inspector_header(),
                directories.inspector_rows(db, inspector_filters, unmasked), given)
    expert_filters = ExpertFilters(text=given.get("q"), kind=given.get("kind"),
                                   speciality=given.get("speciality"), status=given.get("status"),
                                   department_id=department)
    return directories.expert_header(), directories.expert_rows(db, expert_filters, unmasked), given


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
