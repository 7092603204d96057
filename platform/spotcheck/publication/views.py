"""The head's publication of reviewed results, from the task page (``POST /tasks/<id>/publish``).

Who may: the initiating department's head (:func:`spotcheck.inspection.access.reviews`); a task
the user does not see answers 404. The form carries the task's version, so publishing from a stale
page is a conflict. Whatever is not published by hand, the sweep publishes on its deadline.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from spotcheck.db import session
from spotcheck.inspection import access
from spotcheck.inspection.action_forms import VersionedForm
from spotcheck.inspection.locking import at_version
from spotcheck.inspection.models import Task
from spotcheck.planning.service import PlanError
from spotcheck.publication.service import publish as publish_task
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

bp = Blueprint("publication", __name__)


@bp.post("/tasks/<int:task_id>/publish")
@require_permission(Permission.APPROVE)
def publish(task_id: int) -> Response:
    """The initiating department's head publishes the reviewed results to the public portal."""
    task = get_visible(session, Task, task_id)
    if task is None or not access.sees(session, current_user, task):
        abort(404)
    if not access.reviews(current_user, task):
        abort(403)
    back = redirect(url_for("tasks.detail", task_id=task.id))
    form = VersionedForm()
    if not form.validate_on_submit():
        flash(_("The page was out of date: open the task again and try again."), "error")
        return back
    try:
        with at_version(task, form.read_version()):
            publish_task(session, task, current_user.username, today=today(),
                         timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
    except PlanError as refused:  # TaskRefused too (a stale version)
        session.rollback()
        flash(refused.message(str(get_locale() or "zh")), "error")
        return back
    session.commit()
    flash(_("The results are published on the public portal."), "success")
    return back
