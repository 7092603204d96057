"""The health bureau's definitions load, validate and hang together."""

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
from spotcheck_wsjk import plugin
from spotcheck_wsjk.sync import HygieneLicenceRegister

MEMBER_UNITS = {"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"}


@pytest.fixture(scope="module")
def wsjk() -> DepartmentPlugin:
    registry = build_plugin_manager(["wsjk"])
    assert registry.refused == [], [str(e) for r in registry.refused for e in r.errors]
    return registry.loaded["WSJK"]


def outcome(rule: FollowUpRuleDef) -> str:
    """A rule's action and next step in one line: ``order 10 -> file_case``, ``transfer RSJ``."""
    action = rule.action
    if action.kind == "order_correction":
        return f"order {action.working_days} -> {rule.on_overdue.kind}"
    if action.kind == "transfer":
        return f"transfer {action.department}"
    return action.kind


def test_installed_under_the_departments_entry_point() -> None:
    [entry_point] = [ep for ep in entry_points(group="spotcheck.departments") if ep.name == "wsjk"]
    assert entry_point.load() is plugin


def test_department(wsjk: DepartmentPlugin) -> None:
    assert wsjk.department == plugin.DEPARTMENT
    assert (wsjk.department.code, wsjk.department.level) == ("WSJK", "district")
    # Fails when the core moves to a new contract: update the plugin, then this number.
    assert wsjk.department.contract_version == CONTRACT_VERSION == 1


def test_item_list(wsjk: DepartmentPlugin) -> None:
    assert set(wsjk.items) == {"public_place_hygiene", "medical_institution_practice",
                               "disinfection_management", "medical_waste", "occupational_health"}
    laws = {basis.law for item in wsjk.items.values() for basis in item.legal_basis}
    assert laws == {"《公共场所卫生管理条例》", "《医疗机构管理条例》", "《消毒管理办法》",
                    "《医疗废物管理条例》", "《中华人民共和国职业病防治法》"}
    assert {item.authority for item in wsjk.items.values()} == {
        "public_health", "medical_supervision", "disease_control", "occupational_health"}
    assert not any(item.notice_forbidden or item.key_item for item in wsjk.items.values())


def test_every_item_has_its_own_form(wsjk: DepartmentPlugin) -> None:
    assert sorted(item.form for item in wsjk.items.values()) == sorted(wsjk.forms)


def test_form_files_validate_against_the_checklist_form_schema() -> None:
    documents = load_yaml_definitions("spotcheck_wsjk", "forms")
    assert len(documents) == 5
    for document in documents:
        assert schema_errors("wsjk", "form", document["code"], document) == []


def test_forms_are_bilingual_and_ask_something_required(wsjk: DepartmentPlugin) -> None:
    for form in wsjk.forms.values():
        assert any(field.required for field in form.fields), form.code
        for field in form.fields:
            assert field.label_zh and field.label_en
            assert all(choice.label_zh and choice.label_en for choice in field.choices)


def test_every_finding_has_a_followup_rule(wsjk: DepartmentPlugin) -> None:
    declared = {(code, f.code) for code, item in wsjk.items.items() for f in item.findings}
    handled = {(rule.item, rule.finding) for rule in wsjk.rules.values()}
    assert declared - handled == set()
    assert {finding for item, finding in handled - declared} == {"refused_entry"}
    assert {"refused_entry"} <= set(NON_COOPERATION_FINDINGS)


def test_rules_give_the_actions_the_law_provides(wsjk: DepartmentPlugin) -> None:
    by_finding = {(rule.item, rule.finding): outcome(rule) for rule in wsjk.rules.values()}
    assert by_finding == {
        ("public_place_hygiene", "no_hygiene_licence"): "file_case",
        ("public_place_hygiene", "staff_without_health_certificate"): "order 5 -> file_case",
        ("public_place_hygiene", "below_hygiene_standard"): "order 10 -> file_case",
        ("public_place_hygiene", "no_hygiene_management"): "order 10 -> file_case",
        ("public_place_hygiene", "no_entertainment_licence"): "transfer WLJ",
        ("medical_institution_practice", "unlicensed_practice"): "file_case",
        ("medical_institution_practice", "beyond_registered_subjects"): "file_case",
        ("medical_institution_practice", "non_health_technicians"): "file_case",
        ("medical_institution_practice", "licence_not_displayed"): "order 3 -> file_case",
        ("medical_institution_practice", "suspected_illegal_practice_crime"): "refer_judicial",
        ("disinfection_management", "no_disinfection_system"): "order 10 -> file_case",
        ("disinfection_management", "sterilisation_failed"): "file_case",
        ("disinfection_management", "disposables_not_treated"): "order 5 -> file_case",
        ("disinfection_management", "no_purchase_inspection"): "order 10 -> file_case",
        ("medical_waste", "waste_not_registered"): "order 5 -> file_case",
        ("medical_waste", "waste_not_sorted"): "order 5 -> file_case",
        ("medical_waste", "improper_temporary_storage"): "order 5 -> file_case",
        ("medical_waste", "waste_sold_or_handed_to_unlicensed"): "transfer STHJ",
        ("occupational_health", "hazards_not_declared"): "order 10 -> file_case",
        ("occupational_health", "no_notice_board"): "order 5 -> file_case",
        ("occupational_health", "hazards_not_tested"): "order 20 -> file_case",
        ("occupational_health", "no_health_examinations"): "order 20 -> file_case",
        ("occupational_health", "no_work_injury_insurance"): "transfer RSJ",
        (None, "refused_entry"): "file_case",
    }


def test_transfers_go_to_other_member_units(wsjk: DepartmentPlugin) -> None:
    transfers = {rule.action.department for rule in wsjk.rules.values() if rule.action.kind == "transfer"}
    assert transfers <= MEMBER_UNITS - {"WSJK"}


def test_data_files_ship_in_the_package() -> None:
    package = files("spotcheck_wsjk")
    assert package.joinpath("items.yaml").is_file()
    assert len([p for p in package.joinpath("forms").iterdir() if p.name.endswith(".yaml")]) == 5
    assert package.joinpath("data", "hygiene_licences.csv").is_file()


def test_the_sync_source_is_the_hygiene_licence_register() -> None:
    source = build_plugin_manager(["wsjk"]).call("WSJK", "spotcheck_target_sync_source")
    assert isinstance(source, HygieneLicenceRegister)
    assert (source.code, source.name_zh) == ("hygiene_licences", "公共场所卫生许可证发放信息")


def test_the_register_yields_only_rows_changed_since_the_last_sync() -> None:
    source = HygieneLicenceRegister()
    everything = list(source.fetch(None))
    assert len(everything) == 6
    assert all("changed_at" not in row and all(row.values()) for row in everything)
    since = datetime(2025, 4, 1, tzinfo=timezone.utc)
    assert [row["code"] for row in source.fetch(since)] == [
        "91630102MA6WJ0003F", "91630102MA6WJ0004J", "92630102MA6WJ0008U"]
    assert list(source.fetch(datetime(2025, 6, 1))) == []  # a naive time is read as UTC


def test_the_register_syncs_into_the_directory_without_a_problem(app, db_session, factories):
    with app.app_context():
        load_areas(db_session, demo_area_document())
        department = factories.department("WSJK")
        registry = build_plugin_manager(["wsjk"])
        first = sync_targets(db_session, department, registry, full=True)
        db_session.commit()
        again = sync_targets(db_session, department, registry, full=True)
    assert first.status == "applied" and first.report.problems == []
    assert first.report.counts["create"] == 6
    assert again.report.problems == [] and again.report.counts["unchanged"] == 6
