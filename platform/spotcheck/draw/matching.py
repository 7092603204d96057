"""The matching block of a draw (spec §4), gathered from the directories at execution.

- ``departments``: the initiator first, then the participants that confirmed, by code bytes; each
  sends :attr:`Draw.per_target` inspectors from its pool — the inspectors eligible on the day
  (:mod:`spotcheck.registry.inspectors.eligibility`) who hold every authority that department's
  items in the plan need, ordered by code bytes;
- ``required``: per drawn target, the initiator and every participant one of whose items covers
  the target's kind (the same rule as the dry run's workload);
- ``exclusions``: per drawn target, the pool inspectors of its required departments who declared
  a conflict of interest (``recusal``), who were on the target's team at its last check
  (``consecutive``), or whose areas do not cover the target's area (``area``).

Reads run in the caller's scope, which for the draw is the system scope.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from spotcheck.draw import verify_draw
from spotcheck.draw.models import Draw, DrawState, Team, TeamMember
from spotcheck.planning.dryrun import id_order, pool_statement
from spotcheck.planning.models import AnnualPlan, Confirmation
from spotcheck.registry.areas import Area
from spotcheck.registry.inspectors.eligibility import covers_area
from spotcheck.registry.inspectors.models import InspectorArea, InspectorConflict
from spotcheck.registry.targets.models import Target
from spotcheck.tenancy.models import Department


@dataclass(frozen=True)
class PoolDepartment:
    """A department of the matching block, with its pool as ``code → inspector id``."""

    id: int
    code: str
    per_target: int
    pool: dict[str, int]


@dataclass(frozen=True)
class DrawnTarget:
    """What matching needs of a drawn target."""

    id: int
    code: str
    kind: str
    area_code: str | None


@dataclass
class MatchingInputs:
    """Everything :class:`~spotcheck.draw.verify_draw.Matching` takes, with the database ids the
    teams are written with."""

    initiator: str
    departments: list[PoolDepartment]
    required: dict[str, list[str]]
    exclusions: list[tuple[str, str, str]]
    max_load: int | None

    def matching(self) -> verify_draw.Matching:
        return verify_draw.Matching(
            initiator=self.initiator,
            departments=[verify_draw.Department(d.code, d.per_target, tuple(d.pool)) for d in self.departments],
            required=self.required,
            exclusions={(t, i) for t, i, _ in self.exclusions},
            max_load=self.max_load)


def departments_of(db_session: Session, plan: AnnualPlan, per_target: int, on: date) -> list[PoolDepartment]:
    """The initiator, then the confirmed participants by code bytes, each with its pool."""
    confirmed = [p.department_id for p in plan.participants if p.status == Confirmation.CONFIRMED.value]
    codes = dict(db_session.execute(select(Department.id, Department.code)
                                    .where(Department.id.in_([plan.department_id, *confirmed]))).all())
    order = [plan.department_id] + sorted(confirmed, key=lambda d: id_order(codes[d]))
    departments = []
    for department_id in order:
        pool = dict(db_session.execute(pool_statement(db_session, plan, department_id, on)).all())
        departments.append(PoolDepartment(department_id, codes[department_id], per_target,
                                          dict(sorted(pool.items(), key=lambda p: id_order(p[0])))))
    return departments


def required_of(plan: AnnualPlan, departments: Sequence[PoolDepartment],
                targets: Sequence[DrawnTarget]) -> dict[str, list[str]]:
    """Per target, the codes of the departments whose items apply to it, in matching order."""
    kinds: dict[int, set[str]] = {}
    for item in plan.items:
        kinds.setdefault(item.department_id, set()).update(item.target_kinds)
    return {t.code: [d.code for d in departments
                     if d.id == plan.department_id or t.kind in kinds.get(d.id, set())]
            for t in targets}


def drawn_targets(db_session: Session, target_ids: Sequence[int]) -> dict[int, DrawnTarget]:
    """Kind and area code of each drawn target, by id."""
    rows = db_session.execute(select(Target.id, Target.code, Target.kind, Area.code)
                              .outerjoin(Area, Area.id == Target.area_id)
                              .where(Target.id.in_(list(target_ids))))
    return {row[0]: DrawnTarget(*row) for row in rows}


def exclusions_of(db_session: Session, draw: Draw, departments: Sequence[PoolDepartment],
                  targets: Sequence[DrawnTarget], required: Mapping[str, Sequence[str]]
                  ) -> list[tuple[str, str, str]]:
    """Every ``(target, inspector, reason)`` pair the matching may not make, sorted by bytes;
    a pair with several reasons is listed once, with the first of recusal, consecutive, area."""
    by_id = {inspector_id: code for d in departments for code, inspector_id in d.pool.items()}
    target_ids = [t.id for t in targets]
    recused = set(db_session.execute(
        select(InspectorConflict.target_id, InspectorConflict.inspector_id)
        .where(InspectorConflict.withdrawn_at.is_(None),
               InspectorConflict.target_id.in_(target_ids),
               InspectorConflict.inspector_id.in_(list(by_id)))))
    last_team = _last_teams(db_session, draw, target_ids)
    areas: dict[int, list[str]] = {}
    for inspector_id, area_code in db_session.execute(
            select(InspectorArea.inspector_id, InspectorArea.area_code)
            .where(InspectorArea.inspector_id.in_(list(by_id)))):
        areas.setdefault(inspector_id, []).append(area_code)
    # Only these can be excluded from a target: who declared a conflict with it, who was on its
    # last team, and who covers part of the district only. Looking at them alone, rather than at
    # every pool member for every target, finds the same pairs in a fraction of the time.
    department_of = {inspector_id: d.code for d in departments for inspector_id in d.pool.values()}
    conflicts: dict[int, set[int]] = {}
    for target_id, inspector_id in recused:
        conflicts.setdefault(target_id, set()).add(inspector_id)
    pairs = []
    for target in targets:
        needed = set(required[target.code])
        suspects = conflicts.get(target.id, set()) | last_team.get(target.id, set())
        if target.area_code is not None:
            suspects |= areas.keys()
        for inspector_id in suspects:
            if department_of.get(inspector_id) not in needed:
                continue
            if (target.id, inspector_id) in recused:
                reason = "recusal"
            elif inspector_id in last_team.get(target.id, ()):
                reason = "consecutive"
            elif target.area_code is not None and not covers_area(areas.get(inspector_id, []),
                                                                  target.area_code):
                reason = "area"
            else:
                continue
            pairs.append((target.code, by_id[inspector_id], reason))
    return sorted(pairs, key=lambda p: (id_order(p[0]), id_order(p[1])))


def _last_teams(db_session: Session, draw: Draw, target_ids: Sequence[int]) -> dict[int, set[int]]:
    """The inspectors on each target's most recent earlier team (its last check)."""
    latest = (select(Team.target_id, func.max(Team.id).label("team_id"))
              .join(Draw, Draw.id == Team.draw_id)
              .where(Team.target_id.in_(list(target_ids)), Draw.id != draw.id,
                     Draw.state == DrawState.EXECUTED.value)
              .group_by(Team.target_id).subquery())
    found: dict[int, set[int]] = {}
    for target_id, inspector_id in db_session.execute(
            select(latest.c.target_id, TeamMember.inspector_id)
            .join(TeamMember, and_(TeamMember.team_id == latest.c.team_id, TeamMember.active.is_(True)))):
        found.setdefault(target_id, set()).add(inspector_id)
    return found


def matching_inputs(db_session: Session, draw: Draw, plan: AnnualPlan, target_ids: Sequence[int],
                    on: date) -> tuple[MatchingInputs, dict[int, DrawnTarget]]:
    """The matching block for the drawn ``target_ids``, and the targets by id."""
    departments = departments_of(db_session, plan, draw.per_target, on)
    targets = drawn_targets(db_session, target_ids)
    ordered = [targets[i] for i in target_ids]
    required = required_of(plan, departments, ordered)
    exclusions = exclusions_of(db_session, draw, departments, ordered, required)
    initiator = departments[0].code
    return MatchingInputs(initiator, departments, required, exclusions, draw.max_load), targets
