"""The health bureau's definitions load, validate and hang together."""

from __future__ import annotations

from spotcheck.hooks import DepartmentPlugin
from spotcheck.testing.plugins import DepartmentPluginChecks

MEMBER_UNITS = frozenset({"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"})


class TestWsjkPlugin(DepartmentPluginChecks):
    entry_point = "wsjk"
    department = "WSJK"
    transfers_to = MEMBER_UNITS
    sync_rows = 6
    items = frozenset({
        "disinfection_management", "medical_institution_practice", "medical_waste", "occupational_health",
        "public_place_hygiene",
    })
    laws = frozenset({
        "《中华人民共和国职业病防治法》", "《公共场所卫生管理条例》", "《医疗废物管理条例》",
        "《医疗机构管理条例》", "《消毒管理办法》",
    })
    outcomes = {
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

    def test_items_are_as_the_law_provides(self, plugin: DepartmentPlugin) -> None:
        assert {item.authority for item in plugin.items.values()} == {
            "public_health", "medical_supervision", "disease_control", "occupational_health"}
        assert not any(item.notice_forbidden or item.key_item for item in plugin.items.values())
