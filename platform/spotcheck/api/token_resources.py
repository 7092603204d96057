"""``/api/v1/tokens``: the caller's own API tokens."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from spotcheck.api.auth import current_api_user, current_token
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError
from spotcheck.api.schemas import IssuedTokenSchema, TokenCreateSchema, TokenSchema
from spotcheck.api.tokens import create_token, get_own_token, list_tokens, revoke_token
from spotcheck.db import session
from spotcheck.tenancy.models import ApiToken

blp = ApiBlueprint("api_tokens", __name__,
                   description="The caller's own API tokens. Nobody sees or revokes another user's.")


@blp.route("/tokens")
class Tokens(MethodView):
    @blp.response(200, TokenSchema(many=True))
    def get(self) -> list[ApiToken]:
        """The caller's tokens

        Every token of the caller, newest first, revoked and expired ones included. Secrets are
        never shown again: a token is recognised by its name and prefix.
        """
        return list_tokens(session, current_api_user())

    @blp.arguments(TokenCreateSchema)
    @blp.response(201, IssuedTokenSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create a token

        Answers the new token's secret, this once only: store it now. A token created through
        the API expires no later than the token used to create it, so a leaked token cannot
        renew itself for ever.
        """
        token, secret = create_token(session, current_api_user(), data["name"],
                                     data["expires_in_days"], not_after=current_token().expires_at)
        session.commit()
        return {"token": token, "secret": secret}


@blp.route("/tokens/<int:token_id>")
class Token(MethodView):
    @blp.response(204)
    def delete(self, token_id: int) -> None:
        """Revoke a token

        Revokes one of the caller's tokens at once; revoking a revoked token changes nothing.
        Another user's token answers 404, exactly like a token that does not exist.
        """
        token = get_own_token(session, current_api_user(), token_id)
        if token is None:
            raise ApiError(404)
        if revoke_token(session, token):
            session.commit()
