"""User administration, split by the separation of duties (三权分立).

The system administrator creates business accounts, disables and enables them and resets their
passwords; the security administrator changes roles, lifts locks and resets second factors. Both
may list and read accounts; the audit administrator and every business role get 403 everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from spotcheck.audit.masking import mask
from spotcheck.db import session
from spotcheck.tenancy import service
from spotcheck.tenancy.access import current_user_can, require_any_permission, require_permission
from spotcheck.tenancy.forms import (
    CreateUserForm,
    RoleForm,
    UserSearchForm,
    business_role_choices,
    role_choices,
)
from spotcheck.tenancy.models import Department, User, UserSession
from spotcheck.tenancy.roles import BUSINESS_ROLES, Permission, Role
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.pagination import paginate

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")

PAGE_SIZE = 50
_ADMINISTRATORS = (Permission.MANAGE_USERS, Permission.ASSIGN_ROLES)


@bp.get("/")
@require_any_permission(*_ADMINISTRATORS)
def index() -> str:
    """Every account, filtered by name, role and department, a page at a time."""
    form = UserSearchForm(request.args)
    form.role.choices = [("", _("Any role")), *role_choices()]
    form.department.choices = [("", _("Any department")),
                               *((str(id_), label) for id_, label in _departments(active_only=False))]
    page = paginate(session, _search(form).order_by(User.username),
                    request.args.get("page", 1, type=int), PAGE_SIZE)
    # Only the form's own fields travel into the page links (url_for treats _external etc. specially).
    filters = {name: form[name].data for name in ("q", "role", "department") if form[name].data}
    return render_template("admin/users/index.html", form=form, page=page, filters=filters,
                           is_locked=service.is_locked,
                           can_create=current_user_can(Permission.MANAGE_USERS))


@bp.route("/new", methods=["GET", "POST"])
@require_permission(Permission.MANAGE_USERS)
def create() -> Response | str:
    """Create a business account; its one-time password is shown once."""
    form = CreateUserForm()
    form.role.choices = business_role_choices()
    form.department.choices = _departments(active_only=True)
    if form.validate_on_submit():
        department = get_visible(session, Department, form.department.data)
        if department is None:
            abort(400)
        try:
            user, password = service.create_user(
                session, current_user._get_current_object(), username=form.username.data,
                display_name=form.display_name.data, role=Role(form.role.data),
                department=department, email=form.email.data, phone=form.phone.data)
        except service.NotAllowed:
            abort(403)
        except service.AccountError as refused:
            form.form_errors.append(str(refused))
        else:
            session.commit()
            return _one_time_password_page(user, password or "", created=True)
    return render_template("admin/users/new.html", form=form)


@bp.get("/<int:user_id>")
@require_any_permission(*_ADMINISTRATORS)
def detail(user_id: int) -> str:
    """One account: its state, and the actions the viewer's role may take on it."""
    user = _visible_user(user_id)
    role_form = RoleForm(role=user.role.value)
    role_form.role.choices = role_choices()
    live_sessions = session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)))
    viewer = current_user._get_current_object()
    manages = current_user_can(Permission.MANAGE_USERS)
    return render_template(
        "admin/users/detail.html", user=user, masked_phone=mask(user.phone),
        locked=service.is_locked(user), is_locked=service.is_locked, live_sessions=live_sessions,
        role_form=role_form, own_account=viewer.id == user.id,
        can_manage=manages and user.role in BUSINESS_ROLES,
        console_only=manages and user.role not in BUSINESS_ROLES,
        can_assign=current_user_can(Permission.ASSIGN_ROLES))


@bp.post("/<int:user_id>/disable")
@require_permission(Permission.MANAGE_USERS)
def disable(user_id: int) -> Response:
    """Disable the account; its sessions end at once."""
    return _act(user_id, service.disable_user, _("The account is disabled and signed out."))


@bp.post("/<int:user_id>/enable")
@require_permission(Permission.MANAGE_USERS)
def enable(user_id: int) -> Response:
    """Let a disabled account sign in again."""
    return _act(user_id, service.enable_user, _("The account is enabled."))


@bp.post("/<int:user_id>/reset-password")
@require_permission(Permission.MANAGE_USERS)
def reset_password(user_id: int) -> Response:
    """Give the account a one-time password, shown once; its sessions end."""
    user = _visible_user(user_id)
    try:
        password = service.reset_password(session, current_user._get_current_object(), user)
    except service.NotAllowed:
        abort(403)
    session.commit()
    return _one_time_password_page(user, password, created=False)


@bp.post("/<int:user_id>/role")
@require_permission(Permission.ASSIGN_ROLES)
def change_role(user_id: int) -> Response:
    """Give the account another role (never one's own)."""
    user = _visible_user(user_id)
    form = RoleForm()
    form.role.choices = role_choices()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.assign_role(session, current_user._get_current_object(), user, Role(form.role.data))
    except service.NotAllowed:
        abort(403)
    session.commit()
    flash(_("The role is now %(role)s.", role=user.role.label), "success")
    return redirect(url_for(".detail", user_id=user.id))


@bp.post("/<int:user_id>/unlock")
@require_permission(Permission.ASSIGN_ROLES)
def unlock(user_id: int) -> Response:
    """Lift the lock left by too many failed sign-ins."""
    return _act(user_id, service.unlock_user, _("The account is unlocked."))


@bp.post("/<int:user_id>/reset-second-factor")
@require_permission(Permission.ASSIGN_ROLES)
def reset_totp(user_id: int) -> Response:
    """Remove the account's second factor (a lost phone); its sessions end."""
    return _act(user_id, service.reset_totp,
                _("The second factor is removed. The user signs in with the password alone, "
                  "and administrators must enrol again."))


def _act(user_id: int, action: Callable[[Session, User, User], None], done: str) -> Response:
    """Run a one-button ``action`` on a visible account, 403 when the role may not.

    The buttons carry only the CSRF token, which the app-wide CSRFProtect checks before any view.
    """
    user = _visible_user(user_id)
    try:
        action(session, current_user._get_current_object(), user)
    except service.NotAllowed:
        abort(403)
    session.commit()
    flash(done, "success")
    return redirect(url_for(".detail", user_id=user.id))


def _visible_user(user_id: int) -> User:
    user = get_visible(session, User, user_id)
    if user is None:
        abort(404)
    return user


def _search(form: UserSearchForm) -> Select[tuple[User]]:
    statement = select(User)
    if form.validate():
        if form.q.data:
            text = form.q.data.strip().lower()
            statement = statement.where(or_(
                func.lower(User.username).contains(text, autoescape=True),
                func.lower(User.display_name).contains(text, autoescape=True)))
        if form.role.data:
            statement = statement.where(User.role == Role(form.role.data))
        if form.department.data:
            statement = statement.where(User.department_id == int(form.department.data))
    return statement


def _departments(active_only: bool) -> list[tuple[int, str]]:
    statement = select(Department).order_by(Department.code)
    if active_only:
        statement = statement.where(Department.active.is_(True))
    locale = str(get_locale() or "zh")
    return [(d.id, f"{d.code} {d.name(locale)}") for d in session.scalars(statement)]


def _one_time_password_page(user: User, password: str, created: bool) -> Response:
    # Rendered straight from the POST, never flashed: a flash would put the password in the
    # cookie. No cache may keep it.
    response = make_response(render_template("admin/users/password.html", user=user,
                                             password=password, created=created))
    response.headers["Cache-Control"] = "no-store"
    return response
