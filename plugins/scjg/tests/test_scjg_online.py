"""The bureau's online pre-check: annual reports looked up in the sample of its disclosure system."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc

from spotcheck.hooks import PluginRegistry, build_plugin_manager
from spotcheck.plugin_api import TargetRef
from spotcheck_scjg.online import SETTLED_FIELD, annual_reports


@pytest.fixture(scope="module")
def registry() -> PluginRegistry:
    return build_plugin_manager(["scjg"])


def precheck(registry: PluginRegistry, code: str, item: str = "enterprise_disclosure"):
    return registry.call("SCJG", "spotcheck_online_precheck", item_code=item,
                         target=TargetRef(kind="company", identifier=code, name="某公司"))


def test_a_report_filed_by_the_deadline_settles_the_on_time_question(registry) -> None:
    result = precheck(registry, "91630102MA0000001G")
    assert result.status == "verified"
    assert result.verified_fields == (SETTLED_FIELD,)
    assert "2025-03-18" in result.summary_zh and "on time" in result.summary_en


def test_a_report_filed_on_the_deadline_itself_is_on_time(registry) -> None:
    assert precheck(registry, "91630102MA000000EQ").status == "verified"


@pytest.mark.parametrize("code", ["91630102MA0000002K", "91630102MA000000X7", "91630102MA0000003N"])
def test_a_late_or_missing_report_is_a_discrepancy_left_to_the_visit(registry, code) -> None:
    result = precheck(registry, code)
    assert result.status == "discrepancy"
    assert result.verified_fields == ()


def test_a_company_the_system_does_not_know_is_not_found(registry) -> None:
    result = precheck(registry, "91630102MA0000000D")
    assert (result.status, result.verified_fields) == ("not_found", ())


def test_other_items_have_no_online_check(registry) -> None:
    assert precheck(registry, "91630102MA0000001G", item="food_business") is None


def test_the_settled_field_is_a_question_of_the_items_form(registry) -> None:
    plugin = registry.loaded["SCJG"]
    form = plugin.forms[plugin.items["enterprise_disclosure"].form]
    assert SETTLED_FIELD in {field.name for field in form.fields}


def test_the_sample_holds_valid_credit_codes_only() -> None:
    assert all(uscc.is_valid(code) for code in annual_reports().filed_on)
