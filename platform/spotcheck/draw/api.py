"""``/api/v1``: draws of batches, the joint teams they form and replacements of drawn inspectors.
Read by whoever reads the annual plan (another department's answers 404); who may prepare,
execute, void, ask for or decide a replacement is :mod:`spotcheck.draw.access`'s answer, as on
the pages."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for
from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.db import session
from spotcheck.draw import roster, service, teams
from spotcheck.draw.access import (may_decide, may_execute, may_prepare, may_request_replacement,
                                   sees_team, work_queue)
from spotcheck.draw.models import Draw, Replacement, Team
from spotcheck.draw.downloads import proof_response
from spotcheck.draw.schemas import (DecisionInputSchema, DrawQuerySchema, DrawSchema,
                                    ExecuteInputSchema, PrepareInputSchema, ReplacementInputSchema,
                                    ReplacementQuerySchema, ReplacementSchema, TeamQuerySchema,
                                    TeamSchema, VoidInputSchema)
from spotcheck.planning.models import Batch
from spotcheck.planning.service import PlanError
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.pagination import paginate

blp = ApiBlueprint("api_draws", __name__,
                   description="Draws of batches (prepare, then execute with public entropy), their "
                               "proofs, the joint teams they form and replacements of drawn "
                               "inspectors.")

MAX_PER_PAGE = 500

FIELD_REFUSALS = {"per_target": "per_target", "max_load": "max_load",
                  "entropy_line_feed": "entropy", "entropy_too_long": "entropy",
                  "ground": "ground", "reason": "reason", "note": "note"}
"""Refusals about one field of the request: answered 422 naming the field, not 409."""


def _refused(error: PlanError) -> Response:
    """The service's refusal in both languages: 422 on a field, 409 otherwise."""
    field = FIELD_REFUSALS.get(error.code)
    code = 422 if field else 409
    body = error_body(code)
    body["message"] = {"zh": error.message_zh, "en": error.message_en}
    if field:
        body["errors"] = {field: [{"zh": error.message_zh, "en": error.message_en}]}
    response = jsonify(body)
    response.status_code = code
    return response


def _visible(model: Any, object_id: int) -> Any:
    found = get_visible(session, model, object_id)
    if found is None:
        raise ApiError(404)
    return found


def _require(data: dict[str, Any], *names: str) -> None:
    """422 naming each missing field (checked after the object is found: a foreign one is 404)."""
    missing = {name: ["Missing data for required field."] for name in names if data.get(name) is None}
    if missing:
        raise ApiError(422, errors=missing)


def _codes() -> dict[int, str]:
    return dict(session.execute(select(Department.id, Department.code)).all())


def _per_page(query: dict[str, Any]) -> int:
    return max(1, min(query["per_page"], MAX_PER_PAGE))


def _draw(draw: Draw, codes: dict[int, str], selection: bool = True) -> dict[str, Any]:
    chosen = roster.selected_by_stratum(session, draw) if draw.executed and selection else None
    return {
        "id": draw.id, "plan": draw.plan_id, "batch": draw.batch_id,
        "initiator": codes.get(draw.department_id), "year": draw.year,
        "counts_towards_cap": draw.counts_towards_cap, "state": draw.state,
        "per_target": draw.per_target, "max_load": draw.max_load, "commitment": draw.commitment,
        "candidates_digest": draw.candidates_digest, "candidates": draw.candidate_count,
        "excluded": draw.excluded_count, "exclusions": dict(roster.exclusion_counts(session, draw)),
        "strata": [{"key": s.key, "rule": s.rule, "digest": s.digest, "candidates": s.candidate_count,
                    "quota": s.quota,
                    "selected": None if chosen is None else [
                        {"code": t.code, "name": t.name} for t in chosen.get(s.position, [])]}
                   for s in draw.strata],
        "prepared_by": draw.prepared_by, "prepared_at": draw.prepared_at,
        "public_entropy": draw.public_entropy,
        # Never before the draw: until then only the commitment to it is public.
        "server_secret": draw.server_secret if draw.executed else None,
        "seed": draw.seed, "selected": draw.selected_count, "drawn_by": draw.drawn_by,
        "drawn_at": draw.drawn_at, "voided_at": draw.voided_at, "void_reason": draw.void_reason,
        "proof": url_for("draws.public_proof", draw_id=draw.id, _external=True) if draw.executed else None,
    }


@blp.route("/draws")
class Draws(MethodView):
    @blp.arguments(DrawQuerySchema, location="query")
    @blp.response(200, DrawSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The draws the caller reads

        Draws of plans the caller's department initiates or takes part in (the office: all),
        newest first, a page at a time. Each stratum's ``selected`` is left out (null) here:
        get the draw for it.
        """
        require_permission(Permission.WORK)
        statement = select(Draw).order_by(Draw.prepared_at.desc(), Draw.id.desc())
        for name, column in (("plan", Draw.plan_id), ("batch", Draw.batch_id), ("state", Draw.state)):
            if query.get(name) is not None:
                statement = statement.where(column == query[name])
        page = paginate(session, statement, query["page"], _per_page(query))
        codes = _codes()
        return [_draw(draw, codes, selection=False) for draw in page.items]


@blp.route("/draws/<int:draw_id>")
class DrawResource(MethodView):
    @blp.response(200, DrawSchema)
    def get(self, draw_id: int) -> dict[str, Any]:
        """A draw

        Its commitment and frozen strata; once drawn, its entropy, secret, seed and the drawn
        targets of each stratum in rank order.
        """
        require_permission(Permission.WORK)
        return _draw(_visible(Draw, draw_id), _codes())


@blp.route("/batches/<int:batch_id>/draws")
class BatchDraws(MethodView):
    @blp.arguments(PrepareInputSchema)
    @blp.response(201, DrawSchema)
    def post(self, data: dict[str, Any], batch_id: int) -> Any:
        """Prepare the draw of a batch

        Freezes the candidates and exclusions (exactly the dry run's) and commits to a fresh
        server secret. The initiating department's staff or head, or the office (others: 403);
        the work plan must be approved and the batch without a live draw (409).
        """
        require_permission(Permission.WORK)
        batch = _visible(Batch, batch_id)
        user = current_api_user()
        if not may_prepare(user, batch.work_plan.plan):
            raise ApiError(403)
        try:
            draw = service.prepare(session, batch, user, data["per_target"], data.get("max_load"))
        except PlanError as error:
            return _refused(error)
        session.commit()
        return _draw(draw, _codes())


@blp.route("/draws/<int:draw_id>/execute")
class DrawExecute(MethodView):
    @blp.arguments(ExecuteInputSchema)
    @blp.response(200, DrawSchema)
    def post(self, data: dict[str, Any], draw_id: int) -> Any:
        """Execute a prepared draw with the public entropy

        The office or the initiating department's head (others: 403). 409 when the draw is not
        prepared, when the batch cannot be staffed (naming the target and department; nothing is
        saved), or when another draw made the preparation stale: the preparation is then voided
        and must be prepared again.
        """
        require_permission(Permission.WORK)
        draw = _visible(Draw, draw_id)
        user = current_api_user()
        if not may_execute(user, draw):
            raise ApiError(403)
        try:
            service.run(session, draw.id, data["entropy"], user)
        except PlanError as error:
            return _refused(error)
        return _draw(_visible(Draw, draw_id), _codes())


@blp.route("/draws/<int:draw_id>/void")
class DrawVoid(MethodView):
    @blp.arguments(VoidInputSchema)
    @blp.response(200, DrawSchema)
    def post(self, data: dict[str, Any], draw_id: int) -> Any:
        """Void a prepared draw

        With the reason; the office or the initiating department's head. A draw once executed
        is never undone (409).
        """
        require_permission(Permission.WORK)
        draw = _visible(Draw, draw_id)
        user = current_api_user()
        if not may_execute(user, draw):
            raise ApiError(403)
        _require(data, "reason")
        try:
            service.void(session, draw, data["reason"].strip(), user)
        except PlanError as error:
            return _refused(error)
        session.commit()
        return _draw(draw, _codes())


@blp.route("/draws/<int:draw_id>/proof")
class DrawProof(MethodView):
    @blp.response(200, description="The proof (spec §6, schemas/draw-proof.schema.json), streamed",
                  content_type="application/json")
    def get(self, draw_id: int) -> Response:
        """The proof of an executed draw

        Streamed as it is read; ``verify_draw.py PROOF.json`` recomputes it. 404 before the draw.
        """
        require_permission(Permission.WORK)
        draw = _visible(Draw, draw_id)
        if not draw.executed:
            raise ApiError(404)
        return proof_response(draw)


def _team(row: roster.TeamRow, codes: dict[int, str]) -> dict[str, Any]:
    team = row.team
    names = {m.id: m.name for g in row.groups for m in g.members} | {m.id: m.name for m in row.replaced}
    return {"id": team.id, "draw": team.draw_id, "plan": team.plan_id, "batch": team.draw.batch_id,
            "target": {"code": row.target.code, "name": row.target.name}, "state": team.state,
            "leader": row.leader.code if row.leader else None, "created_at": team.created_at,
            "members": [{"id": m.id, "inspector": m.inspector_code, "name": names.get(m.id, ""),
                         "department": codes.get(m.department_id), "leader": m.leader,
                         "active": m.active, "replaces": m.replaces_id} for m in team.members]}


def _require_team_reader() -> None:
    user = current_api_user()
    if not (has_permission(user.role, Permission.WORK) or has_permission(user.role, Permission.INSPECT)):
        raise ApiError(403)


def _visible_team(team_id: int) -> Team:
    team = _visible(Team, team_id)
    if not sees_team(session, current_api_user(), team):
        raise ApiError(404)
    return team


@blp.route("/teams")
class Teams(MethodView):
    @blp.arguments(TeamQuerySchema, location="query")
    @blp.response(200, TeamSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The caller's work queue of joint teams

        An inspector's: the teams they are on; a department's: the teams it has members on; the
        office's: every team. Newest first, a page at a time.
        """
        _require_team_reader()
        statement = work_queue(session, current_api_user())
        if query.get("draw") is not None:
            statement = statement.where(Team.draw_id == query["draw"])
        if query.get("plan") is not None:
            statement = statement.where(Team.plan_id == query["plan"])
        page = paginate(session, statement, query["page"], _per_page(query))
        codes = _codes()
        return [_team(row, codes) for row in roster.team_rows(session, page.items)]


@blp.route("/teams/<int:team_id>")
class TeamResource(MethodView):
    @blp.response(200, TeamSchema)
    def get(self, team_id: int) -> dict[str, Any]:
        """A joint team

        Its target, leader and members (replaced ones inactive). An inspector reads only the
        teams they are on.
        """
        _require_team_reader()
        return _team(roster.team_rows(session, [_visible_team(team_id)])[0], _codes())


def _replacements(replacements: list[Replacement]) -> list[dict[str, Any]]:
    codes = _codes()
    targets = roster.target_names(session, (r.team.target_id for r in replacements))
    return [{"id": r.id, "draw": r.draw_id, "team": r.team_id, "target": targets[r.team.target_id].code,
             "department": codes.get(r.department_id), "out": r.member.inspector_code,
             "incoming": r.incoming.inspector_code if r.incoming else None, "ground": r.ground,
             "reason": r.reason, "state": r.state, "requested_by": r.requested_by,
             "requested_at": r.requested_at, "decided_by": r.decided_by, "decided_at": r.decided_at,
             "note": r.decision_note} for r in replacements]


@blp.route("/teams/<int:team_id>/replacements")
class TeamReplacements(MethodView):
    @blp.arguments(ReplacementInputSchema)
    @blp.response(201, ReplacementSchema)
    def post(self, data: dict[str, Any], team_id: int) -> Any:
        """Ask to replace a drawn inspector

        Of the caller's own department only (others: 403), on a change of post
        (``post_change``) or a conflict with other duties (``work_conflict``), with a reason;
        the department's head decides.
        """
        require_permission(Permission.WORK)
        team = _visible_team(team_id)
        user = current_api_user()
        _require(data, "inspector", "ground", "reason")
        member = next((m for m in team.members if m.active and m.inspector_code == data["inspector"]), None)
        if member is None:
            raise ApiError(422, errors={"inspector": ["Invalid value."]})
        if not may_request_replacement(user, member):
            raise ApiError(403)
        try:
            replacement = teams.request_replacement(session, member, data["ground"], data["reason"], user)
        except PlanError as error:
            return _refused(error)
        session.commit()
        return _replacements([replacement])[0]


@blp.route("/replacements")
class Replacements(MethodView):
    @blp.arguments(ReplacementQuerySchema, location="query")
    @blp.response(200, ReplacementSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Replacement requests of the caller's department

        The office: every one it reads. Oldest first.
        """
        require_permission(Permission.WORK)
        user = current_api_user()
        statement = select(Replacement).order_by(Replacement.requested_at, Replacement.id)
        if not user.department.is_office:
            statement = statement.where(Replacement.department_id == user.department_id)
        if query.get("state") is not None:
            statement = statement.where(Replacement.state == query["state"])
        return _replacements(list(session.scalars(statement)))


def _decided(replacement_id: int) -> Replacement:
    require_permission(Permission.APPROVE)
    replacement = _visible(Replacement, replacement_id)
    if not may_decide(current_api_user(), replacement):
        raise ApiError(403)
    return replacement


@blp.route("/replacements/<int:replacement_id>/approve")
class ReplacementApprove(MethodView):
    @blp.arguments(DecisionInputSchema)
    @blp.response(200, ReplacementSchema)
    def post(self, data: dict[str, Any], replacement_id: int) -> Any:
        """Approve a replacement

        The head of the inspector's department: the replacement is drawn by spec §5 from the
        draw's frozen pool, the team changes and the proof lists it (409 when nobody eligible
        is left).
        """
        replacement = _decided(replacement_id)
        try:
            teams.approve_replacement(session, replacement, current_api_user(), data.get("note"))
        except PlanError as error:
            session.rollback()
            return _refused(error)
        session.commit()
        return _replacements([replacement])[0]


@blp.route("/replacements/<int:replacement_id>/reject")
class ReplacementReject(MethodView):
    @blp.arguments(DecisionInputSchema)
    @blp.response(200, ReplacementSchema)
    def post(self, data: dict[str, Any], replacement_id: int) -> Any:
        """Reject a replacement

        The head of the inspector's department, with a ``note`` saying why (422 without).
        """
        replacement = _decided(replacement_id)
        try:
            teams.reject_replacement(session, replacement, current_api_user(), data.get("note") or "")
        except PlanError as error:
            return _refused(error)
        session.commit()
        return _replacements([replacement])[0]
