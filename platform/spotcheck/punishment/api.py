"""``/api/v1/punishments``: the joint punishment list, an entry, and credit repair.

As on the pages: an entry the caller does not see answers 404 like a missing one; a repair by
anyone but the listing department (a decision: its head), 403; a refusal of the rules, 409 (422 for
a missing reason), in Chinese and English.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.db import session
from spotcheck.publication.models import PublicTarget
from spotcheck.punishment import service
from spotcheck.punishment.models import PunishmentEntry
from spotcheck.punishment.schemas import (RepairDecisionInputSchema, PunishmentQuerySchema, PunishmentEntrySchema,
                                          CreditRepairInputSchema)
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import Scope, scoped
from spotcheck.web.pagination import paginate

blp = ApiBlueprint("api_punishments", __name__,
                   description="The joint punishment list (article 19): targets listed for serious "
                               "non-cooperation or serious violations, their basis, and credit repair.")

MAX_PER_PAGE = 500


def _codes() -> dict[int, str]:
    # Department codes are public knowledge.
    with scoped(session, Scope.system()):
        return dict(session.execute(select(Department.id, Department.code)).all())


def _document(entry: PunishmentEntry, codes: dict[int, str], names: dict[int, PublicTarget]) -> dict[str, Any]:
    target = names.get(entry.target_id)
    return {"id": entry.id, "target": entry.target_id, "target_code": target.code if target else None,
            "target_name": target.name if target else None, "department": codes.get(entry.department_id),
            "basis": entry.basis, "state": entry.state, "listed_on": entry.listed_on,
            "last_event_on": entry.last_event_on, "ends_on": entry.ends_on, "removed_on": entry.removed_on,
            "events": [{"id": e.id, "on": e.on, "kind": e.kind, "code": e.code,
                        "department": codes.get(e.department_id) if e.department_id else None,
                        "description_zh": e.description("zh"), "description_en": e.description("en"),
                        "points": e.points, "task": e.task_id} for e in entry.events],
            "repairs": list(entry.repairs)}


def _names(target_ids: list[int]) -> dict[int, PublicTarget]:
    return {t.target_id: t for t in session.scalars(select(PublicTarget).where(PublicTarget.target_id.in_(target_ids)))}


def _visible(entry_id: int) -> PunishmentEntry:
    entry = service.visible_entry(session, current_api_user(), entry_id)
    if entry is None:
        raise ApiError(404)
    return entry


def _refused(refused: service.RepairRefused) -> Any:
    session.rollback()
    code = 422 if refused.code == "reason" else 409
    body = error_body(code)
    body["message"] = {"zh": refused.message_zh, "en": refused.message_en}
    response = jsonify(body)
    response.status_code = code
    return response


def _answer(entry_id: int) -> dict[str, Any]:
    session.expire_all()
    entry = _visible(entry_id)
    return _document(entry, _codes(), _names([entry.target_id]))


@blp.route("/punishments")
class Punishments(MethodView):
    @blp.arguments(PunishmentQuerySchema, location="query")
    @blp.response(200, PunishmentEntrySchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The joint punishment list

        The entries the caller's department sees (in its name, or of the targets it supervises;
        the office: every entry), the latest listed first, filtered by state, basis and listing
        department.
        """
        require_permission(Permission.WORK)
        statement = service.visible_entries(session, current_api_user())
        for name in ("state", "basis"):
            if query.get(name):
                statement = statement.where(getattr(PunishmentEntry, name) == query[name])
        if query.get("department"):
            statement = statement.where(PunishmentEntry.department_id.in_(
                select(Department.id).where(Department.code == query["department"].strip().upper())))
        page = paginate(session, statement.order_by(PunishmentEntry.listed_on.desc(), PunishmentEntry.id.desc()),
                        query["page"], max(1, min(query["per_page"], MAX_PER_PAGE)))
        codes, names = _codes(), _names([e.target_id for e in page.items])
        return [_document(e, codes, names) for e in page.items]


@blp.route("/punishments/<int:entry_id>")
class PunishmentResource(MethodView):
    @blp.response(200, PunishmentEntrySchema)
    def get(self, entry_id: int) -> dict[str, Any]:
        """An entry of the joint punishment list

        The target (public code and name), the listing department, the basis (each credit event
        with its day and department), the period and the repairs.
        """
        require_permission(Permission.WORK)
        return _answer(entry_id)


@blp.route("/punishments/<int:entry_id>/repair")
class PunishmentRepair(MethodView):
    @blp.arguments(CreditRepairInputSchema)
    @blp.response(200, PunishmentEntrySchema)
    def post(self, data: dict[str, Any], entry_id: int) -> Any:
        """Record a credit repair of a listed entry

        The listing department only (others: 403), once the shortest listing period has passed
        (409 before), with the reason in ``reason`` (422 without). The head then decides.
        """
        require_permission(Permission.WORK)
        entry = _visible(entry_id)
        user = current_api_user()
        if not service.may_request(user, entry):
            raise ApiError(403)
        try:
            service.request_repair(session, entry, user.username, data.get("reason"), today())
        except service.RepairRefused as refused:
            return _refused(refused)
        session.commit()
        return _answer(entry_id)


@blp.route("/punishments/<int:entry_id>/decide")
class PunishmentDecide(MethodView):
    @blp.arguments(RepairDecisionInputSchema)
    @blp.response(200, PunishmentEntrySchema)
    def post(self, data: dict[str, Any], entry_id: int) -> Any:
        """Approve or reject the entry's pending repair

        The listing department's head only (others: 403). ``approve`` takes the entry off the list
        and recomputes the target's credit class; ``reject`` needs the reason in ``note`` (422
        without).
        """
        require_permission(Permission.APPROVE)
        entry = _visible(entry_id)
        user = current_api_user()
        if not service.may_decide(user, entry):
            raise ApiError(403)
        if data.get("decision") is None:
            raise ApiError(422, errors={"decision": ["Missing data for required field."]})
        try:
            service.decide_repair(session, entry, user.username, data["decision"] == "approve", data.get("note"),
                                  today())
        except service.RepairRefused as refused:
            return _refused(refused)
        session.commit()
        return _answer(entry_id)
