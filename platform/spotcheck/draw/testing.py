"""Makers of draw-ready batches and draws for tests (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from spotcheck.draw import service
from spotcheck.draw.models import Draw
from spotcheck.hooks.definitions import CheckItemDef, to_document
from spotcheck.planning import service as plans
from spotcheck.planning.models import AnnualPlan, Batch
from spotcheck.planning.testing import make_plan
from spotcheck.planning.workplan_testing import make_batch, make_work_plan
from spotcheck.planning.workplans import approve
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.registry.items.testing import make_item
from spotcheck.registry.targets.models import Target
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.scope import Scope, scoped

DRAWER = User(id=None, username="draw-tester")
"""Who prepares and executes draws in tests that do not sign anyone in."""


@dataclass
class Setup:
    """A joint plan ready to draw: its batch, its targets and each department's inspectors."""

    plan: AnnualPlan
    batch: Batch
    targets: list[Target]
    inspectors: dict[str, list[Inspector]]


def make_joint_plan(db_session: Session, initiator: Department, participants: Sequence[Department] = (),
                    items: Mapping[str, CheckItemDef] | None = None, **fields: Any) -> AnnualPlan:
    """A submitted plan with one item of each department, every participant confirmed: the
    department's definition in ``items`` (by department code; e.g. a real plugin's item), else a
    made one (authority ``<code>_auth``, for companies)."""
    plan = make_plan(db_session, initiator, participants, **fields)
    for department in (initiator, *participants):
        definition = (items or {}).get(department.code)
        if definition is None:
            item = make_item(db_session, department, f"{department.code.lower()}_item",
                             authority=f"{department.code.lower()}_auth", target_kinds=["company"])
        else:
            document = dict(to_document(definition))
            item = make_item(db_session, department, document.pop("code"), **document)
        with scoped(db_session, Scope.department(department.id)):
            assert plans.set_items(db_session, plan, department.id, [item.id]) == []
        db_session.commit()
        if department is not initiator:
            with scoped(db_session, Scope.department(department.id)):
                plans.answer(db_session, plan, department.id, User(id=None, username="staff"), confirmed=True)
            db_session.commit()
    with scoped(db_session, Scope.department(initiator.id)):
        plans.submit(db_session, plan, "Asia/Shanghai")
    db_session.commit()
    return plan


def make_setup(db_session: Session, initiator: Department, participants: Sequence[Department] = (),
               targets: int = 10, inspectors: int = 4, first: int = 0, strata: Any = None,
               items: Mapping[str, CheckItemDef] | None = None, **plan_fields: Any) -> Setup:
    """``targets`` companies supervised by the initiator (credit class B), ``inspectors`` per
    department holding the authority of its item (see :func:`make_joint_plan`), and an approved
    work plan with one batch (one stratum drawing every B company unless ``strata`` says
    otherwise)."""
    plan = make_joint_plan(db_session, initiator, participants, items, **plan_fields)
    made = [make_target(db_session, initiator, code=credit_code(first + n), credit_class="B")
            for n in range(targets)]
    staff = {d.code: [make_inspector(db_session, d, code=f"{d.code}-{first + n:04d}",
                                     authorities=(_authority(d, items),)) for n in range(inspectors)]
             for d in (initiator, *participants)}
    work_plan = make_work_plan(db_session, initiator, plan)
    batch = make_batch(db_session, work_plan, strata=strata or [
        {"key": "credit=B", "selector": {"credit_classes": ["B"]}, "ratio_bp": 10000, "min": 0}])
    with scoped(db_session, Scope.department(initiator.id)):
        approve(db_session, work_plan, User(id=None, username="head"))
    db_session.commit()
    return Setup(plan, batch, made, staff)


def _authority(department: Department, items: Mapping[str, CheckItemDef] | None) -> str:
    definition = (items or {}).get(department.code)
    return f"{department.code.lower()}_auth" if definition is None else definition.authority


def make_draw(db_session: Session, batch: Batch, entropy: str | None = "", **options: Any) -> Draw:
    """A committed prepared draw of ``batch``, executed with ``entropy`` unless it is ``None``."""
    with scoped(db_session, Scope.system()):
        draw = service.prepare(db_session, batch, DRAWER, **options)
    db_session.commit()
    if entropy is not None:
        with scoped(db_session, Scope.system()):
            service.run(db_session, draw.id, entropy, DRAWER)
    return draw
