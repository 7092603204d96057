"""The pages of work plans (工作方案): a plan's work plan with its batches and strata, starting
and approving it, adding a batch, editing a batch's strata, and the dry run of a batch."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from spotcheck.db import session
from spotcheck.draw.access import may_prepare
from spotcheck.draw.forms import PrepareForm
from spotcheck.draw.models import Draw, DrawState
from spotcheck.planning import batches, workplans
from spotcheck.planning.dryrun import dry_run as compute_dry_run
from spotcheck.planning.forms import ActionForm
from spotcheck.planning.models import AnnualPlan, Batch, PlanState, WorkPlan, WorkPlanState
from spotcheck.planning.service import PlanError
from spotcheck.planning.workplan_forms import EMPTY_STRATUM_ROWS, BatchForm, StrataForm
from spotcheck.registry.errors import FieldError
from spotcheck.tenancy.access import current_user_can, require_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

bp = Blueprint("workplans", __name__)


def _locale() -> str:
    return str(get_locale() or "zh")


def _visible(model: Any, object_id: int) -> Any:
    found = get_visible(session, model, object_id)
    if found is None:
        abort(404)
    return found


def _initiated(department_id: int) -> bool:
    return bool(department_id == current_user.department_id)


def _refused(error: PlanError) -> None:
    flash(error.message(_locale()), "error")


def _joined(values: Any) -> str:
    return ",".join(values or [])


def _draws_of(batch_ids: list[int]) -> dict[int, list[Draw]]:
    """The draws of each batch, voided ones included, oldest first."""
    found: dict[int, list[Draw]] = {batch_id: [] for batch_id in batch_ids}
    for draw in session.scalars(select(Draw).where(Draw.batch_id.in_(batch_ids)).order_by(Draw.id)):
        found[draw.batch_id].append(draw)
    return found


def _can_prepare(batch: Batch, draws: list[Draw]) -> bool:
    """Offer to prepare the draw of an approved work plan's batch that has no live draw."""
    return (batch.work_plan.state == WorkPlanState.APPROVED.value
            and all(d.state == DrawState.VOIDED.value for d in draws)
            and may_prepare(current_user, batch.work_plan.plan))


@bp.get("/plans/<int:plan_id>/work-plan")
@require_permission(Permission.WORK)
def detail(plan_id: int) -> str:
    """The work plan of an annual plan: batches, their windows, scopes and strata."""
    plan = _visible(AnnualPlan, plan_id)
    work_plan = workplans.work_plan_of(session, plan)
    initiated = _initiated(plan.department_id)
    draws = _draws_of([b.id for b in work_plan.batches] if work_plan else [])
    return render_template(
        "planning/workplans/detail.html", plan=plan, work_plan=work_plan, initiated=initiated,
        draws=draws, can_prepare={b.id: _can_prepare(b, draws[b.id])
                                  for b in (work_plan.batches if work_plan else [])},
        can_start=initiated and work_plan is None and plan.state in (
            PlanState.SUBMITTED.value, PlanState.PUBLISHED.value),
        can_approve=(initiated and work_plan is not None and current_user_can(Permission.APPROVE)
                     and work_plan.state == WorkPlanState.DRAFT.value),
        action_form=ActionForm())


@bp.post("/plans/<int:plan_id>/work-plan")
@require_permission(Permission.WORK)
def create(plan_id: int) -> Response:
    """Start the draft work plan of a submitted plan (its initiator only)."""
    plan = _visible(AnnualPlan, plan_id)
    if not _initiated(plan.department_id):
        abort(403)
    if ActionForm().validate_on_submit():
        try:
            workplans.create_work_plan(session, plan)
        except PlanError as error:
            _refused(error)
        else:
            session.commit()
            flash(_("The work plan is started as a draft."), "success")
    return redirect(url_for(".detail", plan_id=plan.id))


@bp.post("/work-plans/<int:work_plan_id>/approve")
@require_permission(Permission.APPROVE)
def approve(work_plan_id: int) -> Response:
    """The head of the initiating department approves the draft work plan."""
    work_plan = _visible(WorkPlan, work_plan_id)
    if not _initiated(work_plan.department_id):
        abort(403)
    if ActionForm().validate_on_submit():
        try:
            workplans.approve(session, work_plan, current_user)
        except PlanError as error:
            _refused(error)
        else:
            session.commit()
            flash(_("The work plan is approved."), "success")
    return redirect(url_for(".detail", plan_id=work_plan.plan_id))


def _show_errors(form: Any, errors: list[FieldError], fallback: str) -> None:
    for error in errors:
        target = form[error.field] if error.field in form else form[fallback]
        target.errors = [*target.errors, error.message(_locale())]


@bp.route("/work-plans/<int:work_plan_id>/batches/new", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def add_batch(work_plan_id: int) -> Response | str:
    """A new batch of a draft work plan, starting from the credit-risk default strata."""
    work_plan = _visible(WorkPlan, work_plan_id)
    if not _initiated(work_plan.department_id):
        abort(403)
    if work_plan.state != WorkPlanState.DRAFT.value:
        flash(_("Only a draft work plan can be changed."), "error")
        return redirect(url_for(".detail", plan_id=work_plan.plan_id))
    form = BatchForm()
    if request.method == "GET":
        form.window_start.data, form.window_end.data = work_plan.plan.window_start, work_plan.plan.window_end
    if form.validate_on_submit():
        values, errors = batches.validate_batch(session, work_plan, form.raw())
        if values is not None:
            batch = batches.create_batch(session, work_plan, values)
            session.commit()
            flash(_("Batch %(number)s is added with the credit-risk default strata.",
                    number=batch.number), "success")
            return redirect(url_for(".dry_run", batch_id=batch.id))
        _show_errors(form, errors, "name")
    return render_template("planning/workplans/batch_form.html", form=form, work_plan=work_plan)


@bp.route("/batches/<int:batch_id>/strata", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def strata(batch_id: int) -> Response | str:
    """Edit the strata of a batch of a draft work plan: keys, selectors and quota rules."""
    batch = _visible(Batch, batch_id)
    if not _initiated(batch.department_id):
        abort(403)
    if batch.work_plan.state != WorkPlanState.DRAFT.value:
        flash(_("Only a draft work plan can be changed."), "error")
        return redirect(url_for(".dry_run", batch_id=batch.id))
    form = StrataForm()
    errors: list[FieldError] = []
    filled: list[tuple[int, Any]] = []
    if request.method == "GET":
        rows = [{"key": s.key, **{k: _joined((s.selector or {}).get(k)) for k in (
            "credit_classes", "risk_levels", "kinds", "areas", "industries")},
            "ratio_bp": "" if s.ratio_bp is None else str(s.ratio_bp),
            "min": "" if s.min_count is None else str(s.min_count),
            "count": "" if s.count is None else str(s.count)} for s in batch.strata]
        form.process(data={"rows": rows + [{}] * EMPTY_STRATUM_ROWS})
    elif form.validate_on_submit():
        filled = [(n, row.form) for n, row in enumerate(form.rows, start=1) if not row.form.is_blank()]
        values, errors = batches.validate_strata(session, [row.raw() for _n, row in filled])
        if not errors and not values:
            errors = [FieldError("strata", "required", "批次至少要有一个分层。",
                                 "A batch needs at least one stratum.")]
        if not errors:
            batches.set_strata(session, batch, values)
            session.commit()
            flash(_("The strata are saved."), "success")
            return redirect(url_for(".dry_run", batch_id=batch.id))
    return render_template("planning/workplans/strata.html", form=form, batch=batch,
                           errors=[_row_message(e, [n for n, _row in filled]) for e in errors])


def _row_message(error: FieldError, rows: list[int]) -> str:
    """The error, saying which row of the form it is about (``strata[i]`` counts filled rows)."""
    match = re.match(r"strata\[(\d+)\]", error.field)
    if match is None:
        return error.message(_locale())
    return _("Row %(row)s: %(message)s", row=rows[int(match.group(1))], message=error.message(_locale()))


@bp.get("/batches/<int:batch_id>/dry-run")
@require_permission(Permission.WORK)
def dry_run(batch_id: int) -> str:
    """The dry run of a batch: candidates, exclusions with reasons, quotas and workload."""
    batch = _visible(Batch, batch_id)
    draws = _draws_of([batch.id])[batch.id]
    return render_template("planning/workplans/dry_run.html", batch=batch, plan=batch.work_plan.plan,
                           result=compute_dry_run(session, batch), draws=draws,
                           can_prepare=_can_prepare(batch, draws), prepare_form=PrepareForm(),
                           can_edit=(_initiated(batch.department_id)
                                     and batch.work_plan.state == WorkPlanState.DRAFT.value))
