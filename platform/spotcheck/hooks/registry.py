"""What the plugin manager found: the departments it loaded and the plugins it refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pluggy

from spotcheck.hooks.definitions import (
    CheckItemDef,
    ChecklistFormDef,
    CreditRuleDef,
    DepartmentDef,
    FollowUpRuleDef,
)


@dataclass(frozen=True)
class PluginError:
    """One problem of a plugin, naming the plugin, the definition and the field: a reason it was
    refused, or a warning it loaded with (something deprecated)."""

    plugin: str
    message: str
    definition: str | None = None  # e.g. "item 'food_business'"
    path: str | None = None  # JSON path inside that definition, e.g. "$.legal_basis[0].law"

    def __str__(self) -> str:
        parts = [f"plugin {self.plugin!r}", self.definition, self.path, self.message]
        return ": ".join(p for p in parts if p)


@dataclass(frozen=True)
class RefusedPlugin:
    """A plugin that is not used, and why."""

    name: str
    version: str | None
    errors: tuple[PluginError, ...]


@dataclass(frozen=True)
class DepartmentPlugin:
    """A loaded plugin: one department and its validated definitions, keyed by their codes, and
    the warnings it loaded with (what it uses that the contract deprecates)."""

    name: str
    version: str | None
    department: DepartmentDef
    items: Mapping[str, CheckItemDef]
    forms: Mapping[str, ChecklistFormDef]
    rules: Mapping[str, FollowUpRuleDef]
    warnings: tuple[PluginError, ...] = ()
    credit_rules: Mapping[str, CreditRuleDef] = field(default_factory=dict)


class PluginRegistry:
    """The plugins of one app: ``loaded`` per department code, ``refused`` per plugin.

    Built by :func:`spotcheck.hooks.build_plugin_manager`; lives on
    ``app.extensions["spotcheck.plugins"]``. Only loaded plugins stay registered with
    :attr:`manager`, so a refused plugin is never called again.
    """

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self.manager = manager
        self.loaded: dict[str, DepartmentPlugin] = {}
        self.refused: list[RefusedPlugin] = []
        self._objects: dict[str, object] = {}

    def accept(self, plugin: DepartmentPlugin, plugin_object: object) -> None:
        """Record a plugin whose definitions all validated."""
        self.loaded[plugin.department.code] = plugin
        self._objects[plugin.department.code] = plugin_object

    def refuse(self, name: str, version: str | None, errors: list[PluginError],
               plugin_object: object | None = None) -> None:
        """Record a refused plugin; unregister ``plugin_object`` so it is never called again."""
        if plugin_object is not None and self.manager.is_registered(plugin_object):
            self.manager.unregister(plugin_object)
        self.refused.append(RefusedPlugin(name=name, version=version, errors=tuple(errors)))

    def call(self, department_code: str, hook_name: str, **kwargs: Any) -> Any:
        """Call one hook of the plugin of ``department_code`` only; its result, or ``None``.

        This is how the core calls optional hooks (e.g. ``spotcheck_online_precheck``): the
        department that owns the work answers, nobody else. What the hook raises reaches the
        caller, which decides what a failed pre-check or sync means for its work.
        """
        return call_plugin_hook(self.manager, self._objects[department_code], hook_name, **kwargs)


def implements(manager: pluggy.PluginManager, plugin_object: object, hook_name: str) -> bool:
    """Whether ``plugin_object`` has an implementation of ``hook_name``."""
    caller = getattr(manager.hook, hook_name)
    return any(impl.plugin is plugin_object for impl in caller.get_hookimpls())


def call_plugin_hook(manager: pluggy.PluginManager, plugin_object: object, hook_name: str,
                     **kwargs: Any) -> Any:
    """Call ``hook_name`` on ``plugin_object`` alone (every hook is first-result-wins)."""
    others = [p for p in manager.get_plugins() if p is not plugin_object]
    return manager.subset_hook_caller(hook_name, remove_plugins=others)(**kwargs)
