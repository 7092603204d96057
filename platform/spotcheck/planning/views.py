"""The pages of annual plans: the year's plans, a plan with its participants and items, the
create and edit forms, confirming, submitting and withdrawing; and for the office the February
dashboard and the consolidation page (merge suggestions, merging, publishing)."""

from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from spotcheck.db import session
from spotcheck.planning import consolidation, service
from spotcheck.planning.deadlines import deadline
from spotcheck.planning.forms import ActionForm, AnswerForm, ItemsForm, MergeForm, PlanForm, YearForm
from spotcheck.planning.models import AnnualPlan, PlanState
from spotcheck.registry.errors import FieldError
from spotcheck.registry.industries import classification
from spotcheck.registry.inspectors.service import today
from spotcheck.registry.items.vocabulary import target_kind_label
from spotcheck.registry.targets.codes import STATUSES
from spotcheck.tenancy.access import current_user_can, require_permission
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

bp = Blueprint("plans", __name__, url_prefix="/plans")


def _locale() -> str:
    return str(get_locale() or "zh")


def _year() -> int:
    form = YearForm(request.args)
    return form.year.data if form.validate() and form.year.data else today().year


def _timezone() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _visible(plan_id: int) -> AnnualPlan:
    plan = get_visible(session, AnnualPlan, plan_id)
    if plan is None:
        abort(404)
    return plan


def _initiated(plan: AnnualPlan) -> bool:
    return plan.department_id == current_user.department_id


def _initiator_action(plan_id: int) -> AnnualPlan:
    """The plan of an initiator-only action posted with a valid form: 404, 403 or 400 otherwise."""
    plan = _visible(plan_id)
    if not _initiated(plan):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    return plan


def _department_choices() -> list[tuple[str, str]]:
    return [(d.code, d.name(_locale())) for d in session.scalars(
        select(Department).where(Department.active.is_(True), Department.is_office.is_(False),
                                 Department.id != current_user.department_id)
        .order_by(Department.code))]


def scope_text(plan: AnnualPlan) -> dict[str, str]:
    """The plan's target scope as the pages show it: names for kinds, industries and statuses."""
    names = {
        "kinds": [target_kind_label(k) for k in plan.scope_list("kinds")],
        "areas": plan.scope_list("areas"),
        "industries": [classification().describe(c) for c in plan.scope_list("industries")],
        "tags": plan.scope_list("tags"),
        "statuses": [str(STATUSES[s].label) if s in STATUSES else s for s in plan.scope_list("statuses")],
    }
    return {key: "、".join(values) for key, values in names.items()}


def _show_errors(form: PlanForm, errors: list[FieldError]) -> None:
    for error in errors:
        target = form[error.field] if error.field in form else form.name
        target.errors = [*target.errors, error.message(_locale())]


@bp.get("/")
@require_permission(Permission.WORK)
def index() -> str:
    """The plans of a year the user's department initiates or takes part in (the office: all)."""
    year = _year()
    plans = list(session.scalars(service.plans_of_year(year)))
    return render_template("planning/index.html", plans=plans, year=year, deadline=deadline(year),
                           form=YearForm(request.args), locale=_locale(),
                           can_create=not current_user.department.is_office,
                           oversee=current_user_can(Permission.OVERSEE))


@bp.route("/new", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def create() -> Response | str:
    """A new draft plan initiated by the user's department."""
    if current_user.department.is_office:
        abort(403)
    form = PlanForm(departments=_department_choices())
    if request.method == "GET":
        form.year.data = today().year
    if form.validate_on_submit():
        values, errors = service.validate_plan(session, form.raw(), current_user.department_id)
        if values is not None:
            plan = service.create_plan(session, current_user.department_id, values)
            session.commit()
            flash(_("The plan %(name)s is saved as a draft.", name=plan.name), "success")
            return redirect(url_for(".detail", plan_id=plan.id))
        _show_errors(form, errors)
    return render_template("planning/form.html", form=form, plan=None)


@bp.get("/<int:plan_id>")
@require_permission(Permission.WORK)
def detail(plan_id: int) -> str:
    """A plan: its scope, window, ratio, participants and their answers, items, and history."""
    plan = _visible(plan_id)
    participant = service.participant_of(plan, current_user.department_id)
    takes_part = _initiated(plan) or participant is not None
    return render_template(
        "planning/detail.html", plan=plan, locale=_locale(), participant=participant,
        initiated=_initiated(plan), takes_part=takes_part, action_form=ActionForm(),
        chosen={i.code for i in plan.items if i.department_id == current_user.department_id},
        item_choices=service.item_options(session, current_user.department_id, _locale()) if takes_part else [],
        answer_form=AnswerForm(), originals=consolidation.originals_of(session, plan),
        deadline=deadline(plan.year), scope=scope_text(plan),
        kind_label=target_kind_label)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def edit(plan_id: int) -> Response | str:
    """Change a draft plan (its initiator only); participants are asked to confirm again."""
    plan = _visible(plan_id)
    if not _initiated(plan):
        abort(403)
    if plan.state != PlanState.DRAFT.value:
        flash(_("Only a draft plan can be edited."), "error")
        return redirect(url_for(".detail", plan_id=plan.id))
    form = PlanForm(departments=_department_choices())
    if request.method == "GET":
        scope = plan.target_scope or {}
        form.process(data={
            "name": plan.name, "year": plan.year, "plan_type": plan.plan_type,
            "kinds": scope.get("kinds", []), "areas": ",".join(scope.get("areas", [])),
            "industries": ",".join(scope.get("industries", [])),
            "tags": ",".join(scope.get("tags", [])), "statuses": scope.get("statuses", []),
            "window_start": plan.window_start, "window_end": plan.window_end,
            "ratio_bp": plan.ratio_bp, "note": plan.note,
            "participants": [p.department.code for p in plan.participants]})
    elif form.validate_on_submit():
        values, errors = service.validate_plan(session, form.raw(), current_user.department_id)
        if values is not None:
            service.update_plan(session, plan, values)
            session.commit()
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".detail", plan_id=plan.id))
        _show_errors(form, errors)
    return render_template("planning/form.html", form=form, plan=plan)


def _refuse(error: service.PlanError, plan_id: int) -> Response:
    flash(error.message(_locale()), "error")
    return redirect(url_for(".detail", plan_id=plan_id))


@bp.post("/<int:plan_id>/items")
@require_permission(Permission.WORK)
def set_items(plan_id: int) -> Response:
    """The user's department chooses its items for the plan (initiator or participant)."""
    plan = _visible(plan_id)
    if not (_initiated(plan) or service.participant_of(plan, current_user.department_id)):
        abort(403)
    form = ItemsForm()
    form.items.choices = [(i.id, i.code) for i in service.item_choices(session, current_user.department_id)]
    if not form.validate_on_submit():
        abort(400)
    try:
        errors = service.set_items(session, plan, current_user.department_id, form.items.data or [])
    except service.PlanError as error:
        return _refuse(error, plan.id)
    if errors:
        for error in errors:
            flash(error.message(_locale()), "error")
    else:
        session.commit()
        flash(_("Your department's items are saved."), "success")
    return redirect(url_for(".detail", plan_id=plan.id))


@bp.post("/<int:plan_id>/answer")
@require_permission(Permission.WORK)
def answer(plan_id: int) -> Response:
    """A participant confirms or declines its part."""
    plan = _visible(plan_id)
    if service.participant_of(plan, current_user.department_id) is None:
        abort(403)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.answer(session, plan, current_user.department_id, current_user,
                       form.answer.data == "confirm", form.reason.data)
    except service.PlanError as error:
        return _refuse(error, plan.id)
    session.commit()
    flash(_("Your answer is sent to the initiating department."), "success")
    return redirect(url_for(".detail", plan_id=plan.id))


@bp.post("/<int:plan_id>/submit")
@require_permission(Permission.WORK)
def submit(plan_id: int) -> Response:
    """The initiator submits the plan to the office."""
    plan = _initiator_action(plan_id)
    try:
        service.submit(session, plan, _timezone())
    except service.PlanError as error:
        return _refuse(error, plan.id)
    session.commit()
    if plan.late:
        flash(_("The plan is submitted after the deadline (%(day)s) and flagged late.",
                day=deadline(plan.year).isoformat()), "warning")
    else:
        flash(_("The plan is submitted to the office."), "success")
    return redirect(url_for(".detail", plan_id=plan.id))


@bp.post("/<int:plan_id>/withdraw")
@require_permission(Permission.WORK)
def withdraw(plan_id: int) -> Response:
    """The initiator withdraws a draft or submitted plan."""
    plan = _initiator_action(plan_id)
    try:
        service.withdraw(session, plan)
    except service.PlanError as error:
        return _refuse(error, plan.id)
    session.commit()
    flash(_("The plan is withdrawn."), "success")
    return redirect(url_for(".detail", plan_id=plan.id))


@bp.get("/submissions")
@require_permission(Permission.OVERSEE)
def submissions() -> str:
    """The office's February dashboard: each member unit, on time, late or not submitted."""
    year = _year()
    return render_template("planning/submissions.html", year=year, deadline=deadline(year),
                           rows=service.submission_status(session, year), locale=_locale(),
                           form=YearForm(request.args))


def _merge_form(year: int) -> MergeForm:
    form = MergeForm()
    form.plans.choices = [(p.id, p.name) for p in session.scalars(
        service.plans_of_year(year, PlanState.SUBMITTED.value))]
    form.initiator.choices = [(d.id, d.name(_locale())) for d in session.scalars(
        select(Department).where(Department.is_office.is_(False)).order_by(Department.code))]
    return form


@bp.get("/consolidation")
@require_permission(Permission.OVERSEE)
def consolidation_page() -> str:
    """The office's consolidation: the year's submitted plans, merge suggestions with their
    reasons, and publication of the district plan."""
    year = _year()
    return render_template(
        "planning/consolidation.html", year=year, locale=_locale(), form=YearForm(request.args),
        submitted=list(session.scalars(service.plans_of_year(year, PlanState.SUBMITTED.value))),
        published=service.published_plans(session, year),
        suggestions=consolidation.merge_suggestions(session, year))


@bp.post("/merge")
@require_permission(Permission.OVERSEE)
def merge() -> Response:
    """The office merges submitted plans into one joint plan."""
    year = request.form.get("year", type=int) or today().year
    form = _merge_form(year)
    if not form.validate_on_submit():
        flash(_("Choose at least two submitted plans, the initiating department and a name."), "error")
        return redirect(url_for(".consolidation_page", year=year))
    plans = [p for p in (get_visible(session, AnnualPlan, i) for i in form.plans.data) if p is not None]
    try:
        joint = consolidation.merge(session, plans, form.initiator.data, form.name.data)
    except service.PlanError as error:
        flash(error.message(_locale()), "error")
        return redirect(url_for(".consolidation_page", year=year))
    session.commit()
    flash(_("The plans are merged; every participant of the joint plan must confirm again."), "success")
    return redirect(url_for(".detail", plan_id=joint.id))


@bp.post("/publish")
@require_permission(Permission.OVERSEE)
def publish() -> Response:
    """The office publishes the district's annual plan of the year."""
    year = request.form.get("year", type=int) or today().year
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        plans = consolidation.publish(session, year)
    except service.PlanError as error:
        flash(error.message(_locale()), "error")
        return redirect(url_for(".consolidation_page", year=year))
    session.commit()
    flash(_("The district's annual plan for %(year)s is published (%(count)s plans).",
            year=year, count=len(plans)), "success")
    return redirect(url_for(".consolidation_page", year=year))
