"""The ecology and environment branch's definitions load, validate and hang together."""

from __future__ import annotations

from datetime import datetime, timezone
from importlib.metadata import entry_points
from importlib.resources import files

import pytest

from spotcheck.demo.targets import demo_area_document
from spotcheck.hooks import DepartmentPlugin, build_plugin_manager
from spotcheck.hooks.validation import schema_errors
from spotcheck.plugin_api import (
    CONTRACT_VERSION,
    NON_COOPERATION_FINDINGS,
    FollowUpRuleDef,
    load_yaml_definitions,
)
from spotcheck.registry.areas import load_areas
from spotcheck.registry.sync import sync_targets
from spotcheck_sthj import plugin
from spotcheck_sthj.sync import PermitRegister

MEMBER_UNITS = {"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"}


@pytest.fixture(scope="module")
def sthj() -> DepartmentPlugin:
    registry = build_plugin_manager(["sthj"])
    assert registry.refused == [], [str(e) for r in registry.refused for e in r.errors]
    return registry.loaded["STHJ"]


def outcome(rule: FollowUpRuleDef) -> str:
    """A rule's action and next step in one line: ``order 10 -> file_case``, ``transfer RSJ``."""
    action = rule.action
    if action.kind == "order_correction":
        return f"order {action.working_days} -> {rule.on_overdue.kind}"
    if action.kind == "transfer":
        return f"transfer {action.department}"
    return action.kind


def test_installed_under_the_departments_entry_point() -> None:
    [entry_point] = [ep for ep in entry_points(group="spotcheck.departments") if ep.name == "sthj"]
    assert entry_point.load() is plugin


def test_department(sthj: DepartmentPlugin) -> None:
    assert sthj.department == plugin.DEPARTMENT
    assert (sthj.department.code, sthj.department.level) == ("STHJ", "city")
    # Fails when the core moves to a new contract: update the plugin, then this number.
    assert sthj.department.contract_version == CONTRACT_VERSION == 1


def test_item_list(sthj: DepartmentPlugin) -> None:
    assert set(sthj.items) == {"discharge_permit", "construction_project_eia", "hazardous_waste",
                               "voc_control", "automatic_monitoring"}
    laws = {basis.law for item in sthj.items.values() for basis in item.legal_basis}
    assert laws == {"《排污许可管理条例》", "《中华人民共和国环境影响评价法》", "《建设项目环境保护管理条例》",
                    "《中华人民共和国固体废物污染环境防治法》", "《中华人民共和国大气污染防治法》"}
    assert {item.authority for item in sthj.items.values()} == {
        "pollution_control", "construction_project_eia", "solid_waste"}
    assert [code for code, item in sthj.items.items() if item.key_item] == ["automatic_monitoring"]
    assert "project" in sthj.items["construction_project_eia"].target_kinds


def test_every_item_has_its_own_form(sthj: DepartmentPlugin) -> None:
    assert sorted(item.form for item in sthj.items.values()) == sorted(sthj.forms)


def test_form_files_validate_against_the_checklist_form_schema() -> None:
    documents = load_yaml_definitions("spotcheck_sthj", "forms")
    assert len(documents) == 5
    for document in documents:
        assert schema_errors("sthj", "form", document["code"], document) == []


def test_forms_are_bilingual_and_ask_something_required(sthj: DepartmentPlugin) -> None:
    for form in sthj.forms.values():
        assert any(field.required for field in form.fields), form.code
        for field in form.fields:
            assert field.label_zh and field.label_en
            assert all(choice.label_zh and choice.label_en for choice in field.choices)


def test_every_finding_has_a_followup_rule(sthj: DepartmentPlugin) -> None:
    declared = {(code, f.code) for code, item in sthj.items.items() for f in item.findings}
    handled = {(rule.item, rule.finding) for rule in sthj.rules.values()}
    for_any_item = {finding for item, finding in handled if item is None}
    assert {(item, finding) for item, finding in declared if finding not in for_any_item} <= handled
    assert for_any_item - {f for _, f in declared} == {"refused_entry"}
    assert {"refused_entry"} <= set(NON_COOPERATION_FINDINGS)


def test_rules_give_the_actions_the_law_provides(sthj: DepartmentPlugin) -> None:
    by_finding = {(rule.item, rule.finding): outcome(rule) for rule in sthj.rules.values()}
    assert by_finding == {
        ("discharge_permit", "discharging_without_permit"): "file_case",
        ("discharge_permit", "exceeding_permitted_limits"): "file_case",
        ("discharge_permit", "self_monitoring_missing"): "order 10 -> file_case",
        ("discharge_permit", "ledger_missing"): "order 10 -> file_case",
        ("discharge_permit", "execution_report_missing"): "order 10 -> file_case",
        (None, "evading_supervision"): "file_case",
        (None, "suspected_pollution_crime"): "refer_judicial",
        ("construction_project_eia", "built_without_eia_approval"): "file_case",
        ("construction_project_eia", "facilities_not_accepted"): "file_case",
        ("construction_project_eia", "acceptance_report_not_public"): "order 10 -> file_case",
        ("hazardous_waste", "no_identification_signs"): "order 10 -> file_case",
        ("hazardous_waste", "no_management_plan_or_ledger"): "order 10 -> file_case",
        ("hazardous_waste", "improper_storage"): "file_case",
        ("hazardous_waste", "handed_to_unlicensed"): "file_case",
        ("hazardous_waste", "no_transfer_manifest"): "file_case",
        ("hazardous_waste", "medical_waste_in_institution"): "transfer WSJK",
        ("voc_control", "process_not_enclosed"): "order 10 -> file_case",
        ("voc_control", "coating_ledger_missing"): "order 10 -> file_case",
        ("voc_control", "vapour_recovery_missing"): "order 10 -> file_case",
        ("voc_control", "noncompliant_voc_products"): "transfer SCJG",
        ("automatic_monitoring", "monitoring_not_connected"): "order 10 -> file_case",
        ("automatic_monitoring", "abnormal_data_not_reported"): "order 5 -> file_case",
        ("automatic_monitoring", "information_not_public"): "order 10 -> file_case",
        ("automatic_monitoring", "monitoring_equipment_tampered"): "file_case",
        (None, "refused_entry"): "file_case",
    }


def test_a_finding_declared_by_two_items_has_one_rule_for_both(sthj: DepartmentPlugin) -> None:
    declaring = {finding.code: [code for code, item in sthj.items.items()
                                if finding.code in {f.code for f in item.findings}]
                 for item in sthj.items.values() for finding in item.findings}
    assert declaring["evading_supervision"] == ["discharge_permit", "automatic_monitoring"]
    assert declaring["suspected_pollution_crime"] == ["discharge_permit", "hazardous_waste"]


def test_transfers_go_to_other_member_units(sthj: DepartmentPlugin) -> None:
    transfers = {rule.action.department for rule in sthj.rules.values() if rule.action.kind == "transfer"}
    assert transfers <= MEMBER_UNITS - {"STHJ"}


def test_data_files_ship_in_the_package() -> None:
    package = files("spotcheck_sthj")
    assert package.joinpath("items.yaml").is_file()
    assert len([p for p in package.joinpath("forms").iterdir() if p.name.endswith(".yaml")]) == 5
    assert package.joinpath("data", "discharge_permits.csv").is_file()


def test_the_sync_source_is_the_permit_register() -> None:
    source = build_plugin_manager(["sthj"]).call("STHJ", "spotcheck_target_sync_source")
    assert isinstance(source, PermitRegister)
    assert (source.code, source.name_zh) == ("discharge_permits", "排污许可证核发信息")


def test_the_register_yields_only_rows_changed_since_the_last_sync() -> None:
    source = PermitRegister()
    everything = list(source.fetch(None))
    assert len(everything) == 6
    assert all("changed_at" not in row and all(row.values()) for row in everything)
    since = datetime(2025, 3, 1, tzinfo=timezone.utc)
    assert [row["code"] for row in source.fetch(since)] == [
        "12630102MA6HJ0009T", "91630102MA6HJ00046", "92630102MA6HJ0007C"]
    assert list(source.fetch(datetime(2025, 5, 1))) == []  # a naive time is read as UTC


def test_the_register_syncs_into_the_directory_without_a_problem(app, db_session, factories):
    with app.app_context():
        load_areas(db_session, demo_area_document())
        department = factories.department("STHJ")
        registry = build_plugin_manager(["sthj"])
        first = sync_targets(db_session, department, registry, full=True)
        db_session.commit()
        again = sync_targets(db_session, department, registry, full=True)
    assert first.status == "applied" and first.report.problems == []
    assert first.report.counts["create"] == 6
    assert again.report.problems == [] and again.report.counts["unchanged"] == 6
