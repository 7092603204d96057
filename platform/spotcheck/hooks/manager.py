"""Build the plugin manager of one app: find, register, check and load department plugins.

Nothing here is global: each app (and each test) builds its own manager, so plugins registered
for one never leak into another. A plugin that cannot be imported, registered, or whose
definitions do not hold is refused with errors naming it, and the others load as usual.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from importlib.metadata import entry_points

import pluggy

from spotcheck.hooks import specs
from spotcheck.hooks.deprecations import hook_warnings
from spotcheck.hooks.registry import PluginError, PluginRegistry, call_plugin_hook, implements
from spotcheck.hooks.validation import InvalidDefinitions, RawDefinitions, validate_definitions

ENTRY_POINT_GROUP = "spotcheck.departments"

logger = logging.getLogger(__name__)

_Candidate = tuple[str, object, str | None]  # entry-point name, plugin object, version


def build_plugin_manager(allowed: Sequence[str] | None = None,
                         extra: Iterable[tuple[str, object]] = ()) -> PluginRegistry:
    """Load the department plugins and return what was loaded and what was refused.

    :param allowed: entry-point names (group ``spotcheck.departments``) to load; ``None`` loads
        every installed plugin. A listed name that is not installed is reported as refused.
    :param extra: ``(name, plugin)`` pairs registered as well, without being installed (tests
        register fake plugins this way); ``allowed`` does not apply to them.
    :return: the registry; its ``manager`` has only the loaded plugins registered.
    """
    manager = pluggy.PluginManager(specs.PROJECT_NAME)
    manager.add_hookspecs(specs)
    registry = PluginRegistry(manager)
    candidates = _installed(registry, allowed)
    candidates += [(name, plugin, getattr(plugin, "__version__", None)) for name, plugin in extra]
    registered = [c for c in candidates if _register(registry, *c)]
    for name, plugin, version in registered:
        _load(registry, name, plugin, version)
    for refused in registry.refused:
        for error in refused.errors:
            logger.error("department plugin refused: %s", error)
    for loaded in registry.loaded.values():
        for warning in loaded.warnings:
            logger.warning("department plugin uses what is deprecated: %s", warning)
    return registry


def _installed(registry: PluginRegistry, allowed: Sequence[str] | None) -> list[_Candidate]:
    found = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    wanted = sorted(found) if allowed is None else list(allowed)
    candidates: list[_Candidate] = []
    for name in wanted:
        if name not in found:
            registry.refuse(name, None, [PluginError(
                name, f"listed in SPOTCHECK_PLUGINS but no {ENTRY_POINT_GROUP!r} entry point of "
                "that name is installed")])
            continue
        entry_point = found[name]
        version = entry_point.dist.version if entry_point.dist is not None else None
        try:
            plugin = entry_point.load()
        except Exception as exc:  # any import-time fault of a plugin is that plugin's refusal
            registry.refuse(name, version, [PluginError(
                name, f"cannot import {entry_point.value!r}: {type(exc).__name__}: {exc}")])
            continue
        candidates.append((name, plugin, version))
    return candidates


def _register(registry: PluginRegistry, name: str, plugin: object, version: str | None) -> bool:
    manager = registry.manager
    try:
        manager.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as exc:
        registry.refuse(name, version, [PluginError(name, f"cannot be registered: {exc}")])
        return False
    try:
        # Checked after each registration, so a misspelled hook blames the plugin that has it.
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        registry.refuse(name, version, [PluginError(name, str(exc))], plugin)
        return False
    return True


def _load(registry: PluginRegistry, name: str, plugin: object, version: str | None) -> None:
    manager = registry.manager
    errors: list[PluginError] = []
    answers: dict[str, object] = {}
    for hook in ("spotcheck_department", "spotcheck_check_items", "spotcheck_checklist_forms",
                 "spotcheck_followup_rules", "spotcheck_credit_rules"):
        if not implements(manager, plugin, hook):
            if hook == "spotcheck_department":
                errors.append(PluginError(name, "does not implement the required hook "
                                          "spotcheck_department()"))
            answers[hook] = []
            continue
        try:
            answers[hook] = call_plugin_hook(manager, plugin, hook)
        except Exception as exc:  # a plugin's fault is reported, never allowed to stop the app
            errors.append(PluginError(name, f"{hook}() raised {type(exc).__name__}: {exc}"))
    if errors:
        registry.refuse(name, version, errors, plugin)
        return
    raw = RawDefinitions(department=answers["spotcheck_department"],
                         items=answers["spotcheck_check_items"],
                         forms=answers["spotcheck_checklist_forms"],
                         rules=answers["spotcheck_followup_rules"],
                         credit_rules=answers["spotcheck_credit_rules"])
    try:
        loaded = validate_definitions(name, version, raw)
    except InvalidDefinitions as exc:
        registry.refuse(name, version, exc.errors, plugin)
        return
    code = loaded.department.code
    if code in registry.loaded:
        registry.refuse(name, version, [PluginError(
            name, f"department {code!r} is already provided by plugin "
            f"{registry.loaded[code].name!r}", "department", "$.code")], plugin)
        return
    warnings = hook_warnings(name, manager, plugin)
    registry.accept(dataclasses.replace(loaded, warnings=loaded.warnings + tuple(warnings)), plugin)
