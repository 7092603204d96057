"""The departments' own credit rules (seed article 19): declared by their plugins, validated, and
added to the record on top of the district's rule when a result is published."""

from __future__ import annotations

from typing import get_args

import pytest

from spotcheck.followup.credit import DEPARTMENT_RULE, timeline
from spotcheck.hooks.definitions import RESULT_CATEGORIES, ResultCategoryCode
from spotcheck.hooks.validation import InvalidDefinitions, RawDefinitions, schema_validator, validate_definitions
from spotcheck.inspection.models import ResultCategory
from spotcheck.publication.testing import make_publication, make_reviewed_tasks
from spotcheck.punishment.models import PunishmentEntry
from spotcheck.tenancy.scope import Scope, scoped

pytestmark = pytest.mark.usefixtures("app_context")


def _rule_events(db_session, target_id):
    with scoped(db_session, Scope.system()):
        return [(e.code, e.points, e.public, e.serious) for e in reversed(timeline(db_session, target_id))
                if e.kind == DEPARTMENT_RULE]


def test_the_credit_rule_schema_lists_every_result_category():
    categories = {c.value for c in ResultCategory}
    assert set(get_args(ResultCategoryCode)) == set(RESULT_CATEGORIES) == categories
    assert set(schema_validator("credit_rule").schema["properties"]["result_category"]["enum"]) == categories


def test_a_rule_on_a_published_category_adds_its_points_publicly(db_session, departments):
    scjg, rsj, _zjj = departments
    task = make_reviewed_tasks(db_session, scjg, [rsj], category=ResultCategory.NOT_DISCLOSED)[0]
    make_publication(db_session, task)
    assert _rule_events(db_session, task.target_id) == [("abnormal_not_disclosed", -2, True, False)]
    with scoped(db_session, Scope.system()):
        event = next(e for e in timeline(db_session, task.target_id) if e.kind == DEPARTMENT_RULE)
        assert event.department_id == scjg.id
        assert event.description("zh") == "未按规定公示应当公示的信息，列入经营异常名录"
    assert task.target.credit_class == "C", "−2 of the district and −2 of SCJG: −4, class C"


def test_a_serious_finding_rule_is_internal_class_d_and_listed(db_session, departments, task):
    from .conftest import give_findings

    scjg, _rsj, _zjj = departments
    give_findings(db_session, task, {"SCJG": ("food_business", ["suspected_food_crime"]),
                                     "RSJ": ("wage_payment", [])})
    make_publication(db_session, task)
    assert _rule_events(db_session, task.target_id) == [("food_crime_serious", -10, False, True)]
    assert task.target.credit_class == "D"
    with scoped(db_session, Scope.system()):
        entry = db_session.query(PunishmentEntry).filter_by(target_id=task.target_id).one()
        assert (entry.department_id, entry.basis, entry.state) == (scjg.id, "serious_violation", "listed")


def test_a_rule_matches_only_findings_on_its_own_departments_items(db_session, departments, task):
    from .conftest import give_findings

    give_findings(db_session, task, {"SCJG": ("special_equipment_use", []),
                                     "RSJ": ("food_business", ["suspected_food_crime"])})
    make_publication(db_session, task)
    assert _rule_events(db_session, task.target_id) == []
    assert task.target.credit_class == "A"


def test_republishing_adds_no_second_rule_event(db_session, departments):
    from spotcheck.followup.credit import record_publication

    task = make_reviewed_tasks(db_session, departments[0], category=ResultCategory.UNREACHABLE)[0]
    publication = make_publication(db_session, task)
    record_publication(db_session, publication)
    assert _rule_events(db_session, task.target_id) == [("abnormal_unreachable", -2, True, False)]


DEPARTMENT = {"code": "WJW", "name_zh": "城东区卫生健康局", "name_en": "Health", "level": "district",
              "contract_version": 1}
ITEM = {"code": "hygiene", "name_zh": "卫生检查", "name_en": "Hygiene",
        "legal_basis": [{"law": "《公共场所卫生管理条例》", "article": "第三条"}], "target_kinds": ["company"],
        "methods": ["onsite"], "notice_forbidden": False, "form": "record", "authority": "health", "version": 1,
        "findings": [{"code": "no_licence", "label_zh": "无证", "label_en": "No licence"}]}
FORM = {"code": "record", "title_zh": "记录表", "title_en": "Record", "version": 1,
        "fields": [{"name": "ok", "label_zh": "是否合格", "label_en": "OK?", "type": "boolean"}]}


def _validate(*credit_rules):
    return validate_definitions("wjw", "1", RawDefinitions(DEPARTMENT, [ITEM], [FORM], [], list(credit_rules)))


def test_valid_credit_rules_are_loaded():
    plugin = _validate({"code": "licence", "name_zh": "无证经营", "name_en": "Unlicensed", "finding": "no_licence",
                        "item": "hygiene", "points": -5, "serious": True},
                       {"code": "unreachable", "name_zh": "无法联系", "name_en": "Unreachable",
                        "result_category": "unreachable", "points": -1})
    assert plugin.credit_rules["licence"].serious and plugin.credit_rules["unreachable"].points == -1


@pytest.mark.parametrize(("rule", "path"), [
    ({"finding": "not_declared", "points": -1}, "$.finding"),
    ({"finding": "no_licence", "item": "unknown_item", "points": -1}, "$.item"),
    ({"finding": "no_licence", "result_category": "unreachable", "points": -1}, "$"),
    ({"result_category": "unreachable", "points": -50}, "$.points"),
    ({"points": -1}, "$"),
])
def test_a_bad_credit_rule_refuses_the_plugin_naming_the_field(rule, path):
    with pytest.raises(InvalidDefinitions) as refused:
        _validate({"code": "bad_rule", "name_zh": "坏规则", "name_en": "Bad", **rule})
    assert (("credit_rule 'bad_rule'", path) in {(e.definition, e.path) for e in refused.value.errors}
            or ("credit rule 'bad_rule'", path) in {(e.definition, e.path) for e in refused.value.errors})
