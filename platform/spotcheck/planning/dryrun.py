"""The dry run of a batch (seed article 13, ``draw-v1`` §1): what the draw would start from.

For each stratum the candidates (target ids), after exclusions each listed with its reason, and
the quota by :func:`~spotcheck.planning.workplans.quota`; then the expected workload per
inspector of each department against its pool of eligible inspectors, so that an unstaffable
batch shows before any draw. The draw reuses :func:`dry_run` as is: same candidates, same
exclusions, same quotas.

Rules, in the order they are applied to each target in the batch's scope (the annual plan's scope
narrowed by the batch's, among the targets the initiating department supervises):

1. a registration status other than ``active`` (deregistered, revoked, moved out) excludes it,
   with the status as the reason;
2. random plans only: a target already drawn :data:`YEAR_CAP` times by random checks in the
   calendar year is excluded (``year_cap``) — non-random plans are neither counted nor limited;
3. a target drawn by an earlier batch of the same plan is excluded (``drawn_in_plan``);
4. the target goes to the first stratum, in key byte order, whose selector it matches; a target
   matching no stratum is excluded (``no_stratum``) so that nothing silently disappears.

Target ids are the targets' public codes; every list is sorted by the ids' UTF-8 bytes, strata by
their keys' bytes. The whole computation reads in the system scope with the initiating
department named explicitly, so that the answer does not depend on who asks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from spotcheck.draw.verify_draw import quota
from spotcheck.draw.models import YEAR_CAP, Draw, DrawSelection, DrawState, DrawTally
from spotcheck.planning.models import AnnualPlan, Batch
from spotcheck.registry.areas import Area
from spotcheck.registry.industries import classification, industry_filter
from spotcheck.registry.inspectors.eligibility import eligible_condition
from spotcheck.registry.inspectors.models import Inspector, InspectorAuthority
from spotcheck.registry.items.models import CheckItemVersion
from spotcheck.registry.targets.models import Target, TargetSupervision, TargetTag
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

DISTRICT_TIMEZONE = ZoneInfo("Asia/Shanghai")

PER_TARGET = 2
"""Inspectors each required department sends to a target, unless the caller says otherwise."""

REASONS = {
    "deregistered": _l("Deregistered"),
    "revoked": _l("Licence revoked"),
    "moved_out": _l("Moved out"),
    "year_cap": _l("Yearly cap reached"),
    "drawn_in_plan": _l("Already drawn in an earlier batch of this plan"),
    "no_stratum": _l("Matches no stratum"),
}
"""Every exclusion reason by code, with its label."""


def id_order(value: str) -> bytes:
    """The sort key of ids and stratum keys: their UTF-8 bytes, never a locale or collation."""
    return value.encode("utf-8")


def random_draws_this_year(db_session: Session, target_ids: Iterable[int], year: int) -> dict[int, int]:
    """How many random draws picked each of ``target_ids`` in ``year`` (the draw's tally)."""
    ids = list(target_ids)
    counts = dict.fromkeys(ids, 0)
    if len(ids) > _CHUNK:
        # A year's tally holds the targets drawn that year: reading it once costs far less than
        # sending a million ids to look up (a hundred IN lists).
        for target_id, draws in db_session.execute(select(DrawTally.target_id, DrawTally.draws)
                                                   .where(DrawTally.year == year)):
            if target_id in counts:
                counts[target_id] = draws
        return counts
    counts.update(db_session.execute(select(DrawTally.target_id, DrawTally.draws).where(
        DrawTally.year == year, DrawTally.target_id.in_(ids))).all())
    return counts


def drawn_in_plan(db_session: Session, plan_id: int, batch_id: int, target_ids: Iterable[int]) -> set[int]:
    """Which of ``target_ids`` an executed draw of another batch of plan ``plan_id`` drew."""
    drawn = set(db_session.scalars(
        select(DrawSelection.target_id).join(Draw, Draw.id == DrawSelection.draw_id)
        .where(Draw.plan_id == plan_id, Draw.batch_id != batch_id,
               Draw.state == DrawState.EXECUTED.value)))
    return drawn.intersection(target_ids)


_CHUNK = 10_000
"""Ids per IN list: SQLite allows 32,766 bound parameters in one statement."""


@dataclass(frozen=True)
class StratumRun:
    """One stratum of the dry run: its key and rule, its candidates (ids by bytes), its quota;
    ``target_ids`` are the candidates' database ids, in the same order, for the draw to freeze."""

    key: str
    rule: dict[str, int]
    candidates: tuple[str, ...]
    quota: int
    target_ids: tuple[int, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Exclusion:
    """A target in the batch's scope that is not a candidate, and why (a code of :data:`REASONS`)."""

    id: str
    reason: str

    @property
    def label(self) -> str:
        return str(REASONS[self.reason])


@dataclass(frozen=True)
class DepartmentLoad:
    """The workload one department faces: at most ``targets`` drawn targets need it, each with
    ``per_target`` of its ``pool`` eligible inspectors; ``per_inspector`` is the load each
    inspector carries when it is spread evenly (rounded up)."""

    code: str
    per_target: int
    pool: int
    targets: int

    @property
    def assignments(self) -> int:
        return self.targets * self.per_target

    @property
    def per_inspector(self) -> int | None:
        if self.pool == 0:
            return None
        return -(-self.assignments // self.pool)

    @property
    def staffable(self) -> bool:
        """A target needing this department can be staffed only if the pool holds per_target."""
        return self.targets == 0 or self.pool >= self.per_target


@dataclass(frozen=True)
class DryRun:
    """The dry run of a batch: strata by key bytes, exclusions by id bytes, departments
    initiator first then by code bytes."""

    batch_id: int
    strata: tuple[StratumRun, ...]
    excluded: tuple[Exclusion, ...]
    workload: tuple[DepartmentLoad, ...]

    @property
    def total_quota(self) -> int:
        return sum(s.quota for s in self.strata)

    @property
    def staffable(self) -> bool:
        return all(d.staffable for d in self.workload)


class _Row(NamedTuple):
    # A tuple, not a dataclass: a dry run makes one per target in scope, a million at times.
    id: int
    code: str
    kind: str
    status: str
    credit_class: str | None
    industry_code: str | None
    area_code: str | None
    risk_level: str | None


def _scope_conditions(department_id: int, scope: Mapping[str, Sequence[str]]) -> list[Any]:
    conditions: list[Any] = []
    if scope.get("kinds"):
        conditions.append(Target.kind.in_(list(scope["kinds"])))
    if scope.get("areas"):
        conditions.append(or_(*(Area.code.startswith(code, autoescape=True) for code in scope["areas"])))
    if scope.get("industries"):
        conditions.append(or_(*(industry_filter(Target.industry_code, code) for code in scope["industries"])))
    if scope.get("tags"):
        conditions.append(exists().where(TargetTag.target_id == Target.id,
                                         TargetTag.department_id == department_id,
                                         TargetTag.tag.in_(list(scope["tags"]))))
    if scope.get("statuses"):
        conditions.append(Target.status.in_(list(scope["statuses"])))
    return conditions


def _targets_in_scope(db_session: Session, plan: AnnualPlan, batch: Batch) -> list[_Row]:
    statement = (select(Target.id, Target.code, Target.kind, Target.status, Target.credit_class,
                        Target.industry_code, Area.code, TargetSupervision.risk_level)
                 .join(TargetSupervision, and_(TargetSupervision.target_id == Target.id,
                                               TargetSupervision.department_id == plan.department_id))
                 .outerjoin(Area, Area.id == Target.area_id)
                 .where(*_scope_conditions(plan.department_id, plan.target_scope or {}),
                        *_scope_conditions(plan.department_id, batch.target_scope or {})))
    return list(map(_Row._make, db_session.execute(statement)))


def _in_industry(selected: str, code: str | None) -> bool:
    """Python twin of :func:`~spotcheck.registry.industries.industry_filter`."""
    if code is None:
        return False
    divisions = classification().divisions_of.get(selected)
    if divisions:
        return code == selected or divisions[0] <= code[:2] <= divisions[-1]
    return code.startswith(selected)


def matches(selector: Mapping[str, Sequence[str]], row: _Row) -> bool:
    """Whether a target matches a stratum's selector (every non-empty list must hold).

    Spelt out test by test: it runs for every target in scope and stratum, a million times and
    more in a large draw."""
    values = selector.get("credit_classes")
    if values and row.credit_class not in values:
        return False
    values = selector.get("risk_levels")
    if values and row.risk_level not in values:
        return False
    values = selector.get("kinds")
    if values and row.kind not in values:
        return False
    values = selector.get("areas")
    if values and (row.area_code is None or not any(row.area_code.startswith(a) for a in values)):
        return False
    values = selector.get("industries")
    return not values or any(_in_industry(i, row.industry_code) for i in values)


def _authorities(db_session: Session, plan: AnnualPlan, department_id: int) -> set[str]:
    """The authorities the department's items in the plan need."""
    version_ids = sorted({i.item_version_id for i in plan.items if i.department_id == department_id})
    if not version_ids:
        return set()
    contents = db_session.scalars(select(CheckItemVersion.content).where(CheckItemVersion.id.in_(version_ids)))
    return {str(c["authority"]) for c in contents if c.get("authority")}


def draw_day(batch: Batch) -> date:
    """The day a draw of ``batch`` checks its inspectors' eligibility on: the window's first day,
    or today once the window is open — the dry run measures the very pools the draw will use."""
    return max(batch.window_start, datetime.now(DISTRICT_TIMEZONE).date())


def pool_statement(db_session: Session, plan: AnnualPlan, department_id: int,
                   on: date) -> Select[tuple[str, int]]:
    """SQL: ``(code, id)`` of the department's inspectors eligible on ``on`` who hold every
    authority its items in the plan need — the department's pool, for the dry run and the draw."""
    conditions = [eligible_condition(on)]
    conditions += [exists().where(InspectorAuthority.inspector_id == Inspector.id,
                                  InspectorAuthority.authority == authority)
                   for authority in sorted(_authorities(db_session, plan, department_id))]
    return (select(Inspector.code, Inspector.id)
            .where(Inspector.department_id == department_id, *conditions).order_by(Inspector.code))


def dry_run(db_session: Session, batch: Batch, per_target: int = PER_TARGET) -> DryRun:
    """The dry run of ``batch`` (see the module's rules); reads only, changes nothing."""
    with scoped(db_session, Scope.system()):
        plan = db_session.get(AnnualPlan, batch.plan_id)
        assert plan is not None
        rows = sorted(_targets_in_scope(db_session, plan, batch), key=lambda r: id_order(r.code))
        ids = [r.id for r in rows]
        draws = random_draws_this_year(db_session, ids, plan.year) if plan.counts_towards_cap else {}
        already = drawn_in_plan(db_session, plan.id, batch.id, ids)
        strata = sorted(batch.strata, key=lambda s: id_order(s.key))
        selectors = [(s, s.selector or {}) for s in strata]
        members: dict[str, list[_Row]] = {s.key: [] for s in strata}
        excluded = []
        for row in rows:
            reason = None
            if row.status != "active":
                reason = row.status
            elif draws.get(row.id, 0) >= YEAR_CAP:
                reason = "year_cap"
            elif row.id in already:
                reason = "drawn_in_plan"
            else:
                stratum = next((s for s, selector in selectors if matches(selector, row)), None)
                if stratum is None:
                    reason = "no_stratum"
                else:
                    members[stratum.key].append(row)
            if reason is not None:
                excluded.append(Exclusion(row.code, reason))
        runs = tuple(StratumRun(s.key, s.rule, tuple(r.code for r in members[s.key]),
                                quota(len(members[s.key]), s.rule), tuple(r.id for r in members[s.key]))
                     for s in strata)
        workload = _workload(db_session, plan, batch, strata, members, runs, per_target)
    return DryRun(batch.id, runs, tuple(excluded), workload)


def _workload(db_session: Session, plan: AnnualPlan, batch: Batch, strata: Sequence[Any],
              members: Mapping[str, list[_Row]], runs: Sequence[StratumRun],
              per_target: int) -> tuple[DepartmentLoad, ...]:
    """Per department, the most drawn targets that can need it: in each stratum, the quota or
    the number of candidates needing the department, whichever is smaller. The initiator is
    needed by every target; a participant by the targets whose kind one of its items covers."""
    codes = {d.id: d.code for d in db_session.scalars(select(Department))}
    departments = [plan.department_id] + sorted(
        (p.department_id for p in plan.participants), key=lambda d: id_order(codes[d]))
    kinds: dict[int, set[str]] = {}
    for item in plan.items:
        kinds.setdefault(item.department_id, set()).update(item.target_kinds)
    # Counted by kind once per stratum, not target by target for each department.
    by_kind = {s.key: Counter(r.kind for r in members[s.key]) for s in strata}
    loads = []
    for department_id in departments:
        def needing(key: str, department_id: int = department_id) -> int:
            if department_id == plan.department_id:
                return len(members[key])
            return sum(n for kind, n in by_kind[key].items() if kind in kinds.get(department_id, set()))
        targets = sum(min(run.quota, needing(s.key)) for s, run in zip(strata, runs, strict=True))
        pool = len(db_session.execute(pool_statement(db_session, plan, department_id, draw_day(batch))).all())
        loads.append(DepartmentLoad(codes[department_id], per_target, pool, targets))
    return tuple(loads)
