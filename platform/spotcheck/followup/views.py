"""The follow-up pages: the queue of the user's department (what it owns, or what it sent to
another department), a follow-up with its history and the actions the owner may take, and a
target's credit record.

The scope already narrows reads to the owning and the sending department; a follow-up outside it
answers 404 like a missing one. A receiving department sees the transfer and the task's published
result only: the task page links only for a user who may open the task.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from spotcheck.db import session
from spotcheck.followup import service
from spotcheck.followup.credit import CREDIT_LABELS, timeline
from spotcheck.followup.forms import ActionForm, FollowUpFilterForm
from spotcheck.followup.models import TRANSITIONS, FollowUp, FollowUpState
from spotcheck.inspection import access
from spotcheck.inspection.models import Task
from spotcheck.publication.models import Publication
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.pagination import paginate

bp = Blueprint("followups", __name__)

PER_PAGE = 50


def _locale() -> str:
    return str(get_locale() or "zh")


@bp.get("/followups/")
@require_permission(Permission.WORK)
def index() -> str:
    """The follow-up queue, with filters by box, state and action."""
    form = FollowUpFilterForm(request.args)
    valid = form.validate()
    statement = service.queue(current_user, form.box.data if valid else "own", form.state.data or None if valid else None,
                      form.action.data or None if valid else None)
    page = paginate(session, statement, request.args.get("page", 1, type=int) or 1, PER_PAGE)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("followup/followup_index.html", form=form, page=page, filters=filters,
                           locale=_locale())


def _followup(followup_id: int) -> FollowUp:
    followup = get_visible(session, FollowUp, followup_id)
    if followup is None:
        abort(404)
    return followup


@bp.get("/followups/<int:followup_id>")
@require_permission(Permission.WORK)
def detail(followup_id: int) -> str:
    """A follow-up: the rule, the finding, owner, state, deadline, history, the task's published
    result, and the owner's actions."""
    followup = _followup(followup_id)
    task = get_visible(session, Task, followup.task_id)
    opens_task = task is not None and access.sees(session, current_user, task)
    publication = session.scalars(select(Publication).where(Publication.task_id == followup.task_id)).one_or_none()
    moves = [] if not service.may_act(current_user, followup) else [
        s for s in TRANSITIONS[FollowUpState(followup.state)] if s is not FollowUpState.OVERDUE]
    form = ActionForm()
    form.to.choices = [(s.value, s.label) for s in moves]
    return render_template("followup/followup_detail.html", followup=followup, form=form, moves=moves,
                           opens_task=opens_task, publication=publication, locale=_locale())


@bp.post("/followups/<int:followup_id>/act")
@require_permission(Permission.WORK)
def act(followup_id: int) -> Response:
    """Move the follow-up (corrected, closed, accepted, returned with the reason) for its owner."""
    followup = _followup(followup_id)
    if not service.may_act(current_user, followup):
        abort(403)
    form = ActionForm()
    form.to.choices = [(s.value, s.label) for s in FollowUpState]
    back = redirect(url_for("followups.detail", followup_id=followup.id))
    if not form.validate_on_submit():
        flash(_("Choose what was done."), "error")
        return back
    try:
        service.act(session, followup, FollowUpState(form.to.data), current_user, form.note.data)
    except service.FollowUpRefused as refused:
        session.rollback()
        flash(refused.message(_locale()), "error")
        return back
    session.commit()
    flash(_("The follow-up is now: %(state)s.", state=followup.state_label), "success")
    return back


@bp.get("/credit/<int:target_id>")
@require_permission(Permission.WORK)
def credit(target_id: int) -> str:
    """A target's credit record: its class and the timeline of what went into it (art. 19), for
    the departments that see the target."""
    target = get_visible(session, Target, target_id)
    if target is None:
        abort(404)
    return render_template("followup/credit.html", target=target, events=timeline(session, target.id),
                           labels=CREDIT_LABELS, locale=_locale())
