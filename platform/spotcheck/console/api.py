"""``/api/v1/console``: the office console's figures and assessment, as on the pages.

The office reads every member unit or the one it names; anyone else with business work reads their
own department only, and naming another answers 404 like a department that does not exist.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask.views import MethodView

from spotcheck.api.auth import current_api_user, require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError
from spotcheck.console import service
from spotcheck.console.periods import period_from
from spotcheck.console.schemas import AssessmentSchema, ConsoleQuerySchema, DashboardSchema
from spotcheck.db import session
from spotcheck.tenancy.roles import Permission

blp = ApiBlueprint("api_console", __name__,
                   description="The office console (article 21): each member unit's figures of a period "
                               "and their assessment.")


def _choice(query: dict[str, Any]) -> service.Choice:
    require_permission(Permission.WORK)
    try:
        return service.choose(session, current_api_user(), period_from(query["year"], query["period"]),
                              query.get("department") or None)
    except service.NotVisible:
        raise ApiError(404) from None


@blp.route("/console/dashboard")
class ConsoleDashboard(MethodView):
    @blp.arguments(ConsoleQuerySchema, location="query")
    @blp.response(200, DashboardSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The figures of a period

        Plans submitted on time, draws, tasks completed (and within 7 working days), results
        published (and within 20 working days), follow-ups, replacement requests, joint visits
        against separate ones, and coverage: per member unit and in total (docs/console.md).
        """
        choice = _choice(query)
        dashboard = service.figures(session, choice)
        return {"year": choice.period.year, "period": choice.period.token, "start": choice.period.start,
                "end": choice.period.end, "department": choice.department.code if choice.department else None,
                "departments": [{"department": row.department.code, "plan_status": row.figures.plan_status,
                                 "figures": asdict(row.figures)} for row in dashboard.rows],
                "total": asdict(dashboard.total)}


@blp.route("/console/assessment")
class ConsoleAssessment(MethodView):
    @blp.arguments(ConsoleQuerySchema, location="query")
    @blp.response(200, AssessmentSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The assessment of a period

        Each member unit's score out of 100 under the configured scheme, best first, with each
        figure's share, target, weight and points (docs/console.md).
        """
        choice = _choice(query)
        scores = service.scores(service.figures(session, choice))
        return {"year": choice.period.year, "period": choice.period.token, "scores": [
            {"department": s.department.code, "total": s.total, "lines": [
                {"figure": line.criterion.figure, "weight": line.criterion.weight, "target": line.criterion.target,
                 "rate": line.rate, "points": line.points, "out_of": line.out_of} for line in s.lines]}
            for s in scores]}
