"""The department-scoped search index: every supervision's copies of its target's searched
columns (``SEARCH_COPIES``) stay equal to the target's, whichever path wrote them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from spotcheck.registry.areas import area_index, load_areas
from spotcheck.registry.importing.testing import csv_bytes, run_import
from spotcheck.registry.targets import service
from spotcheck.registry.targets.models import SEARCH_COPIES, Target, TargetSupervision
from spotcheck.registry.targets.search import TargetFilters, search
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.scope import Scope, scoped

AREAS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():
        yield


def drifted(db_session) -> list[tuple]:
    """Every (supervision, column, copy, target's value) that differs."""
    db_session.expire_all()
    found = []
    with scoped(db_session, Scope.system()):
        rows = db_session.execute(select(TargetSupervision, Target).join(
            Target, Target.id == TargetSupervision.target_id)).all()
        assert rows
        for supervision, target in rows:
            for name in SEARCH_COPIES:
                if getattr(supervision, name) != getattr(target, name):
                    found.append((supervision.id, name, getattr(supervision, name),
                                  getattr(target, name)))
    return found


def test_copies_follow_create_update_supervise_and_import(factories, db_session):
    load_areas(db_session, json.loads(AREAS.read_text(encoding="utf-8")))
    db_session.commit()
    a, b = factories.department("AAA"), factories.department("BBB")
    areas = area_index(db_session)
    made = make_target(db_session, a, areas=areas, name="城东区福瑞餐饮店", kind="个体工商户",
                       area="东关大街街道/北关社区", industry="6210", credit_class="B")
    assert drifted(db_session) == []

    with scoped(db_session, Scope.department(b.id)):
        service.supervise(db_session, made.id, risk_level="high")
    db_session.commit()
    assert drifted(db_session) == []

    north, east = areas.resolve("东关大街街道/北关社区"), areas.resolve("东关大街街道/东关社区")
    assert north and east
    sub_district = areas.resolve("东关大街街道")
    with scoped(db_session, Scope.department(a.id)):
        target = db_session.get(Target, made.id)
        service.update_target(db_session, target, {"name": "城东区福瑞牛肉面馆", "area_id": east,
                                                   "industry_code": "6220", "credit_class": "A",
                                                   "status": "revoked"})
    db_session.commit()
    assert drifted(db_session) == []

    # The import: a new target, a change of one the department supervises (B supervises it
    # too: B's copies follow), and the start of A's supervision of one only B had.
    theirs = make_target(db_session, b, areas=areas, name="城东区宏达便利店", area="东关大街街道",
                         industry="5213", credit_class="C")
    result = run_import(db_session, a, csv_bytes([
        [credit_code(4242), "城东测试4242有限公司", "公司", "", "", "东关大街街道/北关社区", "5211",
         "存续", "低", "A", ""],
        [made.code, "城东区福瑞牛肉面馆二店", "个体工商户", "", "", "东关大街街道", "6210", "",
         "", "D", ""],
        [theirs.code, "城东区宏达便利店（改）", "公司", "", "", "东关大街街道/东关社区", "5212", "",
         "", "B", ""],
    ]))
    db_session.commit()
    assert result.status == "applied", result.report.problems
    assert drifted(db_session) == []
    with scoped(db_session, Scope.system()):
        assert db_session.get(Target, made.id).credit_class == "D"
        assert db_session.get(Target, theirs.id).industry_code == "5212"

    # And the department's search (driven from its supervisions) sees the new values.
    with scoped(db_session, Scope.department(b.id)):
        page = search(db_session, TargetFilters(area_id=east, credit_class="B"))
        assert [t.name for t in page.items] == ["城东区宏达便利店（改）"] and page.total == 1
        page = search(db_session, TargetFilters(area_id=sub_district,
                                                credit_class="D", industry="H"))
        assert [t.id for t in page.items] == [made.id]
