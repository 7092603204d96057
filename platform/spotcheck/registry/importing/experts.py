"""Importing the expert pool (专家库): the template's columns, agreed with
:mod:`spotcheck.registry.experts.rows` (its headers, its validator), and its sink.

A member is identified within the department by kind, name and organisation (the validator's
``key``): the same three update that member, others add one. The row is the whole record, as in
the expert form.
"""

from __future__ import annotations

from spotcheck.registry.experts.rows import HEADERS, ExpertRow, validate_expert_row
from spotcheck.registry.experts.service import upsert_experts
from spotcheck.registry.importing.engine import ImportContext
from spotcheck.registry.importing.headers import Column, Columns
from spotcheck.registry.importing.service_sink import ServiceSink

LABELS_EN = {
    "kind": "Kind", "name": "Name", "organisation": "Organisation", "specialities": "Specialities",
    "qualification": "Qualification or certificate number", "contact": "Phone",
    "valid_until": "Valid until", "status": "Status", "note": "Note",
}
REQUIRED = frozenset({"kind", "name", "specialities"})
ALIASES = {
    "kind": ("专家类型", "类别"),
    "name": ("姓名", "机构名称"),
    "organisation": ("单位", "工作单位"),
    "specialities": ("专业", "专长", "专业特长"),
    "qualification": ("资质编号", "证书编号", "资质"),
    "contact": ("电话", "手机", "联系方式"),
    "valid_until": ("有效期",),
}
HINTS = {
    "kind": "专家、检验检测机构、科研院所",
    "specialities": "以“；”分隔，如 特种设备；食品检验",
    "valid_until": "日期，如 2027-12-31",
    "status": "可用、暂停使用、已出库；留空为可用",
}

COLUMNS = Columns([
    Column(field, header, LABELS_EN[field], required=field in REQUIRED,
           aliases=ALIASES.get(field, ()), hint=HINTS.get(field, ""),
           width=24 if field in ("name", "organisation", "specialities", "note") else 16)
    for field, header in HEADERS.items()
])


class ExpertAdapter:
    """The expert pool for the importer."""

    kind = "experts"
    columns = COLUMNS

    def open(self, context: ImportContext) -> ServiceSink:
        return ServiceSink(context, validate_expert_row, key=_key, describe=_describe,
                           upsert=upsert_experts, key_field="name")


def _key(row: ExpertRow) -> tuple[str, str, str]:
    return row.key


def _describe(row: ExpertRow) -> tuple[str, str]:
    return row.organisation or "", row.name
