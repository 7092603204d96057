"""The human resources and social security bureau's definitions load, validate and hang together."""

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
from spotcheck_rsj import plugin
from spotcheck_rsj.sync import ProjectRegister

MEMBER_UNITS = {"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"}


@pytest.fixture(scope="module")
def rsj() -> DepartmentPlugin:
    registry = build_plugin_manager(["rsj"])
    assert registry.refused == [], [str(e) for r in registry.refused for e in r.errors]
    return registry.loaded["RSJ"]


def outcome(rule: FollowUpRuleDef) -> str:
    """A rule's action and next step in one line: ``order 10 -> file_case``, ``transfer RSJ``."""
    action = rule.action
    if action.kind == "order_correction":
        return f"order {action.working_days} -> {rule.on_overdue.kind}"
    if action.kind == "transfer":
        return f"transfer {action.department}"
    return action.kind


def test_installed_under_the_departments_entry_point() -> None:
    [entry_point] = [ep for ep in entry_points(group="spotcheck.departments") if ep.name == "rsj"]
    assert entry_point.load() is plugin


def test_department(rsj: DepartmentPlugin) -> None:
    assert rsj.department == plugin.DEPARTMENT
    assert (rsj.department.code, rsj.department.level) == ("RSJ", "district")
    # Fails when the core moves to a new contract: update the plugin, then this number.
    assert rsj.department.contract_version == CONTRACT_VERSION == 1


def test_item_list(rsj: DepartmentPlugin) -> None:
    assert set(rsj.items) == {"labour_contracts", "wage_payment", "child_labour",
                              "social_insurance_registration", "labour_dispatch",
                              "migrant_worker_wages"}
    laws = {basis.law for item in rsj.items.values() for basis in item.legal_basis}
    assert laws == {"《劳动保障监察条例》", "《中华人民共和国劳动合同法》", "《禁止使用童工规定》",
                    "《中华人民共和国社会保险法》", "《保障农民工工资支付条例》"}
    assert {item.authority for item in rsj.items.values()} == {"labour_inspection"}
    assert "project" in rsj.items["migrant_worker_wages"].target_kinds
    assert not any(item.notice_forbidden or item.key_item for item in rsj.items.values())


def test_every_item_has_its_own_form(rsj: DepartmentPlugin) -> None:
    assert sorted(item.form for item in rsj.items.values()) == sorted(rsj.forms)


def test_form_files_validate_against_the_checklist_form_schema() -> None:
    documents = load_yaml_definitions("spotcheck_rsj", "forms")
    assert len(documents) == 6
    for document in documents:
        assert schema_errors("rsj", "form", document["code"], document) == []


def test_forms_are_bilingual_and_ask_something_required(rsj: DepartmentPlugin) -> None:
    for form in rsj.forms.values():
        assert any(field.required for field in form.fields), form.code
        for field in form.fields:
            assert field.label_zh and field.label_en
            assert all(choice.label_zh and choice.label_en for choice in field.choices)


def test_every_finding_has_a_followup_rule(rsj: DepartmentPlugin) -> None:
    declared = {(code, f.code) for code, item in rsj.items.items() for f in item.findings}
    handled = {(rule.item, rule.finding) for rule in rsj.rules.values()}
    for_any_item = {finding for item, finding in handled if item is None}
    assert {(item, finding) for item, finding in declared if finding not in for_any_item} <= handled
    assert for_any_item - {f for _, f in declared} == {"refused_entry"}
    assert {"refused_entry"} <= set(NON_COOPERATION_FINDINGS)


def test_rules_give_the_actions_the_law_provides(rsj: DepartmentPlugin) -> None:
    by_finding = {(rule.item, rule.finding): outcome(rule) for rule in rsj.rules.values()}
    assert by_finding == {
        ("labour_contracts", "no_written_contracts"): "order 10 -> file_case",
        ("labour_contracts", "no_staff_roster"): "order 10 -> file_case",
        ("labour_contracts", "unlicensed_employer"): "transfer SCJG",
        ("labour_contracts", "workplace_safety_hazard"): "transfer YJGL",
        ("labour_contracts", "occupational_hazard"): "transfer WSJK",
        (None, "wage_arrears"): "order 5 -> refer_judicial",
        ("wage_payment", "below_minimum_wage"): "order 5 -> file_case",
        ("wage_payment", "unlawful_overtime"): "order 10 -> file_case",
        ("child_labour", "child_labour_used"): "file_case",
        ("child_labour", "hiring_records_missing"): "file_case",
        ("child_labour", "suspected_child_labour_crime"): "refer_judicial",
        ("social_insurance_registration", "staff_not_registered"): "order 10 -> file_case",
        ("social_insurance_registration", "wages_under_declared"): "file_case",
        ("labour_dispatch", "unlicensed_dispatch"): "file_case",
        ("labour_dispatch", "dispatch_beyond_limits"): "order 20 -> file_case",
        ("migrant_worker_wages", "no_dedicated_wage_account"): "order 10 -> file_case",
        ("migrant_worker_wages", "no_wage_deposit"): "order 10 -> file_case",
        ("migrant_worker_wages", "no_real_name_registration"): "order 10 -> file_case",
        ("migrant_worker_wages", "no_rights_notice_board"): "order 5 -> file_case",
        (None, "refused_entry"): "file_case",
    }


def test_wages_unpaid_after_the_order_go_to_the_judicial_organs(rsj: DepartmentPlugin) -> None:
    declaring = [code for code, item in rsj.items.items()
                 if "wage_arrears" in {f.code for f in item.findings}]
    assert declaring == ["wage_payment", "migrant_worker_wages"]
    assert rsj.rules["wage_arrears"].item is None
    assert rsj.rules["wage_arrears"].on_overdue.kind == "refer_judicial"


def test_transfers_go_to_other_member_units(rsj: DepartmentPlugin) -> None:
    transfers = {rule.action.department for rule in rsj.rules.values() if rule.action.kind == "transfer"}
    assert transfers <= MEMBER_UNITS - {"RSJ"}


def test_data_files_ship_in_the_package() -> None:
    package = files("spotcheck_rsj")
    assert package.joinpath("items.yaml").is_file()
    assert len([p for p in package.joinpath("forms").iterdir() if p.name.endswith(".yaml")]) == 6
    assert package.joinpath("data", "construction_projects.csv").is_file()


def test_the_sync_source_is_the_project_register() -> None:
    source = build_plugin_manager(["rsj"]).call("RSJ", "spotcheck_target_sync_source")
    assert isinstance(source, ProjectRegister)
    assert (source.code, source.name_zh) == ("construction_projects", "农民工工资支付监控预警平台在建项目")


def test_the_register_yields_only_rows_changed_since_the_last_sync() -> None:
    source = ProjectRegister()
    everything = list(source.fetch(None))
    assert len(everything) == 5 and {row["kind"] for row in everything} == {"项目"}
    assert all("changed_at" not in row and all(row.values()) for row in everything)
    since = datetime(2025, 5, 1, tzinfo=timezone.utc)
    assert [row["name"] for row in source.fetch(since)] == [
        "夏都花园三期住宅项目", "乐家湾镇金桥路道路改造工程"]
    assert list(source.fetch(datetime(2025, 6, 6))) == []  # a naive time is read as UTC


def test_the_register_syncs_into_the_directory_without_a_problem(app, db_session, factories):
    with app.app_context():
        load_areas(db_session, demo_area_document())
        department = factories.department("RSJ")
        registry = build_plugin_manager(["rsj"])
        first = sync_targets(db_session, department, registry, full=True)
        db_session.commit()
        again = sync_targets(db_session, department, registry, full=True)
    assert first.status == "applied" and first.report.problems == []
    assert first.report.counts["create"] == 5
    # Projects have no credit code: the second sync finds each by kind and name.
    assert again.report.problems == [] and again.report.counts["unchanged"] == 5
