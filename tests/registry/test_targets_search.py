"""Directory search: each filter returns exactly the targets it should, within the scope."""

from __future__ import annotations

import pytest

from spotcheck.demo.targets import demo_area_document
from spotcheck.registry.areas import area_index, load_areas
from spotcheck.registry.targets import search as search_module
from spotcheck.registry.targets import service
from spotcheck.registry.targets.search import TargetFilters, search
from spotcheck.registry.targets.testing import make_target
from spotcheck.tenancy.scope import Scope, scoped


@pytest.fixture
def directory(factories, db_session):
    a, b = factories.department("AAA"), factories.department("BBB")
    load_areas(db_session, demo_area_document())
    db_session.commit()
    areas = area_index(db_session)

    def make(department, name, **fields):
        return make_target(db_session, department, areas=areas, name=name, **fields)

    t = {
        "noodles": make(a, "城东区福瑞牛肉面馆", kind="个体工商户", area="东关大街街道/北关社区",
                        industry="6220", credit_class="A", risk_level="高", tags="食品经营；重点"),
        "restaurant": make(a, "城东区福瑞餐饮店", kind="个体工商户", area="东关大街街道/东关社区",
                           industry="6210", credit_class="B", risk_level="低", tags="食品经营"),
        "hotel": make(a, "西宁宏达酒店有限公司", area="八一路街道/学院社区", industry="H",
                      credit_class="A", status="注销"),
        "pharmacy": make(a, "青海福瑞大药房有限公司", area="东关大街街道", industry="5251",
                         credit_class="C", risk_level="中"),
        "product": make(a, "福瑞牌牦牛肉干", kind="产品", industry="14"),
        "theirs": make(b, "城东区福瑞便利店", kind="个体工商户", area="东关大街街道/北关社区",
                       industry="5213", credit_class="A", risk_level="高", tags="食品经营"),
    }
    return a, b, areas, t


def found(db_session, department, **filters) -> set[str]:
    with scoped(db_session, Scope.department(department.id)):
        page = search(db_session, TargetFilters(**filters))
    return {target.name for target in page.items}


def names(t, *keys) -> set[str]:
    return {t[key].name for key in keys}


def test_no_filter_lists_the_departments_targets_by_name(db_session, directory):
    a, _b, _areas, t = directory
    with scoped(db_session, Scope.department(a.id)):
        page = search(db_session, TargetFilters())
    assert [x.name for x in page.items] == sorted(x.name for x in page.items)
    assert {x.name for x in page.items} == names(t, "noodles", "restaurant", "hotel", "pharmacy",
                                                  "product")
    assert page.total == 5 and not page.total_capped


def test_a_name_prefix(db_session, directory):
    a, _b, _areas, t = directory
    assert found(db_session, a, name="城东区福瑞") == names(t, "noodles", "restaurant")
    assert found(db_session, a, name="福瑞") == names(t, "product")
    assert found(db_session, a, name="瑞") == set()


def test_an_exact_code(db_session, directory):
    a, _b, _areas, t = directory
    assert found(db_session, a, code=t["hotel"].code.lower()) == names(t, "hotel")
    assert found(db_session, a, code=t["theirs"].code) == set()


def test_the_search_box_tells_codes_from_names(db_session, directory):
    _a, _b, _areas, t = directory
    assert TargetFilters.from_query(t["hotel"].code.lower()).code == t["hotel"].code
    assert TargetFilters.from_query("nm-prod-000001").code == "NM-PROD-000001"
    assert TargetFilters.from_query(" 城东区 ").name == "城东区"


def test_an_area_includes_its_communities(db_session, directory):
    a, _b, areas, t = directory
    assert found(db_session, a, area_id=areas.resolve("东关大街街道")) == names(
        t, "noodles", "restaurant", "pharmacy")
    assert found(db_session, a, area_id=areas.resolve("东关大街街道/北关社区")) == names(t, "noodles")


def test_an_industry_prefix_or_section(db_session, directory):
    a, _b, _areas, t = directory
    assert found(db_session, a, industry="62") == names(t, "noodles", "restaurant")
    assert found(db_session, a, industry="6210") == names(t, "restaurant")
    assert found(db_session, a, industry="H") == names(t, "noodles", "restaurant", "hotel")
    assert found(db_session, a, industry="F") == names(t, "pharmacy")


def test_kind_status_and_credit_class(db_session, directory):
    a, _b, _areas, t = directory
    assert found(db_session, a, kind="product") == names(t, "product")
    assert found(db_session, a, kind="individual_business") == names(t, "noodles", "restaurant")
    assert found(db_session, a, status="deregistered") == names(t, "hotel")
    assert found(db_session, a, credit_class="A") == names(t, "noodles", "hotel")


def test_area_industry_and_credit_class_combined(db_session, directory):
    a, b, areas, t = directory
    north = areas.resolve("东关大街街道")
    assert found(db_session, a, area_id=north, industry="62", credit_class="A") == names(t, "noodles")
    assert found(db_session, b, area_id=north, industry="52", credit_class="A") == names(t, "theirs")
    with scoped(db_session, Scope.department(a.id)):
        page = search(db_session, TargetFilters(area_id=north, industry="F"))
        empty = search(db_session, TargetFilters(area_id=north, industry="F"), page=2)
    assert (page.total, [x.name for x in page.items]) == (1, [t["pharmacy"].name])
    assert (empty.total, empty.items) == (1, [])


def test_risk_level_and_tag_are_the_departments_own(db_session, directory):
    a, b, _areas, t = directory
    assert found(db_session, a, risk_level="high") == names(t, "noodles")
    assert found(db_session, a, tag="食品经营") == names(t, "noodles", "restaurant")
    assert found(db_session, b, tag="食品经营") == names(t, "theirs")
    with scoped(db_session, Scope.department(b.id)):
        service.supervise(db_session, t["noodles"].id, risk_level="low")
    assert found(db_session, b, risk_level="high") == names(t, "theirs")
    assert found(db_session, b, tag="重点") == set()


def test_the_office_searches_every_department(db_session, directory, factories):
    from spotcheck.tenancy.context import scope_for

    _a, _b, _areas, t = directory
    with scoped(db_session, scope_for(factories.user("office", "OFFICE"))):
        page = search(db_session, TargetFilters(tag="食品经营"))
    assert {x.name for x in page.items} == names(t, "noodles", "restaurant", "theirs")


def test_pages_and_a_capped_count(db_session, directory, monkeypatch):
    a, *_ = directory
    with scoped(db_session, Scope.department(a.id)):
        first = search(db_session, TargetFilters(), page=1, per_page=2)
        third = search(db_session, TargetFilters(), page=3, per_page=2)
        monkeypatch.setattr(search_module, "COUNT_CAP", 3)
        capped = search(db_session, TargetFilters(), page=1, per_page=2)
    assert (first.total, first.pages, len(first.items), len(third.items)) == (5, 3, 2, 1)
    assert capped.total == 3 and capped.total_capped
