"""Who may be drawn: each reason an inspector is not eligible, and the SQL filter the draw uses
agreeing with the rules inspector by inspector."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from spotcheck.registry.areas import Area
from spotcheck.registry.inspectors.eligibility import eligibility, eligible_inspectors
from spotcheck.registry.inspectors.service import conflicted_inspector_ids
from spotcheck.registry.inspectors.testing import make_conflict, make_inspector
from spotcheck.registry.targets.testing import make_target

ON = date(2026, 6, 1)
SUBDISTRICT = "990102001"
COMMUNITY = "990102001001"
OTHER_SUBDISTRICT = "990102002"


@pytest.fixture
def areas(db_session):
    east = Area(code=SUBDISTRICT, name="测试甲街道", path="测试甲街道", kind="subdistrict", position=1)
    db_session.add(east)
    db_session.flush()
    db_session.add_all([
        Area(code=COMMUNITY, name="测试甲社区", path="测试甲街道/测试甲社区", kind="community",
             parent_id=east.id, position=1),
        Area(code=OTHER_SUBDISTRICT, name="测试乙街道", path="测试乙街道", kind="subdistrict", position=2)])
    db_session.commit()


def codes(reasons):
    return [reason.code for reason in reasons]


def test_an_active_inspector_with_a_valid_credential_is_eligible(factories, db_session):
    inspector = make_inspector(db_session, factories.department("AAA"))
    assert eligibility(inspector, ON, "food_safety") == []


@pytest.mark.parametrize("status", ["on_leave", "transferred", "retired"])
def test_an_inspector_not_on_duty_is_not_eligible(status, factories, db_session, app):
    inspector = make_inspector(db_session, factories.department("AAA"), status=status)
    [reason] = eligibility(inspector, ON)
    assert reason.code == "not_active"
    with app.app_context():
        assert reason.message_zh.startswith("不在岗")
        assert reason.message_en.startswith("Not on duty")


def test_an_expired_credential_names_the_day_it_expired(factories, db_session, app):
    inspector = make_inspector(db_session, factories.department("AAA"), valid_to=date(2026, 5, 31))
    [reason] = eligibility(inspector, ON)
    assert reason.code == "credential_expired"
    with app.app_context():
        assert "2026-05-31" in reason.message_zh and "2026-05-31" in reason.message_en
    assert eligibility(inspector, date(2026, 5, 31)) == []  # valid through its last day


def test_a_credential_not_yet_valid(factories, db_session):
    inspector = make_inspector(db_session, factories.department("AAA"), valid_from=date(2026, 6, 2))
    assert codes(eligibility(inspector, ON)) == ["credential_not_yet_valid"]


def test_no_authority_for_the_item(factories, db_session, app):
    inspector = make_inspector(db_session, factories.department("AAA"), authorities=("metrology",))
    [reason] = eligibility(inspector, ON, "food_safety")
    assert reason.code == "no_authority"
    with app.app_context():
        assert "food_safety" in reason.message_en


def test_areas_covered(areas, factories, db_session):
    department = factories.department("AAA")
    whole_district = make_inspector(db_session, department, areas=())
    east = make_inspector(db_session, department, areas=(SUBDISTRICT,))
    community = make_inspector(db_session, department, areas=(COMMUNITY,))
    assert eligibility(whole_district, ON, area_code=OTHER_SUBDISTRICT) == []
    assert eligibility(east, ON, area_code=COMMUNITY) == []  # a sub-district covers its communities
    assert codes(eligibility(east, ON, area_code=OTHER_SUBDISTRICT)) == ["area_not_covered"]
    assert codes(eligibility(community, ON, area_code=SUBDISTRICT)) == ["area_not_covered"]


def test_every_reason_is_given_at_once(areas, factories, db_session):
    inspector = make_inspector(db_session, factories.department("AAA"), status="retired",
                               valid_to=date(2025, 12, 31), authorities=("metrology",),
                               areas=(OTHER_SUBDISTRICT,))
    assert codes(eligibility(inspector, ON, "food_safety", COMMUNITY)) == [
        "not_active", "credential_expired", "no_authority", "area_not_covered"]


def test_the_sql_filter_agrees_with_the_rules_for_every_inspector(areas, factories, db_session):
    department = factories.department("AAA")
    other = factories.department("BBB")
    variations = itertools.product(
        ["active", "on_leave", "retired"],
        [(date(2024, 1, 1), date(2030, 1, 1)), (date(2024, 1, 1), date(2026, 5, 31)),
         (date(2026, 6, 1), date(2026, 6, 1)), (date(2026, 6, 2), date(2030, 1, 1))],
        [("food_safety",), ("metrology",), ("food_safety", "metrology")],
        [(), (SUBDISTRICT,), (COMMUNITY,), (OTHER_SUBDISTRICT,), (COMMUNITY, OTHER_SUBDISTRICT)])
    inspectors = [make_inspector(db_session, department, status=status, valid_from=dates[0],
                                 valid_to=dates[1], authorities=authorities, areas=area_codes)
                  for status, dates, authorities, area_codes in variations]
    make_inspector(db_session, other)  # another department's inspectors are never offered
    for authority in (None, "food_safety", "metrology", "special_equipment"):
        for area_code in (None, SUBDISTRICT, COMMUNITY, OTHER_SUBDISTRICT):
            expected = sorted(i.code for i in inspectors if not eligibility(i, ON, authority, area_code))
            found = [i.code for i in eligible_inspectors(db_session, department.id, ON, authority, area_code)]
            assert found == expected, (authority, area_code)
    assert eligible_inspectors(db_session, department.id, ON, "food_safety", COMMUNITY)  # not vacuous


def test_declared_conflicts_are_known_by_target(factories, db_session):
    department = factories.department("AAA")
    target = make_target(db_session, department)
    conflicted = make_inspector(db_session, department)
    make_inspector(db_session, department)
    conflict = make_conflict(db_session, conflicted, target)
    assert conflicted_inspector_ids(db_session, target.id) == {conflicted.id}
    from spotcheck.registry.inspectors.service import withdraw_conflict

    withdraw_conflict(conflict, "已调离该单位")
    db_session.commit()
    assert conflicted_inspector_ids(db_session, target.id) == set()
    assert conflict.withdrawn_reason == "已调离该单位"

