"""Demo targets: a realistic directory for the demo district (西宁市城东区).

Four thousand targets across every kind of seed article 4, every area and the industries market
regulation checks most (catering, food and drug retail, hotels, construction, manufacturing,
entertainment…), with valid unified social credit codes, Chinese names, addresses, a plausible
spread of registration status, credit class and risk level, supervised by the demo departments:
market regulation every target, each other department the industries it is responsible for
(:data:`DOMAINS`) and a third of the rest.

Deterministic (a fixed seed: the same targets every time) and idempotent (targets whose code is
already in the directory are skipped). Written in bulk: a few multi-row INSERTs, history entries
for each target and one audit record for the load, rather than one audited ORM write per row.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.registry.areas import Area, AreaLoadReport, load_areas
from spotcheck.registry.targets.codes import PLATFORM_CODE_PREFIXES, platform_code
from spotcheck.registry.targets.history import event_stamp, record_events
from spotcheck.registry.targets.models import (SEARCH_COPIES, Target, TargetSupervision, TargetTag,
                                               copy_search_columns)
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.models import Department

DEMO_TARGET_COUNT = 4000
SEED = 630102

AREAS_FILE = "chengdong-areas.json"

TRADE_WORDS = (
    "福瑞", "鑫源", "恒泰", "宏达", "昆仑", "高原", "三江", "湟水", "雪域", "青稞", "德盛", "永兴",
    "金城", "顺通", "华康", "祥和", "安泰", "瑞丰", "兴隆", "吉祥", "康乐", "和美", "西海", "夏都",
    "凤凰", "丰源", "润泽", "聚福", "佳美", "众信", "诚信", "天佑", "鼎盛", "广源", "盛世", "新城",
    "金鼎", "宝丰", "益民", "同心", "百合", "春晖", "青湖", "南山", "北川", "长宁", "锦程", "汇通",
    "康泰", "乐都", "昌盛", "宏源", "嘉禾", "富民", "惠丰", "泰和", "明珠", "云杉", "格桑", "河湟",
)
SURNAMES = "王李张刘陈杨马赵韩冶祁铁鲁朱孙周吴徐何罗高郭胡林谢"
GIVEN = "建国明华军强伟芳秀英玉兰海燕平涛亮斌静丽红梅德福生文杰志忠雪琴晓东永成"
ROADS = ("东关大街", "建国路", "八一路", "七一路", "南小街", "互助路", "共和路", "夏都大街",
         "德令哈路", "大众街", "祁连路", "康宁路", "花园南街", "湟光路", "中庄路", "团结桥路")


@dataclass(frozen=True)
class Profile:
    """A kind of business: its kind, industry codes, name patterns, share and usual tags."""

    kind: str
    industries: tuple[str, ...]
    names: tuple[str, ...]
    weight: int
    tags: tuple[str, ...] = ()


PROFILES: tuple[Profile, ...] = (
    Profile("individual_business", ("6210", "6220", "6230"),
            ("城东区{w}餐饮店", "城东区{w}牛肉面馆", "城东区{w}小吃店", "城东区{w}茶餐厅"), 900,
            ("食品经营",)),
    Profile("individual_business", ("5212", "5213", "5219", "5223", "5226"),
            ("城东区{w}便利店", "城东区{w}超市", "城东区{w}烟酒商行", "城东区{w}果蔬店"), 700, ("食品经营",)),
    Profile("individual_business", ("5232", "5234", "5235"),
            ("城东区{w}服装店", "城东区{w}化妆品店", "城东区{w}日用百货店"), 250),
    Profile("individual_business", ("8111", "80"),
            ("城东区{w}汽车修理部", "城东区{w}理发店", "城东区{w}洗衣店"), 200),
    Profile("company", ("6210", "6220", "6240"),
            ("西宁{w}餐饮管理有限公司", "青海{w}餐饮有限公司"), 200, ("食品经营",)),
    Profile("company", ("5251", "5252"),
            ("青海{w}大药房有限公司", "西宁{w}医药连锁有限公司"), 120, ("药品零售",)),
    Profile("company", ("51", "5191", "5127"),
            ("西宁{w}商贸有限公司", "青海{w}贸易有限公司"), 350),
    Profile("company", ("6110", "6121", "6130"),
            ("西宁{w}酒店有限公司", "青海{w}宾馆有限公司", "西宁{w}民宿有限公司"), 120, ("特种设备",)),
    Profile("company", ("47", "48", "50"),
            ("青海{w}建筑工程有限公司", "西宁{w}装饰工程有限公司"), 160),
    Profile("company", ("13", "14", "15"),
            ("青海{w}食品有限公司", "青海{w}牦牛乳业有限公司", "青海{w}青稞酒业有限公司"), 120,
            ("食品生产",)),
    Profile("company", ("29", "30", "33", "34"),
            ("青海{w}机械制造有限公司", "西宁{w}塑料制品有限公司", "青海{w}建材有限公司"), 100,
            ("特种设备",)),
    Profile("company", ("9011", "9013", "90"),
            ("西宁{w}娱乐有限公司", "西宁{w}网络会所有限公司"), 60),
    Profile("branch", ("5212", "6210", "5251"),
            ("{w}超市有限公司城东分店", "{w}餐饮有限公司城东分公司", "{w}大药房城东店"), 150),
    Profile("enterprise_legal_person", ("44", "46", "52"),
            ("城东区{w}供销合作社", "西宁{w}供水公司"), 60),
    Profile("partnership", ("72", "74"),
            ("青海{w}律师事务所（普通合伙）", "西宁{w}企业管理咨询中心（有限合伙）"), 60),
    Profile("sole_proprietorship", ("5212", "8111", "62"),
            ("西宁{w}商行（个人独资）", "城东区{w}汽车服务部（个人独资）"), 80),
    Profile("farmer_cooperative", ("01", "03", "05"),
            ("城东区{w}种植专业合作社", "城东区{w}养殖专业合作社"), 90, ("农产品",)),
    Profile("social_organisation", ("95", "83"),
            ("城东区{w}商会", "城东区{w}协会", "城东区{w}培训学校"), 80),
    Profile("public_institution", ("83", "84"),
            ("城东区{w}路小学", "城东区{w}社区卫生服务中心"), 60),
    Profile("other_nonprofit", ("96",),
            ("城东区{w}社区居民委员会",), 40),
    Profile("product", ("14", "15", "24", "37"),
            ("{w}牌牦牛肉干", "{w}牌青稞酒", "{w}牌儿童玩具", "{w}牌电动自行车"), 120, ("产品质量",)),
    Profile("project", ("47", "48"),
            ("城东区{w}片区老旧小区改造工程", "{w}花园二期住宅项目"), 50),
    Profile("behaviour", ("52", "64"),
            ("{w}农贸市场明码标价行为", "{w}网络直播带货行为", "校园周边{w}食品销售行为"), 50),
)

PRIMARY_DEPARTMENT = "SCJG"
"""Market regulation supervises every market entity: every demo target."""

DOMAINS: dict[str, tuple[str, ...]] = {
    "WSJK": ("61", "62", "80", "84", "90", "5251", "5252"),
    "YJGL": ("13", "14", "15", "29", "30", "33", "34", "47", "48", "50", "51"),
    "STHJ": ("13", "14", "15", "29", "30", "33", "34", "47", "48", "8111"),
    "WLJ": ("61", "90"),
    "RSJ": ("47", "48", "50", "61", "62", "90"),
}
"""The industries (GB/T 4754 code prefixes) each other bundled department supervises every
target of: health the hotels, restaurants, barbers, clinics, pharmacies and entertainment venues;
emergency management manufacturing, construction and wholesale (hazardous chemicals); ecology
and environment manufacturing, construction and car repair; culture and tourism entertainment
and hotels; human resources the labour-intensive trades."""

STATUS_SPREAD = (("active", 90), ("deregistered", 5), ("revoked", 3), ("moved_out", 2))
CREDIT_SPREAD = (("A", 25), ("B", 55), ("C", 15), ("D", 5))
RISK_SPREAD = (("high", 10), ("medium", 35), ("low", 50), (None, 5))


@dataclass
class DemoTargetsReport:
    """What loading the demo directory did."""

    areas: AreaLoadReport
    created: int = 0
    existing: int = 0
    supervisions: int = 0


def demo_area_document() -> dict[str, Any]:
    """The demo district's areas (``demo/data/chengdong-areas.json``)."""
    return json.loads(resources.files("spotcheck.demo").joinpath("data", AREAS_FILE)
                      .read_text(encoding="utf-8"))


def _pick(rng: random.Random, spread: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([value for value, _w in spread], [w for _v, w in spread])[0]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def generate(count: int, area_ids: list[int], seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` demo targets as rows of the ``target`` table plus ``risk`` and ``tags`` (the
    same rows for the same arguments)."""
    rng = random.Random(seed)
    profiles = rng.choices(PROFILES, [p.weight for p in PROFILES], k=count)
    serials = {kind: 0 for kind in PLATFORM_CODE_PREFIXES}
    rows = []
    for number, profile in enumerate(profiles, start=1):
        words = rng.sample(TRADE_WORDS, 2)
        name = rng.choice(profile.names).format(w="".join(words) if rng.random() < 0.7 else words[0])
        if profile.kind in serials:
            serials[profile.kind] += 1
            code = platform_code(profile.kind, serials[profile.kind])
            representative = None
            credit = None
        else:
            code = credit_code(number, profile.kind)
            representative = _person(rng)
            credit = _pick(rng, CREDIT_SPREAD)
        risk = _pick(rng, RISK_SPREAD)
        tags = list(profile.tags)
        if risk == "high":
            tags.append("重点监管")
        if profile.kind == "individual_business" and rng.random() < 0.1:
            tags.append("网络交易")
        rows.append({
            "code": code, "name": name, "kind": profile.kind,
            "legal_representative": representative,
            "address": f"西宁市城东区{rng.choice(ROADS)}{rng.randint(1, 300)}号",
            "area_id": rng.choice(area_ids),
            "industry_code": rng.choice(profile.industries),
            "status": _pick(rng, STATUS_SPREAD) if profile.kind not in serials else "active",
            "credit_class": credit, "risk": risk, "tags": tags,
        })
    return rows


def supervises(department_code: str, row: dict[str, Any], chance: float) -> bool:
    """Whether the department supervises a demo target: the market regulation bureau every one;
    another department those of its industries, and one in three others (``chance`` is the
    department's draw for the target)."""
    if department_code == PRIMARY_DEPARTMENT:
        return True
    industry = row["industry_code"] or ""
    return industry.startswith(DOMAINS.get(department_code, ())) or chance < 1 / 3


def _wanted(department: Department, rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str | None]]:
    """The demo targets ``department`` supervises, each with its risk level there. Its own
    generator, drawn twice per target whether or not it supervises it: the same answer whichever
    other departments there are, and whenever it is asked."""
    rng = random.Random(f"{SEED}-{department.code}")
    wanted = []
    for row in rows:
        chance, risk = rng.random(), _pick(rng, RISK_SPREAD)
        if supervises(department.code, row, chance):
            wanted.append((row, row["risk"] if department.code == PRIMARY_DEPARTMENT else risk))
    return wanted


def load_demo_targets(db: Session, count: int = DEMO_TARGET_COUNT) -> DemoTargetsReport:
    """Load the demo district's areas and targets; run in the system scope, the caller commits.

    The member units supervise the targets by :func:`supervises`. A department that supervises
    none of them yet (its plugin was installed after the demo was loaded) gets its supervisions
    of every demo target; new targets get every department's.
    """
    report = DemoTargetsReport(areas=load_areas(db, demo_area_document()))
    area_ids = list(db.scalars(select(Area.id).order_by(Area.code)))
    departments = list(db.scalars(select(Department).where(
        Department.active.is_(True), Department.is_office.is_(False)).order_by(Department.code)))
    if not departments:
        return report
    rows = generate(count, area_ids)
    codes = [r["code"] for r in rows]
    existing = set(db.scalars(select(Target.code).where(Target.code.in_(codes))))
    new = [r for r in rows if r["code"] not in existing]
    report.existing = len(rows) - len(new)
    now = utcnow()
    columns = ("code", "name", "kind", "legal_representative", "address", "area_id",
               "industry_code", "status", "credit_class")
    if new:
        db.execute(insert(Target.__table__), [
            {**{c: r[c] for c in columns}, "created_at": now, "updated_at": now, "version": 1}
            for r in new])
    ids = dict(db.execute(select(Target.code, Target.id).where(Target.code.in_(codes))).all())
    supervising = set(db.scalars(select(TargetSupervision.department_id).distinct().join(
        Target, Target.id == TargetSupervision.target_id).where(Target.code.in_(codes))))
    fresh = {r["code"] for r in new}
    supervisions, tags = [], []
    for department in departments:
        for row, risk in _wanted(department, rows):
            if department.id in supervising and row["code"] not in fresh:
                continue
            supervisions.append({"target_id": ids[row["code"]], "department_id": department.id,
                                 "risk_level": risk, "since": now, "note": None,
                                 # The search's copies of the target's columns (see models).
                                 **{c: row[c] for c in SEARCH_COPIES}})
            if department.code == PRIMARY_DEPARTMENT and row["code"] in fresh:
                tags.extend({"target_id": ids[row["code"]], "department_id": department.id,
                             "tag": tag} for tag in row["tags"])
    if supervisions:
        db.execute(insert(TargetSupervision.__table__), supervisions)
        if existing:  # targets loaded earlier may have been edited since: copy them as they are now
            copy_search_columns(db.connection(), sorted(ids[c] for c in existing))
    if tags:
        db.execute(insert(TargetTag.__table__), tags)
    stamp = event_stamp(db, "cli")
    record_events(db, [stamp.event(ids[r["code"]], "create",
                                   {c: [None, r[c]] for c in columns if r[c] is not None})
                       for r in new])
    # Each supervision is that department's own history (in its name, like the service writes it).
    record_events(db, [{**stamp.event(s["target_id"], "supervise",
                                      {"risk_level": [None, s["risk_level"]]}, private=True),
                        "department_id": s["department_id"]} for s in supervisions])
    if new or supervisions:
        audit.record(db, "import", "target", None, {"demo_targets": len(new),
                                                    "demo_supervisions": len(supervisions)})
    report.created = len(new)
    report.supervisions = len(supervisions)
    return report
