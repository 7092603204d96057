"""Makers of item-list rows for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.hooks.definitions import CheckItemDef
from spotcheck.registry.items.models import CheckItem
from spotcheck.registry.items.service import sync_department_items
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped


def item_definition(code: str = "food_business", **fields: Any) -> CheckItemDef:
    """A valid item definition, as a plugin hands it over; ``fields`` override its document."""
    document = {
        "code": code, "name_zh": "食品经营者的检查", "name_en": "Inspection of food business operators",
        "legal_basis": [{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}],
        "target_kinds": ["company", "individual_business"], "methods": ["onsite", "documentary"],
        "notice_forbidden": False, "form": "food_business_record", "authority": "food_safety",
        "version": 1, "key_item": False,
        "findings": [{"code": "no_licence", "label_zh": "未取得食品经营许可",
                      "label_en": "No food business licence"}],
        **fields,
    }
    return CheckItemDef.from_document(document)


def make_item(db_session: Session, department: Department, code: str = "food_business",
              **fields: Any) -> CheckItem:
    """A committed item of ``department``'s list (version 1), as a sync would make it."""
    with scoped(db_session, Scope.department(department.id)):
        sync_department_items(db_session, department, [item_definition(code, **fields)], "1.0")
        db_session.flush()
    db_session.commit()
    return db_session.scalars(select(CheckItem).where(CheckItem.department_id == department.id,
                                                      CheckItem.code == code)).one()
