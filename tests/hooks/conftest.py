"""Fake department plugins, registered through ``extra`` so nothing needs installing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from spotcheck.plugin_api import hookimpl

FAKE_DEPARTMENT: dict[str, Any] = {
    "code": "WJW", "name_zh": "城东区卫生健康局", "name_en": "Chengdong District Health Commission",
    "level": "district", "contract_version": 1,
}
FAKE_ITEM: dict[str, Any] = {
    "code": "public_place_hygiene", "name_zh": "公共场所卫生的检查",
    "name_en": "Inspection of hygiene in public places",
    "legal_basis": [{"law": "《公共场所卫生管理条例》", "article": "第三条"}],
    "target_kinds": ["company", "individual_business"], "methods": ["onsite"],
    "notice_forbidden": False, "form": "hygiene_record", "authority": "health_supervision",
    "version": 1,
    "findings": [{"code": "no_hygiene_licence", "label_zh": "未取得卫生许可证",
                  "label_en": "No hygiene licence"}],
}
FAKE_FORM: dict[str, Any] = {
    "code": "hygiene_record", "title_zh": "公共场所卫生检查记录表",
    "title_en": "Checklist for hygiene in public places", "version": 1,
    "fields": [
        {"name": "licence_held", "label_zh": "是否取得卫生许可证",
         "label_en": "Is a hygiene licence held?", "type": "boolean", "required": True},
        {"name": "staff_checked", "label_zh": "抽查从业人员人数",
         "label_en": "Staff checked", "type": "integer", "min": 0, "max": 500},
        {"name": "rating", "label_zh": "卫生状况", "label_en": "Hygiene", "type": "choice",
         "choices": [{"value": "good", "label_zh": "良好", "label_en": "Good"},
                     {"value": "poor", "label_zh": "较差", "label_en": "Poor"}]},
    ],
}
FAKE_RULE: dict[str, Any] = {
    "code": "hygiene_licence", "name_zh": "责令限期办理卫生许可",
    "name_en": "Order a hygiene licence within a time limit", "item": "public_place_hygiene",
    "finding": "no_hygiene_licence",
    "action": {"kind": "order_correction", "working_days": 10},
    "on_overdue": {"kind": "file_case"},
}


class FakePlugin:
    """A department plugin whose hooks return (deep copies of) the documents it was given."""

    __version__ = "2.3.4"

    def __init__(self, department: Any, items: Any, forms: Any, rules: Any) -> None:
        self.department, self.items, self.forms, self.rules = department, items, forms, rules

    @hookimpl
    def spotcheck_department(self) -> Any:
        return self.department

    @hookimpl
    def spotcheck_check_items(self) -> Any:
        return self.items

    @hookimpl
    def spotcheck_checklist_forms(self) -> Any:
        return self.forms

    @hookimpl
    def spotcheck_followup_rules(self) -> Any:
        return self.rules


@pytest.fixture
def make_plugin() -> Callable[..., FakePlugin]:
    """``make_plugin(items=[...])``: a valid fake plugin with some definitions replaced.

    ``edit`` is called with the documents (department, items, forms, rules) to break one in place.
    """

    def make(cls: type[FakePlugin] = FakePlugin, edit: Callable[..., None] | None = None,
             **replace: Any) -> FakePlugin:
        documents = copy.deepcopy({"department": FAKE_DEPARTMENT, "items": [FAKE_ITEM],
                                   "forms": [FAKE_FORM], "rules": [FAKE_RULE]})
        documents.update(replace)
        if edit is not None:
            edit(**documents)
        return cls(**documents)

    return make
