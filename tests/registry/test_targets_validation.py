"""One row of user input about a target: every rule, with the field and reason it reports."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc

from spotcheck.registry.areas import AreaIndex
from spotcheck.registry.industries import classification
from spotcheck.registry.targets.codes import KINDS
from spotcheck.registry.targets.rows import validate_target_row
from spotcheck.registry.targets.testing import credit_code

AREAS = AreaIndex({"东关大街街道/北关社区": 7, "630102001001": 7, "北关社区": 7}, {7: "东关大街街道/北关社区"})
GOOD_CODE = credit_code(1)


def check(**raw):
    return validate_target_row({"code": GOOD_CODE, "name": "西宁测试商贸有限公司", "kind": "公司", **raw},
                               AREAS)


def only_error(**raw):
    row, errors = check(**raw)
    assert row is None
    assert len(errors) == 1, errors
    return errors[0]


def test_a_complete_row_in_chinese_is_accepted():
    row, errors = check(legal_representative="张三明", address="西宁市城东区八一路1号",
                        area="东关大街街道/北关社区", industry="6210", status="存续",
                        risk_level="高", credit_class="A", tags="重点监管；食品经营;重点监管")
    assert errors == []
    assert (row.kind, row.area_id, row.industry_code, row.status, row.risk_level, row.credit_class) \
        == ("company", 7, "6210", "active", "high", "A")
    assert row.tags == ("重点监管", "食品经营")


def test_a_wrong_check_digit_is_reported_on_the_code():
    body = GOOD_CODE[:-1]
    wrong = body + ("0" if GOOD_CODE[-1] != "0" else "1")
    error = only_error(code=wrong)
    assert (error.field, error.code) == ("code", "check_digit")
    assert wrong in error.message_zh and "校验位" in error.message_zh
    assert "check digit" in error.message_en


def test_a_code_of_the_wrong_length_or_alphabet_is_reported():
    assert only_error(code=GOOD_CODE[:-1]).code == "code_length"
    assert only_error(code="9163010" + "I" * 11).code == "code_format"


def test_codes_are_normalised_before_checking():
    row, errors = check(code=" " + GOOD_CODE.lower() + " ")
    assert errors == [] and row.code == GOOD_CODE


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_accepted_by_its_chinese_name_and_its_code(kind):
    entity = kind not in ("product", "project", "behaviour")
    code = credit_code(5, kind) if entity else None
    for written in (KINDS[kind].zh, kind):
        row, errors = validate_target_row({"code": code, "name": "某对象", "kind": written}, AREAS)
        assert errors == [] and row.kind == kind


def test_entities_need_a_credit_code_and_non_market_targets_do_not():
    assert only_error(code="", kind="个体工商户").code == "required"
    row, errors = validate_target_row({"name": "某某牌牦牛肉干", "kind": "产品"}, AREAS)
    assert errors == [] and row.code is None


def test_a_non_market_target_takes_only_a_platform_code_of_its_kind():
    assert only_error(kind="产品", code=GOOD_CODE).code == "platform_code"
    assert only_error(kind="产品", code="NM-PROJ-000001").code == "platform_code"
    row, errors = check(kind="产品", code="nm-prod-000012")
    assert errors == [] and row.code == "NM-PROD-000012"


def test_required_fields_are_each_reported():
    row, errors = validate_target_row({}, AREAS)
    assert row is None
    assert {(e.field, e.code) for e in errors} == {("kind", "required"), ("name", "required")}


def test_an_unknown_kind_lists_the_kinds():
    error = only_error(kind="股份公司")
    assert error.code == "unknown_kind" and "个体工商户" in error.message_zh


def test_an_unknown_area_is_reported():
    error = only_error(area="不存在街道/某社区")
    assert (error.field, error.code) == ("area", "unknown_area")
    assert "不存在街道/某社区" in error.message_zh


def test_an_area_is_named_by_code_path_or_name():
    for written in ("630102001001", "东关大街街道/北关社区", "北关社区"):
        assert check(area=written)[0].area_id == 7


@pytest.mark.parametrize("code", ["H", "h", "62", "621", "6210", "0111", "97", "T"])
def test_known_sections_and_codes_within_known_divisions_are_valid(code):
    row, errors = check(industry=code)
    assert errors == [] and row.industry_code == code.upper()


@pytest.mark.parametrize("code", ["U", "98", "00", "6", "62101", "6a", "餐饮"])
def test_an_unknown_industry_is_reported(code):
    error = only_error(industry=code)
    assert (error.field, error.code) == ("industry", "unknown_industry")
    assert "GB/T 4754-2017" in error.message_zh


def test_an_industry_may_be_written_with_its_name():
    assert check(industry="6210 正餐服务")[0].industry_code == "6210"


def test_the_classification_has_every_section_and_division_named():
    industries = classification()
    assert [s.code for s in industries.sections] == list("ABCDEFGHIJKLMNOPQRST")
    divisions = [d for s in industries.sections for d in industries.divisions_of[s.code]]
    assert divisions == [f"{n:02d}" for n in range(1, 98)]
    assert industries.by_code["62"].name == "餐饮业"
    assert industries.by_code["H"].name == "住宿和餐饮业"
    assert industries.by_code["05"].name == "农、林、牧、渔专业及辅助性活动"
    assert industries.describe("6210") == "6210 正餐服务"
    assert industries.section_of("5251") == "F"


@pytest.mark.parametrize(("field", "written", "stored"), [
    ("status", "注销", "deregistered"), ("status", "吊销，未注销", "revoked"),
    ("status", "迁出", "moved_out"), ("status", "active", "active"),
    ("risk_level", "中风险", "medium"), ("risk_level", "LOW", "low"),
    ("credit_class", "b", "B"), ("credit_class", "C类", "C"), ("credit_class", "D级", "D"),
])
def test_vocabularies_accept_chinese_and_codes(field, written, stored):
    row, errors = check(**{field: written})
    assert errors == [] and getattr(row, field) == stored


@pytest.mark.parametrize(("field", "written"), [
    ("status", "歇业中"), ("risk_level", "极高"), ("credit_class", "E")])
def test_unknown_vocabulary_values_are_reported(field, written):
    error = only_error(**{field: written})
    assert error.field == field and written in error.message_zh


def test_tags_are_checked_for_length_and_number():
    assert only_error(tags="长" * 51).code == "tag_too_long"
    assert only_error(tags="；".join(f"标签{n}" for n in range(21))).code == "too_many_tags"


def test_every_error_of_a_row_is_reported_at_once():
    row, errors = check(code="123", name="", area="无此区域", industry="99", credit_class="Z")
    assert row is None
    assert {e.field for e in errors} == {"code", "name", "area", "industry", "credit_class"}


def test_a_blank_cell_is_not_a_value():
    row, _errors = check(address="  ", area="")
    assert row.address is None and row.area_id is None
    assert row.shared_values().get("address", "absent") == "absent"
    assert row.shared_values(blanks_clear=True)["address"] is None


def test_credit_codes_made_for_tests_and_the_demo_are_valid():
    assert all(uscc.is_valid(credit_code(n, kind)) for n in range(1, 200) for kind in KINDS)
