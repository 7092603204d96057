"""The market regulation bureau's definitions load, validate and hang together."""

from __future__ import annotations

from importlib.metadata import entry_points
from importlib.resources import files

import pytest

from spotcheck.hooks import DepartmentPlugin, build_plugin_manager
from spotcheck.plugin_api import CONTRACT_VERSION, NON_COOPERATION_FINDINGS
from spotcheck_scjg import plugin


@pytest.fixture(scope="module")
def scjg() -> DepartmentPlugin:
    registry = build_plugin_manager(["scjg"])
    assert registry.refused == [], [str(e) for r in registry.refused for e in r.errors]
    return registry.loaded["SCJG"]


def test_installed_under_the_departments_entry_point() -> None:
    [entry_point] = [ep for ep in entry_points(group="spotcheck.departments") if ep.name == "scjg"]
    assert entry_point.load() is plugin


def test_department(scjg: DepartmentPlugin) -> None:
    assert scjg.department == plugin.DEPARTMENT
    assert (scjg.department.code, scjg.department.level) == ("SCJG", "district")
    # Fails when the core moves to a new contract: update the plugin, then this number.
    assert scjg.department.contract_version == CONTRACT_VERSION == 1


def test_item_list(scjg: DepartmentPlugin) -> None:
    assert set(scjg.items) == {"enterprise_disclosure", "food_business", "special_equipment_use",
                               "measuring_instruments", "product_quality_sampling"}
    laws = {basis.law for item in scjg.items.values() for basis in item.legal_basis}
    assert laws == {"《企业信息公示暂行条例》", "《中华人民共和国食品安全法》",
                    "《中华人民共和国特种设备安全法》", "《中华人民共和国计量法》",
                    "《中华人民共和国产品质量法》"}
    sampling = scjg.items["product_quality_sampling"]
    assert sampling.target_kinds == ("product",) and sampling.notice_forbidden
    assert scjg.items["special_equipment_use"].key_item


def test_every_item_has_its_own_form(scjg: DepartmentPlugin) -> None:
    assert sorted(item.form for item in scjg.items.values()) == sorted(scjg.forms)


def test_forms_are_bilingual_and_ask_something_required(scjg: DepartmentPlugin) -> None:
    for form in scjg.forms.values():
        assert any(field.required for field in form.fields), form.code
        for field in form.fields:
            assert field.label_zh and field.label_en
            assert all(choice.label_zh and choice.label_en for choice in field.choices)


def test_every_finding_but_one_has_a_followup_rule(scjg: DepartmentPlugin) -> None:
    declared = {(code, f.code) for code, item in scjg.items.items() for f in item.findings}
    handled = {(rule.item, rule.finding) for rule in scjg.rules.values()}
    # An enterprise that cannot be reached is listed as abnormal (经营异常名录): a credit
    # consequence of the published result, not one of the follow-up actions.
    assert declared - handled == {("enterprise_disclosure", "unreachable_at_address")}
    assert {finding for _item, finding in handled - declared} <= set(NON_COOPERATION_FINDINGS)


def test_data_files_ship_in_the_package() -> None:
    package = files("spotcheck_scjg")
    assert package.joinpath("items.yaml").is_file()
    assert len([p for p in package.joinpath("forms").iterdir() if p.name.endswith(".yaml")]) == 5
