"""Demo annual plans: a year of joint plans from several member units, in every state.

Market regulation (SCJG) and health (WSJK) each plan their catering checks, which the office
merges into one joint plan; emergency management (YJGL) leads a hazardous chemicals plan with
SCJG, culture and tourism (WLJ) an entertainment venues plan with human resources (RSJ), ecology
and environment (STHJ) checks polluters alone. One plan still waits for a participant's answer,
another was declined by one; some plans are late, one was withdrawn, the non-random ones never
count towards the yearly cap. The office publishes the district plan; a late plan arrives after
it. Each plan's work plan (:mod:`spotcheck.demo.workplans`) follows.

Loaded story by story, through the planning services in the system scope. Deterministic (fixed
dates) and idempotent: a story whose first plan exists is left as it is, so a database loaded
before more plugins were installed gains the stories of the new departments only. A plan whose
initiator is not loaded is left out, and so is a participant that is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.demo.accounts import acting_user
from spotcheck.demo import workplans
from spotcheck.demo.workplans import DemoWorkPlan, load_demo_work_plan
from spotcheck.planning import consolidation, service
from spotcheck.planning.models import AnnualPlan, PlanState
from spotcheck.registry.items.models import CheckItem
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Role

DEMO_YEAR = 2026
TIMEZONE = "Asia/Shanghai"


def _utc(month: int, day: int, hour: int) -> datetime:
    return datetime(DEMO_YEAR, month, day, hour, 0, tzinfo=timezone.utc)


def _scope(**lists: list[str]) -> dict[str, list[str]]:
    return {"kinds": [], "areas": [], "industries": [], "tags": [], "statuses": [], **lists}


@dataclass(frozen=True)
class Part:
    """A participating department: its items, and its answer (``confirmed``, ``declined`` with a
    reason, or ``pending``)."""

    department: str
    items: tuple[str, ...] = ()
    answer: str = "confirmed"
    reason: str | None = None


@dataclass(frozen=True)
class DemoPlan:
    """A plan as its initiator makes it; ``submitted`` is when (UTC), ``None`` for a draft."""

    name: str
    initiator: str
    items: tuple[str, ...]
    window: tuple[date, date]
    ratio_bp: int
    scope: dict[str, list[str]] = field(default_factory=_scope)
    plan_type: str = "random"
    participants: tuple[Part, ...] = ()
    submitted: datetime | None = None
    withdraw: bool = False
    work_plan: DemoWorkPlan | None = None


@dataclass(frozen=True)
class DemoMerge:
    """The office merges submitted ``originals`` (by name) into a joint plan led by
    ``initiator``; every other department confirms, and the initiator submits it."""

    name: str
    initiator: str
    originals: tuple[str, ...]
    submitted: datetime
    work_plan: DemoWorkPlan | None = None


@dataclass(frozen=True)
class Story:
    """Plans loaded together (or not at all), before the district plan is published or, when
    ``after_publication``, after it."""

    plans: tuple[DemoPlan, ...]
    merge: DemoMerge | None = None
    after_publication: bool = False


RESTAURANTS = _scope(kinds=["company", "individual_business"], industries=["62"], statuses=["active"])
CATERING_PLAN = "2026年度餐饮服务联合抽查"
CHEMICALS_PLAN = "2026年度危险化学品经营使用单位联合抽查"

STORIES: tuple[Story, ...] = (
    Story(plans=(
        DemoPlan("2026年度餐饮服务单位双随机抽查", "SCJG", ("food_business",),
                 (date(2026, 4, 1), date(2026, 8, 31)), 500, RESTAURANTS, submitted=_utc(2, 12, 2)),
        DemoPlan("2026年度餐饮环节计量器具抽查", "SCJG", ("measuring_instruments",),
                 (date(2026, 6, 1), date(2026, 10, 31)), 300,
                 {**RESTAURANTS, "kinds": ["individual_business"]}, submitted=_utc(2, 25, 6)),
        DemoPlan("2026年度餐饮场所卫生监督双随机抽查", "WSJK", ("public_place_hygiene",),
                 (date(2026, 4, 15), date(2026, 9, 30)), 500, RESTAURANTS, submitted=_utc(2, 20, 1)),
        DemoPlan("2026年度企业年度报告公示信息抽查", "SCJG", ("enterprise_disclosure",),
                 (date(2026, 7, 1), date(2026, 11, 30)), 300,
                 _scope(kinds=["company", "partnership", "farmer_cooperative"]), submitted=_utc(3, 4, 1),
                 work_plan=workplans.ANNUAL_REPORTS),
        DemoPlan("2026年度投诉举报线索核查", "SCJG", ("product_quality_sampling",),
                 (date(2026, 1, 1), date(2026, 12, 31)), 10000, plan_type="complaint",
                 submitted=_utc(2, 27, 3)),
        DemoPlan("2026年度电梯安全专项检查", "SCJG", ("special_equipment_use",),
                 (date(2026, 9, 1), date(2026, 12, 15)), 2000, _scope(kinds=["company"]),
                 plan_type="special"),
        DemoPlan("2026年度工业产品质量抽查（已撤回）", "SCJG", ("product_quality_sampling",),
                 (date(2026, 5, 1), date(2026, 7, 31)), 500, _scope(kinds=["product"]), withdraw=True),
    ), merge=DemoMerge(
        CATERING_PLAN, "SCJG",
        ("2026年度餐饮服务单位双随机抽查", "2026年度餐饮环节计量器具抽查", "2026年度餐饮场所卫生监督双随机抽查"),
        _utc(3, 10, 2), workplans.CATERING)),
    Story(plans=(DemoPlan(
        "2026年度娱乐场所联合抽查", "WLJ", ("entertainment_venue",), (date(2026, 5, 1), date(2026, 10, 31)),
        1500, _scope(kinds=["company"], industries=["90"], statuses=["active"]),
        participants=(Part("RSJ", ("labour_contracts", "child_labour")),), submitted=_utc(2, 26, 8),
        work_plan=workplans.ENTERTAINMENT),)),
    Story(plans=(DemoPlan(
        "2026年度重点排污单位双随机抽查", "STHJ", ("discharge_permit", "automatic_monitoring"),
        (date(2026, 4, 1), date(2026, 11, 30)), 800,
        _scope(kinds=["company"], industries=["13", "14", "15", "29", "30", "33", "34"], statuses=["active"]),
        submitted=_utc(2, 10, 2), work_plan=workplans.POLLUTERS),)),
    Story(plans=(DemoPlan(
        "2026年度住宿场所卫生和安全联合检查", "WSJK", ("public_place_hygiene",),
        (date(2026, 6, 1), date(2026, 9, 30)), 1000, _scope(kinds=["company"], industries=["61"]),
        participants=(Part("SCJG", ("special_equipment_use",)), Part("WLJ", answer="pending"))),)),
    Story(plans=(DemoPlan(
        "2026年度建设领域农民工工资支付联合检查", "RSJ", ("migrant_worker_wages",),
        (date(2026, 5, 1), date(2026, 12, 20)), 1000, _scope(kinds=["project", "company"], industries=["47", "48"]),
        participants=(Part("STHJ", ("construction_project_eia",)),
                      Part("YJGL", answer="declined",
                           reason="本局已将建筑施工企业列入本年度安全生产专项检查，不再重复参与。"))),)),
    Story(plans=(DemoPlan(
        CHEMICALS_PLAN, "YJGL", ("hazardous_chemicals_business", "safety_responsibility"),
        (date(2026, 5, 1), date(2026, 11, 30)), 1000,
        _scope(kinds=["company"], industries=["29", "30", "51"], statuses=["active"]),
        participants=(Part("SCJG", ("special_equipment_use",)),), submitted=_utc(4, 8, 1),
        work_plan=workplans.HAZARDOUS_CHEMICALS),),
        after_publication=True),
)
"""In the order they are loaded; each story is known by its first plan."""


class _Loader:
    """One load: the departments and their items, and the plans made so far."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.departments = {d.code: d for d in db.scalars(select(Department).where(Department.active.is_(True)))}
        self.items: dict[tuple[int, str], int] = {
            (i.department_id, i.code): i.id for i in db.scalars(select(CheckItem).where(
                CheckItem.enabled.is_(True), CheckItem.withdrawn.is_(False)))}
        self.made: dict[str, AnnualPlan] = {}
        self.work_plans: list[tuple[AnnualPlan, DemoWorkPlan]] = []

    def loaded_before(self, spec: DemoPlan) -> bool:
        """Whether an earlier load made the plan (its initiator is loaded)."""
        return self.db.scalar(select(AnnualPlan.id).where(
            AnnualPlan.department_id == self.departments[spec.initiator].id, AnnualPlan.year == DEMO_YEAR,
            AnnualPlan.name == spec.name).limit(1)) is not None

    def set_items(self, plan: AnnualPlan, department: Department, codes: tuple[str, ...]) -> None:
        ids = [self.items[(department.id, c)] for c in codes if (department.id, c) in self.items]
        assert service.set_items(self.db, plan, department.id, ids) == []

    def made_now(self, plan: AnnualPlan, work_plan: DemoWorkPlan | None) -> None:
        self.made[plan.name] = plan
        if work_plan is not None:
            self.work_plans.append((plan, work_plan))

    def plan(self, spec: DemoPlan) -> None:
        initiator = self.departments.get(spec.initiator)
        if initiator is None:
            return
        parts = [(p, self.departments[p.department]) for p in spec.participants if p.department in self.departments]
        start, end = spec.window
        plan = service.create_plan(self.db, initiator.id, service.PlanValues(
            name=spec.name, year=DEMO_YEAR, plan_type=spec.plan_type, target_scope=spec.scope,
            window_start=start, window_end=end, ratio_bp=spec.ratio_bp,
            participant_ids=tuple(d.id for _, d in parts)))
        self.set_items(plan, initiator, spec.items)
        for part, department in parts:
            self.set_items(plan, department, part.items)
            if part.answer != "pending":
                service.answer(self.db, plan, department.id, acting_user(self.db, part.department, Role.STAFF),
                               confirmed=part.answer == "confirmed", reason=part.reason)
        if spec.submitted is not None:
            service.submit(self.db, plan, TIMEZONE, now=spec.submitted)
        if spec.withdraw:
            service.withdraw(self.db, plan)
        self.made_now(plan, spec.work_plan)

    def merge(self, spec: DemoMerge) -> None:
        originals = [self.made[name] for name in spec.originals if name in self.made]
        joint = consolidation.merge(self.db, originals, self.departments[spec.initiator].id, spec.name)
        for participant in joint.participants:
            service.answer(self.db, joint, participant.department_id,
                           acting_user(self.db, participant.department.code, Role.STAFF), confirmed=True)
        service.submit(self.db, joint, TIMEZONE, now=spec.submitted)
        self.made_now(joint, spec.work_plan)

    def story(self, story: Story) -> None:
        first = story.plans[0]
        if first.initiator not in self.departments or self.loaded_before(first):
            return
        for spec in story.plans:
            self.plan(spec)
        if story.merge is not None:
            self.merge(story.merge)


def load_demo_plans(db: Session) -> int:
    """Load the demo plans of :data:`DEMO_YEAR` (after the item lists) and their work plans; how
    many plans were made. Runs in ``db``'s system scope; the caller commits."""
    loader = _Loader(db)
    for story in STORIES:
        if not story.after_publication:
            loader.story(story)
    if any(p.state == PlanState.SUBMITTED.value for p in loader.made.values()):
        consolidation.publish(db, DEMO_YEAR)
    for story in STORIES:
        if story.after_publication:
            loader.story(story)
    for plan, work_plan in loader.work_plans:
        load_demo_work_plan(db, plan, work_plan)
    db.flush()
    return len(loader.made)


def plan_named(db: Session, name: str) -> AnnualPlan | None:
    """The demo plan of :data:`DEMO_YEAR` called ``name``."""
    return db.scalar(select(AnnualPlan).where(AnnualPlan.year == DEMO_YEAR, AnnualPlan.name == name))

