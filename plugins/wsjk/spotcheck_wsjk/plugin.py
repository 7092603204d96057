"""The bureau's hook implementations: the entry point ``spotcheck.departments: wsjk``."""

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
from spotcheck_wsjk.rules import FOLLOWUP_RULES
from spotcheck_wsjk.sync import HygieneLicenceRegister

PACKAGE = "spotcheck_wsjk"

DEPARTMENT = DepartmentDef(
    code="WSJK",
    name_zh="城东区卫生健康局",
    name_en="Chengdong District Health Bureau",
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
    return HygieneLicenceRegister()
