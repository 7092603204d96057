"""Demo work plans (工作方案) in every state: drafts, and approved ones with batches on the
credit-risk default strata or on strata of the department's own (risk levels, industries).

Made through the work plan services once their annual plan is (see :mod:`spotcheck.demo.plans`);
the draws of :mod:`spotcheck.demo.draws` use the approved ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from spotcheck.demo.accounts import acting_user
from spotcheck.planning import batches, workplans
from spotcheck.planning.models import AnnualPlan
from spotcheck.tenancy.roles import Role


@dataclass(frozen=True)
class DemoWorkPlan:
    """A work plan: its note, its batches (as the batch form takes them: ``strata`` left out
    is the credit-risk default), and whether the initiating department's head approved it."""

    note: str | None
    batches: tuple[dict[str, Any], ...]
    approved: bool


RISK_LEVELS_WITH_THE_REST = [
    {"key": "risk=high", "selector": {"risk_levels": ["high"]}, "count": 5},
    {"key": "risk=medium", "selector": {"risk_levels": ["medium"]}, "ratio_bp": 1000, "min": 1},
    # Every other target (low risk, or not assessed) at a low ratio, so that each has a chance.
    {"key": "risk=other", "selector": {}, "ratio_bp": 200, "min": 1},
]

CATERING = DemoWorkPlan(
    "按信用风险分类确定抽查比例，高风险单位单列批次。", (
        {"name": "第一批次（信用风险分类）", "window_start": date(2026, 4, 1),
         "window_end": date(2026, 7, 15), "coordination": "与各参与部门提前一周沟通检查时间，联合进户。"},
        {"name": "第二批次（按风险等级）", "window_start": date(2026, 7, 16), "window_end": date(2026, 10, 31),
         "coordination": "高风险单位由牵头部门带队，卫生健康部门同步开展卫生监督。",
         "strata": RISK_LEVELS_WITH_THE_REST},
    ), approved=True)

ANNUAL_REPORTS = DemoWorkPlan(None, (
    {"name": "第一批次", "window_start": date(2026, 7, 1), "window_end": date(2026, 11, 30)},
), approved=False)

ENTERTAINMENT = DemoWorkPlan(
    "文化市场综合执法与劳动保障监察联合进场，一次检查完成双方事项。", (
        {"name": "第一批次（信用风险分类）", "window_start": date(2026, 5, 1),
         "window_end": date(2026, 10, 31), "coordination": "夜间营业场所安排在营业时间检查。"},
    ), approved=True)

POLLUTERS = DemoWorkPlan("食品制造与其他制造业分别确定抽查比例。", (
    {"name": "第一批次（按行业）", "window_start": date(2026, 4, 1), "window_end": date(2026, 11, 30),
     "strata": [
         {"key": "industry=food", "selector": {"industries": ["13", "14", "15"]}, "ratio_bp": 1000, "min": 1},
         {"key": "industry=manufacturing", "selector": {"industries": ["29", "30", "33", "34"]},
          "ratio_bp": 800, "min": 1}]},
), approved=False)

HAZARDOUS_CHEMICALS = DemoWorkPlan(
    "按本局风险分级确定抽查比例；未评级单位待评级后另行安排。", (
        {"name": "第一批次（按风险等级）", "window_start": date(2026, 5, 1), "window_end": date(2026, 11, 30),
         "coordination": "涉及特种设备的，由市场监管部门检查人员同步检查。",
         "strata": [
             {"key": "risk=high", "selector": {"risk_levels": ["high"]}, "ratio_bp": 2000, "min": 1},
             {"key": "risk=low", "selector": {"risk_levels": ["low"]}, "ratio_bp": 300, "min": 1},
             {"key": "risk=medium", "selector": {"risk_levels": ["medium"]}, "ratio_bp": 500, "min": 1}]},
    ), approved=True)


def load_demo_work_plan(db: Session, plan: AnnualPlan, spec: DemoWorkPlan) -> None:
    """Make the work plan ``spec`` of ``plan`` (submitted or published)."""
    work_plan = workplans.create_work_plan(db, plan, spec.note)
    for raw in spec.batches:
        values, errors = batches.validate_batch(db, work_plan, raw)
        assert values is not None, errors
        batches.create_batch(db, work_plan, values)
    if spec.approved:
        workplans.approve(db, work_plan, acting_user(db, plan.initiator.code, Role.HEAD))
    db.flush()
