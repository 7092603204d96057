"""The pages of joint teams (联合抽查组) and replacements: the work queue of dispatched teams, a
team with its members by department, asking to replace a drawn inspector, and the department
head's decision."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from spotcheck.db import session
from spotcheck.draw import roster, teams
from spotcheck.draw.access import may_decide, may_request_replacement, sees_team, work_queue
from spotcheck.draw.forms import DecisionForm, ReplacementForm
from spotcheck.draw.models import Draw, Replacement, ReplacementState, Team
from spotcheck.planning.service import PlanError
from spotcheck.tenancy.access import current_user_can, require_any_permission, require_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.pagination import paginate

bp = Blueprint("teams", __name__)

PER_PAGE = 50


def _locale() -> str:
    return str(get_locale() or "zh")


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _team(team_id: int) -> Team:
    team = get_visible(session, Team, team_id)
    if team is None or not sees_team(session, current_user, team):
        abort(404)
    return team


def _replacement(replacement_id: int) -> Replacement:
    replacement = get_visible(session, Replacement, replacement_id)
    if replacement is None:
        abort(404)
    return replacement


@bp.get("/teams/")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def index() -> str:
    """The work queue: dispatched teams the user (an inspector) or their department is on."""
    statement = work_queue(session, current_user).options(
        selectinload(Team.draw).selectinload(Draw.plan), selectinload(Team.draw).selectinload(Draw.batch))
    page = paginate(session, statement, _page(), PER_PAGE)
    return render_template("draw/teams.html", page=page, rows=roster.team_rows(session, page.items),
                           locale=_locale(), can_work=current_user_can(Permission.WORK))


def _replacement_form(row: roster.TeamRow) -> ReplacementForm | None:
    """The request form, when the user's department has members on the team it may replace."""
    members = [m for m in row.team.members if m.active and may_request_replacement(current_user, m)]
    if not members:
        return None
    names = {m.id: m.name for group in row.groups for m in group.members}
    return ReplacementForm(members=[(m.id, f"{m.inspector_code} {names.get(m.id, '')}") for m in members])


@bp.get("/teams/<int:team_id>")
@require_any_permission(Permission.WORK, Permission.INSPECT)
def detail(team_id: int) -> str:
    """A team: its target, leader and members by department, and its replacements."""
    team = _team(team_id)
    row = roster.team_rows(session, [team])[0]
    requests = session.scalars(select(Replacement).where(Replacement.team_id == team.id)
                               .order_by(Replacement.id.desc())).all()
    return render_template("draw/team.html", row=row, team=team, draw=team.draw, locale=_locale(),
                           can_work=current_user_can(Permission.WORK),
                           form=_replacement_form(row), decision_form=DecisionForm(),
                           replacements=roster.replacement_rows(session, requests),
                           may_decide=lambda r: may_decide(current_user, r))


@bp.post("/teams/<int:team_id>/replacements")
@require_permission(Permission.WORK)
def request_replacement(team_id: int) -> Response | str:
    """Ask to replace one of the department's members, on a ground of seed article 14."""
    team = _team(team_id)
    row = roster.team_rows(session, [team])[0]
    form = _replacement_form(row)
    if form is None:
        abort(403)
    if form.validate_on_submit():
        member = next(m for m in team.members if m.id == form.member.data)
        try:
            teams.request_replacement(session, member, form.ground.data, form.reason.data, current_user)
        except PlanError as error:
            flash(error.message(_locale()), "error")
        else:
            session.commit()
            flash(_("The request is sent to your department's head."), "success")
            return redirect(url_for(".detail", team_id=team.id))
    for name in ("member", "ground", "reason"):
        for error in form[name].errors:
            flash(f"{form[name].label.text}: {error}", "error")
    return redirect(url_for(".detail", team_id=team.id))


@bp.get("/replacements/")
@require_permission(Permission.WORK)
def replacements() -> str:
    """Replacement requests of the user's department (the office: every one it reads): those
    awaiting the head first, then the decided ones."""
    statement = select(Replacement)
    if not current_user.department.is_office:
        statement = statement.where(Replacement.department_id == current_user.department_id)
    pending = session.scalars(statement.where(Replacement.state == ReplacementState.REQUESTED.value)
                              .order_by(Replacement.requested_at, Replacement.id)).all()
    decided = paginate(session, statement.where(Replacement.state != ReplacementState.REQUESTED.value)
                       .order_by(Replacement.decided_at.desc(), Replacement.id.desc()), _page(), PER_PAGE)
    return render_template("draw/replacements.html", pending=roster.replacement_rows(session, pending),
                           decided_page=decided, decided=roster.replacement_rows(session, decided.items),
                           decision_form=DecisionForm(), locale=_locale(),
                           may_decide=lambda r: may_decide(current_user, r))


def _decision(replacement_id: int) -> tuple[Replacement, DecisionForm]:
    replacement = _replacement(replacement_id)
    if not may_decide(current_user, replacement):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    return replacement, form


@bp.post("/replacements/<int:replacement_id>/approve")
@require_permission(Permission.APPROVE)
def approve(replacement_id: int) -> Response:
    """The department head approves: the incoming inspector is drawn by spec §5 and the proof
    lists the replacement."""
    replacement, form = _decision(replacement_id)
    try:
        incoming = teams.approve_replacement(session, replacement, current_user, form.note.data)
    except PlanError as error:
        session.rollback()
        flash(error.message(_locale()), "error")
        return redirect(url_for(".detail", team_id=replacement.team_id))
    session.commit()
    flash(_("Approved: %(out)s is replaced by %(incoming)s; the draw's proof lists the replacement.",
            out=replacement.member.inspector_code, incoming=incoming.inspector_code), "success")
    return redirect(url_for(".detail", team_id=replacement.team_id))


@bp.post("/replacements/<int:replacement_id>/reject")
@require_permission(Permission.APPROVE)
def reject(replacement_id: int) -> Response:
    """The department head rejects the request, saying why; the team stays as drawn."""
    replacement, form = _decision(replacement_id)
    try:
        teams.reject_replacement(session, replacement, current_user, form.note.data or "")
    except PlanError as error:
        session.rollback()
        flash(error.message(_locale()), "error")
        return redirect(url_for(".detail", team_id=replacement.team_id))
    session.commit()
    flash(_("The request is rejected; the team stays as drawn."), "success")
    return redirect(url_for(".detail", team_id=replacement.team_id))
