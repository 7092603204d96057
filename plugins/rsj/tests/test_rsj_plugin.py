"""The human resources and social security bureau's definitions load, validate and hang together."""

from __future__ import annotations

from spotcheck.hooks import DepartmentPlugin
from spotcheck.testing.plugins import DepartmentPluginChecks

MEMBER_UNITS = frozenset({"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"})


class TestRsjPlugin(DepartmentPluginChecks):
    entry_point = "rsj"
    department = "RSJ"
    transfers_to = MEMBER_UNITS
    sync_rows = 5
    items = frozenset({
        "child_labour", "labour_contracts", "labour_dispatch", "migrant_worker_wages",
        "social_insurance_registration", "wage_payment",
    })
    laws = frozenset({
        "《中华人民共和国劳动合同法》", "《中华人民共和国社会保险法》", "《保障农民工工资支付条例》",
        "《劳动保障监察条例》", "《禁止使用童工规定》",
    })
    outcomes = {
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

    def test_items_are_as_the_law_provides(self, plugin: DepartmentPlugin) -> None:
        assert {item.authority for item in plugin.items.values()} == {"labour_inspection"}
        assert "project" in plugin.items["migrant_worker_wages"].target_kinds
        assert not any(item.notice_forbidden or item.key_item for item in plugin.items.values())

    def test_wages_unpaid_after_the_order_go_to_the_judicial_organs(self, plugin: DepartmentPlugin) -> None:
        declaring = [code for code, item in plugin.items.items()
                     if "wage_arrears" in {f.code for f in item.findings}]
        assert declaring == ["wage_payment", "migrant_worker_wages"]
        assert plugin.rules["wage_arrears"].item is None
        assert plugin.rules["wage_arrears"].on_overdue.kind == "refer_judicial"
