"""One inspector as a row of user input (an import file's row, a form, an API body), validated.

:func:`validate_inspector_row` takes a mapping keyed by the English field names below (the import
engine maps the Chinese headers to them) and the lookups it needs, built once per import by
:func:`spotcheck.registry.inspectors.service.inspector_lookups`, so validating a row never queries
the database. Every problem is reported, each as a bilingual :class:`FieldError`.

| field | header | rule |
|---|---|---|
| ``code`` | 执法证号 | required; letters, digits, ``-``, up to 32; unique across the platform |
| ``name`` | 姓名 | required, up to 50 |
| ``level`` | 执法层级 | required: ``district`` 区级, ``city`` 市级, ``provincial`` 省级 |
| ``scope`` | 执法范围 | required: authorities (or item names), separated by ；;、, |
| ``areas`` | 负责区域 | optional: area codes or names (``东关大街街道/北关社区``); empty or 全区: the whole district |
| ``valid_from`` | 证件有效期起 | required date (2025-01-31, 2025/1/31, 2025年1月31日, 20250131) |
| ``valid_to`` | 证件有效期止 | required date, not before ``valid_from`` |
| ``expertise`` | 专长 | optional tags, up to 50 characters each |
| ``status`` | 状态 | optional (default 在岗): ``active`` 在岗, ``on_leave`` 休假, ``transferred`` 调离, ``retired`` 退休 |
| ``phone`` | 联系电话 | optional: digits, spaces, dashes, a leading + |
| ``note`` | 备注 | optional, up to 2000 |
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from spotcheck.api.i18n import N_
from spotcheck.registry.errors import FieldError
from spotcheck.registry.inspectors.models import InspectorLevel, InspectorStatus

HEADERS: dict[str, str] = {
    "code": "执法证号", "name": "姓名", "level": "执法层级", "scope": "执法范围",
    "areas": "负责区域", "valid_from": "证件有效期起", "valid_to": "证件有效期止",
    "expertise": "专长", "status": "状态", "phone": "联系电话", "note": "备注",
}
"""Field name → the Chinese header of the import template."""

FIELD_LABELS: dict[str, Any] = {
    "code": _l("Enforcement certificate number"), "name": _l("Full name"),
    "level": _l("Enforcement level"), "scope": _l("Enforcement scope"),
    "areas": _l("Areas covered"), "valid_from": _l("Credential valid from"),
    "valid_to": _l("Credential valid until"), "expertise": _l("Expertise"),
    "status": _l("Status"), "phone": _l("Phone"), "note": _l("Note"),
}

LEVEL_WORDS = {"区级": "district", "区": "district", "县级": "district", "市级": "city",
               "市": "city", "省级": "provincial", "省": "provincial"}
STATUS_WORDS = {"在岗": "active", "休假": "on_leave", "调离": "transferred", "退休": "retired"}
WHOLE_DISTRICT = frozenset({"全区", "全部", "whole district"})

LIST_SEPARATORS = re.compile(r"[；;、，,\n]+")
CODE_PATTERN = re.compile(r"^[0-9A-Z\u4e00-\u9fff-]{4,32}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 -]{4,30}$")
DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
COMPACT_DATE_PATTERN = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
TAG_MAX = 50
NOTE_MAX = 2000

REQUIRED = N_("%(label)s is required.")
TOO_LONG = N_("%(label)s is longer than %(max)d characters.")
BAD_CODE = N_("%(label)s may hold only letters, digits and dashes (4 to 32): %(value)s.")
CODE_TAKEN = N_("The certificate number %(value)s is already registered by department %(department)s.")
BAD_CHOICE = N_("%(label)s: %(value)s is not one of %(choices)s.")
BAD_DATE = N_("%(label)s: %(value)s is not a date; write it as 2025-01-31.")
DATES_REVERSED = N_("The credential ends (%(to)s) before it starts (%(from)s).")
UNKNOWN_AUTHORITY = N_("Enforcement scope: %(value)s is not an authority of the department's items; known: %(choices)s.")
UNKNOWN_AREA = N_("Areas covered: %(value)s is not an area of the district.")
BAD_PHONE = N_("%(label)s: %(value)s is not a phone number (digits, spaces, dashes).")


def field_error(field: str, code: str, msgid: str, **values: Any) -> FieldError:
    """A :class:`FieldError` with ``msgid`` rendered in Chinese and in English.

    Lazy values (field labels) are rendered in each language too. Needs an app context.
    """
    rendered = []
    for language in ("zh", "en"):
        with force_locale(language):
            rendered.append(gettext(msgid, **{k: v if isinstance(v, int) else str(v)
                                              for k, v in values.items()}))
    return FieldError(field=field, code=code, message_zh=rendered[0], message_en=rendered[1])


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheets hand numbers over as floats (``13812345678.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: Any) -> date | None:
    """A date from a cell (a date, or text in one of the usual Chinese ways); ``None`` if not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    matched = DATE_PATTERN.match(text) or COMPACT_DATE_PATTERN.match(text)
    if matched is None:
        return None
    try:
        return date(*(int(part) for part in matched.groups()))
    except ValueError:
        return None


def split_list(value: Any) -> list[str]:
    """A cell holding several values separated by ；;、, or new lines, without blanks or repeats."""
    seen: dict[str, None] = {}
    for part in LIST_SEPARATORS.split(cell_text(value)):
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


class RowCheck:
    """Collects the values and errors of one row as its fields are read."""

    def __init__(self, raw: Mapping[str, Any], labels: Mapping[str, Any]) -> None:
        self.raw = raw
        self.labels = labels
        self.errors: list[FieldError] = []

    def error(self, field: str, code: str, msgid: str, **values: Any) -> None:
        self.errors.append(field_error(field, code, msgid, **values))

    def text(self, field: str, required: bool = False, max_length: int = 200) -> str | None:
        text = cell_text(self.raw.get(field))
        if not text:
            if required:
                self.error(field, "required", REQUIRED, label=self.labels[field])
            return None
        if len(text) > max_length:
            self.error(field, "too_long", TOO_LONG, label=self.labels[field], max=max_length)
            return None
        return text

    def choice(self, field: str, words: Mapping[str, str], values: tuple[str, ...],
               default: str | None = None) -> str | None:
        text = cell_text(self.raw.get(field))
        if not text:
            if default is None:
                self.error(field, "required", REQUIRED, label=self.labels[field])
            return default
        found = text if text in values else words.get(text) or words.get(text.lower())
        if found is None:
            self.error(field, "invalid_choice", BAD_CHOICE, label=self.labels[field], value=text,
                       choices="、".join([*words, *values]))
        return found

    def date(self, field: str, required: bool = False) -> date | None:
        value = self.raw.get(field)
        if not cell_text(value):
            if required:
                self.error(field, "required", REQUIRED, label=self.labels[field])
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(field, "invalid_date", BAD_DATE, label=self.labels[field],
                       value=cell_text(value))
        return parsed

    def tags(self, field: str) -> list[str]:
        tags = split_list(self.raw.get(field))
        for tag in tags:
            if len(tag) > TAG_MAX:
                self.error(field, "too_long", TOO_LONG, label=self.labels[field], max=TAG_MAX)
                return []
        return tags

    def phone(self, field: str) -> str | None:
        text = cell_text(self.raw.get(field))
        if not text:
            return None
        if not PHONE_PATTERN.match(text):
            self.error(field, "invalid_phone", BAD_PHONE, label=self.labels[field], value=text)
            return None
        return re.sub(r"[ -]", "", text)


@dataclass(frozen=True)
class InspectorRow:
    """A validated inspector, ready for :func:`~spotcheck.registry.inspectors.service.create_inspector`."""

    code: str
    name: str
    level: str
    authorities: tuple[str, ...]
    areas: tuple[str, ...]
    valid_from: date
    valid_to: date
    expertise: tuple[str, ...] = ()
    status: str = InspectorStatus.ACTIVE.value
    phone: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class InspectorLookups:
    """What validating an inspector row needs from the database, read once per import.

    ``authorities``: every way of naming an authority the department's items use (the authority
    itself, the items' codes and names) → the authority. ``areas``: area codes, paths and
    unambiguous names → code. ``taken_codes``: certificate numbers registered by other
    departments → that department's code.
    """

    authorities: Mapping[str, str]
    areas: Mapping[str, str]
    taken_codes: Mapping[str, str]


def validate_inspector_row(raw: Mapping[str, Any],
                           lookups: InspectorLookups) -> tuple[InspectorRow | None, list[FieldError]]:
    """Check one inspector row; the row when it is valid, and every problem found.

    No database query: everything comes from ``raw`` and ``lookups``. A certificate number
    already in the department's own directory is not an error (the row updates it); one held by
    another department is. Duplicates within one file are the importer's to find.
    """
    check = RowCheck(raw, FIELD_LABELS)
    code = check.text("code", required=True, max_length=32)
    if code is not None:
        code = code.upper()
        if not CODE_PATTERN.match(code):
            check.error("code", "invalid_code", BAD_CODE, label=FIELD_LABELS["code"], value=code)
        elif code in lookups.taken_codes:
            check.error("code", "duplicate", CODE_TAKEN, value=code,
                        department=lookups.taken_codes[code])
    name = check.text("name", required=True, max_length=50)
    level = check.choice("level", LEVEL_WORDS, tuple(level.value for level in InspectorLevel))
    authorities = _authorities(check, lookups)
    areas = _areas(check, lookups)
    valid_from = check.date("valid_from", required=True)
    valid_to = check.date("valid_to", required=True)
    if valid_from and valid_to and valid_to < valid_from:
        check.error("valid_to", "dates_reversed", DATES_REVERSED, to=valid_to.isoformat(),
                    **{"from": valid_from.isoformat()})
    expertise = check.tags("expertise")
    status = check.choice("status", STATUS_WORDS, tuple(s.value for s in InspectorStatus),
                          default=InspectorStatus.ACTIVE.value)
    phone = check.phone("phone")
    note = check.text("note", max_length=NOTE_MAX)
    if check.errors:
        return None, check.errors
    assert code and name and level and status and valid_from and valid_to
    return InspectorRow(code=code, name=name, level=level, authorities=tuple(authorities),
                        areas=tuple(areas), valid_from=valid_from, valid_to=valid_to,
                        expertise=tuple(expertise), status=status, phone=phone, note=note), []


def _authorities(check: RowCheck, lookups: InspectorLookups) -> list[str]:
    names = split_list(check.raw.get("scope"))
    if not names:
        check.error("scope", "required", REQUIRED, label=FIELD_LABELS["scope"])
        return []
    found: dict[str, None] = {}
    for name in names:
        authority = lookups.authorities.get(name)
        if authority is None:
            check.error("scope", "unknown_authority", UNKNOWN_AUTHORITY, value=name,
                        choices="、".join(sorted(set(lookups.authorities.values()))) or "—")
        else:
            found.setdefault(authority, None)
    return list(found)


def _areas(check: RowCheck, lookups: InspectorLookups) -> list[str]:
    names = split_list(check.raw.get("areas"))
    if any(name in WHOLE_DISTRICT for name in names):
        return []
    found: dict[str, None] = {}
    for name in names:
        code = lookups.areas.get(name)
        if code is None:
            check.error("areas", "unknown_area", UNKNOWN_AREA, value=name)
        else:
            found.setdefault(code, None)
    return sorted(found)
