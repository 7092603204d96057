"""``/api/v1/inspectors``: the inspector directory, eligibility and conflicts of interest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.api.i18n import N_
from spotcheck.audit.masking import mask
from spotcheck.db import session
from spotcheck.registry.errors import FieldError
from spotcheck.registry.inspectors import service
from spotcheck.registry.inspectors.eligibility import Ineligibility, eligibility
from spotcheck.registry.inspectors.models import Inspector, InspectorConflict
from spotcheck.registry.inspectors.rows import field_error, validate_inspector_row
from spotcheck.registry.inspectors.schemas import (
    ConflictInputSchema,
    ConflictSchema,
    ConflictWithdrawSchema,
    EligibilityQuerySchema,
    EligibilitySchema,
    InspectorInputSchema,
    InspectorQuerySchema,
    InspectorSchema,
)
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_scope, get_visible
from spotcheck.web.pagination import paginate

blp = ApiBlueprint("api_inspectors", __name__,
                   description="The inspector directory. A department reads and maintains its "
                               "own; the office reads every department's.")

MAX_PER_PAGE = 500
CODE_TAKEN = N_("This certificate number is already registered.")
UNKNOWN_TARGET = N_("No target with this code in your department's directory.")
DUPLICATE_CONFLICT = N_("A conflict with this target is already declared.")
REASON_REQUIRED = N_("Give the reason for the conflict.")


def field_errors_response(errors: Sequence[FieldError]) -> Response:
    """422 with the API's error document, each field's errors in both languages."""
    body = error_body(422)
    for error in errors:
        body["errors"].setdefault(error.field, []).append(
            {"zh": error.message_zh, "en": error.message_en})
    response = jsonify(body)
    response.status_code = 422
    return response


def _reasons(reasons: list[Ineligibility]) -> list[dict[str, str]]:
    return [{"code": r.code, "message_zh": r.message_zh, "message_en": r.message_en} for r in reasons]


def _document(inspector: Inspector, departments: dict[int, str]) -> dict[str, Any]:
    return {"id": inspector.id, "department": departments.get(inspector.department_id),
            "code": inspector.code, "name": inspector.name, "level": inspector.level,
            "status": inspector.status, "scope": inspector.authorities,
            "areas": inspector.area_codes, "valid_from": inspector.valid_from,
            "valid_to": inspector.valid_to, "expertise": inspector.expertise or [],
            "phone": mask(inspector.phone), "user_id": inspector.user_id, "note": inspector.note,
            "ineligible_today": _reasons(eligibility(inspector, service.today()))}


def _department_codes() -> dict[int, str]:
    return dict(session.execute(select(Department.id, Department.code)).all())


def _raw(data: dict[str, Any], inspector: Inspector | None = None) -> dict[str, Any]:
    """An input document as an import row, over the inspector's current values for a PATCH."""
    current: dict[str, Any] = {}
    if inspector is not None:
        current = {"code": inspector.code, "name": inspector.name, "level": inspector.level,
                   "scope": inspector.authorities, "areas": inspector.area_codes,
                   "valid_from": inspector.valid_from, "valid_to": inspector.valid_to,
                   "expertise": inspector.expertise or [], "status": inspector.status,
                   "phone": inspector.phone, "note": inspector.note}
    merged = {**current, **data}
    for key in ("scope", "areas", "expertise"):
        if isinstance(merged.get(key), list):
            merged[key] = "；".join(merged[key])
    return merged


def _visible(inspector_id: int) -> Inspector:
    inspector = get_visible(session, Inspector, inspector_id)
    if inspector is None:
        raise ApiError(404)
    return inspector


def _editable(inspector_id: int) -> Inspector:
    inspector = _visible(inspector_id)
    scope = get_scope(session)
    if scope is None or not scope.can_write(inspector.department_id):
        raise ApiError(403)
    return inspector


def _commit_or_code_taken() -> Response | None:
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return field_errors_response([field_error("code", "duplicate", CODE_TAKEN)])
    return None


@blp.route("/inspectors")
class Inspectors(MethodView):
    @blp.arguments(InspectorQuerySchema, location="query")
    @blp.response(200, InspectorSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Inspectors

        The caller's directory (the office: every department's), filtered, by certificate
        number, a page at a time; each with why they cannot be drawn today, if so.
        """
        require_permission(Permission.WORK)
        filters = service.InspectorFilters(
            text=query.get("q"), status=query.get("status"), level=query.get("level"),
            authority=query.get("authority"), area_code=query.get("area"),
            expiring_on=service.today() if query.get("expiring") else None)
        page = paginate(session, service.search_inspectors(filters), query["page"],
                        max(1, min(query["per_page"], MAX_PER_PAGE)))
        departments = _department_codes()
        return [_document(inspector, departments) for inspector in page.items]

    @blp.arguments(InspectorInputSchema)
    @blp.response(201, InspectorSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Add an inspector

        The fields are checked like an imported row; every problem is answered at once (422),
        in Chinese and English.
        """
        require_permission(Permission.WORK)
        user = current_api_user()
        if user.department.is_office:
            raise ApiError(403)
        row, errors = validate_inspector_row(_raw(data), service.inspector_lookups(session, user.department_id))
        if row is None:
            return field_errors_response(errors)
        inspector = service.create_inspector(session, user.department_id, row)
        refused = _commit_or_code_taken()
        return refused or _document(inspector, _department_codes())


@blp.route("/inspectors/<int:inspector_id>")
class InspectorResource(MethodView):
    @blp.response(200, InspectorSchema)
    def get(self, inspector_id: int) -> dict[str, Any]:
        """An inspector

        With why they cannot be drawn today, if so. Another department's inspector answers 404
        (the office reads every inspector).
        """
        require_permission(Permission.WORK)
        return _document(_visible(inspector_id), _department_codes())

    @blp.arguments(InspectorInputSchema)
    @blp.response(200, InspectorSchema)
    def patch(self, data: dict[str, Any], inspector_id: int) -> Any:
        """Change an inspector

        Fields left out keep their values; the result is checked like an imported row. Only the
        inspector's own department changes it (the office: 403).
        """
        require_permission(Permission.WORK)
        inspector = _editable(inspector_id)
        row, errors = validate_inspector_row(
            _raw(data, inspector), service.inspector_lookups(session, inspector.department_id))
        if row is None:
            return field_errors_response(errors)
        service.update_inspector(session, inspector, row)
        refused = _commit_or_code_taken()
        return refused or _document(inspector, _department_codes())


@blp.route("/inspectors/<int:inspector_id>/eligibility")
class InspectorEligibility(MethodView):
    @blp.arguments(EligibilityQuerySchema, location="query")
    @blp.response(200, EligibilitySchema)
    def get(self, query: dict[str, Any], inspector_id: int) -> dict[str, Any]:
        """Whether an inspector may be drawn

        On a day (default today), for an authority and in an area when given; every reason when
        not.
        """
        require_permission(Permission.WORK)
        inspector = _visible(inspector_id)
        reasons = eligibility(inspector, query.get("on") or service.today(),
                              query.get("authority"), query.get("area"))
        return {"eligible": not reasons, "reasons": _reasons(reasons)}


@blp.route("/inspectors/<int:inspector_id>/conflicts")
class InspectorConflicts(MethodView):
    @blp.response(200, ConflictSchema(many=True))
    def get(self, inspector_id: int) -> list[InspectorConflict]:
        """An inspector's conflicts of interest

        Every declaration, newest first, withdrawn ones included.
        """
        require_permission(Permission.WORK)
        return list(_visible(inspector_id).conflicts)

    @blp.arguments(ConflictInputSchema)
    @blp.response(201, ConflictSchema)
    def post(self, data: dict[str, Any], inspector_id: int) -> Any:
        """Declare a conflict of interest

        The target is named by its code and must be in the department's directory.
        """
        require_permission(Permission.WORK)
        inspector = _editable(inspector_id)
        target = session.scalars(select(Target).where(
            Target.code == data.get("target_code", "").strip().upper())).one_or_none()
        if target is None:
            return field_errors_response([field_error("target_code", "unknown_target", UNKNOWN_TARGET)])
        try:
            conflict = service.declare_conflict(session, inspector, target, data.get("reason", ""))
        except service.ConflictError as refused:
            duplicate = str(refused) == "duplicate"
            return field_errors_response([field_error(
                "target_code" if duplicate else "reason", str(refused),
                DUPLICATE_CONFLICT if duplicate else REASON_REQUIRED)])
        session.commit()
        return conflict


@blp.route("/inspectors/<int:inspector_id>/conflicts/<int:conflict_id>")
class InspectorConflictResource(MethodView):
    @blp.arguments(ConflictWithdrawSchema)
    @blp.response(200, ConflictSchema)
    def delete(self, data: dict[str, Any], inspector_id: int, conflict_id: int) -> InspectorConflict:
        """Withdraw a conflict of interest

        The declaration stays on record, marked withdrawn with when and why; withdrawing it again
        answers 409.
        """
        require_permission(Permission.WORK)
        inspector = _editable(inspector_id)
        conflict = get_visible(session, InspectorConflict, conflict_id)
        if conflict is None or conflict.inspector_id != inspector.id:
            raise ApiError(404)
        try:
            service.withdraw_conflict(conflict, data.get("reason"))
        except service.ConflictError:
            raise ApiError(409) from None
        session.commit()
        return conflict
