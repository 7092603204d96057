"""The emergency management bureau's definitions load, validate and hang together."""

from __future__ import annotations

from spotcheck.hooks import DepartmentPlugin
from spotcheck.testing.plugins import DepartmentPluginChecks

MEMBER_UNITS = frozenset({"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"})


class TestYjglPlugin(DepartmentPluginChecks):
    entry_point = "yjgl"
    department = "YJGL"
    transfers_to = MEMBER_UNITS
    sync_rows = 6
    items = frozenset({
        "emergency_plan", "hazard_management", "hazardous_chemicals_business", "safety_responsibility",
        "safety_training",
    })
    laws = frozenset({"《中华人民共和国安全生产法》", "《危险化学品安全管理条例》"})
    outcomes = {
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

    def test_items_are_as_the_law_provides(self, plugin: DepartmentPlugin) -> None:
        assert {item.authority for item in plugin.items.values()} == {"work_safety", "hazardous_chemicals"}
        assert [code for code, item in plugin.items.items() if item.key_item] == ["hazardous_chemicals_business"]
        assert not any(item.notice_forbidden for item in plugin.items.values())
