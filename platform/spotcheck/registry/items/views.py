"""The item list pages: a department's list (the office's joint list), an item with its versions,
and the department's local adjustments."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from sqlalchemy import select

from spotcheck.db import session
from spotcheck.registry.items import service
from spotcheck.registry.items.forms import EnabledForm, ItemFilterForm, LocalTextForm
from spotcheck.registry.items.models import CheckItem
from spotcheck.registry.items.vocabulary import (
    FIELD_LABELS,
    REASON_LABELS,
    method_label,
    target_kind_label,
)
from spotcheck.tenancy.access import current_user_can, require_permission
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_scope, get_visible

bp = Blueprint("items", __name__, url_prefix="/items")


@bp.get("/")
@require_permission(Permission.WORK)
def index() -> str:
    """The department's item list; for the office, every department's items side by side."""
    joint = current_user_can(Permission.OVERSEE)
    form = ItemFilterForm(request.args)
    if joint:
        form.department.choices = [("", _("All member units")), *(
            (str(d.id), d.name(_locale())) for d in _member_units())]
    filters = _filters(form, joint)
    rows = service.list_items(session, filters)
    args = {name: form[name].data for name in ("department", "target_kind", "method", "key_item")
            if form[name].data}
    return render_template("registry/items/index.html", form=form, rows=rows, joint=joint,
                           filtered=bool(args), **_labels())


@bp.get("/<int:item_id>")
@require_permission(Permission.WORK)
def detail(item_id: int) -> str:
    """One item: what it says now, the department's adjustments, and every version."""
    item = _visible_item(item_id)
    versions = service.versions_of(session, item)
    history = [(version, service.version_changes(older, version))
               for version, older in zip(versions, [*versions[1:], None])]
    department = get_visible(session, Department, item.department_id)
    text_form = LocalTextForm(name_zh=item.local_name_zh, name_en=item.local_name_en,
                              note=item.local_note)
    return render_template("registry/items/detail.html", item=item, current=versions[0],
                           history=history, department=department, text_form=text_form,
                           enabled_form=EnabledForm(), can_edit=_writable(item),
                           field_labels=FIELD_LABELS, reason_labels=REASON_LABELS,
                           describe=describe, **_labels())


@bp.post("/<int:item_id>/enabled")
@require_permission(Permission.WORK)
def set_enabled(item_id: int) -> Response:
    """Disable or enable the item in the department's list (a new version)."""
    item = _editable_item(item_id)
    form = EnabledForm()
    if not form.validate_on_submit():
        abort(400)
    version = service.set_enabled(session, item, form.enabled.data == "1")
    session.commit()
    if version is not None:
        flash(_("The item is enabled: version %(number)d.", number=version.number) if item.enabled
              else _("The item is disabled: version %(number)d.", number=version.number), "success")
    return redirect(url_for(".detail", item_id=item.id))


@bp.post("/<int:item_id>/local-text")
@require_permission(Permission.WORK)
def set_local_text(item_id: int) -> Response | str:
    """Save the department's own name and note for the item (a new version when they changed)."""
    item = _editable_item(item_id)
    form = LocalTextForm()
    if not form.validate_on_submit():
        flash(_("The local text was not saved: %(problems)s",
                problems="; ".join(str(e) for errors in form.errors.values() for e in errors)),
              "error")
        return redirect(url_for(".detail", item_id=item.id))
    version = service.set_local_text(session, item, form.name_zh.data, form.name_en.data,
                                     form.note.data)
    session.commit()
    flash(_("The local text is saved: version %(number)d.", number=version.number) if version
          else _("Nothing changed."), "success" if version else "info")
    return redirect(url_for(".detail", item_id=item.id))


def _visible_item(item_id: int) -> CheckItem:
    item = get_visible(session, CheckItem, item_id)
    if item is None:
        abort(404)
    return item


def _editable_item(item_id: int) -> CheckItem:
    """An item the user's department owns; the office reads others' items but never adjusts them."""
    item = _visible_item(item_id)
    if not _writable(item):
        abort(403)
    return item


def _writable(row: Any) -> bool:
    scope = get_scope(session)
    return scope is not None and scope.can_write(row.department_id)


def _filters(form: ItemFilterForm, joint: bool) -> service.ItemFilters:
    if not form.validate():
        return service.ItemFilters()
    department = form.department.data if joint else None
    key_item = {"yes": True, "no": False}.get(form.key_item.data or "")
    return service.ItemFilters(department_id=int(department) if department else None,
                               target_kind=form.target_kind.data or None,
                               method=form.method.data or None, key_item=key_item)


def _member_units() -> list[Department]:
    return list(session.scalars(select(Department).where(
        Department.active.is_(True), Department.is_office.is_(False)).order_by(Department.code)))


def _locale() -> str:
    return str(get_locale() or "zh")


def _labels() -> dict[str, Any]:
    return {"method_label": method_label, "target_kind_label": target_kind_label,
            "locale": _locale()}


def describe(field: str, value: Any) -> str:
    """A version's field value as the history shows it."""
    english = _locale().startswith("en")
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "legal_basis":
        return "；".join(f"{b['law']}{b['article']}" for b in value)
    if field == "methods":
        return "、".join(method_label(v) for v in value)
    if field == "target_kinds":
        return "、".join(target_kind_label(v) for v in value)
    if field == "findings":
        return "；".join(f["label_en" if english else "label_zh"] for f in value) or "—"
    return str(value)

