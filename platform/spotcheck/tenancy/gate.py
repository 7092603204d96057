"""The sign-in gate: a signed-in user who owes a new password or a second factor settles it first.

Checked before every page request, so no page is reachable until the password is changed (at
first sign-in, after an administrator's reset, or after ``PASSWORD_MAX_AGE_DAYS``), and until an
administrator has enrolled the second factor their role requires. The API is not gated: it goes by
bearer tokens, which only a user past the gate can create.
"""

from __future__ import annotations

from flask import Flask, Response, redirect, request, url_for
from flask_login import current_user

from spotcheck.tenancy import service
from spotcheck.web.assets import is_static_request

# Signing out and switching the language stay possible on the pages the user is sent to.
PASSWORD_PAGES = frozenset({"auth.change_password", "auth.sign_out", "home.set_locale"})
TOTP_PAGES = PASSWORD_PAGES | {"auth.totp"}


def init_app(app: Flask) -> None:
    """Install the gate on ``app`` (after :func:`spotcheck.tenancy.login.init_app`)."""
    app.before_request(_gate)


def _gate() -> Response | None:
    endpoint = request.endpoint
    if endpoint is None or is_static_request():
        return None  # unknown URLs answer 404 as usual; assets are public
    if request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        return None
    if service.password_expired(current_user):
        page, allowed = "auth.change_password", PASSWORD_PAGES
    elif service.requires_totp_enrolment(current_user):
        page, allowed = "auth.totp", TOTP_PAGES
    else:
        return None
    if endpoint in allowed:
        return None
    return redirect(url_for(page))
