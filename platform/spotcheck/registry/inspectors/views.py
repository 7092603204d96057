"""The inspector directory's pages: the list (with who cannot be drawn, and why), an inspector's
page with conflicts and history, the create and edit forms, and declaring or withdrawing a
conflict of interest."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from spotcheck.audit.masking import mask
from spotcheck.db import session
from spotcheck.registry.areas import Area
from spotcheck.registry.errors import FieldError
from spotcheck.registry.inspectors import service
from spotcheck.registry.inspectors.eligibility import eligibility
from spotcheck.registry.inspectors.forms import (
    ConflictForm,
    InspectorFilterForm,
    InspectorForm,
    WithdrawConflictForm,
)
from spotcheck.registry.inspectors.models import Inspector, InspectorConflict
from spotcheck.registry.inspectors.rows import validate_inspector_row
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.access import current_user_can, require_permission
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.roles import Permission, Role
from spotcheck.tenancy.scope import get_scope, get_visible
from spotcheck.web.pagination import paginate

bp = Blueprint("inspectors", __name__, url_prefix="/inspectors")

PER_PAGE = 50
FILTER_FIELDS = ("q", "department", "status", "level", "authority", "area", "expiring")


@bp.get("/")
@require_permission(Permission.WORK)
def index() -> str:
    """The directory, filtered; each inspector who cannot be drawn today is marked with why."""
    joint = current_user_can(Permission.OVERSEE)
    form = InspectorFilterForm(request.args)
    authorities = service.department_authorities(session)
    form.authority.choices = [("", _("Any authority")), *((a, a) for a in authorities)]
    form.area.choices = [("", _("Any area")), *_area_choices()]
    if joint:
        form.department.choices = [("", _("All member units")), *_department_choices()]
    on = service.today()
    filters = _filters(form, joint, on)
    page = paginate(session, service.search_inspectors(filters),
                    request.args.get("page", 1, type=int), PER_PAGE)
    reasons = {inspector.id: eligibility(inspector, on) for inspector in page.items}
    args = {name: form[name].data for name in FILTER_FIELDS if form[name].data}
    return render_template("registry/inspectors/index.html", form=form, page=page,
                           reasons=reasons, args=args, joint=joint, locale=_locale(),
                           departments=_department_names() if joint else {},
                           can_create=_can_create())


@bp.route("/new", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def create() -> Response | str:
    """Add an inspector to the department's directory."""
    if not _can_create():
        abort(403)
    form = _inspector_form(current_user.department_id)
    if form.validate_on_submit():
        inspector = _save(form, None)
        if inspector is not None:
            flash(_("Inspector %(name)s is added.", name=inspector.name), "success")
            return redirect(url_for(".detail", inspector_id=inspector.id))
    return render_template("registry/inspectors/form.html", form=form, inspector=None)


@bp.get("/<int:inspector_id>")
@require_permission(Permission.WORK)
def detail(inspector_id: int) -> str:
    """One inspector: the credential, why they cannot be drawn (if so), conflicts and history."""
    inspector = _visible(inspector_id)
    department = get_visible(session, Department, inspector.department_id)
    linked_user = get_visible(session, User, inspector.user_id) if inspector.user_id else None
    return render_template(
        "registry/inspectors/detail.html", inspector=inspector, department=department,
        reasons=eligibility(inspector, service.today()), masked_phone=mask(inspector.phone),
        areas=service.area_names(session, inspector.area_codes), linked_user=linked_user,
        history=service.history(session, inspector), conflict_form=ConflictForm(),
        withdraw_form=WithdrawConflictForm(), can_edit=_writable(inspector), locale=_locale())


@bp.route("/<int:inspector_id>/edit", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def edit(inspector_id: int) -> Response | str:
    """Change an inspector of the department's own directory."""
    inspector = _editable(inspector_id)
    form = _inspector_form(inspector.department_id, inspector)
    if request.method == "GET":
        form.process(obj=None, data={
            "code": inspector.code, "name": inspector.name, "level": inspector.level,
            "scope": inspector.authorities, "areas": inspector.area_codes,
            "valid_from": inspector.valid_from, "valid_to": inspector.valid_to,
            "expertise": "；".join(inspector.expertise or []), "status": inspector.status,
            "phone": inspector.phone, "note": inspector.note,
            "user": str(inspector.user_id or "")})
    elif form.validate_on_submit() and _save(form, inspector) is not None:
        flash(_("The changes are saved."), "success")
        return redirect(url_for(".detail", inspector_id=inspector.id))
    return render_template("registry/inspectors/form.html", form=form, inspector=inspector)


@bp.post("/<int:inspector_id>/conflicts")
@require_permission(Permission.WORK)
def declare_conflict(inspector_id: int) -> Response:
    """Declare that the inspector must not inspect a target of the directory."""
    inspector = _editable(inspector_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        flash(_("Enter the target's code and the reason."), "error")
        return redirect(url_for(".detail", inspector_id=inspector.id))
    target = session.scalars(select(Target).where(
        Target.code == form.target_code.data.strip().upper())).one_or_none()
    if target is None:
        flash(_("No target with the code %(code)s in your department's directory.",
                code=form.target_code.data.strip()), "error")
        return redirect(url_for(".detail", inspector_id=inspector.id))
    try:
        service.declare_conflict(session, inspector, target, form.reason.data)
    except service.ConflictError:
        flash(_("A conflict with %(target)s is already declared.", target=target.name), "error")
        return redirect(url_for(".detail", inspector_id=inspector.id))
    session.commit()
    flash(_("The conflict with %(target)s is declared: the inspector will not be matched to it.",
            target=target.name), "success")
    return redirect(url_for(".detail", inspector_id=inspector.id))


@bp.post("/<int:inspector_id>/conflicts/<int:conflict_id>/withdraw")
@require_permission(Permission.WORK)
def withdraw_conflict(inspector_id: int, conflict_id: int) -> Response:
    """Withdraw a declared conflict (it stays on record)."""
    inspector = _editable(inspector_id)
    conflict = get_visible(session, InspectorConflict, conflict_id)
    if conflict is None or conflict.inspector_id != inspector.id:
        abort(404)
    form = WithdrawConflictForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.withdraw_conflict(conflict, form.reason.data)
    except service.ConflictError:
        abort(409)
    session.commit()
    flash(_("The conflict is withdrawn."), "success")
    return redirect(url_for(".detail", inspector_id=inspector.id))


def _save(form: InspectorForm, inspector: Inspector | None) -> Inspector | None:
    """Validate the form as an import row and save it; ``None`` (errors shown) when invalid."""
    department_id = inspector.department_id if inspector else current_user.department_id
    lookups = service.inspector_lookups(session, department_id)
    row, errors = validate_inspector_row(form.raw_row(), lookups)
    user_id, user_allowed = _chosen_user(form, department_id, inspector)
    if row is None or not user_allowed:
        _show_errors(form, errors)
        return None
    if inspector is None:
        inspector = service.create_inspector(session, department_id, row, user_id=user_id)
    else:
        service.update_inspector(session, inspector, row)
        inspector.user_id = user_id
    try:
        session.commit()
    except IntegrityError:
        # Another editor took the number meanwhile (the unique constraint decides).
        session.rollback()
        form.code.errors = [*form.code.errors, _("This certificate number is already registered.")]
        return None
    return inspector


def _chosen_user(form: InspectorForm, department_id: int,
                 inspector: Inspector | None) -> tuple[int | None, bool]:
    """The account chosen to link, and whether the choice is allowed (an error is shown if not)."""
    chosen = form.user.data
    if not chosen:
        return None, True
    if chosen not in {value for value, _label in _user_choices(department_id, inspector)}:
        form.user.errors = [*form.user.errors, _("Choose an inspector account of the department.")]
        return None, False
    return int(chosen), True


def _show_errors(form: InspectorForm, errors: list[FieldError]) -> None:
    locale = _locale()
    for error in errors:
        if error.field in form:
            form[error.field].errors = [*form[error.field].errors, error.message(locale)]


def _inspector_form(department_id: int, inspector: Inspector | None = None) -> InspectorForm:
    form = InspectorForm()
    form.scope.choices = [(authority, f"{authority}（{'、'.join(names)}）") for authority, names in
                          service.department_authorities(session, [department_id]).items()]
    # An authority no longer needed by any item stays choosable while the inspector holds it.
    held = set(inspector.authorities) if inspector else set()
    form.scope.choices += [(a, a) for a in sorted(held - {c for c, _l in form.scope.choices})]
    form.areas.choices = _area_choices()
    form.user.choices = [("", _("No account")), *_user_choices(department_id, inspector)]
    return form


def _user_choices(department_id: int, inspector: Inspector | None) -> list[tuple[str, str]]:
    """The department's inspector accounts not linked to another inspector."""
    linked = select(Inspector.user_id).where(Inspector.user_id.is_not(None))
    if inspector is not None:
        linked = linked.where(Inspector.id != inspector.id)
    users = session.scalars(select(User).where(
        User.department_id == department_id, User.role == Role.INSPECTOR,
        User.id.not_in(linked)).order_by(User.username))
    return [(str(u.id), f"{u.display_name}（{u.username}）") for u in users]


def _area_choices() -> list[tuple[str, str]]:
    return [(code, path) for code, path in session.execute(
        select(Area.code, Area.path).order_by(Area.code))]


def _department_choices() -> list[tuple[str, str]]:
    return [(str(d.id), d.name(_locale())) for d in session.scalars(
        select(Department).where(Department.active.is_(True), Department.is_office.is_(False))
        .order_by(Department.code))]


def _department_names() -> dict[int, str]:
    return {d.id: d.name(_locale()) for d in session.scalars(select(Department))}


def _filters(form: InspectorFilterForm, joint: bool, on: date) -> service.InspectorFilters:
    if not form.validate():
        return service.InspectorFilters()
    return service.InspectorFilters(
        text=form.q.data or None, status=form.status.data or None, level=form.level.data or None,
        authority=form.authority.data or None, area_code=form.area.data or None,
        expiring_on=on if form.expiring.data else None,
        department_id=int(form.department.data) if joint and form.department.data else None)


def _visible(inspector_id: int) -> Inspector:
    inspector = get_visible(session, Inspector, inspector_id)
    if inspector is None:
        abort(404)
    return inspector


def _editable(inspector_id: int) -> Inspector:
    """An inspector of the user's own department: the office reads every directory, but each
    department maintains its own ("who supervises, builds and maintains")."""
    inspector = _visible(inspector_id)
    if not _writable(inspector):
        abort(403)
    return inspector


def _writable(row: Any) -> bool:
    scope = get_scope(session)
    return scope is not None and scope.can_write(row.department_id)


def _can_create() -> bool:
    # The office coordinates; inspectors belong to member units.
    return not current_user.department.is_office


def _locale() -> str:
    return str(get_locale() or "zh")
