"""The workbench home and the two switchers of the page header: language and acting department."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from spotcheck.calendar.service import missing_years
from spotcheck.db import session, utcnow
from spotcheck.planning.dryrun import DISTRICT_TIMEZONE
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.models import Department, User, UserSession
from spotcheck.tenancy.roles import Permission, has_permission
from spotcheck.tenancy.scope import Scope, get_visible, scoped
from spotcheck.web.navigation import duties_for, navigation_for

# The layout's templates and assets live in this package, served under /assets (the app itself
# has no static folder).
bp = Blueprint("home", __name__, template_folder="templates", static_folder="static",
               static_url_path="/assets")

LOCALE_COOKIE = "lang"
LOCALE_COOKIE_MAX_AGE = int(timedelta(days=365).total_seconds())


@bp.get("/")
@login_required
def index() -> str:
    """The workbench: who the user is, where they work, and what their role lets them do."""
    user: User = current_user
    return render_template(
        "home.html",
        duties=duties_for(user.role),
        password_days_left=_password_days_left(user),
        previous_sign_in=_previous_sign_in(user),
        member_units=_member_units() if has_permission(user.role, Permission.OVERSEE) else None,
        # The office keeps the calendar: it is warned on its home page while a year deadlines
        # will need is missing (this year always, next year from October).
        missing_calendar_years=(_missing_calendar_years()
                                if has_permission(user.role, Permission.OVERSEE) else []),
    )


def _missing_calendar_years() -> list[int]:
    with scoped(session, Scope.system()):
        return missing_years(session, datetime.now(DISTRICT_TIMEZONE).date())


@bp.post("/locale")
def set_locale() -> Response:
    """Switch the interface language: a cookie for everyone, and the user's saved choice."""
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated and current_user.locale != locale:
        current_user.locale = locale  # audited as an update of the user's row
        session.commit()
    response = redirect(_back())
    response.set_cookie(LOCALE_COOKIE, locale, max_age=LOCALE_COOKIE_MAX_AGE, httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")
    return response


@bp.post("/acting-department")
@require_permission(Permission.OVERSEE)
def set_acting_department() -> Response:
    """Let an office user view one member unit's data, or every member unit's again."""
    chosen = request.form.get("department_id", "")
    department = None
    if chosen:
        department = session.scalars(
            select(Department).where(Department.id == _as_id(chosen), Department.active.is_(True),
                                     Department.is_office.is_(False))
        ).one_or_none()
        if department is None:
            abort(400)
    # Kept on the sign-in session (audited as its update), so it holds on every app server.
    g.user_session.acting_department_id = department.id if department else None
    session.commit()
    if department is None:  # a department chosen is announced by the banner on every page
        flash(_("You are viewing every member unit."), "info")
    return redirect(_back())


@bp.app_context_processor
def _layout_context() -> dict[str, Any]:
    """What ``base.html`` needs on every page: the navigation and the header's switchers."""
    context: dict[str, Any] = {"navigation": [], "acting_department": None,
                               "switchable_departments": _member_units}
    if current_user.is_authenticated:
        context["navigation"] = navigation_for(current_user.role)
        context["can_switch_department"] = has_permission(current_user.role, Permission.OVERSEE)
        user_session = g.get("user_session")
        if user_session is not None and user_session.acting_department_id is not None:
            context["acting_department"] = get_visible(session, Department,
                                                       user_session.acting_department_id)
    return context


def _member_units() -> list[Department]:
    """The active member units an office user can switch to, by code."""
    return list(session.scalars(
        select(Department).where(Department.active.is_(True), Department.is_office.is_(False))
        .order_by(Department.code)
    ))


def _password_days_left(user: User) -> int | None:
    """Whole days until the password must be changed (``None`` when passwords never expire)."""
    max_age = current_app.config["PASSWORD_MAX_AGE_DAYS"]
    if not max_age:
        return None
    return max(0, (user.password_changed_at + timedelta(days=max_age) - utcnow()).days)


def _previous_sign_in(user: User) -> UserSession | None:
    """The user's sign-in before the current one, so they can spot one that was not theirs."""
    return session.scalars(
        select(UserSession).where(UserSession.user_id == user.id,
                                  UserSession.second_factor_done.is_(True),
                                  UserSession.id != g.user_session.id)
        .order_by(UserSession.created_at.desc()).limit(1)
    ).first()


def _as_id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        abort(400)


def _back() -> str:
    """The page the switch was made on (a local path only), else the workbench."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")

