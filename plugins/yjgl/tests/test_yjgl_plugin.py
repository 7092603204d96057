"""The emergency management bureau's definitions load, validate and hang together."""

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
from spotcheck_yjgl import plugin
from spotcheck_yjgl.sync import LicenceRegister

MEMBER_UNITS = {"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"}


@pytest.fixture(scope="module")
def yjgl() -> DepartmentPlugin:
    registry = build_plugin_manager(["yjgl"])
    assert registry.refused == [], [str(e) for r in registry.refused for e in r.errors]
    return registry.loaded["YJGL"]


def outcome(rule: FollowUpRuleDef) -> str:
    """A rule's action and next step in one line: ``order 10 -> file_case``, ``transfer RSJ``."""
    action = rule.action
    if action.kind == "order_correction":
        return f"order {action.working_days} -> {rule.on_overdue.kind}"
    if action.kind == "transfer":
        return f"transfer {action.department}"
    return action.kind


def test_installed_under_the_departments_entry_point() -> None:
    [entry_point] = [ep for ep in entry_points(group="spotcheck.departments") if ep.name == "yjgl"]
    assert entry_point.load() is plugin


def test_department(yjgl: DepartmentPlugin) -> None:
    assert yjgl.department == plugin.DEPARTMENT
    assert (yjgl.department.code, yjgl.department.level) == ("YJGL", "district")
    # Fails when the core moves to a new contract: update the plugin, then this number.
    assert yjgl.department.contract_version == CONTRACT_VERSION == 1


def test_item_list(yjgl: DepartmentPlugin) -> None:
    assert set(yjgl.items) == {"safety_responsibility", "safety_training", "hazard_management",
                               "emergency_plan", "hazardous_chemicals_business"}
    laws = {basis.law for item in yjgl.items.values() for basis in item.legal_basis}
    assert laws == {"《中华人民共和国安全生产法》", "《危险化学品安全管理条例》"}
    assert {item.authority for item in yjgl.items.values()} == {"work_safety", "hazardous_chemicals"}
    assert [code for code, item in yjgl.items.items() if item.key_item] == ["hazardous_chemicals_business"]
    assert not any(item.notice_forbidden for item in yjgl.items.values())


def test_every_item_has_its_own_form(yjgl: DepartmentPlugin) -> None:
    assert sorted(item.form for item in yjgl.items.values()) == sorted(yjgl.forms)


def test_form_files_validate_against_the_checklist_form_schema() -> None:
    documents = load_yaml_definitions("spotcheck_yjgl", "forms")
    assert len(documents) == 5
    for document in documents:
        assert schema_errors("yjgl", "form", document["code"], document) == []


def test_forms_are_bilingual_and_ask_something_required(yjgl: DepartmentPlugin) -> None:
    for form in yjgl.forms.values():
        assert any(field.required for field in form.fields), form.code
        for field in form.fields:
            assert field.label_zh and field.label_en
            assert all(choice.label_zh and choice.label_en for choice in field.choices)


def test_every_finding_has_a_followup_rule(yjgl: DepartmentPlugin) -> None:
    declared = {(code, f.code) for code, item in yjgl.items.items() for f in item.findings}
    handled = {(rule.item, rule.finding) for rule in yjgl.rules.values()}
    assert declared - handled == set()
    assert {finding for item, finding in handled - declared} == {"refused_entry"}
    assert {"refused_entry"} <= set(NON_COOPERATION_FINDINGS)


def test_rules_give_the_actions_the_law_provides(yjgl: DepartmentPlugin) -> None:
    by_finding = {(rule.item, rule.finding): outcome(rule) for rule in yjgl.rules.values()}
    assert by_finding == {
        ("safety_responsibility", "no_responsibility_system"): "order 10 -> file_case",
        ("safety_responsibility", "no_safety_managers"): "order 10 -> file_case",
        ("safety_responsibility", "managers_not_assessed"): "order 20 -> file_case",
        ("safety_responsibility", "no_work_injury_insurance"): "transfer RSJ",
        ("safety_responsibility", "special_equipment_concern"): "transfer SCJG",
        ("safety_training", "training_not_given"): "order 10 -> file_case",
        ("safety_training", "training_not_recorded"): "order 5 -> file_case",
        ("safety_training", "unqualified_special_operators"): "file_case",
        ("hazard_management", "no_hazard_system"): "order 10 -> file_case",
        ("hazard_management", "hazard_not_removed"): "order 5 -> file_case",
        ("hazard_management", "major_hazard"): "order 3 -> refer_judicial",
        ("hazard_management", "gas_alarm_missing"): "order 5 -> file_case",
        ("hazard_management", "exits_blocked"): "order 1 -> file_case",
        ("emergency_plan", "no_emergency_plan"): "order 10 -> file_case",
        ("emergency_plan", "no_drills"): "order 20 -> file_case",
        ("emergency_plan", "no_rescue_equipment"): "order 10 -> file_case",
        ("hazardous_chemicals_business", "unlicensed_chemicals_business"): "file_case",
        ("hazardous_chemicals_business", "no_safety_data_sheet"): "order 5 -> file_case",
        ("hazardous_chemicals_business", "improper_storage"): "file_case",
        ("hazardous_chemicals_business", "waste_chemicals_disposal"): "transfer STHJ",
        (None, "refused_entry"): "file_case",
    }


def test_transfers_go_to_other_member_units(yjgl: DepartmentPlugin) -> None:
    transfers = {rule.action.department for rule in yjgl.rules.values() if rule.action.kind == "transfer"}
    assert transfers <= MEMBER_UNITS - {"YJGL"}


def test_data_files_ship_in_the_package() -> None:
    package = files("spotcheck_yjgl")
    assert package.joinpath("items.yaml").is_file()
    assert len([p for p in package.joinpath("forms").iterdir() if p.name.endswith(".yaml")]) == 5
    assert package.joinpath("data", "hazardous_chemicals_licences.csv").is_file()


def test_the_sync_source_is_the_licence_register() -> None:
    source = build_plugin_manager(["yjgl"]).call("YJGL", "spotcheck_target_sync_source")
    assert isinstance(source, LicenceRegister)
    assert (source.code, source.name_zh) == ("hazchem_licences", "危险化学品经营许可证核发信息")


def test_the_licence_register_yields_only_rows_changed_since_the_last_sync() -> None:
    source = LicenceRegister()
    everything = list(source.fetch(None))
    assert len(everything) == 6
    assert all("changed_at" not in row and all(row.values()) for row in everything)
    since = datetime(2025, 5, 1, tzinfo=timezone.utc)
    assert [row["code"] for row in source.fetch(since)] == [
        "91630102MA6YJ0004P", "91630102MA6YJ0005T", "92630102MA6YJ0007X"]
    assert list(source.fetch(datetime(2025, 7, 1))) == []  # a naive time is read as UTC


def test_the_licence_register_syncs_into_the_directory_without_a_problem(app, db_session, factories):
    with app.app_context():
        load_areas(db_session, demo_area_document())
        department = factories.department("YJGL")
        registry = build_plugin_manager(["yjgl"])
        first = sync_targets(db_session, department, registry, full=True)
        db_session.commit()
        again = sync_targets(db_session, department, registry, full=True)
    assert first.status == "applied" and first.report.problems == []
    assert first.report.counts["create"] == 6
    assert again.report.problems == [] and again.report.counts["unchanged"] == 6
