"""The target directory's vocabularies and codes: kinds, registration statuses, risk levels,
credit classes, unified social credit codes and platform codes. Personal fields are masked with
:func:`spotcheck.audit.masking.mask`, the one masking the audit trail uses too.

Each vocabulary maps a stored code to its Chinese name (the directory's own words, accepted in
imports and forms) and its English label (the msgid shown in the UI).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from spotcheck.audit.masking import mask
from spotcheck.plugin_api import TARGET_KINDS
from spotcheck.registry.errors import FieldError


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary."""

    code: str
    zh: str
    label: Any  # a lazy string: the English msgid, shown translated
    aliases: tuple[str, ...] = ()


KINDS: dict[str, Term] = {term.code: term for term in (
    Term("company", "公司", _l("Company")),
    Term("enterprise_legal_person", "企业法人", _l("Enterprise legal person")),
    Term("partnership", "合伙企业", _l("Partnership")),
    Term("sole_proprietorship", "个人独资企业", _l("Sole proprietorship")),
    Term("farmer_cooperative", "农民专业合作社", _l("Farmers' cooperative")),
    Term("branch", "分支机构", _l("Branch")),
    Term("individual_business", "个体工商户", _l("Individual business")),
    Term("social_organisation", "社会组织", _l("Social organisation")),
    Term("public_institution", "事业单位", _l("Public institution")),
    Term("other_nonprofit", "其他非营利组织", _l("Other non-profit organisation")),
    Term("product", "产品", _l("Product")),
    Term("project", "项目", _l("Project")),
    Term("behaviour", "行为", _l("Behaviour")),
)}
assert tuple(KINDS) == TARGET_KINDS, "kinds must follow spotcheck.plugin_api.TARGET_KINDS"

FOR_PROFIT_KINDS = frozenset(TARGET_KINDS[:7])
NON_PROFIT_KINDS = frozenset(TARGET_KINDS[7:10])
ENTITY_KINDS = FOR_PROFIT_KINDS | NON_PROFIT_KINDS
"""Entities carry a unified social credit code."""

PLATFORM_CODE_PREFIXES = {"product": "NM-PROD-", "project": "NM-PROJ-", "behaviour": "NM-ACT-"}
"""Non-market targets get a platform code: the prefix of their kind and a serial number."""
NON_MARKET_KINDS = frozenset(PLATFORM_CODE_PREFIXES)
PLATFORM_CODE = re.compile(r"NM-(PROD|PROJ|ACT)-[0-9]{6,}")

STATUSES: dict[str, Term] = {term.code: term for term in (
    Term("active", "存续", _l("In business"), ("在业", "在营", "开业", "存续（在营、开业、在册）")),
    Term("deregistered", "注销", _l("Deregistered"), ("已注销",)),
    Term("revoked", "吊销", _l("Licence revoked"), ("吊销，未注销", "吊销未注销", "已吊销")),
    Term("moved_out", "迁出", _l("Moved out"), ("已迁出",)),
)}

RISK_LEVELS: dict[str, Term] = {term.code: term for term in (
    Term("high", "高", _l("High risk"), ("高风险",)),
    Term("medium", "中", _l("Medium risk"), ("中风险",)),
    Term("low", "低", _l("Low risk"), ("低风险",)),
)}

CREDIT_CLASSES = ("A", "B", "C", "D")
"""Credit classes, best first (the credit module recomputes them from credit records)."""

PERSONAL_FIELDS = frozenset({"legal_representative"})
"""Fields holding personal data: masked in lists, in the history and in the audit trail."""


def lookup_table(vocabulary: dict[str, Term]) -> dict[str, str]:
    """Every way a person may write a term (its code in any case, its Chinese name, an alias),
    mapped to its code: built once, so checking a value is one dictionary lookup."""
    table: dict[str, str] = {}
    for term in vocabulary.values():
        for text in (term.code, term.zh, *term.aliases):
            table[text.casefold()] = term.code
    return table


KIND_LOOKUP = lookup_table(KINDS)
STATUS_LOOKUP = lookup_table(STATUSES)
RISK_LOOKUP = lookup_table(RISK_LEVELS)


def credit_code_error(code: str, field: str = "code") -> FieldError | None:
    """Why ``code`` is not a valid unified social credit code (统一社会信用代码), or ``None``."""
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidLength:
        return FieldError(field, "code_length",
                          f"统一社会信用代码应为 18 位，“{code}”为 {len(code)} 位",
                          f"a unified social credit code has 18 characters, “{code}” has {len(code)}")
    except stdnum_errors.InvalidChecksum:
        return FieldError(field, "check_digit",
                          f"统一社会信用代码“{code}”的校验位不正确，请核对",
                          f"the check digit of the unified social credit code “{code}” is wrong")
    except stdnum_errors.ValidationError:
        return FieldError(field, "code_format",
                          f"统一社会信用代码“{code}”含有不允许的字符（前 8 位为数字，"
                          "其后为数字或除 I、O、Z、S、V 外的大写字母）",
                          f"the unified social credit code “{code}” has characters it may not "
                          "have (8 digits, then digits or capital letters other than I, O, Z, S, V)")
    return None


def platform_code(kind: str, number: int) -> str:
    """The platform code of the ``number``-th non-market target of ``kind``: ``NM-PROD-000001``."""
    return f"{PLATFORM_CODE_PREFIXES[kind]}{number:06d}"


def mask_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """A change set (``{field: [before, after]}`` or ``{field: value}``) with personal fields
    masked."""
    masked = dict(changes)
    for field in PERSONAL_FIELDS & masked.keys():
        value = masked[field]
        masked[field] = ([mask(v) for v in value] if isinstance(value, (list, tuple))
                         else mask(value))
    return masked
