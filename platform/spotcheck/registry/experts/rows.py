"""One member of the expert pool as a row of user input, validated (see the inspector rows).

| field | header | rule |
|---|---|---|
| ``kind`` | 类型 | required: ``expert`` 专家, ``testing_body`` 检验检测机构, ``research_institution`` 科研院所 |
| ``name`` | 名称 | required, up to 200 (a person's name, or the body's) |
| ``organisation`` | 所在单位 | optional, up to 200 (an expert's employer) |
| ``specialities`` | 专业领域 | required: tags separated by ；;、, (up to 50 characters each) |
| ``qualification`` | 资质证书编号 | optional, up to 100 |
| ``contact`` | 联系电话 | optional: digits, spaces, dashes, a leading + |
| ``valid_until`` | 有效期至 | optional date |
| ``status`` | 状态 | optional (default 可用): ``active`` 可用, ``suspended`` 暂停使用, ``removed`` 已出库 |
| ``note`` | 备注 | optional, up to 2000 |

A member is identified within its department by kind, name and organisation: re-importing a row
with the same three updates that member.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from spotcheck.registry.errors import FieldError
from spotcheck.registry.experts.models import ExpertKind, ExpertStatus
from spotcheck.registry.inspectors.rows import NOTE_MAX, REQUIRED, RowCheck

HEADERS: dict[str, str] = {
    "kind": "类型", "name": "名称", "organisation": "所在单位", "specialities": "专业领域",
    "qualification": "资质证书编号", "contact": "联系电话", "valid_until": "有效期至",
    "status": "状态", "note": "备注",
}
"""Field name → the Chinese header of the import template."""

FIELD_LABELS: dict[str, Any] = {
    "kind": _l("Kind"), "name": _l("Name"), "organisation": _l("Organisation"),
    "specialities": _l("Specialities"), "qualification": _l("Qualification or certificate number"),
    "contact": _l("Phone"), "valid_until": _l("Valid until"), "status": _l("Status"),
    "note": _l("Note"),
}

KIND_WORDS = {"专家": "expert", "检验检测机构": "testing_body", "检测机构": "testing_body",
              "科研院所": "research_institution"}
STATUS_WORDS = {"可用": "active", "在库": "active", "暂停使用": "suspended", "暂停": "suspended",
                "已出库": "removed", "出库": "removed"}


@dataclass(frozen=True)
class ExpertRow:
    """A validated member of the pool, ready for :func:`~spotcheck.registry.experts.service.create_expert`."""

    kind: str
    name: str
    specialities: tuple[str, ...]
    organisation: str | None = None
    qualification: str | None = None
    contact: str | None = None
    valid_until: date | None = None
    status: str = ExpertStatus.ACTIVE.value
    note: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the member within its department."""
        return (self.kind, self.name, self.organisation or "")


def validate_expert_row(raw: Mapping[str, Any]) -> tuple[ExpertRow | None, list[FieldError]]:
    """Check one row of the expert pool; the row when it is valid, and every problem found.

    Needs nothing from the database.
    """
    check = RowCheck(raw, FIELD_LABELS)
    kind = check.choice("kind", KIND_WORDS, tuple(k.value for k in ExpertKind))
    name = check.text("name", required=True, max_length=200)
    organisation = check.text("organisation", max_length=200)
    specialities = check.tags("specialities")
    if not specialities and not any(e.field == "specialities" for e in check.errors):
        check.error("specialities", "required", REQUIRED, label=FIELD_LABELS["specialities"])
    qualification = check.text("qualification", max_length=100)
    contact = check.phone("contact")
    valid_until = check.date("valid_until")
    status = check.choice("status", STATUS_WORDS, tuple(s.value for s in ExpertStatus),
                          default=ExpertStatus.ACTIVE.value)
    note = check.text("note", max_length=NOTE_MAX)
    if check.errors:
        return None, check.errors
    assert kind and name and status
    return ExpertRow(kind=kind, name=name, specialities=tuple(specialities),
                     organisation=organisation, qualification=qualification, contact=contact,
                     valid_until=valid_until, status=status, note=note), []
