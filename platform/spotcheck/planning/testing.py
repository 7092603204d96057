"""Makers of annual plans for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from spotcheck.planning.models import AnnualPlan
from spotcheck.planning.service import PlanValues, create_plan
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped


def make_plan(db_session: Session, initiator: Department,
              participants: Sequence[Department] = (), **fields: Any) -> AnnualPlan:
    """A committed draft plan of ``initiator`` with ``participants`` awaiting confirmation;
    ``fields`` override :class:`PlanValues` (``target_scope`` keys default to no restriction)."""
    year = fields.pop("year", 2027)
    scope = {"kinds": [], "areas": [], "industries": [], "tags": [], "statuses": [],
             **fields.pop("target_scope", {})}
    values = PlanValues(**{"name": "食品经营主体联合抽查", "year": year, "plan_type": "random",
                           "target_scope": scope, "window_start": date(year, 4, 1),
                           "window_end": date(year, 9, 30), "ratio_bp": 500,
                           "participant_ids": tuple(d.id for d in participants), **fields})
    with scoped(db_session, Scope.department(initiator.id)):
        plan = create_plan(db_session, initiator.id, values)
    db_session.commit()
    return plan
