"""Demo people: each demo department's item list, inspectors and part of the expert pool.

Deterministic (a seeded generator per department, fixed dates) and idempotent: a second load finds
every row as the first one left it and changes nothing. A few inspectors are on leave, transferred,
retired, or hold an expired or not-yet-valid credential, so the pages show why someone cannot be
drawn; a few have declared conflicts with targets of the directory. The last few of each
department are generalists who hold all its authorities across the district, so that every demo
draw can be staffed whichever targets it picks.

Certificate numbers carry a fixed number per department (:data:`DEPARTMENT_NUMBERS`), never its
place in a list: installing another plugin must not renumber the inspectors of a database loaded
before it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.hooks import PluginRegistry, get_registry
from spotcheck.registry.areas import Area
from spotcheck.registry.experts.rows import ExpertRow
from spotcheck.registry.experts.service import upsert_experts
from spotcheck.registry.inspectors.models import Inspector, InspectorConflict
from spotcheck.registry.inspectors.rows import InspectorRow
from spotcheck.registry.inspectors.service import declare_conflict, upsert_inspectors
from spotcheck.registry.items.service import sync_items
from spotcheck.registry.targets.models import Target, TargetSupervision
from spotcheck.tenancy.models import Department

INSPECTORS_PER_DEPARTMENT = 38
GENERALISTS = 8
"""The last of each department's inspectors: on duty, every authority, the whole district."""
CONFLICTS_PER_DEPARTMENT = 3
DIVISION = "630102"
EXPERT_POOL_DEPARTMENT = "SCJG"
"""The market regulation bureau keeps the demo's expert pool (testing bodies and experts)."""

DEPARTMENT_NUMBERS = {"SCJG": 1, "YJGL": 2, "WSJK": 3, "STHJ": 4, "WLJ": 5, "RSJ": 6}
"""Each bundled department's number in its inspectors' certificate numbers. Another department
gets ``FIRST_OTHER_NUMBER`` plus its id: stable too, and never one of these."""
FIRST_OTHER_NUMBER = 10

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文博", "海燕", "志刚", "晓东", "玉兰",
         "永福", "国庆", "红梅", "德胜", "海龙", "春花", "学军", "丽娟", "建国", "卫东", "宏伟", "雪梅")
EXPERTISE = ("食品安全", "特种设备", "计量", "产品质量", "广告监测", "价格监督", "网络交易",
             "企业登记", "药品", "消费维权", "知识产权", "标准化")
CONFLICT_REASONS = ("近亲属在该单位任职", "曾在该单位工作，离职未满三年", "与该单位负责人有利害关系")

EXPERTS: tuple[ExpertRow, ...] = (
    ExpertRow("testing_body", "青海省特种设备检验检测院", ("特种设备", "压力容器", "电梯"),
              qualification="CMA 193100340123", contact="0971-8123401", valid_until=date(2028, 6, 30)),
    ExpertRow("testing_body", "西宁市食品药品检验检测中心", ("食品检验", "药品检验"),
              qualification="CMA 203100110456", contact="0971-6234502", valid_until=date(2027, 12, 31)),
    ExpertRow("testing_body", "青海省计量检定测试所", ("计量", "衡器", "加油机"),
              qualification="CMA 183100120789", contact="0971-6345603", valid_until=date(2026, 3, 31)),
    ExpertRow("testing_body", "青海省产品质量监督检验所", ("产品质量", "建材", "电线电缆"),
              qualification="CMA 213100130246", contact="0971-6456704", valid_until=date(2029, 9, 30)),
    ExpertRow("research_institution", "青海大学农牧学院", ("农产品", "畜产品质量"),
              contact="0971-5310805"),
    ExpertRow("research_institution", "青海省标准化研究院", ("标准化", "产品质量"),
              contact="0971-6567806"),
    ExpertRow("expert", "马建军", ("特种设备", "起重机械"), organisation="青海省特种设备检验检测院",
              qualification="高级工程师 GJ2015-0311", contact="13909718811", valid_until=date(2028, 12, 31)),
    ExpertRow("expert", "李秀兰", ("食品安全", "餐饮服务"), organisation="青海大学",
              qualification="教授", contact="13897120022"),
    ExpertRow("expert", "赵文博", ("计量", "电能表"), organisation="国网青海省电力公司计量中心",
              qualification="注册计量师 JL2018-0456", contact="13519710033", valid_until=date(2025, 12, 31)),
    ExpertRow("expert", "韩雪梅", ("药品", "医疗器械"), organisation="青海省药品检验检测院",
              qualification="主任药师", contact="18997140044", status="suspended"),
    ExpertRow("expert", "周志刚", ("网络交易", "广告监测"), organisation="青海民族大学",
              qualification="副教授", contact="13709750055"),
    ExpertRow("expert", "冯海燕", ("产品质量", "纺织品"), organisation="青海省纤维检验局",
              qualification="高级工程师 GJ2012-0877", contact="15809710066"),
)


@dataclass
class PeopleReport:
    """What the demo load did: item versions written, inspectors and experts created."""

    item_versions: int = 0
    inspectors: dict[str, int] = field(default_factory=dict)
    conflicts: int = 0
    experts: int = 0


def department_number(department: Department) -> int:
    """The department's number in its demo inspectors' certificate numbers."""
    return DEPARTMENT_NUMBERS.get(department.code, FIRST_OTHER_NUMBER + department.id)


def load_demo_people(db: Session, registry: PluginRegistry | None = None) -> PeopleReport:
    """Sync the item lists of the loaded plugins (``registry``, default: the app's), then make
    sure each of their departments has its inspectors, and the market regulation bureau the
    expert pool. Runs in ``db``'s system scope; the caller commits."""
    report = PeopleReport()
    registry = registry or get_registry()
    items = sync_items(db, registry)
    report.item_versions = sum(len(d.created) + len(d.changed) + len(d.withdrawn)
                               for d in items.departments.values())
    top_areas = list(db.scalars(select(Area.code).where(Area.parent_id.is_(None)).order_by(Area.code)))
    departments = list(db.scalars(select(Department).where(
        Department.code.in_(sorted(registry.loaded))).order_by(Department.code)))
    for department in departments:
        authorities = sorted({item.authority for item in registry.loaded[department.code].items.values()})
        rows = demo_inspectors(department.code, department_number(department), authorities, top_areas)
        done = upsert_inspectors(db, department.id, rows)
        report.inspectors[department.code] = len(done.created)
        report.conflicts += _declare_conflicts(db, department, [row.code for row in rows])
    pool = next((d for d in departments if d.code == EXPERT_POOL_DEPARTMENT), None)
    if pool is not None:
        report.experts = len(upsert_experts(db, pool.id, EXPERTS).created)
    db.flush()
    return report


def demo_inspectors(department_code: str, number: int, authorities: list[str],
                    areas: list[str]) -> list[InspectorRow]:
    """The department's demo inspectors, the same on every call (the generalists come last, so
    that the others are the very rows of databases loaded before there were any)."""
    rng = random.Random(f"spotcheck-demo-inspectors-{department_code}")
    rows = []
    for n in range(1, INSPECTORS_PER_DEPARTMENT + 1):
        if n > INSPECTORS_PER_DEPARTMENT - GENERALISTS:
            valid_from = date(2024 + rng.randrange(2), rng.randrange(1, 13), 1)
            status, valid_to = "active", date(valid_from.year + 6, valid_from.month, 1)
            held, covered = list(authorities), ()
        else:
            status, valid_from, valid_to = _standing(n, rng)
            held = rng.sample(authorities, k=min(len(authorities), rng.choice((1, 1, 2, 3))))
            covered = () if not areas or rng.random() < 0.4 else tuple(sorted(rng.sample(areas, k=min(2, len(areas)))))
        rows.append(InspectorRow(
            code=f"QH{DIVISION}{number:02d}{n:03d}",
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            level="city" if n % 9 == 0 else "district",
            authorities=tuple(sorted(held)), areas=covered,
            valid_from=valid_from, valid_to=valid_to,
            expertise=tuple(sorted(rng.sample(EXPERTISE, k=rng.choice((1, 2))))),
            status=status, phone=f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"))
    return rows


def _standing(n: int, rng: random.Random) -> tuple[str, date, date]:
    """Status and credential dates: most on duty and valid; a few of each reason not to draw."""
    valid_from = date(2021 + rng.randrange(4), rng.randrange(1, 13), 1)
    valid_to = date(valid_from.year + 6, valid_from.month, 1)
    if n in (4, 17):
        return "active", date(2019, 3, 1), date(2025, 2, 28)  # credential expired
    if n == 23:
        return "active", date(2099, 1, 1), date(2105, 1, 1)  # credential not valid yet
    if n in (7, 26):
        return "on_leave", valid_from, valid_to
    if n == 12:
        return "transferred", valid_from, valid_to
    if n == 29:
        return "retired", valid_from, valid_to
    return "active", valid_from, valid_to


def _declare_conflicts(db: Session, department: Department, codes: list[str]) -> int:
    """A few conflicts with the first targets the department supervises (once only)."""
    targets = list(db.scalars(select(Target).join(TargetSupervision, TargetSupervision.target_id == Target.id)
                              .where(TargetSupervision.department_id == department.id)
                              .order_by(Target.id).limit(CONFLICTS_PER_DEPARTMENT)))
    inspectors = {i.code: i for i in db.scalars(select(Inspector).where(Inspector.code.in_(codes)))}
    declared = 0
    for index, target in enumerate(targets):
        inspector = inspectors.get(codes[(index * 5 + 2) % len(codes)])
        if inspector is None:
            continue
        exists = db.scalars(select(InspectorConflict.id).where(
            InspectorConflict.inspector_id == inspector.id, InspectorConflict.target_id == target.id)).first()
        if exists is None:
            declare_conflict(db, inspector, target, CONFLICT_REASONS[index % len(CONFLICT_REASONS)])
            declared += 1
    return declared
