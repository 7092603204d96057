"""Batches (批次) of a work plan and their strata: validate, create, replace the strata.

A batch refines the plan's target scope (each list, when given, must lie inside the plan's own
list when the plan restricts that key), has a window inside the plan's window, coordination notes
and strata (:class:`~spotcheck.planning.models.Stratum`). Services never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from spotcheck.planning.models import SCOPE_KEYS, SELECTOR_KEYS, Batch, Stratum, WorkPlan
from spotcheck.planning.service import _date, _scope_errors, _strings
from spotcheck.planning.workplans import (StratumValues, credit_risk_default, require_draft,
                                          validate_key, validate_rule)
from spotcheck.registry.errors import FieldError
from spotcheck.registry.targets.codes import CREDIT_CLASSES, RISK_LEVELS


@dataclass(frozen=True)
class BatchValues:
    """A validated batch with its strata."""

    name: str
    target_scope: dict[str, list[str]]
    window_start: date
    window_end: date
    coordination: str | None
    strata: tuple[StratumValues, ...]


def _error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, zh, en)


def validate_strata(db_session: Session, raw: Sequence[Mapping[str, Any]]
                    ) -> tuple[list[StratumValues], list[FieldError]]:
    """Strata from ``[{"key", "selector": {…}, "ratio_bp", "min"} | {"key", "selector", "count"}]``;
    errors name the stratum by its position (``strata[2].key``)."""
    values, errors, seen = [], [], set()
    for index, entry in enumerate(raw):
        where = f"strata[{index}]"
        key, key_errors = validate_key(entry.get("key"), f"{where}.key")
        errors.extend(key_errors)
        if key is not None and key in seen:
            errors.append(_error(f"{where}.key", "duplicate", f"分层键“{key}”重复。",
                                 f"The stratum key {key!r} is used twice."))
        seen.add(key)
        selector_raw = entry.get("selector") or {}
        selector = {name: _strings(selector_raw.get(name)) for name in SELECTOR_KEYS}
        unknown = set(selector_raw) - set(SELECTOR_KEYS)
        if unknown:
            errors.append(_error(f"{where}.selector", "unknown_key",
                                 f"未知的分层条件：{'、'.join(sorted(unknown))}。",
                                 f"Unknown selector keys: {', '.join(sorted(unknown))}."))
        for credit in selector["credit_classes"]:
            if credit not in CREDIT_CLASSES:
                errors.append(_error(f"{where}.selector", "unknown_credit", f"未知的信用等级“{credit}”。",
                                     f"Unknown credit class {credit!r}."))
        for risk in selector["risk_levels"]:
            if risk not in RISK_LEVELS:
                errors.append(_error(f"{where}.selector", "unknown_risk", f"未知的风险等级“{risk}”。",
                                     f"Unknown risk level {risk!r}."))
        for error in _scope_errors(db_session, {"kinds": selector["kinds"], "areas": selector["areas"],
                                                "industries": selector["industries"], "tags": [],
                                                "statuses": []}):
            errors.append(_error(f"{where}.selector", error.code, error.message_zh, error.message_en))
        rule, rule_errors = validate_rule(entry, f"{where}.rule")
        errors.extend(rule_errors)
        if key is not None and rule is not None:
            values.append(StratumValues(key=key, selector=selector, ratio_bp=rule[0],
                                        min_count=rule[1], count=rule[2]))
    return values, errors


def validate_batch(db_session: Session, work_plan: WorkPlan, raw: Mapping[str, Any]
                   ) -> tuple[BatchValues | None, list[FieldError]]:
    """Check a batch's ``name``, scope lists under :data:`SCOPE_KEYS` (inside the plan's),
    ``window_start``/``window_end`` (inside the plan's window), ``coordination`` and ``strata``
    (a list, or ``"credit_risk_default"`` for :func:`credit_risk_default`)."""
    plan = work_plan.plan
    errors: list[FieldError] = []
    name = str(raw.get("name") or "").strip()
    if not name or len(name) > 200:
        errors.append(_error("name", "required", "请填写批次名称（200字以内）。",
                             "Enter the batch name (at most 200 characters)."))
    scope = {key: _strings(raw.get(key)) for key in SCOPE_KEYS}
    errors.extend(_scope_errors(db_session, scope))
    for key in SCOPE_KEYS:
        allowed = plan.scope_list(key)
        outside = [v for v in scope[key] if allowed and v not in allowed]
        if outside:
            errors.append(_error(key, "outside_plan", f"{'、'.join(outside)} 不在年度计划的范围内。",
                                 f"{', '.join(outside)}: outside the annual plan's scope."))
    start, end = _date(raw.get("window_start")), _date(raw.get("window_end"))
    for field, day in (("window_start", start), ("window_end", end)):
        if day is None:
            errors.append(_error(field, "required", "请填写日期（YYYY-MM-DD）。", "Enter the date (YYYY-MM-DD)."))
        elif not plan.window_start <= day <= plan.window_end:
            errors.append(_error(field, "outside_window",
                                 f"日期 {day} 不在年度计划的时间范围（{plan.window_start}至{plan.window_end}）内。",
                                 f"The date {day} is outside the plan's window "
                                 f"({plan.window_start} to {plan.window_end})."))
    if start and end and start > end:
        errors.append(_error("window_end", "before_start", "结束日期早于开始日期。",
                             "The end date is before the start date."))
    raw_strata = raw.get("strata")
    if raw_strata == "credit_risk_default" or raw_strata is None:
        strata: list[StratumValues] = credit_risk_default()
    elif isinstance(raw_strata, list):
        strata, strata_errors = validate_strata(db_session, raw_strata)
        errors.extend(strata_errors)
    else:
        strata = []
        errors.append(_error("strata", "invalid", "分层应为列表。", "The strata must be a list."))
    if not strata and not errors:
        errors.append(_error("strata", "required", "批次至少要有一个分层。", "A batch needs at least one stratum."))
    coordination = str(raw.get("coordination") or "").strip() or None
    if errors or start is None or end is None:
        return None, errors
    return BatchValues(name=name, target_scope=scope, window_start=start, window_end=end,
                       coordination=coordination, strata=tuple(strata)), []


def _stratum(batch: Batch, values: StratumValues) -> Stratum:
    return Stratum(department_id=batch.department_id, plan_id=batch.plan_id, key=values.key,
                   selector=values.selector, ratio_bp=values.ratio_bp, min_count=values.min_count,
                   count=values.count)


def create_batch(db_session: Session, work_plan: WorkPlan, values: BatchValues) -> Batch:
    """Add a batch, numbered after the last one, with its strata, to a draft work plan."""
    require_draft(work_plan)
    number = max((b.number for b in work_plan.batches), default=0) + 1
    batch = Batch(department_id=work_plan.department_id, plan_id=work_plan.plan_id, number=number,
                  name=values.name, target_scope=values.target_scope, window_start=values.window_start,
                  window_end=values.window_end, coordination=values.coordination)
    work_plan.batches.append(batch)
    batch.strata = [_stratum(batch, s) for s in values.strata]
    db_session.flush()
    return batch


def set_strata(db_session: Session, batch: Batch, strata: Sequence[StratumValues]) -> None:
    """Replace the strata of a batch of a draft work plan."""
    require_draft(batch.work_plan)
    # Old rows go first: a kept key would otherwise meet itself in the unique (batch, key).
    batch.strata = []
    db_session.flush()
    batch.strata = [_stratum(batch, s) for s in strata]
    db_session.flush()
