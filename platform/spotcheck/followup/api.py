"""``/api/v1/followups``: the follow-up queue, a follow-up, and the owner's action on it.

As on the pages: a follow-up outside the caller's scope (neither owned by nor sent from their
department) answers 404 like a missing one; an action by anyone but the owner, 403; a refusal of
the rules, 409 (422 for a missing reason), in Chinese and English.
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
from spotcheck.followup import service
from spotcheck.followup.models import FollowUp, FollowUpState
from spotcheck.followup.schemas import FollowUpActInputSchema, FollowUpQuerySchema, FollowUpSchema
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import Scope, get_visible, scoped
from spotcheck.web.pagination import paginate

blp = ApiBlueprint("api_followups", __name__,
                   description="Follow-up (article 17): orders of correction, transfers, cases and "
                               "referrals opened from the findings of reviewed checks.")

MAX_PER_PAGE = 500


def _codes() -> dict[int, str]:
    # Department codes are public knowledge; the system scope reads the receiving one too.
    with scoped(session, Scope.system()):
        return dict(session.execute(select(Department.id, Department.code)).all())


def _document(followup: FollowUp, codes: dict[int, str]) -> dict[str, Any]:
    return {"id": followup.id, "task": followup.task_id, "department": codes.get(followup.department_id),
            "from_department": codes.get(followup.from_department_id), "rule": followup.rule_code,
            "name_zh": followup.rule_name_zh, "name_en": followup.rule_name_en, "finding": followup.finding,
            "action": followup.action, "working_days": followup.working_days,
            "next_action": followup.next_action, "state": followup.state, "deadline": followup.deadline,
            "outcome_note": followup.outcome_note, "parent": followup.parent_id,
            "history": [{"from_state": e.from_state, "to_state": e.to_state, "by": e.by, "at": e.at,
                         "note": e.note} for e in followup.events]}


def _visible(followup_id: int) -> FollowUp:
    followup = get_visible(session, FollowUp, followup_id)
    if followup is None:
        raise ApiError(404)
    return followup


@blp.route("/followups")
class FollowUps(MethodView):
    @blp.arguments(FollowUpQuerySchema, location="query")
    @blp.response(200, FollowUpSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The caller's follow-up queue

        What the caller's department owns (``box=own``) or its findings another department now
        owns (``box=sent``); the office's: every follow-up. The soonest deadline first.
        """
        require_permission(Permission.WORK)
        statement = service.queue(current_api_user(), query["box"], query.get("state"), query.get("action"))
        page = paginate(session, statement, query["page"], max(1, min(query["per_page"], MAX_PER_PAGE)))
        codes = _codes()
        return [_document(f, codes) for f in page.items]


@blp.route("/followups/<int:followup_id>")
class FollowUpResource(MethodView):
    @blp.response(200, FollowUpSchema)
    def get(self, followup_id: int) -> dict[str, Any]:
        """A follow-up, with its history

        The rule and the finding, the owning and the sending department, the action, state,
        deadline and outcome, and every move (who, when, from, to, note).
        """
        require_permission(Permission.WORK)
        return _document(_visible(followup_id), _codes())


@blp.route("/followups/<int:followup_id>/act")
class FollowUpAct(MethodView):
    @blp.arguments(FollowUpActInputSchema)
    @blp.response(200, FollowUpSchema)
    def post(self, data: dict[str, Any], followup_id: int) -> Any:
        """Record what the owning department did

        ``corrected`` or ``closed`` (with the outcome in ``note``), ``accepted``, or ``returned``
        with the reason in ``note``. Only the owning department acts (others: 403).
        """
        require_permission(Permission.WORK)
        followup = _visible(followup_id)
        user = current_api_user()
        if not service.may_act(user, followup):
            raise ApiError(403)
        if data.get("to") is None:
            raise ApiError(422, errors={"to": ["Missing data for required field."]})
        try:
            service.act(session, followup, FollowUpState(data["to"]), user, data.get("note"))
        except service.FollowUpRefused as refused:
            session.rollback()
            code = 422 if refused.code in ("reason", "note") else 409
            body = error_body(code)
            body["message"] = {"zh": refused.message_zh, "en": refused.message_en}
            response = jsonify(body)
            response.status_code = code
            return response
        session.commit()
        return _document(_visible(followup_id), _codes())
