"""``/api/v1/plans``: annual joint plans, the February submissions and the office's
consolidation. A plan is seen by its initiator, its participants and the office; another
department's plan answers 404."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify
from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.db import session
from spotcheck.planning import consolidation, service
from spotcheck.planning.models import AnnualPlan
from spotcheck.planning.schemas import (AnswerInputSchema, ItemsInputSchema, MergeInputSchema,
                                        PlanInputSchema, PlanSchema, PublishInputSchema,
                                        SubmissionSchema, SuggestionSchema, YearQuerySchema)
from spotcheck.registry.inspectors.api import field_errors_response
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

blp = ApiBlueprint("api_plans", __name__,
                   description="Annual joint plans: made by an initiating department with "
                               "participating departments, due by the end of February, merged "
                               "and published by the office.")


def _codes() -> dict[int, str]:
    return {row.id: row.code for row in session.execute(select(Department.id, Department.code))}


def _document(plan: AnnualPlan, codes: dict[int, str] | None = None) -> dict[str, Any]:
    codes = codes or _codes()
    return {
        "id": plan.id, "name": plan.name, "year": plan.year, "plan_type": plan.plan_type,
        "counts_towards_cap": plan.counts_towards_cap, "initiator": codes.get(plan.department_id),
        "target_scope": plan.target_scope, "window_start": plan.window_start,
        "window_end": plan.window_end, "ratio_bp": plan.ratio_bp, "state": plan.state,
        "note": plan.note, "submitted_at": plan.submitted_at, "late": plan.late,
        "published_at": plan.published_at, "merged_into": plan.merged_into_id,
        "participants": [{"department": codes.get(p.department_id), "status": p.status,
                          "reason": p.reason, "answered_by": p.answered_by,
                          "answered_at": p.answered_at} for p in plan.participants],
        "items": [{"department": codes.get(i.department_id), "item_version_id": i.item_version_id,
                   "code": i.code, "name_zh": i.name_zh, "name_en": i.name_en,
                   "target_kinds": i.target_kinds, "methods": i.methods} for i in plan.items],
    }


def _conflict(error: service.PlanError) -> Response:
    """409 with the refusal in both languages."""
    body = error_body(409)
    body["message"] = {"zh": error.message_zh, "en": error.message_en}
    response = jsonify(body)
    response.status_code = 409
    return response


def _visible(plan_id: int) -> AnnualPlan:
    plan = get_visible(session, AnnualPlan, plan_id)
    if plan is None:
        raise ApiError(404)
    return plan


def _initiated(plan: AnnualPlan) -> AnnualPlan:
    if plan.department_id != current_api_user().department_id:
        raise ApiError(403)
    return plan


def _require(data: dict[str, Any], field: str) -> None:
    if data.get(field) is None:
        raise ApiError(422, errors={field: ["Missing data for required field."]})


def _raw(plan: AnnualPlan, codes: dict[int, str]) -> dict[str, Any]:
    return {"name": plan.name, "year": plan.year, "plan_type": plan.plan_type,
            **(plan.target_scope or {}), "window_start": plan.window_start,
            "window_end": plan.window_end, "ratio_bp": plan.ratio_bp, "note": plan.note,
            "participants": [codes[p.department_id] for p in plan.participants]}


@blp.route("/plans")
class Plans(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, PlanSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The plans of a year

        Those the caller's department initiates or takes part in (the office: every plan).
        """
        require_permission(Permission.WORK)
        codes = _codes()
        return [_document(plan, codes) for plan in session.scalars(
            service.plans_of_year(query["year"], query.get("state")))]

    @blp.arguments(PlanInputSchema)
    @blp.response(201, PlanSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a draft plan

        Initiated by the caller's department; participants by department code. Every problem is
        answered at once (422).
        """
        require_permission(Permission.WORK)
        user = current_api_user()
        if user.department.is_office:
            raise ApiError(403)
        values, errors = service.validate_plan(session, data, user.department_id)
        if values is None:
            return field_errors_response(errors)
        plan = service.create_plan(session, user.department_id, values)
        session.commit()
        return _document(plan)


@blp.route("/plans/<int:plan_id>")
class PlanResource(MethodView):
    @blp.response(200, PlanSchema)
    def get(self, plan_id: int) -> dict[str, Any]:
        """A plan

        A plan the caller's department neither initiates nor takes part in answers 404.
        """
        require_permission(Permission.WORK)
        return _document(_visible(plan_id))

    @blp.arguments(PlanInputSchema)
    @blp.response(200, PlanSchema)
    def patch(self, data: dict[str, Any], plan_id: int) -> Any:
        """Change a draft plan

        The initiator only (others: 403); a change asks every participant to confirm again.
        """
        require_permission(Permission.WORK)
        plan = _initiated(_visible(plan_id))
        codes = _codes()
        values, errors = service.validate_plan(session, {**_raw(plan, codes), **data}, plan.department_id)
        if values is None:
            return field_errors_response(errors)
        try:
            service.update_plan(session, plan, values)
        except service.PlanError as error:
            return _conflict(error)
        session.commit()
        return _document(plan, codes)


@blp.route("/plans/<int:plan_id>/items")
class PlanItems(MethodView):
    @blp.arguments(ItemsInputSchema)
    @blp.response(200, PlanSchema)
    def put(self, data: dict[str, Any], plan_id: int) -> Any:
        """Set the caller's department's items

        Ids of items of the caller's own list; each is pinned to its current version.
        """
        require_permission(Permission.WORK)
        plan = _visible(plan_id)
        user = current_api_user()
        if plan.department_id != user.department_id and not service.participant_of(plan, user.department_id):
            raise ApiError(403)
        _require(data, "items")
        try:
            errors = service.set_items(session, plan, user.department_id, data["items"])
        except service.PlanError as error:
            return _conflict(error)
        if errors:
            return field_errors_response(errors)
        session.commit()
        return _document(plan)


@blp.route("/plans/<int:plan_id>/answer")
class PlanAnswer(MethodView):
    @blp.arguments(AnswerInputSchema)
    @blp.response(200, PlanSchema)
    def post(self, data: dict[str, Any], plan_id: int) -> Any:
        """Confirm or decline the caller's department's part

        A participant only (others: 403); declining needs a reason.
        """
        require_permission(Permission.WORK)
        plan = _visible(plan_id)
        user = current_api_user()
        if service.participant_of(plan, user.department_id) is None:
            raise ApiError(403)
        _require(data, "confirmed")
        try:
            service.answer(session, plan, user.department_id, user, data["confirmed"], data.get("reason"))
        except service.PlanError as error:
            return _conflict(error)
        session.commit()
        return _document(plan)


@blp.route("/plans/<int:plan_id>/submit")
class PlanSubmit(MethodView):
    @blp.response(200, PlanSchema)
    def post(self, plan_id: int) -> Any:
        """Submit a plan to the office

        The initiator only, once every participant confirmed (409 otherwise); after the end of
        February the plan is flagged late.
        """
        require_permission(Permission.WORK)
        plan = _initiated(_visible(plan_id))
        try:
            service.submit(session, plan, str(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
        except service.PlanError as error:
            return _conflict(error)
        session.commit()
        return _document(plan)


@blp.route("/plans/<int:plan_id>/withdraw")
class PlanWithdraw(MethodView):
    @blp.response(200, PlanSchema)
    def post(self, plan_id: int) -> Any:
        """Withdraw a draft or submitted plan

        The initiator only.
        """
        require_permission(Permission.WORK)
        plan = _initiated(_visible(plan_id))
        try:
            service.withdraw(session, plan)
        except service.PlanError as error:
            return _conflict(error)
        session.commit()
        return _document(plan)


@blp.route("/plans/submissions")
class Submissions(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, SubmissionSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Who submitted a plan for the year

        The office only: each member unit, on time, late or missing.
        """
        require_permission(Permission.OVERSEE)
        return [{"department": row.department.code, "status": row.status, "plans": list(row.plan_ids)}
                for row in service.submission_status(session, query["year"])]


@blp.route("/plans/suggestions")
class Suggestions(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, SuggestionSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Merge suggestions for the year

        The office only: pairs of submitted plans with similar targets and methods, and why.
        """
        require_permission(Permission.OVERSEE)
        return [{"plans": [s.first.id, s.second.id],
                 "reasons": [{"code": r.code, "message_zh": r.message_zh, "message_en": r.message_en}
                             for r in s.reasons]}
                for s in consolidation.merge_suggestions(session, query["year"])]


@blp.route("/plans/merge")
class Merge(MethodView):
    @blp.arguments(MergeInputSchema)
    @blp.response(201, PlanSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Merge submitted plans into one joint plan

        The office only. The originals are kept, marked merged; the joint plan is a draft whose
        participants confirm again.
        """
        require_permission(Permission.OVERSEE)
        plans = [get_visible(session, AnnualPlan, plan_id) for plan_id in data["plans"]]
        if any(plan is None for plan in plans):
            raise ApiError(404)
        initiator = session.scalar(select(Department.id).where(Department.code == data["initiator"]))
        try:
            joint = consolidation.merge(session, plans, initiator or 0, data["name"])  # type: ignore[arg-type]
        except service.PlanError as error:
            return _conflict(error)
        session.commit()
        return _document(joint)


@blp.route("/plans/publish")
class Publish(MethodView):
    @blp.arguments(PublishInputSchema)
    @blp.response(200, PlanSchema(many=True))
    def post(self, data: dict[str, Any]) -> Any:
        """Publish the district's annual plan of a year

        The office only: every submitted plan of the year becomes published.
        """
        require_permission(Permission.OVERSEE)
        try:
            plans = consolidation.publish(session, data["year"])
        except service.PlanError as error:
            return _conflict(error)
        session.commit()
        codes = _codes()
        return [_document(plan, codes) for plan in plans]


@blp.route("/plans/published")
class Published(MethodView):
    @blp.arguments(YearQuerySchema, location="query")
    @blp.response(200, PlanSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The published district plan of a year

        Every published plan of the year (what the public portal shows).
        """
        require_permission(Permission.WORK)
        codes = _codes()
        return [_document(plan, codes) for plan in service.published_plans(session, query["year"])]
