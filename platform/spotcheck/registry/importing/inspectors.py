"""Importing the inspector directory (执法检查人员名录库): the template's columns, agreed with
:mod:`spotcheck.registry.inspectors.rows` (its headers, its validator), and its sink.

An inspector is identified by the enforcement certificate number (执法证号): a number already in
the department's directory updates that inspector, a new one adds one, and a number registered by
another department is refused by the validator. The row is the whole record: a blank optional
cell clears that field (a blank status means 在岗), as the inspector form does.
"""

from __future__ import annotations

from typing import Any

from spotcheck.registry.importing.engine import ImportContext
from spotcheck.registry.importing.headers import Column, Columns
from spotcheck.registry.importing.service_sink import ServiceSink
from spotcheck.registry.inspectors.rows import HEADERS, InspectorRow, validate_inspector_row
from spotcheck.registry.inspectors.service import inspector_lookups, upsert_inspectors

LABELS_EN = {
    "code": "Enforcement certificate number", "name": "Name", "level": "Enforcement level",
    "scope": "Enforcement scope", "areas": "Areas covered", "valid_from": "Credential valid from",
    "valid_to": "Credential valid until", "expertise": "Expertise", "status": "Status",
    "phone": "Phone", "note": "Note",
}
REQUIRED = frozenset({"code", "name", "level", "scope", "valid_from", "valid_to"})
ALIASES = {
    "code": ("执法证编号", "证件号", "执法证件号", "certificate number"),
    "name": ("姓名（执法人员）", "执法人员"),
    "level": ("层级",),
    "scope": ("执法领域", "执法类别"),
    "areas": ("区域", "负责片区"),
    "valid_from": ("有效期起", "发证日期"),
    "valid_to": ("有效期止", "有效期至"),
    "expertise": ("专业特长", "特长"),
    "status": ("在岗状态",),
    "phone": ("电话", "手机"),
}
HINTS = {
    "level": "区级、市级、省级",
    "scope": "本部门抽查事项所需的执法资格（或事项名称），以“；”分隔",
    "areas": "区域编码或“街道/社区”，以“；”分隔；留空或“全区”表示全区",
    "valid_from": "日期，如 2025-01-31",
    "valid_to": "日期，如 2027-12-31",
    "status": "在岗、休假、调离、退休；留空为在岗",
}

COLUMNS = Columns([
    Column(field, header, LABELS_EN[field], required=field in REQUIRED,
           aliases=ALIASES.get(field, ()), hint=HINTS.get(field, ""),
           width=24 if field in ("scope", "areas", "note") else 16)
    for field, header in HEADERS.items()
])


class InspectorAdapter:
    """The inspector directory for the importer."""

    kind = "inspectors"
    columns = COLUMNS

    def open(self, context: ImportContext) -> ServiceSink:
        lookups = inspector_lookups(context.session, context.department.id)

        def validate(raw: Any) -> Any:
            return validate_inspector_row(raw, lookups)

        return ServiceSink(context, validate, key=_key, describe=_describe,
                           upsert=upsert_inspectors, key_field="code")


def _key(row: InspectorRow) -> str:
    return row.code


def _describe(row: InspectorRow) -> tuple[str, str]:
    return row.code, row.name
