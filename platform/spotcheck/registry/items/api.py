"""``/api/v1/items``: the item lists (抽查事项清单) and their versions."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from spotcheck.api.auth import require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.errors import ApiError
from spotcheck.db import session
from spotcheck.registry.items import service
from spotcheck.registry.items.models import CheckItem
from spotcheck.registry.items.schemas import (
    ItemAdjustSchema,
    ItemDetailSchema,
    ItemQuerySchema,
    ItemSchema,
)
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission
from spotcheck.tenancy.scope import get_scope, get_visible

blp = ApiBlueprint("api_items", __name__,
                   description="The departments' spot-check item lists, versioned. A department "
                               "reads its own list; the office reads every department's.")


def _document(row: service.ItemRow, versions: list[Any] | None = None) -> dict[str, Any]:
    document = {"id": row.item.id, "department": row.department.code, "code": row.item.code,
                "enabled": row.item.enabled, "withdrawn": row.item.withdrawn,
                "current_version": row.version}
    if versions is not None:
        document["versions"] = versions
    return document


def _row(item: CheckItem) -> service.ItemRow:
    department = get_visible(session, Department, item.department_id)
    assert department is not None
    return service.ItemRow(item, service.current_version(item), department)


def _visible(item_id: int) -> CheckItem:
    item = get_visible(session, CheckItem, item_id)
    if item is None:
        raise ApiError(404)
    return item


@blp.route("/items")
class Items(MethodView):
    @blp.arguments(ItemQuerySchema, location="query")
    @blp.response(200, ItemSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Item lists

        The items the caller reads with their current versions, by department and code:
        withdrawn and disabled items included (their state says so).
        """
        require_permission(Permission.WORK)
        department_id = None
        if "department" in query:
            department_id = session.scalar(select(Department.id).where(
                Department.code == query["department"]))
            if department_id is None:
                return []
        filters = service.ItemFilters(department_id=department_id,
                                      target_kind=query.get("target_kind"),
                                      method=query.get("method"), key_item=query.get("key_item"))
        return [_document(row) for row in service.list_items(session, filters)]


@blp.route("/items/<int:item_id>")
class Item(MethodView):
    @blp.response(200, ItemDetailSchema)
    def get(self, item_id: int) -> dict[str, Any]:
        """An item with every version

        Versions are newest first and never change: a plan records the ``id`` of the version
        it used.
        """
        require_permission(Permission.WORK)
        item = _visible(item_id)
        return _document(_row(item), service.versions_of(session, item))

    @blp.arguments(ItemAdjustSchema)
    @blp.response(200, ItemSchema)
    def patch(self, changes: dict[str, Any], item_id: int) -> dict[str, Any]:
        """Adjust an item locally

        Disable or enable the item, or set the department's own name and note, without touching
        the plugin. A change makes a new version; the office reads but never adjusts another
        department's items (403).
        """
        require_permission(Permission.WORK)
        item = _visible(item_id)
        scope = get_scope(session)
        if scope is None or not scope.can_write(item.department_id):
            raise ApiError(403)
        if "enabled" in changes:
            service.set_enabled(session, item, changes["enabled"])
        texts = ("local_name_zh", "local_name_en", "local_note")
        if any(key in changes for key in texts):
            service.set_local_text(session, item,
                                   changes.get("local_name_zh", item.local_name_zh),
                                   changes.get("local_name_en", item.local_name_en),
                                   changes.get("local_note", item.local_note))
        session.commit()
        return _document(_row(item))
