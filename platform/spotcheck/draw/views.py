"""The pages of draws (随机抽取): the list, preparing a batch's draw, a draw with its commitment,
strata, exclusions and results, voiding a preparation, the full-screen ceremony where the office
enters the public entropy and draws, and the proof and verifier downloads — also public, without
signing in, once a draw is executed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from spotcheck.db import session
from spotcheck.draw import roster, service
from spotcheck.draw.access import may_execute, may_prepare
from spotcheck.draw.downloads import proof_response, verifier_response
from spotcheck.draw.forms import DrawFilterForm, EntropyForm, PrepareForm, VoidForm
from spotcheck.draw.models import Draw, DrawExclusion, DrawState, Team
from spotcheck.planning.dryrun import REASONS
from spotcheck.planning.models import Batch
from spotcheck.planning.service import PlanError
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import Scope, get_visible, scoped
from spotcheck.web.pagination import paginate

bp = Blueprint("draws", __name__)

PER_PAGE = 50
CEREMONY_SHOWN = 500
"""Drawn targets per stratum the ceremony lists (the draw page pages through all of them)."""


def _locale() -> str:
    return str(get_locale() or "zh")


def _visible(draw_id: int) -> Draw:
    draw = get_visible(session, Draw, draw_id)
    if draw is None:
        abort(404)
    return draw


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("/draws/")
@require_permission(Permission.WORK)
def index() -> str:
    """The draws of the plans the user's department takes part in (the office: all), newest first."""
    form = DrawFilterForm(request.args)
    statement = (select(Draw).options(selectinload(Draw.plan), selectinload(Draw.batch))
                 .order_by(Draw.prepared_at.desc(), Draw.id.desc()))
    if form.validate():
        if form.state.data:
            statement = statement.where(Draw.state == form.state.data)
        if form.plan.data:
            statement = statement.where(Draw.plan_id == form.plan.data)
        if form.batch.data:
            statement = statement.where(Draw.batch_id == form.batch.data)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("draw/index.html", form=form, filters=filters,
                           page=paginate(session, statement, _page(), PER_PAGE), locale=_locale())


@bp.post("/batches/<int:batch_id>/draws")
@require_permission(Permission.WORK)
def prepare(batch_id: int) -> Response:
    """Prepare the batch's draw: freeze its candidates and commit to a fresh server secret."""
    batch = get_visible(session, Batch, batch_id)
    if batch is None:
        abort(404)
    if not may_prepare(current_user, batch.work_plan.plan):
        abort(403)
    form = PrepareForm()
    if not form.validate_on_submit():
        for name in ("per_target", "max_load"):
            for error in form[name].errors:
                flash(f"{form[name].label.text}: {error}", "error")
        return redirect(url_for("workplans.dry_run", batch_id=batch.id))
    try:
        draw = service.prepare(session, batch, current_user, form.per_target.data, form.max_load.data)
    except PlanError as error:
        flash(error.message(_locale()), "error")
        return redirect(url_for("workplans.dry_run", batch_id=batch.id))
    session.commit()
    flash(_("The draw is prepared and its commitment recorded. The draw itself is made at the "
            "ceremony, with the public random number."), "success")
    return redirect(url_for(".detail", draw_id=draw.id))


@bp.get("/draws/<int:draw_id>")
@require_permission(Permission.WORK)
def detail(draw_id: int) -> str:
    """A draw: its commitment, strata and exclusions; once drawn, its seed, results and teams."""
    draw = _visible(draw_id)
    teams = None
    if draw.executed:
        # Matching order is stratum by stratum, each in rank order.
        teams = paginate(session, select(Team).where(Team.draw_id == draw.id).order_by(Team.position),
                         _page(), PER_PAGE)
    return render_template(
        "draw/detail.html", draw=draw, locale=_locale(), teams=teams,
        team_rows=roster.team_rows(session, teams.items) if teams else [],
        stratum_of=roster.stratum_positions(session, draw, (t.target_id for t in teams.items)) if teams else {},
        exclusions=roster.exclusion_counts(session, draw), reasons=REASONS,
        selected=roster.selected_counts(session, draw) if draw.executed else {},
        replacements=roster.replacement_rows(session, roster.replacements_of_draw(session, draw)),
        can_execute=draw.state == DrawState.PREPARED.value and may_execute(current_user, draw),
        void_form=VoidForm())


@bp.get("/draws/<int:draw_id>/exclusions")
@require_permission(Permission.WORK)
def exclusions(draw_id: int) -> str:
    """The targets of the batch's scope the preparation left out, and why, page by page."""
    draw = _visible(draw_id)
    statement = (select(DrawExclusion).where(DrawExclusion.draw_id == draw.id)
                 .order_by(DrawExclusion.reason, DrawExclusion.code))
    return render_template("draw/exclusions.html", draw=draw, reasons=REASONS,
                           page=paginate(session, statement, _page(), PER_PAGE))


@bp.post("/draws/<int:draw_id>/void")
@require_permission(Permission.WORK)
def void(draw_id: int) -> Response:
    """Void a prepared draw, with the reason (the initiating department's head, or the office)."""
    draw = _visible(draw_id)
    if not may_execute(current_user, draw):
        abort(403)
    form = VoidForm()
    if not form.validate_on_submit():
        flash(_("Say why the preparation is voided."), "error")
        return redirect(url_for(".detail", draw_id=draw.id))
    try:
        service.void(session, draw, form.reason.data.strip(), current_user)
    except PlanError as error:
        flash(error.message(_locale()), "error")
        return redirect(url_for(".detail", draw_id=draw.id))
    session.commit()
    flash(_("The preparation is voided. The batch can be prepared again."), "success")
    return redirect(url_for(".detail", draw_id=draw.id))


def _ceremony(draw: Draw, form: EntropyForm, error: str | None = None) -> str:
    """The ceremony page: before the draw what it is committed to, after it the results."""
    chosen = roster.selected_by_stratum(session, draw, CEREMONY_SHOWN) if draw.executed else {}
    teams = []
    if draw.executed:
        teams = roster.team_rows(session, session.scalars(
            select(Team).where(Team.draw_id == draw.id).order_by(Team.position).limit(CEREMONY_SHOWN)).all())
    return render_template("draw/ceremony.html", draw=draw, form=form, error=error, locale=_locale(),
                           chosen=chosen, team_rows=teams, shown=CEREMONY_SHOWN)


@bp.get("/draws/<int:draw_id>/ceremony")
@require_permission(Permission.WORK)
def ceremony(draw_id: int) -> str:
    """The public draw, full screen for a projector (the office, or the initiating head)."""
    draw = _visible(draw_id)
    if not may_execute(current_user, draw):
        abort(403)
    return _ceremony(draw, EntropyForm())


@bp.post("/draws/<int:draw_id>/ceremony")
@require_permission(Permission.WORK)
def execute(draw_id: int) -> Response | str:
    """Draw with the public entropy entered at the ceremony. A preparation another draw made
    stale is voided (and must be prepared again); a batch that cannot be staffed saves nothing."""
    draw = _visible(draw_id)
    if not may_execute(current_user, draw):
        abort(403)
    form = EntropyForm()
    if not form.validate_on_submit():
        abort(400)
    entropy = form.entropy.data or ""
    try:
        service.run(session, draw.id, entropy, current_user)
    except service.StaleDraw as error:
        flash(error.message(_locale()), "error")
        return redirect(url_for(".ceremony", draw_id=draw_id))
    except PlanError as error:
        return _ceremony(_visible(draw_id), form, error.message(_locale()))
    return redirect(url_for(".ceremony", draw_id=draw_id))


@bp.get("/draws/<int:draw_id>/proof.json")
@require_permission(Permission.WORK)
def proof(draw_id: int) -> Response:
    """The proof of an executed draw of a plan the user's department takes part in."""
    draw = _visible(draw_id)
    if not draw.executed:
        abort(404)
    return proof_response(draw)


@bp.get("/public/draws/<int:draw_id>/proof.json")
def public_proof(draw_id: int) -> Response:
    """The proof of any executed draw, for anyone (the public portal links it); a draw not
    executed answers 404 like a missing one."""
    with scoped(session, Scope.system()):
        draw = session.scalars(select(Draw).where(Draw.id == draw_id,
                                                  Draw.state == DrawState.EXECUTED.value)).one_or_none()
    if draw is None:
        abort(404)
    return proof_response(draw)


@bp.get("/public/verify_draw.py")
def verifier() -> Response:
    """The verifier: one file needing only Python's standard library (``python3 verify_draw.py
    PROOF.json``), the very code the platform draws with."""
    return verifier_response()
