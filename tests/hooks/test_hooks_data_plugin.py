"""DataPlugin and CsvTargetSource: a plugin made of data files and a sync source reading the export
a plugin ships, which the six bundled plugins share."""

from __future__ import annotations

from datetime import datetime, timezone

from spotcheck.hooks import build_plugin_manager
from spotcheck.plugin_api import CsvTargetSource, DataPlugin, load_yaml_definitions

LICENCES = CsvTargetSource("spotcheck_yjgl", "data/hazardous_chemicals_licences.csv",
                           code="hazchem_licences", name_zh="危险化学品经营许可证核发信息",
                           name_en="Hazardous chemicals business licences")


def test_the_csv_source_yields_every_row_without_changed_at_and_blank_cells() -> None:
    rows = list(LICENCES.fetch(None))

    assert len(rows) == 6
    assert all("changed_at" not in row and all(row.values()) for row in rows)
    assert rows[0]["code"] == "91630102MA6YJ0001E" and rows[0]["kind"] == "公司"


def test_the_csv_source_yields_only_rows_changed_since_the_last_sync() -> None:
    since = datetime(2025, 5, 1, tzinfo=timezone.utc)

    assert [row["code"] for row in LICENCES.fetch(since)] == [
        "91630102MA6YJ0004P", "91630102MA6YJ0005T", "92630102MA6YJ0007X"]
    assert list(LICENCES.fetch(datetime(2025, 7, 1))) == []  # a naive time is read as UTC


def test_a_data_plugin_answers_with_its_package_files() -> None:
    plugin = DataPlugin("spotcheck_wsjk")

    assert plugin.spotcheck_department()["code"] == "WSJK"
    assert plugin.spotcheck_check_items() == load_yaml_definitions("spotcheck_wsjk", "items.yaml")
    assert [f["code"] for f in plugin.spotcheck_checklist_forms()] == sorted(
        f["code"] for f in load_yaml_definitions("spotcheck_wsjk", "forms"))
    assert plugin.spotcheck_followup_rules() == load_yaml_definitions("spotcheck_wsjk", "rules.yaml")


def test_a_data_plugin_without_a_rules_file_has_no_rules_and_no_optional_hooks() -> None:
    # The health bureau ships no credit_rules.yaml: it has no credit rules of its own.
    plugin = DataPlugin("spotcheck_wsjk")

    assert plugin.spotcheck_credit_rules() == []
    assert plugin.spotcheck_target_sync_source() is None
    assert plugin.spotcheck_online_precheck("public_place_hygiene", None) is None


def test_the_registry_calls_the_data_plugins_sync_source() -> None:
    registry = build_plugin_manager([], [("yjgl_data", DataPlugin("spotcheck_yjgl", sync_source=LICENCES))])

    assert registry.refused == []
    assert registry.call("YJGL", "spotcheck_target_sync_source") is LICENCES
