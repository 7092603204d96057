"""The market regulation bureau's definitions load, validate and hang together."""

from __future__ import annotations

from spotcheck.hooks import DepartmentPlugin
from spotcheck.testing.plugins import DepartmentPluginChecks


class TestScjgPlugin(DepartmentPluginChecks):
    entry_point = "scjg"
    department = "SCJG"
    transfers_to = frozenset({"ZJJ"})
    # An enterprise that cannot be reached is listed as abnormal (经营异常名录): a credit
    # consequence of the published result, not one of the follow-up actions.
    unhandled_findings = frozenset({("enterprise_disclosure", "unreachable_at_address")})
    sync_rows = None
    items = frozenset({
        "enterprise_disclosure", "food_business", "measuring_instruments", "product_quality_sampling",
        "special_equipment_use",
    })
    laws = frozenset({
        "《中华人民共和国产品质量法》", "《中华人民共和国特种设备安全法》", "《中华人民共和国计量法》",
        "《中华人民共和国食品安全法》", "《企业信息公示暂行条例》",
    })
    # ZJJ, the housing bureau, is no bundled plugin: see the note at the top of rules.yaml.
    outcomes = {
        ("enterprise_disclosure", "not_publicised"): "order 10 -> file_case",
        ("enterprise_disclosure", "false_information"): "file_case",
        ("food_business", "no_licence"): "file_case",
        ("food_business", "staff_health_certificate_missing"): "order 5 -> file_case",
        ("food_business", "purchase_records_missing"): "order 5 -> file_case",
        ("food_business", "expired_food"): "file_case",
        ("food_business", "suspected_food_crime"): "refer_judicial",
        ("food_business", "refused_entry"): "file_case",
        ("special_equipment_use", "unregistered_equipment"): "order 10 -> file_case",
        ("special_equipment_use", "overdue_periodic_inspection"): "file_case",
        ("special_equipment_use", "unqualified_operators"): "order 10 -> file_case",
        ("special_equipment_use", "no_technical_file"): "order 10 -> file_case",
        ("special_equipment_use", "construction_site_equipment"): "transfer ZJJ",
        ("measuring_instruments", "unverified_instrument"): "order 5 -> file_case",
        ("measuring_instruments", "accuracy_impaired"): "file_case",
        ("product_quality_sampling", "unqualified_product"): "order 30 -> file_case",
    }

    def test_items_are_as_the_law_provides(self, plugin: DepartmentPlugin) -> None:
        sampling = plugin.items["product_quality_sampling"]
        assert sampling.target_kinds == ("product",) and sampling.notice_forbidden
        assert plugin.items["special_equipment_use"].key_item
