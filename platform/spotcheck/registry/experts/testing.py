"""Makers of expert-pool members for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from spotcheck.registry.experts.models import Expert
from spotcheck.registry.experts.rows import ExpertRow
from spotcheck.registry.experts.service import create_expert
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped


def make_expert(db_session: Session, department: Department, **fields: Any) -> Expert:
    """A committed member of ``department``'s part of the pool; ``fields`` as in :class:`ExpertRow`."""
    values: dict[str, Any] = {"kind": "expert", "name": "李明", "organisation": "青海大学",
                              "specialities": ("特种设备",), "contact": "13987654321", **fields}
    with scoped(db_session, Scope.department(department.id)):
        expert = create_expert(db_session, department.id, ExpertRow(**values))
        db_session.flush()
    db_session.commit()
    return expert
