"""Makers of inspectors and conflicts for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from spotcheck.registry.inspectors.models import Inspector, InspectorConflict
from spotcheck.registry.inspectors.rows import InspectorRow
from spotcheck.registry.inspectors.service import create_inspector, declare_conflict
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

_serial = itertools.count(1)


def inspector_row(**fields: Any) -> InspectorRow:
    """A valid inspector row; ``fields`` override its values."""
    n = next(_serial)
    values: dict[str, Any] = {
        "code": f"TEST{n:06d}", "name": f"测试人员{n}", "level": "district",
        "authorities": ("food_safety",), "areas": (), "valid_from": date(2024, 1, 1),
        "valid_to": date(2030, 12, 31), "expertise": ("食品安全",), "status": "active",
        "phone": "13812345678", **fields}
    return InspectorRow(**values)


def make_inspector(db_session: Session, department: Department, **fields: Any) -> Inspector:
    """A committed inspector of ``department``; ``fields`` as in :class:`InspectorRow`."""
    with scoped(db_session, Scope.department(department.id)):
        inspector = create_inspector(db_session, department.id, inspector_row(**fields))
        db_session.flush()
    db_session.commit()
    return inspector


def make_conflict(db_session: Session, inspector: Inspector, target: Target,
                  reason: str = "近亲属在该单位任职") -> InspectorConflict:
    """A committed conflict of interest declared for ``inspector`` with ``target``."""
    with scoped(db_session, Scope.department(inspector.department_id)):
        conflict = declare_conflict(db_session, inspector, target, reason)
        db_session.flush()
    db_session.commit()
    return conflict
