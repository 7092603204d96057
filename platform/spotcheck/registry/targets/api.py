"""``/api/v1/targets``: the target directory over REST, with the pages' rules and tenancy."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.auth import current_api_user
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.api.i18n import N_
from spotcheck.audit.masking import mask
from spotcheck.db import session
from spotcheck.registry.targets import service
from spotcheck.registry.targets.models import Target, TargetSupervision
from spotcheck.registry.targets.rows import SHARED_FIELDS, current_area_index, validate_target_row
from spotcheck.registry.targets.schemas import (
    TagChangeSchema,
    TargetInputSchema,
    TargetPageSchema,
    TargetQuerySchema,
    TargetSchema,
    TargetUpdateSchema,
)
from spotcheck.registry.targets.search import TargetFilters, search
from spotcheck.tenancy.scope import get_visible

blp = ApiBlueprint("api_targets", __name__,
                   description="The target directory (检查对象名录库): the targets the caller's "
                               "department supervises (the office: all), with the department's "
                               "own risk levels and tags.")

VERSION_CONFLICT = N_("Someone else changed this target since you read it: read it again, "
                      "and send your change with the new version.")
VERSION_REQUIRED = N_("Send the version of the target you read.")
OFFICE_READS_ONLY = N_("The office reads the directory; departments change it.")
INVALID_FIELDS = N_('Some fields are invalid: see "errors".')


class TargetRefused(Exception):
    """Field errors from the directory's own validation, already in both languages."""

    def __init__(self, refused: service.TargetError) -> None:
        super().__init__(str(refused))
        self.errors = refused.errors


@blp.errorhandler(TargetRefused)
def _refused(error: TargetRefused) -> tuple[dict[str, Any], int]:
    body = error_body(422, INVALID_FIELDS)
    for field_error in error.errors:
        body["errors"].setdefault(field_error.field, []).append(
            {"zh": field_error.message_zh, "en": field_error.message_en})
    return body, 422


def _editor() -> None:
    if current_api_user().department.is_office:
        raise ApiError(403, OFFICE_READS_ONLY)


def _document(target: Target, *, tags: list[str], risk: str | None, full: bool,
              supervised_by: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": target.id, "code": target.code, "name": target.name, "kind": target.kind,
        "legal_representative": target.legal_representative if full
        else mask(target.legal_representative),
        "address": target.address,
        "area": {"code": target.area.code, "path": target.area.path} if target.area else None,
        "industry_code": target.industry_code, "status": target.status,
        "credit_class": target.credit_class, "risk_level": risk, "tags": tags,
        "supervised_by": supervised_by or [], "version": target.version,
        "created_at": target.created_at, "updated_at": target.updated_at,
    }


def _own_risks(ids: list[int]) -> dict[int, str | None]:
    home = current_api_user().department_id
    return dict(session.execute(select(TargetSupervision.target_id, TargetSupervision.risk_level)
                                .where(TargetSupervision.target_id.in_(ids),
                                       TargetSupervision.department_id == home)).all())


def _one(target: Target) -> dict[str, Any]:
    return _document(target, tags=service.tags_of(session, [target.id]).get(target.id, []),
                     risk=_own_risks([target.id]).get(target.id), full=True,
                     supervised_by=[d.code for d in service.supervisors(session, target)])


def _visible(target_id: int) -> Target:
    target = get_visible(session, Target, target_id)
    if target is None:
        raise ApiError(404)
    return target


@blp.route("/targets")
class Targets(MethodView):
    @blp.arguments(TargetQuerySchema, location="query")
    @blp.response(200, TargetPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Search the directory

        Filters combine; the name filter is a prefix, a code matches whole. Fifty targets a page,
        ordered by name; counts stop at 10,000. Legal representatives are masked.
        """
        area_id = current_area_index().resolve(query["area"]) if query.get("area") else None
        if query.get("area") and area_id is None:
            return {"items": [], "page": 1, "per_page": 50, "total": 0, "total_capped": False}
        filters = TargetFilters.from_query(
            query.get("q"), area_id=area_id, industry=query.get("industry"), kind=query.get("kind"),
            risk_level=query.get("risk_level"), credit_class=query.get("credit_class"),
            tag=query.get("tag"), status=query.get("status"))
        page = search(session, filters, query["page"])
        ids = [t.id for t in page.items]
        tags, risks = service.tags_of(session, ids), _own_risks(ids)
        return {"items": [_document(t, tags=tags.get(t.id, []), risk=risks.get(t.id), full=False)
                          for t in page.items],
                "page": page.page, "per_page": page.per_page, "total": page.total,
                "total_capped": page.total_capped}

    @blp.arguments(TargetInputSchema)
    @blp.response(201, TargetSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add a target

        The caller's department supervises the new target. A code already in the directory is
        refused (422, ``duplicate_code``): supervise that target instead.
        """
        _editor()
        raw = {**data, "tags": "；".join(data.get("tags") or [])}
        row, errors = validate_target_row(raw)
        if row is None:
            raise TargetRefused(service.TargetError(errors))
        try:
            target = service.create_target(session, row, source="api")
        except service.TargetError as refused:
            raise TargetRefused(refused) from None
        session.commit()
        return _one(target)


@blp.route("/targets/<int:target_id>")
class TargetResource(MethodView):
    @blp.response(200, TargetSchema)
    def get(self, target_id: int) -> dict[str, Any]:
        """One target

        A target the caller's department does not supervise answers 404, like a missing one.
        """
        return _one(_visible(target_id))

    @blp.arguments(TargetUpdateSchema)
    @blp.response(200, TargetSchema)
    def patch(self, data: dict[str, Any], target_id: int) -> dict[str, Any]:
        """Change a target

        Send the fields to change (``null`` clears one) with the ``version`` you read. If the
        target changed since, the answer is 409 and nothing is written.
        """
        target = _visible(target_id)
        _editor()
        if service.own_supervision(session, target) is None:
            raise ApiError(404)
        if "version" not in data:
            raise ApiError(422, VERSION_REQUIRED, errors={"version": [VERSION_REQUIRED]})
        version = data.pop("version")
        current = {"code": target.code, "name": target.name, "kind": target.kind,
                   "legal_representative": target.legal_representative, "address": target.address,
                   "area": target.area.code if target.area else None,
                   "industry": target.industry_code, "status": target.status,
                   "credit_class": target.credit_class}
        row, errors = validate_target_row({**current, **data})
        if row is None:
            raise TargetRefused(service.TargetError(errors))
        sent = {{"area": "area_id", "industry": "industry_code"}.get(key, key) for key in data}
        values = {field: value for field, value in row.shared_values(blanks_clear=True).items()
                  if field in sent and field in SHARED_FIELDS}
        try:
            service.update_target(session, target, values, expected_version=version, source="api")
        except service.VersionConflict:
            session.rollback()
            raise ApiError(409, VERSION_CONFLICT) from None
        session.commit()
        return _one(target)


@blp.route("/targets/by-code/<code>")
class TargetByCode(MethodView):
    @blp.response(200, TargetSchema)
    def get(self, code: str) -> dict[str, Any]:
        """One target, by its code

        The unified social credit code or the platform code; 404 unless the caller's department
        supervises the target.
        """
        target = service.find_by_code(session, code)
        if target is None:
            raise ApiError(404)
        return _one(target)


@blp.route("/targets/<int:target_id>/tags")
class TargetTags(MethodView):
    @blp.arguments(TagChangeSchema)
    @blp.response(200, TargetSchema)
    def post(self, data: dict[str, Any], target_id: int) -> dict[str, Any]:
        """Change the department's tags of a target

        ``add`` and ``remove`` list tags; tags already there, or not there, are left alone.
        """
        target = _visible(target_id)
        _editor()
        if service.own_supervision(session, target) is None:
            raise ApiError(404)
        try:
            for tag_text in data["add"]:
                service.tag(session, target, tag_text, source="api")
        except service.TargetError as refused:
            raise TargetRefused(refused) from None
        for tag_text in data["remove"]:
            service.untag(session, target, tag_text, source="api")
        session.commit()
        return _one(target)

