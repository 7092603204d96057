"""The expert pool's pages: the pool filtered by kind and speciality, a member's page, and the
create and edit forms. A department keeps its own members; the office reads the whole pool."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from spotcheck.audit.masking import mask
from spotcheck.db import session
from spotcheck.registry.experts import service
from spotcheck.registry.experts.forms import ExpertFilterForm, ExpertForm
from spotcheck.registry.experts.models import Expert
from spotcheck.registry.experts.rows import ExpertRow, validate_expert_row
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.access import current_user_can, require_permission
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_scope, get_visible
from spotcheck.web.pagination import paginate

bp = Blueprint("experts", __name__, url_prefix="/experts")

PER_PAGE = 50
FILTER_FIELDS = ("q", "department", "kind", "speciality", "status")


@bp.get("/")
@require_permission(Permission.WORK)
def index() -> str:
    """The pool, filtered by kind, speciality, status and name."""
    joint = current_user_can(Permission.OVERSEE)
    form = ExpertFilterForm(request.args)
    form.speciality.choices = [("", _("Any speciality")),
                               *((s, s) for s in service.specialities_in_use(session))]
    if joint:
        form.department.choices = [("", _("All member units")), *(
            (str(d.id), d.name(_locale())) for d in session.scalars(
                select(Department).where(Department.active.is_(True), Department.is_office.is_(False))
                .order_by(Department.code)))]
    filters = service.ExpertFilters()
    if form.validate():
        filters = service.ExpertFilters(
            text=form.q.data or None, kind=form.kind.data or None,
            speciality=form.speciality.data or None, status=form.status.data or None,
            department_id=int(form.department.data) if joint and form.department.data else None)
    page = paginate(session, service.search_experts(filters), request.args.get("page", 1, type=int),
                    PER_PAGE)
    args = {name: form[name].data for name in FILTER_FIELDS if form[name].data}
    departments = {d.id: d.name(_locale()) for d in session.scalars(select(Department))} if joint else {}
    return render_template("registry/experts/index.html", form=form, page=page, args=args,
                           joint=joint, departments=departments, mask=mask, on=today(),
                           can_create=not current_user.department.is_office)


@bp.route("/new", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def create() -> Response | str:
    """Register a member of the pool for the department."""
    if current_user.department.is_office:
        abort(403)
    form = ExpertForm()
    if form.validate_on_submit():
        row = _valid_row(form)
        if row is not None:
            expert = service.create_expert(session, current_user.department_id, row)
            session.commit()
            flash(_("%(name)s is added to the expert pool.", name=expert.name), "success")
            return redirect(url_for(".detail", expert_id=expert.id))
    return render_template("registry/experts/form.html", form=form, expert=None)


@bp.get("/<int:expert_id>")
@require_permission(Permission.WORK)
def detail(expert_id: int) -> str:
    """One member of the pool."""
    expert = _visible(expert_id)
    return render_template("registry/experts/detail.html", expert=expert,
                           department=get_visible(session, Department, expert.department_id),
                           masked_contact=mask(expert.contact), on=today(),
                           can_edit=_writable(expert), locale=_locale())


@bp.route("/<int:expert_id>/edit", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def edit(expert_id: int) -> Response | str:
    """Change a member registered by the user's department."""
    expert = _visible(expert_id)
    if not _writable(expert):
        abort(403)
    form = ExpertForm()
    if request.method == "GET":
        form.process(data={"kind": expert.kind, "name": expert.name,
                           "organisation": expert.organisation,
                           "specialities": "；".join(expert.specialities),
                           "qualification": expert.qualification, "contact": expert.contact,
                           "valid_until": expert.valid_until, "status": expert.status,
                           "note": expert.note})
    elif form.validate_on_submit():
        row = _valid_row(form)
        if row is not None:
            service.update_expert(expert, row)
            session.commit()
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".detail", expert_id=expert.id))
    return render_template("registry/experts/form.html", form=form, expert=expert)


def _valid_row(form: ExpertForm) -> ExpertRow | None:
    """The form as a valid row, or ``None`` with the errors shown under the fields."""
    row, errors = validate_expert_row(form.raw_row())
    for error in errors:
        if error.field in form:
            form[error.field].errors = [*form[error.field].errors, error.message(_locale())]
    return row


def _visible(expert_id: int) -> Expert:
    expert = get_visible(session, Expert, expert_id)
    if expert is None:
        abort(404)
    return expert


def _writable(row: Any) -> bool:
    scope = get_scope(session)
    return scope is not None and scope.can_write(row.department_id)


def _locale() -> str:
    return str(get_locale() or "zh")
