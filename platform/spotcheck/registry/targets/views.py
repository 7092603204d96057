"""The target directory's pages: search, detail with history, create and edit, a department's own
view (risk level, note, tags) and supervising a target found by its code.

Departments read the targets they supervise; the office reads them all but changes none (it
supervises nothing itself). Another department's target answers 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from spotcheck.audit.masking import mask
from spotcheck.db import session
from spotcheck.registry.areas import area_tree
from spotcheck.registry.errors import FieldError
from spotcheck.registry.industries import classification
from spotcheck.registry.targets import service
from spotcheck.registry.targets.codes import KINDS, RISK_LEVELS, STATUSES
from spotcheck.registry.targets.display import history_entries, target_facts
from spotcheck.registry.targets.forms import (
    BulkTagForm,
    SuperviseForm,
    SupervisionForm,
    TagForm,
    TargetForm,
    TargetSearchForm,
    credit_choices,
    kind_choices,
    risk_choices,
    status_choices,
)
from spotcheck.registry.targets.history import history_of
from spotcheck.registry.targets.models import Target, TargetSupervision
from spotcheck.registry.targets.rows import current_area_index, split_tags, validate_target_row
from spotcheck.registry.targets.search import TargetFilters, matching_ids, search
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_visible
from spotcheck.web.pagination import Page

bp = Blueprint("targets", __name__, url_prefix="/targets")

FILTER_FIELDS = ("q", "area", "industry", "kind", "risk_level", "credit_class", "tag", "status")


def can_edit() -> bool:
    """Whether the signed-in user changes the directory: a department's staff or head (the
    office oversees, and supervises no target itself)."""
    return not current_user.department.is_office


def _require_editor() -> None:
    if not can_edit():
        abort(403)


def _visible_target(target_id: int) -> Target:
    target = get_visible(session, Target, target_id)
    if target is None:
        abort(404)
    return target


def area_choices(blank: str) -> list[tuple[str, str]]:
    """The district's areas for a select: sub-districts and towns, each followed by its
    communities and villages (indented)."""
    choices = [("", blank)]
    for top, children in area_tree(session):
        choices.append((top.code, top.name))
        choices.extend((child.code, f"\u3000{child.name}") for child in children)
    return choices


def _filters(form: TargetSearchForm) -> TargetFilters:
    area_id = current_area_index().resolve(form.area.data) if form.area.data else None
    return TargetFilters.from_query(
        form.q.data, area_id=area_id, industry=(form.industry.data or "").strip() or None,
        kind=form.kind.data or None, risk_level=form.risk_level.data or None,
        credit_class=form.credit_class.data or None, tag=(form.tag.data or "").strip() or None,
        status=form.status.data or None)


def _search_form(data: MultiDict[str, str]) -> TargetSearchForm:
    form = TargetSearchForm(data)
    form.area.choices = area_choices(_("Any area"))
    form.kind.choices = kind_choices(_("Any target kind"))
    form.risk_level.choices = risk_choices(_("Any risk level"))
    form.credit_class.choices = credit_choices(_("Any credit class"))
    form.status.choices = status_choices(_("Any status"))
    return form


@bp.get("/")
@require_permission(Permission.WORK)
def index() -> str:
    """The directory: filters, a page of targets, bulk tagging."""
    form = _search_form(request.args)
    form.validate()
    filters = _filters(form)
    page = search(session, filters, request.args.get("page", 1, type=int))
    args = {name: form[name].data for name in FILTER_FIELDS if form[name].data}
    ids = [t.id for t in page.items]
    pager = Page(items=page.items, number=page.page, per_page=page.per_page, total=page.total)
    return render_template(
        "registry/targets/index.html", form=form, page=page, pager=pager, args=args,
        tags=service.tags_of(session, ids), risks=_own_risks(ids), bulk_form=BulkTagForm(),
        can_edit=can_edit(), kinds=KINDS, statuses=STATUSES, risk_levels=RISK_LEVELS,
        industries=classification(), mask=lambda name: mask(name) or "—")


def _own_risks(target_ids: list[int]) -> dict[int, str | None]:
    # The office supervises nothing: it sees no risk level of its own.
    if current_user.department.is_office or not target_ids:
        return {}
    return dict(session.execute(select(TargetSupervision.target_id, TargetSupervision.risk_level)
                                .where(TargetSupervision.target_id.in_(target_ids))).all())


@bp.post("/bulk-tag")
@require_permission(Permission.WORK)
def bulk_tag() -> Response:
    """Tag the selected targets, or every target the filters match."""
    _require_editor()
    form = BulkTagForm()
    back = url_for("targets.index", **{k: v for k, v in request.form.items()
                                       if k in FILTER_FIELDS and v})
    if not form.validate_on_submit():
        flash(_("Enter the tag to add."), "error")
        return redirect(back)
    if request.form.get("scope") == "all":
        filters = _filters(_search_form(request.form))
        ids = list(session.scalars(matching_ids(session, filters)))
    else:
        ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()]
    if not ids:
        flash(_("Select the targets to tag first."), "warning")
        return redirect(back)
    try:
        tagged = service.bulk_tag(session, ids, form.new_tag.data)
    except service.TargetError as refused:
        flash(refused.errors[0].message(str(current_user.locale)), "error")
        return redirect(back)
    session.commit()
    flash(_("Tag “%(tag)s” added to %(count)d targets.", tag=form.new_tag.data.strip(),
            count=len(tagged)), "success")
    return redirect(back)


@bp.get("/<int:target_id>")
@require_permission(Permission.WORK)
def detail(target_id: int) -> str:
    """One target: its record, this department's view, who else supervises it, its history."""
    target = _visible_target(target_id)
    supervision = None if current_user.department.is_office else service.own_supervision(session, target)
    view_form = SupervisionForm(risk_level=supervision.risk_level or "" if supervision else "",
                                note=supervision.note if supervision else "")
    view_form.risk_level.choices = risk_choices(_("Not assessed"))
    tags = service.tags_of(session, [target.id]).get(target.id, [])
    return render_template(
        "registry/targets/detail.html", target=target, facts=target_facts(session, target),
        supervision=supervision, view_form=view_form, tag_form=TagForm(), tags=tags,
        supervisors=service.supervisors(session, target),
        history=history_entries(session, history_of(session, target.id)),
        risk_levels=RISK_LEVELS, can_edit=can_edit() and supervision is not None)


def _target_form(**values: Any) -> TargetForm:
    form = TargetForm(**values)
    form.kind.choices = kind_choices()
    form.area.choices = area_choices(_("Not given"))
    form.status.choices = status_choices()
    form.credit_class.choices = credit_choices(_("Not rated"))
    form.risk_level.choices = risk_choices(_("Not assessed"))
    return form


def _apply_errors(form: TargetForm, errors: list[FieldError]) -> None:
    locale = str(current_user.locale)
    for error in errors:
        target_field = getattr(form, error.field, None)
        if target_field is None:
            form.form_errors.append(error.message(locale))
        else:
            target_field.errors = [*target_field.errors, error.message(locale)]


def _raw(form: TargetForm, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: form[name].data for name in fields}


@bp.route("/new", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def create() -> Response | str:
    """Add a target to the directory; the department supervises it from now on."""
    _require_editor()
    form = _target_form(status="active")
    if form.validate_on_submit():
        row, errors = validate_target_row(_raw(form, (
            "kind", "code", "name", "legal_representative", "address", "area", "industry",
            "status", "credit_class", "risk_level", "tags")))
        if row is not None:
            try:
                target = service.create_target(session, row)
            except service.TargetError as refused:
                errors = refused.errors
            else:
                session.commit()
                flash(_("Target added to the directory."), "success")
                return redirect(url_for("targets.detail", target_id=target.id))
        _apply_errors(form, errors)
    return render_template("registry/targets/form.html", form=form, target=None,
                           industries=classification(), conflict=None)


@bp.route("/<int:target_id>/edit", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def edit(target_id: int) -> Response | str:
    """Change a target's record. Someone else's change in between is shown, never overwritten."""
    target = _visible_target(target_id)
    if not can_edit() or service.own_supervision(session, target) is None:
        abort(404)
    area_code = target.area.code if target.area is not None else ""
    form = _target_form(obj=None if request.method == "POST" else target, area=area_code,
                        industry=target.industry_code or "", version=str(target.version),
                        credit_class=target.credit_class or "")
    conflict = None
    if form.validate_on_submit():
        raw = _raw(form, ("kind", "code", "name", "legal_representative", "address", "area",
                          "industry", "status", "credit_class"))
        raw["code"] = target.code  # the code names the target: it is not edited
        row, errors = validate_target_row(raw)
        if row is not None:
            try:
                version = form.version.data or ""
                service.update_target(session, target, row.shared_values(blanks_clear=True),
                                      expected_version=int(version) if version.isdigit() else 0)
            except service.VersionConflict:
                session.rollback()
                target = _visible_target(target_id)
                conflict = target_facts(session, target)
                form.version.data = str(target.version)
            else:
                session.commit()
                flash(_("Changes saved."), "success")
                return redirect(url_for("targets.detail", target_id=target.id))
        _apply_errors(form, errors if row is None else [])
    return render_template("registry/targets/form.html", form=form, target=target,
                           industries=classification(), conflict=conflict)


@bp.post("/<int:target_id>/view")
@require_permission(Permission.WORK)
def update_view(target_id: int) -> Response:
    """Change this department's risk level and note of a target."""
    target = _own_target(target_id)
    form = SupervisionForm()
    form.risk_level.choices = risk_choices("")
    if form.validate_on_submit():
        changed = service.set_risk(session, target, form.risk_level.data or None)
        changed = service.set_note(session, target, form.note.data) or changed
        session.commit()
        if changed:
            flash(_("Your department's view is saved."), "success")
    else:
        flash(_("Choose a risk level from the list."), "error")
    return redirect(url_for("targets.detail", target_id=target.id))


def _own_target(target_id: int) -> Target:
    target = _visible_target(target_id)
    if not can_edit() or service.own_supervision(session, target) is None:
        abort(404)
    return target


@bp.post("/<int:target_id>/tags")
@require_permission(Permission.WORK)
def add_tag(target_id: int) -> Response:
    """Add one of this department's tags (several at once, separated by ；)."""
    target = _own_target(target_id)
    form = TagForm()
    if form.validate_on_submit():
        try:
            for tag_text in split_tags(form.tag.data):
                service.tag(session, target, tag_text)
        except service.TargetError as refused:
            session.rollback()
            flash(refused.errors[0].message(str(current_user.locale)), "error")
        else:
            session.commit()
    return redirect(url_for("targets.detail", target_id=target_id, _anchor="tags"))


@bp.post("/<int:target_id>/tags/remove")
@require_permission(Permission.WORK)
def remove_tag(target_id: int) -> Response:
    """Remove one of this department's tags."""
    target = _own_target(target_id)
    if service.untag(session, target, request.form.get("tag", "")):
        session.commit()
    return redirect(url_for("targets.detail", target_id=target_id, _anchor="tags"))


@bp.post("/<int:target_id>/end-supervision")
@require_permission(Permission.WORK)
def end_supervision(target_id: int) -> Response:
    """Stop supervising a target; it stays in the directory for the others."""
    target = _own_target(target_id)
    service.end_supervision(session, target)
    session.commit()
    flash(_("Your department no longer supervises %(name)s.", name=target.name), "success")
    return redirect(url_for("targets.index"))


@bp.route("/supervise", methods=["GET", "POST"])
@require_permission(Permission.WORK)
def supervise() -> Response | str:
    """Find a target of the directory by its exact code and start supervising it."""
    _require_editor()
    form = SuperviseForm()
    form.risk_level.choices = risk_choices(_("Not assessed"))
    entry = None
    if form.validate_on_submit():
        entry = service.directory_entry(session, form.code.data)
        if entry is None:
            form.code.errors = [_("No target has this code: add it to the directory instead.")]
        elif entry.supervised_here:
            return redirect(url_for("targets.detail", target_id=entry.id))
        elif form.confirm.data == entry.code:
            service.supervise(session, entry.id, risk_level=form.risk_level.data or None)
            session.commit()
            flash(_("Your department now supervises %(name)s.", name=entry.name), "success")
            return redirect(url_for("targets.detail", target_id=entry.id))
        else:
            form.confirm.data = entry.code
    return render_template("registry/targets/supervise.html", form=form, entry=entry, kinds=KINDS)

