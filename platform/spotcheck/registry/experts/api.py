"""``/api/v1/experts``: the expert pool."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError
from spotcheck.audit.masking import mask
from spotcheck.db import session
from spotcheck.registry.experts import service
from spotcheck.registry.experts.models import Expert
from spotcheck.registry.experts.rows import validate_expert_row
from spotcheck.registry.experts.schemas import ExpertInputSchema, ExpertQuerySchema, ExpertSchema
from spotcheck.registry.inspectors.api import field_errors_response
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_scope, get_visible
from spotcheck.web.pagination import paginate

blp = ApiBlueprint("api_experts", __name__,
                   description="The expert pool: experts, testing bodies and research institutions. "
                               "A department keeps the members it registered; the office reads all.")

MAX_PER_PAGE = 500


def _document(expert: Expert) -> dict[str, Any]:
    department = session.scalar(select(Department.code).where(Department.id == expert.department_id))
    return {"id": expert.id, "department": department, "kind": expert.kind, "name": expert.name,
            "organisation": expert.organisation, "specialities": expert.specialities,
            "qualification": expert.qualification, "contact": mask(expert.contact),
            "valid_until": expert.valid_until, "status": expert.status, "note": expert.note}


def _raw(data: dict[str, Any], expert: Expert | None = None) -> dict[str, Any]:
    """An input document as an import row, over the member's current values for a PATCH."""
    current: dict[str, Any] = {}
    if expert is not None:
        current = {name: getattr(expert, name) for name in service.SCALAR_FIELDS}
        current["specialities"] = expert.specialities
    merged = {**current, **data}
    if isinstance(merged.get("specialities"), list):
        merged["specialities"] = "；".join(merged["specialities"])
    return merged


def _visible(expert_id: int) -> Expert:
    expert = get_visible(session, Expert, expert_id)
    if expert is None:
        raise ApiError(404)
    return expert


@blp.route("/experts")
class Experts(MethodView):
    @blp.arguments(ExpertQuerySchema, location="query")
    @blp.response(200, ExpertSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The expert pool

        Filtered by kind, speciality, status and name, a page at a time.
        """
        require_permission(Permission.WORK)
        filters = service.ExpertFilters(text=query.get("q"), kind=query.get("kind"),
                                        speciality=query.get("speciality"),
                                        status=query.get("status"))
        page = paginate(session, service.search_experts(filters), query["page"],
                        max(1, min(query["per_page"], MAX_PER_PAGE)))
        return [_document(expert) for expert in page.items]

    @blp.arguments(ExpertInputSchema)
    @blp.response(201, ExpertSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a member to the pool

        Checked like an imported row; every problem is answered at once (422).
        """
        require_permission(Permission.WORK)
        user = current_api_user()
        if user.department.is_office:
            raise ApiError(403)
        row, errors = validate_expert_row(_raw(data))
        if row is None:
            return field_errors_response(errors)
        expert = service.create_expert(session, user.department_id, row)
        session.commit()
        return _document(expert)


@blp.route("/experts/<int:expert_id>")
class ExpertResource(MethodView):
    @blp.response(200, ExpertSchema)
    def get(self, expert_id: int) -> dict[str, Any]:
        """A member of the pool

        Another department's member answers 404 (the office reads every member).
        """
        require_permission(Permission.WORK)
        return _document(_visible(expert_id))

    @blp.arguments(ExpertInputSchema)
    @blp.response(200, ExpertSchema)
    def patch(self, data: dict[str, Any], expert_id: int) -> Any:
        """Change a member of the pool

        Only the department that registered the member changes it (the office: 403).
        """
        require_permission(Permission.WORK)
        expert = _visible(expert_id)
        scope = get_scope(session)
        if scope is None or not scope.can_write(expert.department_id):
            raise ApiError(403)
        row, errors = validate_expert_row(_raw(data, expert))
        if row is None:
            return field_errors_response(errors)
        service.update_expert(expert, row)
        session.commit()
        return _document(expert)
