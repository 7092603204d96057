"""A department plugin made of data files: the usual shape of a plugin, so none writes it again.

A department edits YAML, not code (issue 9): its package ships ``department.yaml``,
``items.yaml``, ``forms/*.yaml``, ``rules.yaml`` and, if it has credit rules of its own,
``credit_rules.yaml``, and its entry point names a
:class:`DataPlugin` of that package. The core validates what the files hold against the schemas
when the app starts, as for any plugin. Python is left for what needs logic: the online
pre-check, a sync source, or rules computed rather than listed (a subclass overriding the hook).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.resources import files

from spotcheck.hooks.datafiles import load_yaml_definitions
from spotcheck.hooks.definitions import (
    Document,
    OnlinePrecheckResult,
    TargetRef,
    TargetSyncSource,
)
from spotcheck.hooks.specs import hookimpl

Precheck = Callable[[str, TargetRef], OnlinePrecheckResult | None]
"""An online pre-check: ``(item_code, target)`` to a result, or ``None`` for an item without one."""

DEPARTMENT_FILE = "department.yaml"
ITEMS_FILE = "items.yaml"
FORMS_FOLDER = "forms"
RULES_FILE = "rules.yaml"
CREDIT_RULES_FILE = "credit_rules.yaml"


class DataPlugin:
    """The hooks of a department whose definitions are the data files of ``package``.

    :param package: the plugin's package, e.g. ``"spotcheck_scjg"``.
    :param sync_source: what :func:`spotcheck_target_sync_source` answers (default: none).
    :param precheck: what :func:`spotcheck_online_precheck` calls (default: no online check).
    """

    def __init__(self, package: str, *, sync_source: TargetSyncSource | None = None,
                 precheck: Precheck | None = None) -> None:
        self.package = package
        self.sync_source = sync_source
        self.precheck = precheck

    @hookimpl
    def spotcheck_department(self) -> Document | Sequence[Document]:
        """``department.yaml``: one mapping (anything else fails the department schema)."""
        documents = load_yaml_definitions(self.package, DEPARTMENT_FILE)
        return documents[0] if len(documents) == 1 else documents

    @hookimpl
    def spotcheck_check_items(self) -> Sequence[Document]:
        """``items.yaml``."""
        return load_yaml_definitions(self.package, ITEMS_FILE)

    @hookimpl
    def spotcheck_checklist_forms(self) -> Sequence[Document]:
        """Every ``forms/*.yaml``, in name order."""
        return load_yaml_definitions(self.package, FORMS_FOLDER)

    @hookimpl
    def spotcheck_followup_rules(self) -> Sequence[Document]:
        """``rules.yaml``; a department without one has no follow-up rules yet."""
        return self._optional(RULES_FILE)

    @hookimpl
    def spotcheck_credit_rules(self) -> Sequence[Document]:
        """``credit_rules.yaml``; a department without one has no credit rules of its own."""
        return self._optional(CREDIT_RULES_FILE)

    @hookimpl
    def spotcheck_online_precheck(self, item_code: str, target: TargetRef) -> OnlinePrecheckResult | None:
        """The ``precheck`` given, if any."""
        return None if self.precheck is None else self.precheck(item_code, target)

    @hookimpl
    def spotcheck_target_sync_source(self) -> TargetSyncSource | None:
        """The ``sync_source`` given, if any."""
        return self.sync_source

    def _optional(self, filename: str) -> Sequence[Document]:
        if not files(self.package).joinpath(filename).is_file():
            return []
        return load_yaml_definitions(self.package, filename)

    def __repr__(self) -> str:
        return f"DataPlugin({self.package!r})"
