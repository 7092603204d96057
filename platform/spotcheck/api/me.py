"""``/api/v1/me``: who the token belongs to."""

from __future__ import annotations

from flask.views import MethodView

from spotcheck.api.auth import current_api_user
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.schemas import UserSchema
from spotcheck.tenancy.models import User

blp = ApiBlueprint("api_me", __name__, description="The caller: the user an API token belongs to.")


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, UserSchema)
    def get(self) -> User:
        """The caller

        The user the API token belongs to: name, role and department. The role decides what the
        other endpoints allow; the department decides which records they show.
        """
        return current_api_user()
