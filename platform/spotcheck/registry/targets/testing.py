"""Makers of valid targets for tests and demo data (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session
from stdnum.cn import uscc

from spotcheck.registry.areas import AreaIndex, area_index
from spotcheck.registry.targets.codes import ENTITY_KINDS, KIND_LOOKUP
from spotcheck.registry.targets.models import Target
from spotcheck.registry.targets.rows import validate_target_row
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

DISTRICT_DIVISION = "630102"
REGISTRATION_PREFIX = {
    "farmer_cooperative": "93", "individual_business": "92", "social_organisation": "52",
    "public_institution": "12", "other_nonprofit": "59",
}
"""The first two characters of a credit code: registering authority and entity type (91 for
enterprises registered by market regulation)."""

_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_serial = itertools.count(1)


def credit_code(number: int, kind: str = "company", division: str = DISTRICT_DIVISION) -> str:
    """A valid unified social credit code, different for each ``number`` (check digit by stdnum)."""
    digits = []
    n = number
    for _ in range(7):
        n, rest = divmod(n, len(_ORG_ALPHABET))
        digits.append(_ORG_ALPHABET[rest])
    body = REGISTRATION_PREFIX.get(kind, "91") + division + "MA" + "".join(reversed(digits))
    return body + uscc.calc_check_digit(body)


def make_target(db_session: Session, department: Department, *, areas: AreaIndex | None = None,
                **fields: Any) -> Target:
    """A committed target supervised by ``department``; ``fields`` as in a raw row (areas named
    as loaded in the database unless ``areas`` is given)."""
    from spotcheck.registry.targets.service import create_target

    raw = {"kind": "company", "name": f"测试检查对象{next(_serial)}有限公司", **fields}
    kind = KIND_LOOKUP.get(str(raw["kind"]).casefold(), "company")
    if "code" not in raw and kind in ENTITY_KINDS:
        raw["code"] = credit_code(900_000 + next(_serial), kind)
    row, errors = validate_target_row(raw, areas if areas is not None else area_index(db_session))
    assert row is not None, errors
    with scoped(db_session, Scope.department(department.id)):
        target = create_target(db_session, row)
    db_session.commit()
    return target
