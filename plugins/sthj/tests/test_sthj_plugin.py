"""The ecology and environment branch's definitions load, validate and hang together."""

from __future__ import annotations

from spotcheck.hooks import DepartmentPlugin
from spotcheck.testing.plugins import DepartmentPluginChecks

MEMBER_UNITS = frozenset({"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"})


class TestSthjPlugin(DepartmentPluginChecks):
    entry_point = "sthj"
    department = "STHJ"
    transfers_to = MEMBER_UNITS
    sync_rows = 6
    items = frozenset({
        "automatic_monitoring", "construction_project_eia", "discharge_permit", "hazardous_waste",
        "voc_control",
    })
    laws = frozenset({
        "《中华人民共和国固体废物污染环境防治法》", "《中华人民共和国大气污染防治法》", "《中华人民共和国环境影响评价法》",
        "《建设项目环境保护管理条例》", "《排污许可管理条例》",
    })
    outcomes = {
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

    def test_items_are_as_the_law_provides(self, plugin: DepartmentPlugin) -> None:
        assert {item.authority for item in plugin.items.values()} == {
            "pollution_control", "construction_project_eia", "solid_waste"}
        assert [code for code, item in plugin.items.items() if item.key_item] == ["automatic_monitoring"]
        assert "project" in plugin.items["construction_project_eia"].target_kinds

    def test_a_finding_declared_by_two_items_has_one_rule_for_both(self, plugin: DepartmentPlugin) -> None:
        declaring = {finding.code: [code for code, item in plugin.items.items()
                                    if finding.code in {f.code for f in item.findings}]
                     for item in plugin.items.values() for finding in item.findings}
        assert declaring["evading_supervision"] == ["discharge_permit", "automatic_monitoring"]
        assert declaring["suspected_pollution_crime"] == ["discharge_permit", "hazardous_waste"]
