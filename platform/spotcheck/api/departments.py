"""``/api/v1/departments``: the departments of the platform."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.schemas import DepartmentSchema
from spotcheck.db import session
from spotcheck.tenancy.models import Department

blp = ApiBlueprint("api_departments", __name__,
                   description="The departments: member units of the joint meeting, and its office.")


@blp.route("/departments")
class Departments(MethodView):
    @blp.response(200, DepartmentSchema(many=True))
    def get(self) -> list[Department]:
        """Active departments

        Every department whose plugin is installed, and the office, ordered by code. A department
        whose plugin was removed keeps its records but is no longer listed.
        """
        return list(session.scalars(
            select(Department).where(Department.active.is_(True)).order_by(Department.code)))
