"""The office's consolidation of a year's plans (seed article 12): merge suggestions for plans
with similar targets and methods, the merge itself, and the publication of the district plan.

Two submitted plans are suggested for a merge when they are of the same type (a random plan is
never merged with a complaint-driven one: their methods differ and only one counts towards the
cap), their windows overlap, and their scopes overlap in target kinds, areas and industries (an
empty list means "any", which overlaps everything). Each suggestion says which overlaps it saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.planning.models import (SCOPE_KEYS, AnnualPlan, PlanItem, PlanParticipant,
                                       PlanState)
from spotcheck.planning.service import PlanError, plans_of_year


@dataclass(frozen=True)
class Reason:
    """One overlap two plans share, in Chinese and English."""

    code: str
    message_zh: str
    message_en: str

    def message(self, locale: str) -> str:
        return self.message_en if locale.startswith("en") else self.message_zh


@dataclass(frozen=True)
class MergeSuggestion:
    """Two submitted plans the office might merge, and why."""

    first: AnnualPlan
    second: AnnualPlan
    reasons: tuple[Reason, ...]


def _overlap(a: list[str], b: list[str]) -> list[str] | None:
    """The shared values of two scope lists (``[]`` when either is unrestricted), or ``None``
    when they are disjoint."""
    if not a or not b:
        return []
    shared = sorted(set(a) & set(b))
    return shared or None


def _kinds(plan: AnnualPlan) -> list[str]:
    """The target kinds a plan checks: its scope's, else those its items apply to."""
    return plan.scope_list("kinds") or sorted({k for item in plan.items for k in item.target_kinds})


def compare(first: AnnualPlan, second: AnnualPlan) -> tuple[Reason, ...]:
    """Why ``first`` and ``second`` could be merged, or ``()`` when they should not be."""
    if first.plan_type != second.plan_type or first.year != second.year:
        return ()
    start, end = max(first.window_start, second.window_start), min(first.window_end, second.window_end)
    if start > end:
        return ()
    kinds = _overlap(_kinds(first), _kinds(second))
    areas = _overlap(first.scope_list("areas"), second.scope_list("areas"))
    industries = _overlap(first.scope_list("industries"), second.scope_list("industries"))
    if kinds is None or areas is None or industries is None:
        return ()
    reasons = [Reason("same_type", f"计划类型相同（{first.type_label}）",
                      f"Same plan type ({first.plan_type})"),
               Reason("window", f"时间窗口重叠：{start} 至 {end}",
                      f"Windows overlap from {start} to {end}")]
    for code, shared, zh, en in (("kinds", kinds, "对象类型", "target kinds"),
                                 ("areas", areas, "区域", "areas"),
                                 ("industries", industries, "行业", "industries")):
        if shared:
            reasons.append(Reason(code, f"{zh}重叠：{'、'.join(shared)}", f"Shared {en}: {', '.join(shared)}"))
        else:
            reasons.append(Reason(code, f"{zh}：至少一个计划不限", f"{en.capitalize()}: at least one plan "
                                  "is not restricted"))
    shared_methods = sorted({m for i in first.items for m in i.methods}
                            & {m for i in second.items for m in i.methods})
    if shared_methods:
        reasons.append(Reason("methods", f"检查方式相同：{'、'.join(shared_methods)}",
                              f"Shared methods: {', '.join(shared_methods)}"))
    return tuple(reasons)


def merge_suggestions(db_session: Session, year: int) -> list[MergeSuggestion]:
    """Every pair of ``year``'s submitted plans that :func:`compare` finds similar."""
    plans = list(db_session.scalars(plans_of_year(year, PlanState.SUBMITTED.value)))
    suggestions = []
    for first, second in combinations(plans, 2):
        reasons = compare(first, second)
        if reasons:
            suggestions.append(MergeSuggestion(first, second, reasons))
    return suggestions


def merge(db_session: Session, plans: Sequence[AnnualPlan], initiator_id: int, name: str) -> AnnualPlan:
    """Merge submitted ``plans`` of one year and type into one draft joint plan led by
    ``initiator_id`` (one of their departments); every other department of the originals takes
    part and must confirm again. The scope is the union (unrestricted where any original was),
    the window spans the originals', the ratio is the highest, the items are all of theirs. The
    originals are kept, marked merged and pointing at the result. Audited as ``plan_merge``."""
    if len({p.id for p in plans}) < 2:
        raise PlanError("too_few", "请至少选择两个计划进行合并。", "Choose at least two plans to merge.")
    if any(p.state != PlanState.SUBMITTED.value for p in plans):
        raise PlanError("not_submitted", "只能合并已报送的计划。", "Only submitted plans can be merged.")
    if len({(p.year, p.plan_type) for p in plans}) != 1:
        raise PlanError("incompatible", "只能合并同一年度、同一类型的计划。",
                        "Only plans of the same year and type can be merged.")
    departments = {p.department_id for p in plans} | {pp.department_id for p in plans
                                                      for pp in p.participants}
    if initiator_id not in departments:
        raise PlanError("initiator", "牵头部门应为被合并计划的发起或参与部门之一。",
                        "The initiator must be one of the merged plans' departments.")
    name = name.strip()
    if not name:
        raise PlanError("name", "请填写合并后计划的名称。", "Enter the joint plan's name.")
    scope = {}
    for key in SCOPE_KEYS:
        lists = [p.scope_list(key) for p in plans]
        scope[key] = [] if any(not values for values in lists) else sorted({v for vs in lists for v in vs})
    first = plans[0]
    joint = AnnualPlan(department_id=initiator_id, name=name, year=first.year,
                       plan_type=first.plan_type, target_scope=scope,
                       window_start=min(p.window_start for p in plans),
                       window_end=max(p.window_end for p in plans),
                       ratio_bp=max(p.ratio_bp for p in plans), state=PlanState.DRAFT.value,
                       note="；".join(p.note for p in plans if p.note) or None)
    joint.participants = [PlanParticipant(department_id=d) for d in sorted(departments - {initiator_id})]
    seen: set[int] = set()
    for plan in plans:
        for item in plan.items:
            if item.item_version_id not in seen:
                seen.add(item.item_version_id)
                joint.items.append(PlanItem(
                    department_id=item.department_id, item_version_id=item.item_version_id,
                    code=item.code, name_zh=item.name_zh, name_en=item.name_en,
                    target_kinds=list(item.target_kinds), methods=list(item.methods)))
    db_session.add(joint)
    db_session.flush()
    for plan in plans:
        plan.state = PlanState.MERGED.value
        plan.merged_into_id = joint.id
    db_session.flush()
    audit.record(db_session, "plan_merge", "annual_plan", joint.id,
                 {"originals": sorted(p.id for p in plans), "initiator_id": initiator_id})
    return joint


def publish(db_session: Session, year: int) -> list[AnnualPlan]:
    """Publish the district's annual plan for ``year``: every submitted plan of the year becomes
    published (drafts, including merged plans awaiting confirmation, wait for a later
    publication). Audited as ``plan_publish``."""
    plans = list(db_session.scalars(plans_of_year(year, PlanState.SUBMITTED.value)))
    if not plans:
        raise PlanError("nothing", f"{year}年度没有待发布的已报送计划。",
                        f"No submitted plan of {year} is waiting to be published.")
    moment = utcnow()
    for plan in plans:
        plan.state = PlanState.PUBLISHED.value
        plan.published_at = moment
    db_session.flush()
    audit.record(db_session, "plan_publish", "annual_plan", None,
                 {"year": year, "plans": [p.id for p in plans]})
    return plans


def originals_of(db_session: Session, plan: AnnualPlan) -> list[AnnualPlan]:
    """The plans merged into ``plan``."""
    return list(db_session.scalars(select(AnnualPlan).where(AnnualPlan.merged_into_id == plan.id)
                                   .order_by(AnnualPlan.id)))
