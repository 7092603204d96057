"""The bureau's hook implementations: the entry point ``spotcheck.departments: sthj``."""

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
from spotcheck_sthj.rules import FOLLOWUP_RULES
from spotcheck_sthj.sync import PermitRegister

PACKAGE = "spotcheck_sthj"

DEPARTMENT = DepartmentDef(
    code="STHJ",
    name_zh="西宁市生态环境局城东分局",
    name_en="Chengdong Branch, Xining Municipal Ecology and Environment Bureau",
    level="city",
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
    return PermitRegister()
