"""The culture and tourism bureau's definitions load, validate and hang together."""

from __future__ import annotations

from spotcheck.hooks import DepartmentPlugin
from spotcheck.testing.plugins import DepartmentPluginChecks

MEMBER_UNITS = frozenset({"SCJG", "YJGL", "WSJK", "STHJ", "WLJ", "RSJ"})


class TestWljPlugin(DepartmentPluginChecks):
    entry_point = "wlj"
    department = "WLJ"
    transfers_to = MEMBER_UNITS
    sync_rows = 6
    items = frozenset({
        "entertainment_venue", "internet_cafe", "tour_guide_practice", "tourist_attraction",
        "travel_agency",
    })
    laws = frozenset({"《中华人民共和国旅游法》", "《互联网上网服务营业场所管理条例》", "《娱乐场所管理条例》"})
    outcomes = {
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

    def test_items_are_as_the_law_provides(self, plugin: DepartmentPlugin) -> None:
        assert {item.authority for item in plugin.items.values()} == {"cultural_market", "tourism_market"}
        assert plugin.items["tour_guide_practice"].target_kinds == ("behaviour",)
        assert not any(item.notice_forbidden or item.key_item for item in plugin.items.values())
