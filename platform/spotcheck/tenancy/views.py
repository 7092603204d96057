"""Signing in and out, and the signed-in user's own password and second factor."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session as cookie_session,
    url_for,
)
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from spotcheck import audit
from spotcheck.db import session
from spotcheck.tenancy import service, totp
from spotcheck.tenancy.forms import (
    ChangePasswordForm,
    EnrolTotpForm,
    RemoveTotpForm,
    SecondFactorForm,
    SignInForm,
)
from spotcheck.tenancy.login import SESSION_TOKEN_KEY
from spotcheck.tenancy.models import User, UserSession
from spotcheck.tenancy.sessions import end_session, start_session
from spotcheck.web.extensions import rate_limited

bp = Blueprint("auth", __name__)

SIGN_IN_FAILED = _l("Sign-in failed: the login name or password is not correct, or the account "
                    "may not sign in at present. Accounts are locked for a while after repeated "
                    "failures; ask your security administrator if you need help.")
"""The one message for every refusal, so the page never tells whether an account exists."""


def _sign_in_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@rate_limited(_sign_in_limit, methods=["POST"])
def sign_in() -> Response | str:
    """The sign-in page: login name and password."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_next_url())
    form = SignInForm()
    if form.validate_on_submit():
        user = service.authenticate(session, form.username.data, form.password.data)
        if user is not None:
            return _open_session(user)
        session.commit()  # the failure count and its audit record must outlive the refusal
        form.form_errors.append(str(SIGN_IN_FAILED))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-in/second-factor", methods=["GET", "POST"])
@rate_limited(_sign_in_limit, methods=["POST"])
def second_factor() -> Response | str:
    """The second step for users with a second factor: the code from their authenticator app."""
    row: UserSession | None = g.get("user_session")
    if row is None:
        return redirect(url_for(".sign_in"))
    if row.second_factor_done:
        return redirect(_next_url())
    form = SecondFactorForm()
    if form.validate_on_submit():
        if service.verify_second_factor(session, row.user, form.code.data):
            row.second_factor_done = True
            _signed_in(row.user)
            session.commit()
            return redirect(_next_url())
        if service.is_locked(row.user) or row.user.disabled_at is not None:
            # Too many wrong codes: this half-open session goes, the person starts over.
            end_session(row, "refused")
            cookie_session.clear()
            session.commit()
            flash(str(SIGN_IN_FAILED), "error")
            return redirect(url_for(".sign_in"))
        session.commit()
        form.form_errors.append(_("The code is not correct. Check the time on your phone and "
                                  "try the newest code."))
    return render_template("auth/second_factor.html", form=form)


@bp.post("/sign-out")
def sign_out() -> Response:
    """End the current session (also a half-open one waiting for its second factor)."""
    row: UserSession | None = g.get("user_session")
    if row is not None:
        service.sign_out(session, row)
        session.commit()
    cookie_session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for(".sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@rate_limited(_sign_in_limit, methods=["POST"])
def change_password() -> Response | str:
    """Change one's own password (forced at first sign-in and when it is too old)."""
    user: User = current_user._get_current_object()
    form = ChangePasswordForm()
    form.new_password.description = _(
        "At least %(n)d characters with three of: lower-case letters, upper-case letters, digits, "
        "symbols; not containing your login name.", n=current_app.config["PASSWORD_MIN_LENGTH"])
    if form.validate_on_submit():
        try:
            service.change_password(session, user, form.current_password.data,
                                    form.new_password.data, g.get("user_session"))
        except service.PasswordRejected as rejected:
            form.new_password.errors.extend(p.message for p in rejected.problems)
        except service.AccountError as refused:
            form.form_errors.append(str(refused))
        else:
            session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form,
                           first_time=user.must_change_password,
                           expired=service.password_expired(user))


@bp.route("/account/two-factor", methods=["GET", "POST"], endpoint="totp")
@login_required
def totp_settings() -> Response | str:
    """The second factor: enrol an authenticator app, or see that one is enrolled."""
    user: User = current_user._get_current_object()
    if user.totp_enabled:
        return render_template("auth/totp_on.html", form=RemoveTotpForm(),
                               removable=not service.totp_required(user))
    form = EnrolTotpForm()
    if form.validate_on_submit():
        if service.enable_totp(session, user, form.secret.data, form.code.data):
            session.commit()
            flash(_("The second factor is on: you will be asked for a code at every sign-in."),
                  "success")
            return redirect(url_for("home.index"))
        form.code.errors.append(_("The code is not correct. Check the time on your phone and "
                                  "try the newest code."))
    if not totp.is_secret(form.secret.data or ""):
        form.secret.data = totp.new_secret()
    page = render_template(
        "auth/totp_enrol.html", form=form, secret=form.secret.data,
        qr_code=totp.qr_code_data_uri(totp.provisioning_uri(form.secret.data, user.username)),
        required=service.totp_required(user))
    return _not_stored(page)


@bp.post("/account/two-factor/remove")
@login_required
def remove_totp() -> Response | str:
    """Turn one's own second factor off (not for administrators, who must keep it)."""
    user: User = current_user._get_current_object()
    if not user.totp_enabled:
        return redirect(url_for(".totp"))
    form = RemoveTotpForm()
    if form.validate_on_submit():
        try:
            service.remove_totp(session, user, form.password.data, form.code.data)
        except service.NotAllowed:
            abort(403)
        except service.AccountError as refused:
            form.form_errors.append(str(refused))
        else:
            session.commit()
            flash(_("The second factor is off."), "success")
            return redirect(url_for(".totp"))
    return render_template("auth/totp_on.html", form=form, removable=not service.totp_required(user))


def _open_session(user: User) -> Response:
    """Start a new session for ``user`` under a new id, ending the one this browser held."""
    previous: UserSession | None = g.get("user_session")
    if previous is not None:
        end_session(previous, "replaced")
    cookie_session.clear()  # nothing from before the sign-in survives it (session fixation)
    cookie_session[SESSION_TOKEN_KEY] = start_session(session, user, request.remote_addr,
                                                      request.user_agent.string)
    if user.totp_enabled:
        session.commit()
        return redirect(url_for(".second_factor", next=request.args.get("next")))
    _signed_in(user)
    session.commit()
    return redirect(_next_url())


def _signed_in(user: User) -> None:
    """Audit the completed sign-in as the user who made it."""
    audit.set_actor(session, user_id=user.id, username=user.username,
                    department_code=user.department.code, ip=request.remote_addr,
                    request_id=g.get("request_id"))
    service.complete_sign_in(session, user)


def _next_url() -> str:
    """Where the sign-in was asked from (a local path only, never another site), else the workbench."""
    target = request.args.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


def _not_stored(page: str) -> Response:
    """A page showing a secret, which no cache may keep."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response
