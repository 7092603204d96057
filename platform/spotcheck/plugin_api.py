"""The one module a department plugin imports: the stable plugin API of spotcheck.

Everything a plugin needs is here: the ``hookimpl`` marker, the definition dataclasses its hooks
return, the vocabularies they use, the YAML loader for definitions kept as data files, and the
usual shape of a whole plugin: :class:`DataPlugin` (definitions as data files) and
:class:`CsvTargetSource` (a sync source reading an export the plugin ships).
Whatever else the core contains may change without notice; what is listed in ``__all__`` changes
only with a new :data:`CONTRACT_VERSION`. See ``docs/plugins.md``.
"""

from __future__ import annotations

from spotcheck.hooks.csv_source import CsvTargetSource
from spotcheck.hooks.data_plugin import DataPlugin
from spotcheck.hooks.datafiles import DefinitionFileError, load_yaml_definitions
from spotcheck.hooks.definitions import (
    ACTION_KINDS,
    FIELD_TYPES,
    LEVELS,
    METHODS,
    NON_COOPERATION_FINDINGS,
    RESULT_CATEGORIES,
    TARGET_KINDS,
    CheckItemDef,
    ChecklistFormDef,
    ChoiceDef,
    CreditRuleDef,
    DepartmentDef,
    Document,
    FindingDef,
    FollowUpActionDef,
    FollowUpRuleDef,
    FormFieldDef,
    LegalBasisDef,
    OnlinePrecheckResult,
    TargetRef,
    TargetSyncSource,
)
from spotcheck.hooks.specs import CONTRACT_VERSION, hookimpl

__all__ = [
    "ACTION_KINDS",
    "CONTRACT_VERSION",
    "FIELD_TYPES",
    "LEVELS",
    "METHODS",
    "NON_COOPERATION_FINDINGS",
    "RESULT_CATEGORIES",
    "TARGET_KINDS",
    "ChecklistFormDef",
    "CheckItemDef",
    "ChoiceDef",
    "CsvTargetSource",
    "DataPlugin",
    "CreditRuleDef",
    "DefinitionFileError",
    "DepartmentDef",
    "Document",
    "FindingDef",
    "FollowUpActionDef",
    "FollowUpRuleDef",
    "FormFieldDef",
    "LegalBasisDef",
    "OnlinePrecheckResult",
    "TargetRef",
    "TargetSyncSource",
    "hookimpl",
    "load_yaml_definitions",
]
