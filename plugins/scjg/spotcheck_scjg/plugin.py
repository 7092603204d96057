"""The bureau's hook implementations: the entry point ``spotcheck.departments: scjg``."""

from __future__ import annotations

from collections.abc import Sequence

from spotcheck.plugin_api import (
    DepartmentDef,
    Document,
    FollowUpRuleDef,
    OnlinePrecheckResult,
    TargetRef,
    hookimpl,
    load_yaml_definitions,
)
from spotcheck_scjg import online
from spotcheck_scjg.rules import FOLLOWUP_RULES

PACKAGE = "spotcheck_scjg"

DEPARTMENT = DepartmentDef(
    code="SCJG",
    name_zh="城东区市场监督管理局",
    name_en="Chengdong District Market Regulation Bureau",
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
def spotcheck_online_precheck(item_code: str, target: TargetRef) -> OnlinePrecheckResult | None:
    return online.precheck(item_code, target)
