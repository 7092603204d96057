"""``/api/v1``: work plans (工作方案) of annual plans, their batches and strata, and the dry run
of a batch. Read by whoever reads the annual plan (another department's answers 404), written by
the initiating department, approved by its head."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.db import session
from spotcheck.planning import batches, workplans
from spotcheck.planning.dryrun import DryRun, dry_run
from spotcheck.planning.models import AnnualPlan, Batch, WorkPlan
from spotcheck.planning.service import PlanError
from spotcheck.planning.workplan_schemas import (BatchInputSchema, BatchSchema, DryRunSchema,
                                                 StrataInputSchema, WorkPlanInputSchema,
                                                 WorkPlanSchema)
from spotcheck.registry.inspectors.api import field_errors_response
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

blp = ApiBlueprint("api_workplans", __name__,
                   description="Work plans of annual plans: batches with strata and quota rules, "
                               "approved by the initiating department's head, and the dry run of "
                               "a batch before any draw.")


def _stratum(stratum: Any) -> dict[str, Any]:
    return {"key": stratum.key, "selector": stratum.selector, "ratio_bp": stratum.ratio_bp,
            "min": stratum.min_count, "count": stratum.count}


def _batch(batch: Batch) -> dict[str, Any]:
    return {"id": batch.id, "number": batch.number, "name": batch.name,
            "target_scope": batch.target_scope, "window_start": batch.window_start,
            "window_end": batch.window_end, "coordination": batch.coordination,
            "strata": [_stratum(s) for s in batch.strata]}


def _document(work_plan: WorkPlan) -> dict[str, Any]:
    code = session.scalar(select(Department.code).where(Department.id == work_plan.department_id))
    return {"id": work_plan.id, "plan": work_plan.plan_id, "initiator": code, "state": work_plan.state,
            "note": work_plan.note, "approved_by": work_plan.approved_by,
            "approved_at": work_plan.approved_at, "batches": [_batch(b) for b in work_plan.batches]}


def _conflict(error: PlanError) -> Response:
    """409 with the refusal in both languages."""
    body = error_body(409)
    body["message"] = {"zh": error.message_zh, "en": error.message_en}
    response = jsonify(body)
    response.status_code = 409
    return response


def dry_run_document(result: DryRun) -> dict[str, Any]:
    """The dry run as the API (and the draw's proof) writes it."""
    return {"batch": result.batch_id,
            "strata": [{"key": s.key, "rule": s.rule, "candidates": list(s.candidates), "quota": s.quota}
                       for s in result.strata],
            "excluded": [{"id": e.id, "reason": e.reason} for e in result.excluded],
            "workload": [{"department": d.code, "per_target": d.per_target, "pool": d.pool,
                          "targets": d.targets, "assignments": d.assignments,
                          "per_inspector": d.per_inspector, "staffable": d.staffable}
                         for d in result.workload],
            "staffable": result.staffable}


def _visible(model: Any, object_id: int) -> Any:
    found = get_visible(session, model, object_id)
    if found is None:
        raise ApiError(404)
    return found


def _initiated(department_id: int) -> None:
    if department_id != current_api_user().department_id:
        raise ApiError(403)


@blp.route("/plans/<int:plan_id>/work-plan")
class PlanWorkPlan(MethodView):
    @blp.response(200, WorkPlanSchema)
    def get(self, plan_id: int) -> dict[str, Any]:
        """The work plan of an annual plan

        404 when the plan has none yet, or the caller's department does not read the plan.
        """
        require_permission(Permission.WORK)
        work_plan = workplans.work_plan_of(session, _visible(AnnualPlan, plan_id))
        if work_plan is None:
            raise ApiError(404)
        return _document(work_plan)

    @blp.arguments(WorkPlanInputSchema)
    @blp.response(201, WorkPlanSchema)
    def post(self, data: dict[str, Any], plan_id: int) -> Any:
        """Start the work plan of a submitted plan

        The initiating department only (others: 403); one work plan per plan (409).
        """
        require_permission(Permission.WORK)
        plan = _visible(AnnualPlan, plan_id)
        _initiated(plan.department_id)
        try:
            work_plan = workplans.create_work_plan(session, plan, data.get("note"))
        except PlanError as error:
            return _conflict(error)
        session.commit()
        return _document(work_plan)


@blp.route("/work-plans/<int:work_plan_id>/approve")
class WorkPlanApprove(MethodView):
    @blp.response(200, WorkPlanSchema)
    def post(self, work_plan_id: int) -> Any:
        """Approve a draft work plan

        The head of the initiating department only (APPROVE permission; others: 403).
        """
        require_permission(Permission.APPROVE)
        work_plan = _visible(WorkPlan, work_plan_id)
        _initiated(work_plan.department_id)
        try:
            workplans.approve(session, work_plan, current_api_user())
        except PlanError as error:
            return _conflict(error)
        session.commit()
        return _document(work_plan)


@blp.route("/work-plans/<int:work_plan_id>/batches")
class WorkPlanBatches(MethodView):
    @blp.arguments(BatchInputSchema)
    @blp.response(201, BatchSchema)
    def post(self, data: dict[str, Any], work_plan_id: int) -> Any:
        """Add a batch to a draft work plan

        Scope inside the plan's, window inside the plan's; without strata, the credit-risk
        default. Every problem is answered at once (422).
        """
        require_permission(Permission.WORK)
        work_plan = _visible(WorkPlan, work_plan_id)
        _initiated(work_plan.department_id)
        values, errors = batches.validate_batch(session, work_plan, data)
        if values is None:
            return field_errors_response(errors)
        try:
            batch = batches.create_batch(session, work_plan, values)
        except PlanError as error:
            return _conflict(error)
        session.commit()
        return _batch(batch)


@blp.route("/batches/<int:batch_id>")
class BatchResource(MethodView):
    @blp.response(200, BatchSchema)
    def get(self, batch_id: int) -> dict[str, Any]:
        """A batch with its strata

        Read by whoever reads the annual plan; another department's batch answers 404.
        """
        require_permission(Permission.WORK)
        return _batch(_visible(Batch, batch_id))


@blp.route("/batches/<int:batch_id>/strata")
class BatchStrata(MethodView):
    @blp.arguments(StrataInputSchema)
    @blp.response(200, BatchSchema)
    def put(self, data: dict[str, Any], batch_id: int) -> Any:
        """Replace the strata of a batch of a draft work plan

        Errors name the stratum (``strata[1].key``); a key may not contain a line feed.
        """
        require_permission(Permission.WORK)
        batch = _visible(Batch, batch_id)
        _initiated(batch.department_id)
        values, errors = batches.validate_strata(session, data.get("strata") or [])
        if not errors and not values:
            raise ApiError(422, errors={"strata": ["A batch needs at least one stratum."]})
        if errors:
            return field_errors_response(errors)
        try:
            batches.set_strata(session, batch, values)
        except PlanError as error:
            return _conflict(error)
        session.commit()
        return _batch(batch)


@blp.route("/batches/<int:batch_id>/dry-run")
class BatchDryRun(MethodView):
    @blp.response(200, DryRunSchema)
    def get(self, batch_id: int) -> dict[str, Any]:
        """The dry run of a batch

        Candidates per stratum (target ids sorted by bytes), every exclusion with its reason,
        the quota per stratum and the expected workload per inspector of each department. Reads
        only: the draw starts from exactly this.
        """
        require_permission(Permission.WORK)
        return dry_run_document(dry_run(session, _visible(Batch, batch_id)))
