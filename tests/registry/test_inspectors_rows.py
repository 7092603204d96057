"""Inspector and expert rows, as the import and the forms hand them over: every bad field named,
in Chinese and English, without touching the database."""

from __future__ import annotations

from datetime import date

import pytest

from spotcheck.registry.experts.rows import validate_expert_row
from spotcheck.registry.inspectors.rows import InspectorLookups, validate_inspector_row

LOOKUPS = InspectorLookups(
    authorities={"food_safety": "food_safety", "food_business": "food_safety",
                 "食品经营者的检查": "food_safety", "metrology": "metrology"},
    areas={"630102001": "630102001", "东关大街街道": "630102001",
           "东关大街街道/北关社区": "630102001001"},
    taken_codes={"63010299": "BBB"})

GOOD = {"code": "qh63010201001", "name": "张伟", "level": "区级", "scope": "食品经营者的检查；metrology",
        "areas": "东关大街街道、东关大街街道/北关社区", "valid_from": "2024/1/1",
        "valid_to": "2028年12月31日", "expertise": "食品安全；计量", "status": "在岗",
        "phone": "138 1234 5678", "note": ""}


@pytest.fixture(autouse=True)
def context(app):
    with app.app_context():
        yield


def errors_by_field(raw, lookups=LOOKUPS):
    row, errors = validate_inspector_row(raw, lookups)
    assert row is None
    return {error.field: error for error in errors}


def test_a_good_row_is_read_with_chinese_words():
    row, errors = validate_inspector_row(GOOD, LOOKUPS)
    assert errors == []
    assert row.code == "QH63010201001"
    assert row.level == "district" and row.status == "active"
    assert row.authorities == ("food_safety", "metrology")
    assert row.areas == ("630102001", "630102001001")
    assert (row.valid_from, row.valid_to) == (date(2024, 1, 1), date(2028, 12, 31))
    assert row.expertise == ("食品安全", "计量")
    assert row.phone == "13812345678"


def test_spreadsheet_cells_are_understood():
    row, errors = validate_inspector_row(
        {**GOOD, "valid_from": date(2024, 1, 1), "phone": 13812345678.0, "areas": "全区",
         "status": None}, LOOKUPS)
    assert errors == []
    assert row.phone == "13812345678" and row.areas == () and row.status == "active"


def test_every_required_field_is_named():
    errors = errors_by_field({})
    assert set(errors) == {"code", "name", "level", "scope", "valid_from", "valid_to"}
    assert {e.code for e in errors.values()} == {"required"}
    assert errors["code"].message_zh == "执法证号必填。"
    assert errors["code"].message_en == "Enforcement certificate number is required."


def test_bad_values_each_have_their_reason():
    errors = errors_by_field({**GOOD, "code": "12", "level": "乡级", "scope": "消防",
                              "areas": "火星街道", "valid_from": "2024-02-30", "status": "出差",
                              "phone": "call me"})
    assert {field: e.code for field, e in errors.items()} == {
        "code": "invalid_code", "level": "invalid_choice", "scope": "unknown_authority",
        "areas": "unknown_area", "valid_from": "invalid_date", "status": "invalid_choice",
        "phone": "invalid_phone"}
    assert "消防" in errors["scope"].message_zh and "food_safety" in errors["scope"].message_en
    assert "火星街道" in errors["areas"].message_zh


def test_a_credential_ending_before_it_starts():
    errors = errors_by_field({**GOOD, "valid_from": "2028-01-01", "valid_to": "2027-12-31"})
    assert errors["valid_to"].code == "dates_reversed"
    assert "2027-12-31" in errors["valid_to"].message_zh


def test_a_number_held_by_another_department():
    errors = errors_by_field({**GOOD, "code": "63010299"})
    assert errors["code"].code == "duplicate"
    assert "BBB" in errors["code"].message_zh and "BBB" in errors["code"].message_en


def test_an_expert_row():
    row, errors = validate_expert_row({"kind": "检验检测机构", "name": "青海省特种设备检验检测院",
                                       "specialities": "特种设备、压力容器", "valid_until": "2027-06-30"})
    assert errors == []
    assert row.kind == "testing_body" and row.specialities == ("特种设备", "压力容器")
    assert row.key == ("testing_body", "青海省特种设备检验检测院", "")


def test_a_bad_expert_row_names_each_field():
    row, errors = validate_expert_row({"kind": "顾问", "name": "", "specialities": "",
                                       "contact": "abc", "valid_until": "明年"})
    assert row is None
    assert {e.field: e.code for e in errors} == {
        "kind": "invalid_choice", "name": "required", "specialities": "required",
        "contact": "invalid_phone", "valid_until": "invalid_date"}
