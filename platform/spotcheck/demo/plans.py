"""Demo annual plans: a year of the market regulation bureau's plans in every state, with one
merge made by the office and the district plan published, and work plans in every state.

Only SCJG brings a plugin (an item list), so the plans are SCJG's; other member units come with
their plugins. Deterministic (fixed dates) and idempotent: when SCJG already has plans for the
demo year, nothing is loaded again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.planning import batches, consolidation, service, workplans
from spotcheck.planning.models import AnnualPlan
from spotcheck.registry.items.models import CheckItem
from spotcheck.tenancy.models import Department, User

DEMO_YEAR = 2026
DEMO_DEPARTMENT = "SCJG"
TIMEZONE = "Asia/Shanghai"
DEMO_HEAD = "demo-head"
"""Approves the demo work plan (when ``spotcheck demo load`` created the account)."""

RESTAURANTS = {"kinds": ["company", "individual_business"], "areas": [], "industries": ["62"],
               "tags": [], "statuses": ["active"]}

PLANS: tuple[dict, ...] = (
    # name, type, scope, window, ratio, items, submitted (UTC) or None
    {"name": "2026年度餐饮服务单位双随机抽查", "plan_type": "random", "target_scope": RESTAURANTS,
     "window": (date(2026, 4, 1), date(2026, 8, 31)), "ratio_bp": 500, "items": ["food_business"],
     "submitted": datetime(2026, 2, 12, 2, 0, tzinfo=timezone.utc), "merge": True},
    {"name": "2026年度餐饮环节计量器具抽查", "plan_type": "random",
     "target_scope": {**RESTAURANTS, "kinds": ["individual_business"]},
     "window": (date(2026, 6, 1), date(2026, 10, 31)), "ratio_bp": 300,
     "items": ["measuring_instruments"],
     "submitted": datetime(2026, 2, 25, 6, 30, tzinfo=timezone.utc), "merge": True},
    {"name": "2026年度企业年度报告公示信息抽查", "plan_type": "random",
     "target_scope": {"kinds": ["company", "partnership", "farmer_cooperative"]},
     "window": (date(2026, 7, 1), date(2026, 11, 30)), "ratio_bp": 300,
     "items": ["enterprise_disclosure"],
     "submitted": datetime(2026, 3, 4, 1, 0, tzinfo=timezone.utc)},
    {"name": "2026年度投诉举报线索核查", "plan_type": "complaint", "target_scope": {},
     "window": (date(2026, 1, 1), date(2026, 12, 31)), "ratio_bp": 10000,
     "items": ["product_quality_sampling"],
     "submitted": datetime(2026, 2, 27, 3, 0, tzinfo=timezone.utc)},
    {"name": "2026年度电梯安全专项检查", "plan_type": "special",
     "target_scope": {"kinds": ["company"]}, "window": (date(2026, 9, 1), date(2026, 12, 15)),
     "ratio_bp": 2000, "items": ["special_equipment_use"], "submitted": None},
    {"name": "2026年度工业产品质量抽查（已撤回）", "plan_type": "random",
     "target_scope": {"kinds": ["product"]}, "window": (date(2026, 5, 1), date(2026, 7, 31)),
     "ratio_bp": 500, "items": ["product_quality_sampling"], "submitted": None, "withdraw": True},
)


def load_demo_plans(db: Session) -> int:
    """Load the demo plans of :data:`DEMO_YEAR` (after the item lists); how many plans were made.
    Runs in ``db``'s system scope; the caller commits."""
    department = db.scalar(select(Department).where(Department.code == DEMO_DEPARTMENT))
    if department is None or db.scalar(select(AnnualPlan.id).where(
            AnnualPlan.department_id == department.id, AnnualPlan.year == DEMO_YEAR).limit(1)):
        return 0
    items = {item.code: item.id for item in db.scalars(
        select(CheckItem).where(CheckItem.department_id == department.id))}
    to_merge = []
    for spec in PLANS:
        start, end = spec["window"]
        scope = {"kinds": [], "areas": [], "industries": [], "tags": [], "statuses": [],
                 **spec["target_scope"]}
        plan = service.create_plan(db, department.id, service.PlanValues(
            name=spec["name"], year=DEMO_YEAR, plan_type=spec["plan_type"], target_scope=scope,
            window_start=start, window_end=end, ratio_bp=spec["ratio_bp"], participant_ids=()))
        service.set_items(db, plan, department.id, [items[c] for c in spec["items"] if c in items])
        if spec["submitted"] is not None:
            service.submit(db, plan, TIMEZONE, now=spec["submitted"])
        if spec.get("withdraw"):
            service.withdraw(db, plan)
        if spec.get("merge"):
            to_merge.append(plan)
    joint = consolidation.merge(db, to_merge, department.id, "2026年度餐饮服务联合抽查")
    service.submit(db, joint, TIMEZONE, now=datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc))
    consolidation.publish(db, DEMO_YEAR)
    db.flush()
    load_demo_work_plans(db, department, joint)
    return len(PLANS) + 1


def load_demo_work_plans(db: Session, department: Department, joint: AnnualPlan) -> None:
    """Work plans in every state: the joint plan's approved by SCJG's head (two batches, the
    credit-risk default and a risk-level one), the annual report plan's still a draft."""
    head = db.scalar(select(User).where(User.username == DEMO_HEAD)) or User(username=DEMO_HEAD)
    approved = workplans.create_work_plan(db, joint, "按信用风险分类确定抽查比例，高风险单位单列批次。")
    start, end = joint.window_start, joint.window_end
    middle = start + (end - start) / 2
    for raw in (
        {"name": "第一批次（信用风险分类）", "window_start": start, "window_end": middle,
         "coordination": "与各参与部门提前一周沟通检查时间，联合进户。"},
        {"name": "第二批次（高风险单位）", "window_start": middle + timedelta(days=1), "window_end": end,
         "strata": [{"key": "risk=high", "selector": {"risk_levels": ["high"]}, "count": 5},
                    {"key": "risk=medium", "selector": {"risk_levels": ["medium"]},
                     "ratio_bp": 1000, "min": 1}]},
    ):
        values, errors = batches.validate_batch(db, approved, raw)
        assert values is not None, errors
        batches.create_batch(db, approved, values)
    workplans.approve(db, approved, head)
    report = db.scalar(select(AnnualPlan).where(AnnualPlan.name == PLANS[2]["name"],
                                                AnnualPlan.department_id == department.id))
    assert report is not None
    draft = workplans.create_work_plan(db, report)
    values, errors = batches.validate_batch(db, draft, {
        "name": "第一批次", "window_start": report.window_start, "window_end": report.window_end})
    assert values is not None, errors
    batches.create_batch(db, draft, values)
    db.flush()
