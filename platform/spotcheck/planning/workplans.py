"""Work plans (工作方案): one per annual plan, drafted and then approved by the initiating
department's head, and the credit-risk default strata. The quota formula of ``draw-v1`` §1 is
the draw's own: :func:`spotcheck.draw.verify_draw.quota`.

Services never commit; the caller does. Row changes are audited by the ORM capture; approving is
also recorded as the event ``work_plan_approve``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.planning.models import AnnualPlan, PlanState, WorkPlan, WorkPlanState
from spotcheck.planning.service import PlanError
from spotcheck.registry.errors import FieldError
from spotcheck.tenancy.models import User

MAX_BP = 10000


@dataclass(frozen=True)
class StratumValues:
    """A validated stratum: its key, selector and quota rule (``count`` or ``ratio_bp``+``min``)."""

    key: str
    selector: dict[str, list[str]]
    ratio_bp: int | None = None
    min_count: int | None = None
    count: int | None = None


CREDIT_RISK_DEFAULT: tuple[tuple[str, int], ...] = (("A", 300), ("B", 500), ("C", 1000), ("D", 3000))
"""The credit-risk default a batch may start from: credit class A 3%, B 5%, C 10%, D 30% of the
class, at least one target each. The department adjusts it to its own risk assessment."""


def credit_risk_default() -> list[StratumValues]:
    """The strata of :data:`CREDIT_RISK_DEFAULT`, keyed ``credit=A`` … ``credit=D``."""
    return [StratumValues(key=f"credit={cls}", selector={"credit_classes": [cls]}, ratio_bp=bp,
                          min_count=1) for cls, bp in CREDIT_RISK_DEFAULT]


def _error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, zh, en)


def validate_key(key: Any, field: str = "key") -> tuple[str | None, list[FieldError]]:
    """A stratum key: non-empty text of at most 200 characters without line feeds (the draw's
    digests separate keys by line feeds, so one inside a key would make the proof ambiguous)."""
    text = str(key or "").strip(" \t")
    if not text:
        return None, [_error(field, "required", "请填写分层键（例如 credit=B）。",
                             "Enter the stratum key (for example credit=B).")]
    if "\n" in text or "\r" in text:
        return None, [_error(field, "line_feed", f"分层键 {text!r} 不能包含换行符。",
                             f"The stratum key {text!r} must not contain a line feed.")]
    if len(text) > 200:
        return None, [_error(field, "too_long", "分层键超过200个字。",
                             "The stratum key is longer than 200 characters.")]
    return text, []


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def validate_rule(raw: Mapping[str, Any], field: str = "rule"
                  ) -> tuple[tuple[int | None, int | None, int | None] | None, list[FieldError]]:
    """A quota rule from ``count``, or ``ratio_bp`` (0–10000) and ``min`` (≥ 0): the
    ``(ratio_bp, min_count, count)`` to store, or ``None`` and what is wrong."""
    count, ratio, minimum = _int(raw.get("count")), _int(raw.get("ratio_bp")), _int(raw.get("min"))
    given = {k for k in ("count", "ratio_bp", "min") if raw.get(k) not in (None, "")}
    if "count" in given:
        if given - {"count"}:
            return None, [_error(field, "both_rules", "配额规则只能是固定数量，或比例加最少数量，不能同时填写。",
                                 "A quota rule is either a count, or a ratio with a minimum, not both.")]
        if count is None or count < 0:
            return None, [_error(field, "invalid_count", "固定数量应为不小于0的整数。",
                                 "The count must be a whole number of at least 0.")]
        return (None, None, count), []
    errors = []
    if ratio is None or not 0 <= ratio <= MAX_BP:
        errors.append(_error(field, "invalid_ratio", "比例以万分之一计，应为0至10000的整数（500即5%）。",
                             "The ratio is in basis points, a whole number from 0 to 10000 (500 is 5%)."))
    if minimum is None or minimum < 0:
        errors.append(_error(field, "invalid_min", "最少数量应为不小于0的整数。",
                             "The minimum must be a whole number of at least 0."))
    if errors:
        return None, errors
    return (ratio, minimum, None), []


def work_plan_of(db_session: Session, plan: AnnualPlan) -> WorkPlan | None:
    """The work plan of ``plan``, if one was started."""
    return db_session.scalar(select(WorkPlan).where(WorkPlan.plan_id == plan.id))


def create_work_plan(db_session: Session, plan: AnnualPlan, note: str | None = None) -> WorkPlan:
    """Start the draft work plan of a submitted or published plan (one per plan)."""
    if plan.state not in (PlanState.SUBMITTED.value, PlanState.PUBLISHED.value):
        raise PlanError("plan_not_ready", "年度计划报送后方可制定工作方案。",
                        "A work plan is made once the annual plan is submitted.")
    if work_plan_of(db_session, plan) is not None:
        raise PlanError("work_plan_exists", "该计划已有工作方案。", "This plan already has a work plan.")
    work_plan = WorkPlan(department_id=plan.department_id, plan_id=plan.id,
                         state=WorkPlanState.DRAFT.value, note=(note or "").strip() or None)
    db_session.add(work_plan)
    db_session.flush()
    return work_plan


def require_draft(work_plan: WorkPlan) -> None:
    """Refuse a change to a work plan that is no longer a draft."""
    if work_plan.state != WorkPlanState.DRAFT.value:
        raise PlanError("work_plan_not_draft", "工作方案已批准，不能再修改。",
                        "The work plan is approved: it can no longer be changed.")


def approve(db_session: Session, work_plan: WorkPlan, user: User) -> None:
    """The initiating department's head approves a draft work plan that has at least one batch,
    each with at least one stratum; audited as ``work_plan_approve``. The caller checks the
    APPROVE permission and the department."""
    require_draft(work_plan)
    if not work_plan.batches or any(not b.strata for b in work_plan.batches):
        raise PlanError("work_plan_incomplete", "每个批次至少要有一个分层，工作方案至少要有一个批次。",
                        "A work plan needs at least one batch, and every batch at least one stratum.")
    work_plan.state = WorkPlanState.APPROVED.value
    work_plan.approved_by_id = user.id
    work_plan.approved_by = user.username
    work_plan.approved_at = utcnow()
    db_session.flush()
    audit.record(db_session, "work_plan_approve", "work_plan", work_plan.id, {"plan_id": work_plan.plan_id})
