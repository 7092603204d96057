"""The bureau's hook implementations: the entry point ``spotcheck.departments: wlj``."""

from __future__ import annotations

from collections.abc import Sequence

from spotcheck.plugin_api import (
    DepartmentDef,
    Document,
    FollowUpRuleDef,
    TargetSyncSource,
    hookimpl,
    load_yaml_definitions,
)
from spotcheck_wlj.rules import FOLLOWUP_RULES
from spotcheck_wlj.sync import CultureLicenceRegister

PACKAGE = "spotcheck_wlj"

DEPARTMENT = DepartmentDef(
    code="WLJ",
    name_zh="城东区文化和旅游局",
    name_en="Chengdong District Culture and Tourism Bureau",
    level="district",
    contract_version=1,
)


@hookimpl
def spotcheck_department() -> DepartmentDef:
    return DEPARTMENT


@hookimpl
def spotcheck_check_items() -> Sequence[Document]:
    return load_yaml_definitions(PACKAGE, "items.yaml")


@hookimpl
def spotcheck_checklist_forms() -> Sequence[Document]:
    return load_yaml_definitions(PACKAGE, "forms")


@hookimpl
def spotcheck_followup_rules() -> Sequence[FollowUpRuleDef]:
    return FOLLOWUP_RULES


@hookimpl
def spotcheck_target_sync_source() -> TargetSyncSource:
    return CultureLicenceRegister()
