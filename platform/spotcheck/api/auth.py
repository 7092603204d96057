"""Who calls the API: a bearer token, checked before every API request.

Only ``Authorization: Bearer <token>`` authenticates. The browser's session cookie never does:
the API is exempt from CSRF protection, which is safe exactly because a browser never attaches a
bearer token to a request on its own, as it does a cookie.
"""

from __future__ import annotations

import re
from typing import NoReturn

from flask import current_app, g, request

from spotcheck import audit
from spotcheck.api.errors import ApiError
from spotcheck.api.i18n import N_
from spotcheck.api.tokens import TokenState, find_token, mark_used, token_state
from spotcheck.db import session
from spotcheck.tenancy.context import scope_for
from spotcheck.tenancy.models import ApiToken, User
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import Scope, scoped, set_scope
from spotcheck.web.request_context import request_id

# RFC 6750: the scheme name is case-insensitive; the token is one run of non-blank characters.
_BEARER = re.compile(r"Bearer +(\S+) *", re.IGNORECASE)

CHALLENGE = 'Bearer realm="spotcheck"'
INVALID_TOKEN_CHALLENGE = 'Bearer realm="spotcheck", error="invalid_token"'

UNKNOWN_TOKEN = N_("This API token is not valid. Check that it was copied whole, or create a new one.")
REVOKED_TOKEN = N_("This API token has been revoked. Create a new one under Account → API tokens.")
EXPIRED_TOKEN = N_("This API token has expired. Create a new one under Account → API tokens.")
DISABLED_USER = N_("The account this API token belongs to is disabled.")


def authenticate() -> None:
    """Before each API request: accept a live token of an active user, or answer 401.

    On success the request works in the token user's scope and is audited as that user, whoever
    the browser's cookie (if any) says is signed in.
    """
    secret = _bearer_secret()
    if secret is None:
        raise ApiError(401, headers={"WWW-Authenticate": CHALLENGE})
    # Nobody is known yet, so the lookup may read the users of every department.
    with scoped(session, Scope.system()):
        token = find_token(session, secret)
    if token is None:
        _refuse(UNKNOWN_TOKEN, "-")
    problem = _problem(token)
    if problem is not None:
        _refuse(problem, token.prefix)
    if mark_used(token):
        # Commit the note alone, now: a read-only request never commits its unit of work.
        session.commit()
    user = token.user
    set_scope(session, scope_for(user))
    audit.set_actor(session, user_id=user.id, username=user.username,
                    department_code=user.department.code, ip=request.remote_addr,
                    request_id=request_id())
    g.api_token = token


def _bearer_secret() -> str | None:
    matched = _BEARER.fullmatch(request.headers.get("Authorization", ""))
    return matched.group(1) if matched else None


def _problem(token: ApiToken) -> str | None:
    state = token_state(token)
    if state is TokenState.REVOKED:
        return REVOKED_TOKEN
    if state is TokenState.EXPIRED:
        return EXPIRED_TOKEN
    if not token.user.is_active:
        return DISABLED_USER
    return None


def _refuse(problem: str, prefix: str) -> NoReturn:
    # Logged for whoever watches for token guessing; the prefix is public, the secret never logged.
    current_app.logger.warning("API token refused: %s (prefix %s, request %s)",
                               problem, prefix, request_id())
    raise ApiError(401, problem, headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE})


def current_token() -> ApiToken:
    """The token the current API request authenticated with."""
    return g.api_token  # type: ignore[no-any-return]


def current_api_user() -> User:
    """The user the current API request acts as (never ``flask_login.current_user``)."""
    return current_token().user


def require_permission(permission: Permission) -> None:
    """Answer 403 unless the caller's role carries ``permission``."""
    if not has_permission(current_api_user().role, permission):
        raise ApiError(403)

