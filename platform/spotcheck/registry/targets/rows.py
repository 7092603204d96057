"""One row of user input about a target, checked: the same rules for forms, the API, imports and
sync sources.

:func:`validate_target_row` is the bulk import's hot path (a million rows have to stay within three
times a raw database load), so it does no database work per row and no schema library: every
vocabulary is a precompiled dictionary, the area index is built once per unit of work, and the
check digit is ``stdnum``'s.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spotcheck.db import session as current_session
from spotcheck.registry.areas import AreaIndex, area_index
from spotcheck.registry.errors import FieldError
from spotcheck.registry.industries import classification
from spotcheck.registry.targets.codes import (
    CREDIT_CLASSES,
    ENTITY_KINDS,
    KIND_LOOKUP,
    KINDS,
    PLATFORM_CODE,
    PLATFORM_CODE_PREFIXES,
    RISK_LOOKUP,
    STATUS_LOOKUP,
    credit_code_error,
)

FIELDS = ("code", "name", "kind", "legal_representative", "address", "area", "industry", "status",
          "risk_level", "credit_class", "tags")
"""The keys of a raw row, also the English aliases of the import template's headers."""

SHARED_FIELDS = ("name", "kind", "legal_representative", "address", "area_id", "industry_code",
                 "status", "credit_class")
"""A target's own fields a row may set (besides its code); risk level and tags are the
department's own view."""

MAX_LENGTHS = {"name": 200, "legal_representative": 100, "address": 300}
MAX_TAG_LENGTH = 50
MAX_TAGS = 20
_TAG_SEPARATORS = re.compile(r"[;；]")
_CLASS_SUFFIX = re.compile(r"^([A-Da-d])\s*[类级]?$")
KIND_NAMES_ZH = "、".join(term.zh for term in KINDS.values())


@dataclass(frozen=True, slots=True)
class TargetRow:
    """A checked row. ``None`` means the row left the field blank (or had no such column);
    ``given`` names the fields the row had, blank or not."""

    code: str | None
    name: str
    kind: str
    legal_representative: str | None
    address: str | None
    area_id: int | None
    industry_code: str | None
    status: str | None
    credit_class: str | None
    risk_level: str | None
    tags: tuple[str, ...]
    given: frozenset[str]

    def shared_values(self, *, blanks_clear: bool = False) -> dict[str, Any]:
        """The target fields this row sets: those it filled in, and with ``blanks_clear`` also
        those it had but left blank (a form clears them; an import leaves them as they are)."""
        values = {}
        for field in SHARED_FIELDS:
            value = getattr(self, field)
            raw_key = {"area_id": "area", "industry_code": "industry"}.get(field, field)
            if value is not None or (blanks_clear and raw_key in self.given and field != "status"):
                values[field] = value
        return values


def _text(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def current_area_index() -> AreaIndex:
    """The area index of the current unit of work, built on first use."""
    cached = current_session.info.get("spotcheck.registry.area_index")
    if cached is None:
        cached = current_session.info["spotcheck.registry.area_index"] = area_index(current_session)
    return cached


def validate_target_row(raw: Mapping[str, Any], areas: AreaIndex | None = None
                        ) -> tuple[TargetRow | None, list[FieldError]]:
    """Check one row of user input (keys as in :data:`FIELDS`; values as typed, Chinese or codes).

    Returns the checked :class:`TargetRow` and no errors, or ``None`` and every error the row has.
    Required: ``code`` (entities), ``name`` and ``kind``. The kind is given by its code or its
    Chinese name (公司, 个体工商户…), the area by its code, its path (东关大街街道/北关社区) or
    its name where unique, the industry by a GB/T 4754-2017 code, the status, risk level and
    credit class by their codes or Chinese names; tags are separated by ``；`` or ``;``. Pass
    ``areas`` when checking many rows outside a request (default: the current unit of work's).
    Uniqueness of the code is the service's to check: it needs the database.
    """
    errors: list[FieldError] = []
    given = frozenset(key for key in FIELDS if key in raw)

    kind = None
    kind_text = _text(raw, "kind")
    if kind_text is None:
        errors.append(FieldError("kind", "required", "对象类型必填", "the kind is required"))
    else:
        kind = KIND_LOOKUP.get(kind_text.casefold())
        if kind is None:
            errors.append(FieldError("kind", "unknown_kind",
                                 f"对象类型“{kind_text}”不存在，应为：{KIND_NAMES_ZH}",
                                 f"unknown kind “{kind_text}”; use one of: {', '.join(KINDS)}"))

    code = _text(raw, "code")
    if code is not None:
        # Full-width digits and letters (９１…) are the same code: stored in ASCII, or a
        # department could register one company twice under codes that only look alike.
        code = unicodedata.normalize("NFKC", code).upper().replace(" ", "")
    if kind in ENTITY_KINDS or (kind is None and code is not None and not code.startswith("NM-")):
        if code is None:
            errors.append(FieldError("code", "required", "统一社会信用代码必填（非市场主体类对象除外）",
                                 "the unified social credit code is required for entities"))
        else:
            error = credit_code_error(code)
            if error is not None:
                errors.append(error)
    elif kind is not None and code is not None:
        prefix = PLATFORM_CODE_PREFIXES[kind]
        if not (PLATFORM_CODE.fullmatch(code) and code.startswith(prefix)):
            errors.append(FieldError("code", "platform_code",
                                 f"{KINDS[kind].zh}类对象的编码由平台生成（形如 {prefix}000001），可留空",
                                 f"a {kind}'s code is made by the platform (like {prefix}000001); "
                                 "leave it blank"))

    name = _text(raw, "name")
    if name is None:
        errors.append(FieldError("name", "required", "名称必填", "the name is required"))
    values: dict[str, str | None] = {"name": name,
                                     "legal_representative": _text(raw, "legal_representative"),
                                     "address": _text(raw, "address")}
    labels = {"name": ("名称", "name"), "legal_representative": ("法定代表人", "legal representative"),
              "address": ("地址", "address")}
    for field, limit in MAX_LENGTHS.items():
        value = values[field]
        if value is not None and len(value) > limit:
            zh, en = labels[field]
            errors.append(FieldError(field, "too_long", f"{zh}最多 {limit} 个字，现有 {len(value)} 个",
                                 f"the {en} has {len(value)} characters, at most {limit} are allowed"))

    area_id = None
    area_text = _text(raw, "area")
    if area_text is not None:
        area_id = (areas or current_area_index()).resolve(area_text)
        if area_id is None:
            errors.append(FieldError("area", "unknown_area",
                                 f"所属区域“{area_text}”不存在：请填写区域编码，或“街道/社区”形式的名称",
                                 f"unknown area “{area_text}”: give its code, or its name as "
                                 "“sub-district/community”"))

    industry = _text(raw, "industry")
    if industry is not None:
        industry = industry.split()[0].upper()
        if not classification().is_valid(industry):
            errors.append(FieldError("industry", "unknown_industry",
                                 f"行业代码“{industry}”不在《国民经济行业分类》（GB/T 4754-2017）中："
                                 "应为门类字母（A–T）或所属大类存在的 2–4 位数字",
                                 f"industry code “{industry}” is not in GB/T 4754-2017: give a "
                                 "section letter (A–T) or 2–4 digits of an existing division"))

    status = _lookup(raw, "status", STATUS_LOOKUP, errors, ("登记状态", "存续、注销、吊销、迁出"),
                     ("registration status", "active, deregistered, revoked, moved_out"))
    risk_level = _lookup(raw, "risk_level", RISK_LOOKUP, errors, ("风险等级", "高、中、低"),
                         ("risk level", "high, medium, low"))

    credit_class = None
    credit_text = _text(raw, "credit_class")
    if credit_text is not None:
        match = _CLASS_SUFFIX.match(credit_text)
        if match is None:
            errors.append(FieldError("credit_class", "unknown_credit_class",
                                 f"信用等级“{credit_text}”应为 A、B、C、D 之一",
                                 f"credit class “{credit_text}” must be one of A, B, C, D"))
        else:
            credit_class = match.group(1).upper()
            assert credit_class in CREDIT_CLASSES

    tags = _tags(raw, errors)

    if errors:
        return None, errors
    assert name is not None and kind is not None
    return TargetRow(code=code, name=name, kind=kind,
                     legal_representative=values["legal_representative"],
                     address=values["address"], area_id=area_id, industry_code=industry,
                     status=status, credit_class=credit_class, risk_level=risk_level, tags=tags,
                     given=given), []


def _lookup(raw: Mapping[str, Any], field: str, table: dict[str, str], errors: list[FieldError],
            zh: tuple[str, str], en: tuple[str, str]) -> str | None:
    text = _text(raw, field)
    if text is None:
        return None
    code = table.get(text.casefold())
    if code is None:
        errors.append(FieldError(field, f"unknown_{field}", f"{zh[0]}“{text}”应为{zh[1]}之一",
                                 f"unknown {en[0]} “{text}”: use one of {en[1]}"))
    return code


def split_tags(text: str) -> list[str]:
    """Tags as typed, separated by ``；`` or ``;``, without blanks or repeats, in order."""
    seen: dict[str, None] = {}
    for part in _TAG_SEPARATORS.split(text):
        tag = part.strip()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def _tags(raw: Mapping[str, Any], errors: list[FieldError]) -> tuple[str, ...]:
    text = _text(raw, "tags")
    if text is None:
        return ()
    tags = split_tags(text)
    long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
    if long:
        errors.append(FieldError("tags", "tag_too_long",
                             f"标签“{long[0]}”超过 {MAX_TAG_LENGTH} 个字",
                             f"the tag “{long[0]}” is longer than {MAX_TAG_LENGTH} characters"))
    if len(tags) > MAX_TAGS:
        errors.append(FieldError("tags", "too_many_tags", f"标签最多 {MAX_TAGS} 个，现有 {len(tags)} 个",
                             f"at most {MAX_TAGS} tags, this row has {len(tags)}"))
    return tuple(tags)
