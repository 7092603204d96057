"""Who is signed in, and the scope every request then works in."""

from __future__ import annotations

from flask import Flask, g, request, session as cookie_session
from flask_login import LoginManager, current_user

from spotcheck.db import session
from spotcheck.web.assets import is_static_request
from spotcheck.tenancy.context import scope_for
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped, set_scope
from spotcheck.tenancy.sessions import load_session

SESSION_TOKEN_KEY = "sid"


def init_app(app: Flask) -> LoginManager:
    """Install flask-login with database-backed sessions and set each request's scope."""
    manager = LoginManager(app)
    # Our own session rows already tie a cookie to one sign-in; flask-login's IP/UA hashing
    # would only log people out behind proxies that rotate addresses.
    manager.session_protection = None
    manager.login_view = "auth.sign_in"
    manager.login_message = None
    manager.request_loader(_load_user)
    app.before_request(_set_request_scope)
    return manager


def _load_user(_request: object) -> User | None:
    token = cookie_session.get(SESSION_TOKEN_KEY)
    # The API authenticates by bearer token alone (spotcheck.api.auth); a browser cookie sent
    # along must neither sign the call in nor touch the browser's session.
    if not token or request.path.startswith("/api/"):
        return None
    # The user is looked up before any scope exists: its own department is not known yet.
    with scoped(session, Scope.system()):
        row = load_session(session, token)
        # The touch, or the ending of an idle or expired session, must last even when the view
        # only reads or fails. The loader runs before any view (the request's scope needs the
        # user), so this commits nothing else.
        session.commit()
        if row is None:
            cookie_session.pop(SESSION_TOKEN_KEY, None)
            return None
        g.user_session = row
        if not row.second_factor_done:
            return None
        return row.user


def _set_request_scope() -> None:
    if is_static_request():
        return
    user = current_user._get_current_object()
    if user.is_authenticated:
        row = g.get("user_session")
        acting = row.acting_department_id if row is not None else None
        set_scope(session, scope_for(user, acting))
    else:
        set_scope(session, Scope.public())
