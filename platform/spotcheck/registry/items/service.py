"""The item lists: sync from the plugins, local adjustments, versions and the published view.

A version is written only when what an item effectively says changes: the plugin's content, or
the department's adjustment (enabled, local name, local note). Nothing is ever deleted: an item
its plugin no longer supplies is marked withdrawn, in a version of its own. Services never
commit; the caller does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, object_session

from spotcheck.hooks.definitions import CheckItemDef
from spotcheck.hooks.registry import PluginRegistry
from spotcheck.registry.items.models import CheckItem, CheckItemVersion
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

PLUGIN_FIELDS = ("code", "name_zh", "name_en", "legal_basis", "target_kinds", "methods",
                 "notice_forbidden", "form", "authority", "key_item", "item_version", "findings")
"""What a version keeps of the plugin's definition (``item_version`` is the item's own number)."""

LOCAL_FIELDS = ("enabled", "withdrawn", "local_name_zh", "local_name_en", "local_note")
"""What a version keeps of the department's adjustments."""

REASON_PLUGIN = "plugin"
REASON_LOCAL = "local"
REASON_WITHDRAWN = "withdrawn"


def plugin_content(definition: CheckItemDef) -> dict[str, Any]:
    """The plugin's definition of an item as JSON data (lists, not tuples: it is compared with
    what the database gives back)."""
    return {
        "code": definition.code,
        "name_zh": definition.name_zh,
        "name_en": definition.name_en,
        "legal_basis": [{"law": b.law, "article": b.article} for b in definition.legal_basis],
        "target_kinds": list(definition.target_kinds),
        "methods": list(definition.methods),
        "notice_forbidden": definition.notice_forbidden,
        "form": definition.form,
        "authority": definition.authority,
        "key_item": definition.key_item,
        "item_version": definition.version,
        "findings": [{"code": f.code, "label_zh": f.label_zh, "label_en": f.label_en}
                     for f in definition.findings],
    }


def _snapshot(item: CheckItem, plugin: Mapping[str, Any]) -> dict[str, Any]:
    """The full content of ``item`` now: the plugin's part and the item's local adjustments."""
    return {**{key: plugin[key] for key in PLUGIN_FIELDS},
            **{key: getattr(item, key) for key in LOCAL_FIELDS}}


def current_version(item: CheckItem) -> CheckItemVersion:
    """The newest version of ``item``: what it says now (plans record its ``id``)."""
    db_session = object_session(item)
    assert db_session is not None, "the item must belong to a session"
    return db_session.scalars(select(CheckItemVersion).where(
        CheckItemVersion.item_id == item.id, CheckItemVersion.number == item.current_number)).one()


def _write_version(db_session: Session, item: CheckItem, content: dict[str, Any],
                   plugin_version: str | None, reason: str) -> CheckItemVersion:
    item.current_number += 1
    version = CheckItemVersion(item=item, department_id=item.department_id,
                               number=item.current_number, content=content,
                               plugin_version=plugin_version, reason=reason)
    db_session.add(version)
    return version


@dataclass
class DepartmentItemSync:
    """What one sync did to one department's list: item codes created, changed, withdrawn."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class ItemSyncReport:
    """What :func:`sync_items` did, per department code."""

    departments: dict[str, DepartmentItemSync] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per department, for the command line."""
        lines = [f"items {code}: created {len(d.created)}, changed {len(d.changed)}, "
                 f"withdrawn {len(d.withdrawn)}, unchanged {d.unchanged}"
                 for code, d in sorted(self.departments.items())]
        return "\n".join(lines) or "items: no department plugin loaded"


def sync_items(db_session: Session, registry: PluginRegistry) -> ItemSyncReport:
    """Bring every loaded plugin's item list into its department's list.

    A new item gets version 1; an item whose plugin content changed gets a new version (its local
    adjustments kept); an item the plugin no longer supplies is marked withdrawn in a new
    version; an unchanged item gets nothing. Departments must exist already
    (:func:`spotcheck.hooks.sync_departments` first). Runs under the system scope.
    """
    report = ItemSyncReport()
    with scoped(db_session, Scope.system()):
        departments = {d.code: d for d in db_session.scalars(
            select(Department).where(Department.code.in_(sorted(registry.loaded))))}
        for code, plugin in sorted(registry.loaded.items()):
            department = departments.get(code)
            if department is not None:
                report.departments[code] = sync_department_items(
                    db_session, department, plugin.items.values(), plugin.version)
        db_session.flush()
    return report


def sync_department_items(db_session: Session, department: Department,
                          definitions: Iterable[CheckItemDef],
                          plugin_version: str | None) -> DepartmentItemSync:
    """Bring one department's list in line with ``definitions`` (what :func:`sync_items` does
    for each loaded plugin); the caller's scope must write for the department."""
    done = DepartmentItemSync()
    rows = {item.code: (item, version) for item, version in db_session.execute(
        _with_current_version(select(CheckItem, CheckItemVersion))
        .where(CheckItem.department_id == department.id))}
    supplied = set()
    for definition in definitions:
        supplied.add(definition.code)
        content = plugin_content(definition)
        found = rows.get(definition.code)
        if found is None:
            item = CheckItem(department_id=department.id, code=definition.code, enabled=True,
                             withdrawn=False, current_number=0)
            db_session.add(item)
            _write_version(db_session, item, _snapshot(item, content), plugin_version, REASON_PLUGIN)
            done.created.append(definition.code)
            continue
        item, version = found
        item.withdrawn = False
        snapshot = _snapshot(item, content)
        if snapshot == version.content:
            done.unchanged += 1
        else:
            _write_version(db_session, item, snapshot, plugin_version, REASON_PLUGIN)
            done.changed.append(definition.code)
    for code, (item, version) in sorted(rows.items()):
        if code not in supplied and not item.withdrawn:
            item.withdrawn = True
            _write_version(db_session, item, _snapshot(item, version.content),
                           version.plugin_version, REASON_WITHDRAWN)
            done.withdrawn.append(code)
    return done


def _with_current_version(statement: Any) -> Any:
    """``statement`` joined to each item's newest version."""
    return statement.join(CheckItemVersion, and_(CheckItemVersion.item_id == CheckItem.id,
                                                 CheckItemVersion.number == CheckItem.current_number))


def _adjust(db_session: Session, item: CheckItem, **changes: Any) -> CheckItemVersion | None:
    """Apply local ``changes`` to ``item``; a new version when its content changed, else ``None``."""
    version = current_version(item)
    for key, value in changes.items():
        setattr(item, key, value)
    snapshot = _snapshot(item, version.content)
    if snapshot == version.content:
        return None
    return _write_version(db_session, item, snapshot, version.plugin_version, REASON_LOCAL)


def set_enabled(db_session: Session, item: CheckItem, enabled: bool) -> CheckItemVersion | None:
    """Disable or enable ``item`` in its department's list, without touching the plugin.

    A disabled item stays in the list (and its versions stay) but is not offered for new plans
    nor published. Returns the new version, or ``None`` when nothing changed. Audited as the row
    changes it makes.
    """
    return _adjust(db_session, item, enabled=enabled)


def set_local_text(db_session: Session, item: CheckItem, name_zh: str | None, name_en: str | None,
                   note: str | None) -> CheckItemVersion | None:
    """Give ``item`` the department's own name (Chinese, English) and note; blank clears them.

    The plugin's name stays in every version beside the local one. Returns the new version, or
    ``None`` when nothing changed.
    """
    return _adjust(db_session, item, local_name_zh=_blank_to_none(name_zh),
                   local_name_en=_blank_to_none(name_en), local_note=_blank_to_none(note))


def _blank_to_none(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


@dataclass(frozen=True)
class ItemFilters:
    """What an item list is narrowed to; ``None`` means no condition."""

    department_id: int | None = None
    target_kind: str | None = None
    method: str | None = None
    key_item: bool | None = None
    include_unusable: bool = True

    def matches(self, version: CheckItemVersion) -> bool:
        content = version.content
        if self.target_kind and self.target_kind not in content["target_kinds"]:
            return False
        if self.method and self.method not in content["methods"]:
            return False
        if self.key_item is not None and content["key_item"] != self.key_item:
            return False
        return self.include_unusable or (content["enabled"] and not content["withdrawn"])


@dataclass(frozen=True)
class ItemRow:
    """An item of a list with its current version and its department."""

    item: CheckItem
    version: CheckItemVersion
    department: Department

    @property
    def usable(self) -> bool:
        """Whether new plans may use the item: enabled, and still supplied by the plugin."""
        return self.item.enabled and not self.item.withdrawn


def list_items(db_session: Session, filters: ItemFilters = ItemFilters()) -> list[ItemRow]:
    """The items the session's scope reads, with their current versions, by department and code.

    A department reads its own list; the office reads every department's (the joint list). Item
    lists are short (tens of items per department), so the content filters run here.
    """
    statement = (_with_current_version(select(CheckItem, CheckItemVersion, Department))
                 .join(Department, Department.id == CheckItem.department_id)
                 .order_by(Department.code, CheckItem.code))
    if filters.department_id is not None:
        statement = statement.where(CheckItem.department_id == filters.department_id)
    return [ItemRow(item, version, department)
            for item, version, department in db_session.execute(statement)
            if filters.matches(version)]


def published_items(db_session: Session, department_code: str | None = None) -> list[ItemRow]:
    """The item lists as the public sees them (seed article 9): every active department's usable
    items in their current versions, or one department's.

    Reads under the system scope, since the public reads no department's rows itself; only what
    is meant to be published leaves this function.
    """
    with scoped(db_session, Scope.system()):
        rows = [row for row in list_items(db_session, ItemFilters(include_unusable=False))
                if row.department.active
                and (department_code is None or row.department.code == department_code)]
    return rows


def versions_of(db_session: Session, item: CheckItem) -> list[CheckItemVersion]:
    """Every version of ``item``, newest first."""
    return list(db_session.scalars(select(CheckItemVersion)
                                   .where(CheckItemVersion.item_id == item.id)
                                   .order_by(CheckItemVersion.number.desc())))


@dataclass(frozen=True)
class Change:
    """One field that differs between two versions."""

    field: str
    before: Any
    after: Any


def version_changes(older: CheckItemVersion | None, newer: CheckItemVersion) -> list[Change]:
    """What ``newer`` changed compared with ``older`` (every field set, for a first version)."""
    before = older.content if older is not None else {}
    keys = [*PLUGIN_FIELDS, *LOCAL_FIELDS]
    return [Change(key, before.get(key), newer.content.get(key)) for key in keys
            if older is None and newer.content.get(key) not in (None, [], False)
            or older is not None and before.get(key) != newer.content.get(key)]
