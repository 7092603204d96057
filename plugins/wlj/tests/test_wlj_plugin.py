"""The culture and tourism bureau's definitions load, validate and hang together."""

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
from spotcheck_wlj import plugin
from spotcheck_wlj.sync import CultureLicenceRegister

MEMBER_UNITS = {"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"}


@pytest.fixture(scope="module")
def wlj() -> DepartmentPlugin:
    registry = build_plugin_manager(["wlj"])
    assert registry.refused == [], [str(e) for r in registry.refused for e in r.errors]
    return registry.loaded["WLJ"]


def outcome(rule: FollowUpRuleDef) -> str:
    """A rule's action and next step in one line: ``order 10 -> file_case``, ``transfer RSJ``."""
    action = rule.action
    if action.kind == "order_correction":
        return f"order {action.working_days} -> {rule.on_overdue.kind}"
    if action.kind == "transfer":
        return f"transfer {action.department}"
    return action.kind


def test_installed_under_the_departments_entry_point() -> None:
    [entry_point] = [ep for ep in entry_points(group="spotcheck.departments") if ep.name == "wlj"]
    assert entry_point.load() is plugin


def test_department(wlj: DepartmentPlugin) -> None:
    assert wlj.department == plugin.DEPARTMENT
    assert (wlj.department.code, wlj.department.level) == ("WLJ", "district")
    # Fails when the core moves to a new contract: update the plugin, then this number.
    assert wlj.department.contract_version == CONTRACT_VERSION == 1


def test_item_list(wlj: DepartmentPlugin) -> None:
    assert set(wlj.items) == {"entertainment_venue", "internet_cafe", "travel_agency",
                              "tour_guide_practice", "tourist_attraction"}
    laws = {basis.law for item in wlj.items.values() for basis in item.legal_basis}
    assert laws == {"《娱乐场所管理条例》", "《互联网上网服务营业场所管理条例》", "《中华人民共和国旅游法》"}
    assert {item.authority for item in wlj.items.values()} == {"cultural_market", "tourism_market"}
    assert wlj.items["tour_guide_practice"].target_kinds == ("behaviour",)
    assert not any(item.notice_forbidden or item.key_item for item in wlj.items.values())


def test_every_item_has_its_own_form(wlj: DepartmentPlugin) -> None:
    assert sorted(item.form for item in wlj.items.values()) == sorted(wlj.forms)


def test_form_files_validate_against_the_checklist_form_schema() -> None:
    documents = load_yaml_definitions("spotcheck_wlj", "forms")
    assert len(documents) == 5
    for document in documents:
        assert schema_errors("wlj", "form", document["code"], document) == []


def test_forms_are_bilingual_and_ask_something_required(wlj: DepartmentPlugin) -> None:
    for form in wlj.forms.values():
        assert any(field.required for field in form.fields), form.code
        for field in form.fields:
            assert field.label_zh and field.label_en
            assert all(choice.label_zh and choice.label_en for choice in field.choices)


def test_every_finding_has_a_followup_rule(wlj: DepartmentPlugin) -> None:
    declared = {(code, f.code) for code, item in wlj.items.items() for f in item.findings}
    handled = {(rule.item, rule.finding) for rule in wlj.rules.values()}
    assert declared - handled == set()
    assert {finding for item, finding in handled - declared} == {"refused_entry"}
    assert {"refused_entry"} <= set(NON_COOPERATION_FINDINGS)


def test_rules_give_the_actions_the_law_provides(wlj: DepartmentPlugin) -> None:
    by_finding = {(rule.item, rule.finding): outcome(rule) for rule in wlj.rules.values()}
    assert by_finding == {
        ("entertainment_venue", "no_entertainment_licence"): "file_case",
        ("entertainment_venue", "minors_admitted"): "file_case",
        ("entertainment_venue", "prohibited_content"): "file_case",
        ("entertainment_venue", "open_in_forbidden_hours"): "order 1 -> file_case",
        ("entertainment_venue", "no_staff_register_or_log"): "order 5 -> file_case",
        ("entertainment_venue", "no_warning_signs"): "order 3 -> file_case",
        ("entertainment_venue", "minors_employed"): "transfer RSJ",
        ("entertainment_venue", "prices_not_marked"): "transfer SCJG",
        ("entertainment_venue", "drugs_gambling_or_prostitution"): "refer_judicial",
        ("internet_cafe", "unlicensed_internet_cafe"): "file_case",
        ("internet_cafe", "minors_admitted"): "file_case",
        ("internet_cafe", "open_outside_hours"): "order 1 -> file_case",
        ("internet_cafe", "licence_or_sign_not_displayed"): "order 3 -> file_case",
        ("internet_cafe", "identity_not_registered"): "order 5 -> file_case",
        ("travel_agency", "unlicensed_travel_business"): "file_case",
        ("travel_agency", "deposit_not_paid"): "order 10 -> file_case",
        ("travel_agency", "unreasonably_cheap_tours"): "file_case",
        ("travel_agency", "no_liability_insurance"): "file_case",
        ("travel_agency", "no_written_contracts"): "order 10 -> file_case",
        ("travel_agency", "guides_without_labour_contracts"): "transfer RSJ",
        ("tour_guide_practice", "guiding_without_certificate"): "file_case",
        ("tour_guide_practice", "private_business"): "file_case",
        ("tour_guide_practice", "tips_or_forced_shopping"): "file_case",
        ("tour_guide_practice", "certificate_not_worn"): "order 1 -> file_case",
        ("tourist_attraction", "capacity_not_published"): "order 10 -> file_case",
        ("tourist_attraction", "over_capacity"): "order 1 -> file_case",
        ("tourist_attraction", "prices_not_displayed"): "transfer SCJG",
        ("tourist_attraction", "amusement_device_unsafe"): "transfer SCJG",
        ("tourist_attraction", "safety_hazard"): "transfer YJGL",
        (None, "refused_entry"): "file_case",
    }


def test_transfers_go_to_other_member_units(wlj: DepartmentPlugin) -> None:
    transfers = {rule.action.department for rule in wlj.rules.values() if rule.action.kind == "transfer"}
    assert transfers <= MEMBER_UNITS - {"WLJ"}


def test_data_files_ship_in_the_package() -> None:
    package = files("spotcheck_wlj")
    assert package.joinpath("items.yaml").is_file()
    assert len([p for p in package.joinpath("forms").iterdir() if p.name.endswith(".yaml")]) == 5
    assert package.joinpath("data", "culture_tourism_licences.csv").is_file()


def test_the_sync_source_is_the_culture_licence_register() -> None:
    source = build_plugin_manager(["wlj"]).call("WLJ", "spotcheck_target_sync_source")
    assert isinstance(source, CultureLicenceRegister)
    assert (source.code, source.name_zh) == ("culture_tourism_licences", "文化和旅游经营许可信息")


def test_the_register_yields_only_rows_changed_since_the_last_sync() -> None:
    source = CultureLicenceRegister()
    everything = list(source.fetch(None))
    assert len(everything) == 6
    assert all("changed_at" not in row and all(row.values()) for row in everything)
    since = datetime(2025, 6, 1, tzinfo=timezone.utc)
    assert [row["code"] for row in source.fetch(since)] == [
        "92630102MA6WL0008B", "91630102MA6WL0003Y", "91630102MA6WL00042"]
    assert list(source.fetch(datetime(2025, 7, 2))) == []  # a naive time is read as UTC


def test_the_register_syncs_into_the_directory_without_a_problem(app, db_session, factories):
    with app.app_context():
        load_areas(db_session, demo_area_document())
        department = factories.department("WLJ")
        registry = build_plugin_manager(["wlj"])
        first = sync_targets(db_session, department, registry, full=True)
        db_session.commit()
        again = sync_targets(db_session, department, registry, full=True)
    assert first.status == "applied" and first.report.problems == []
    assert first.report.counts["create"] == 6
    assert again.report.problems == [] and again.report.counts["unchanged"] == 6
