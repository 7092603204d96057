"""The hooks a department plugin implements: the whole plugin contract, version 1.

A plugin is ONE department (成员单位). The core calls every hook **per plugin** (never through
``pm.hook`` across all plugins at once), so each answer is attributed to the department that gave
it and one plugin's fault cannot hide another's. Within one plugin the first non-``None`` result
is the answer; a plugin implements each hook once.

Required: :func:`spotcheck_department`. Not implementing one of the list hooks means the
department has none of those definitions yet. Optional hooks are called later, when the work
needs them; a plugin that does not implement one is simply skipped.

Every definition a plugin returns is validated against the JSON Schemas in ``schemas/`` when the
app starts; a plugin with a bad definition is refused as a whole and the others keep working.
``docs/plugins.md`` documents each hook below, and a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Sequence

import pluggy

from spotcheck.hooks.definitions import (
    CheckItemDef,
    ChecklistFormDef,
    CreditRuleDef,
    DepartmentDef,
    Document,
    FollowUpRuleDef,
    OnlinePrecheckResult,
    TargetRef,
    TargetSyncSource,
)

__all__ = [
    "CONTRACT_VERSION",
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
    "spotcheck_check_items",
    "spotcheck_checklist_forms",
    "spotcheck_credit_rules",
    "spotcheck_department",
    "spotcheck_followup_rules",
    "spotcheck_online_precheck",
    "spotcheck_target_sync_source",
]

PROJECT_NAME = "spotcheck"

CONTRACT_VERSION = 1
"""The plugin contract this core speaks. A plugin declares the version it was written against in
:attr:`DepartmentDef.contract_version`; the core refuses any other."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec(firstresult=True)
def spotcheck_department() -> DepartmentDef | Document:
    """Say which department this plugin is.

    Required. Called once per plugin when the app starts, before any other hook of the plugin.
    The department code namespaces every other definition of the plugin, and identifies the
    department's row in the database (``spotcheck plugins sync``).

    :return: the department: code (``^[A-Z][A-Z0-9]{1,15}$``, not ``OFFICE``), Chinese and
        English names, level (``district`` or ``city``) and the contract version the plugin was
        written against. First result wins.
    """


@hookspec(firstresult=True)
def spotcheck_check_items() -> Sequence[CheckItemDef | Document]:
    """List the department's spot-check items (抽查事项清单, seed article 9).

    Called once per plugin when the app starts, after :func:`spotcheck_department`.

    :return: every item: code (unique within the department), names, legal basis, target kinds,
        methods, whether advance notice is forbidden, the checklist form, the authority an
        inspector needs, key-item flag, findings and version. First result wins.
    """


@hookspec(firstresult=True)
def spotcheck_checklist_forms() -> Sequence[ChecklistFormDef | Document]:
    """List the department's checklist forms (检查记录表, seed articles 7 and 16).

    Called once per plugin when the app starts. Every form an item names must be listed here.

    :return: every form: code (unique within the department), titles, version and fields
        (name, labels, type, required-ness, choices, bounds, pattern). First result wins.
    """


@hookspec(firstresult=True)
def spotcheck_followup_rules() -> Sequence[FollowUpRuleDef | Document]:
    """List the department's follow-up rules (seed article 17).

    Called once per plugin when the app starts. A rule names a finding (declared by one of the
    department's items, or one of the non-cooperation findings of seed article 18) and the action
    it triggers.

    :return: every rule: code (unique within the department), names, finding, optional item,
        action (order correction in N working days, transfer to a department, file a case, refer
        to judicial organs) and, for an order, the next step when it is overdue. First result
        wins.
    """


@hookspec(firstresult=True)
def spotcheck_credit_rules() -> Sequence[CreditRuleDef | Document]:
    """List the department's own credit rules (seed article 19).

    Called once per plugin when the app starts. A rule adds to the district's credit rule: when a
    result is published, each rule matching a finding on one of the department's items, or the
    result category of a check the department took part in, puts an event with the rule's points
    into the target's credit record. The district's rule keeps the window and the class thresholds.

    :return: every rule: code (unique within the department), names (what the record says), the
        finding (with an optional item) or the result category it matches, its points, and
        whether it is a serious violation (class D, the joint punishment list). First result wins.
    """


@hookspec(firstresult=True)
def spotcheck_online_precheck(item_code: str, target: TargetRef) -> OnlinePrecheckResult | None:
    """Check a target in the department's own systems before the on-site visit (seed art. 16(1)).

    Optional. Called for each task of one of this department's items, before the visit; what the
    result verifies is not asked again on site. Called only on the plugin that owns the item.

    :param item_code: the code of the department's check item (without the department prefix).
    :param target: the target of the task.
    :return: what the department's systems say, or ``None`` when the plugin has no online check
        for this item. First result wins.
    """


@hookspec(firstresult=True)
def spotcheck_target_sync_source() -> TargetSyncSource | None:
    """Offer a source the target directory is kept in step with (seed article 10).

    Optional. Called when a target sync runs for this department (a scheduled command).

    :return: the source, whose ``fetch(since)`` yields target rows in the import format, or
        ``None`` when the department has no system to sync from. First result wins.
    """
