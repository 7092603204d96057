"""The joint punishment pages (联合惩戒): the list a department sees, an entry with its basis and
repairs, and the listing department's repair and its head's decision.

A department sees the entries in its name and those of the targets it supervises; the office sees
every one. Another entry answers 404 like a missing one; acting on an entry of another department
that the user sees answers 403.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from spotcheck.db import session
from spotcheck.publication.models import PublicTarget
from spotcheck.punishment import service
from spotcheck.punishment.forms import DecisionForm, EntryFilterForm, RepairForm
from spotcheck.punishment.models import PunishmentEntry
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.web.pagination import paginate

bp = Blueprint("punishments", __name__)

PER_PAGE = 50


def _locale() -> str:
    return str(get_locale() or "zh")


def _names(target_ids: list[int]) -> dict[int, PublicTarget]:
    # Listed targets all have a published check: their public (masked) name and code.
    return {t.target_id: t for t in session.scalars(select(PublicTarget).where(PublicTarget.target_id.in_(target_ids)))}


@bp.get("/punishments/")
@require_permission(Permission.WORK)
def index() -> str:
    """The joint punishment list, with filters by state, basis and listing department."""
    form = EntryFilterForm(request.args)
    statement = service.visible_entries(session, current_user)
    if form.validate():
        if form.state.data:
            statement = statement.where(PunishmentEntry.state == form.state.data)
        if form.basis.data:
            statement = statement.where(PunishmentEntry.basis == form.basis.data)
        if form.department.data:
            statement = statement.where(PunishmentEntry.department_id.in_(
                select(Department.id).where(Department.code == form.department.data.strip().upper())))
    elif "state" not in request.args:
        statement = statement.where(PunishmentEntry.state == form.state.default)
    page = paginate(session, statement.order_by(PunishmentEntry.listed_on.desc(), PunishmentEntry.id.desc()),
                    request.args.get("page", 1, type=int) or 1, PER_PAGE)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("punishment/index.html", form=form, page=page, filters=filters, locale=_locale(),
                           targets=_names([e.target_id for e in page.items]))


def _entry(entry_id: int) -> PunishmentEntry:
    entry = service.visible_entry(session, current_user, entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.get("/punishments/<int:entry_id>")
@require_permission(Permission.WORK)
def detail(entry_id: int) -> str:
    """An entry: the target, the listing department, the basis (each event), the period, the
    repairs, and the forms of the listing department."""
    entry = _entry(entry_id)
    return render_template("punishment/detail.html", entry=entry, locale=_locale(),
                           target=_names([entry.target_id]).get(entry.target_id),
                           departments={d.id: d for d in session.scalars(select(Department))},
                           repair_form=RepairForm() if service.may_request(current_user, entry) else None,
                           decision_form=DecisionForm() if service.may_decide(current_user, entry) else None)


def _back(entry: PunishmentEntry) -> Response:
    return redirect(url_for("punishments.detail", entry_id=entry.id))


@bp.post("/punishments/<int:entry_id>/repair")
@require_permission(Permission.WORK)
def repair(entry_id: int) -> Response:
    """Record a credit repair of the entry, with the reason (the listing department only)."""
    entry = _entry(entry_id)
    if not service.may_request(current_user, entry):
        abort(403)
    form = RepairForm()
    form.validate_on_submit()
    try:
        service.request_repair(session, entry, current_user.username, form.reason.data, today())
    except service.RepairRefused as refused:
        session.rollback()
        flash(refused.message(_locale()), "error")
        return _back(entry)
    session.commit()
    flash(_("The repair is recorded and awaits the head's decision."), "success")
    return _back(entry)


@bp.post("/punishments/<int:entry_id>/decide")
@require_permission(Permission.APPROVE)
def decide(entry_id: int) -> Response:
    """Approve or reject the entry's pending repair (the listing department's head only)."""
    entry = _entry(entry_id)
    if not service.may_decide(current_user, entry):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose a decision."), "error")
        return _back(entry)
    try:
        service.decide_repair(session, entry, current_user.username, form.decision.data == "approve",
                              form.note.data, today())
    except service.RepairRefused as refused:
        session.rollback()
        flash(refused.message(_locale()), "error")
        return _back(entry)
    session.commit()
    flash(_("The decision is recorded."), "success")
    return _back(entry)
