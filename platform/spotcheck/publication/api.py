"""``/api/v1/tasks/<id>/publish``: the initiating department's head publishes reviewed results.

A task the caller does not see answers 404 like a missing one; a caller who is not the initiating
department's head, 403; results that cannot be published (not reviewed, or a year without a
complete working-day calendar), 409 in Chinese and English. The answer is the published result as
the open data has it.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify
from flask.views import MethodView

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError, error_body
from spotcheck.db import session
from spotcheck.inspection import access
from spotcheck.inspection.locking import at_version
from spotcheck.inspection.models import Task
from spotcheck.inspection.schemas import TaskVersionInputSchema
from spotcheck.planning.service import PlanError
from spotcheck.publication import opendata
from spotcheck.publication.models import Publication
from spotcheck.publication.schemas import PublicResultSchema
from spotcheck.publication.service import publish
from spotcheck.registry.inspectors.service import today
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible

blp = ApiBlueprint("api_publication", __name__,
                   description="Publication: the initiating head publishes reviewed results to the "
                               "public portal and the open data.")


def _refused(error: PlanError) -> Response:
    body = error_body(409)
    body["message"] = {"zh": error.message_zh, "en": error.message_en}
    response = jsonify(body)
    response.status_code = 409
    return response


@blp.route("/tasks/<int:task_id>/publish")
class TaskPublish(MethodView):
    @blp.arguments(TaskVersionInputSchema)
    @blp.response(200, PublicResultSchema)
    def post(self, data: dict[str, Any], task_id: int) -> Response:
        """Publish the results

        The initiating department's head publishes reviewed results (others: 403): the public
        record is written, the task becomes published. 409 when the results are not reviewed, the
        version is stale, or the disclosure deadline needs a year without a complete working-day
        calendar. Results left unpublished are published by the daily sweep on their deadline,
        20 working days after they were entered.
        """
        require_permission(Permission.APPROVE)
        user = current_api_user()
        task = get_visible(session, Task, task_id)
        if task is None or not access.sees(session, user, task):
            raise ApiError(404)
        if not access.reviews(user, task):
            raise ApiError(403)
        if data.get("version") is None:
            raise ApiError(422, errors={"version": ["Missing data for required field."]})
        try:
            with at_version(task, data["version"]):
                publication = publish(session, task, user.username, today=today(),
                                      timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
        except PlanError as refused:  # TaskRefused too
            session.rollback()
            return _refused(refused)
        session.commit()
        row = session.execute(opendata.columns().where(Publication.id == publication.id)).one()
        return jsonify(opendata.document(row, opendata.labels()))
