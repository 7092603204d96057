"""What the plugin contract still accepts but will drop: older contract versions, hooks, fields.

The policy (docs/plugins.md, "Versions and deprecations"): the contract version is a major
number. Adding an optional hook or an optional field does not change it; renaming, removing or
changing the meaning of anything does. What a new major version replaces stays accepted for one
more major version, with a warning naming the plugin and what to use instead; a plugin that
targets a version older than :data:`OLDEST_CONTRACT_VERSION` is refused.

The tables below are empty while contract 1 is the only one; a change of the contract fills them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pluggy

from spotcheck.hooks.registry import PluginError, implements
from spotcheck.hooks.specs import CONTRACT_VERSION

OLDEST_CONTRACT_VERSION = 1
"""The oldest contract version a plugin may still target (with a warning when it is older than
:data:`~spotcheck.hooks.specs.CONTRACT_VERSION`)."""


@dataclass(frozen=True)
class Deprecation:
    """A hook or definition field on its way out: deprecated in contract ``since``, refused from
    contract ``removed_in``; ``instead`` says what replaces it."""

    since: int
    removed_in: int
    instead: str


DEPRECATED_HOOKS: dict[str, Deprecation] = {}
"""Hook name to its deprecation."""

DEPRECATED_FIELDS: dict[tuple[str, str], Deprecation] = {}
"""(definition kind, top-level field) to its deprecation; kinds: ``department``, ``item``,
``form``, ``rule``."""


def contract_warnings(name: str, version: int) -> list[PluginError]:
    """The warning of a plugin targeting an older contract this core still accepts."""
    if version >= CONTRACT_VERSION:
        return []
    return [PluginError(name, f"targets plugin contract version {version}, deprecated: this "
                        f"spotcheck speaks version {CONTRACT_VERSION}; update the plugin before "
                        "the version is no longer accepted", "department", "$.contract_version")]


def hook_warnings(name: str, manager: pluggy.PluginManager, plugin: object) -> list[PluginError]:
    """A warning per deprecated hook the plugin implements."""
    return [PluginError(name, f"implements {hook}(), deprecated since contract version "
                        f"{d.since} and refused from version {d.removed_in}: {d.instead}")
            for hook, d in sorted(DEPRECATED_HOOKS.items()) if implements(manager, plugin, hook)]


def field_warnings(name: str, kind: str, label: str, document: Mapping[str, Any]) -> list[PluginError]:
    """A warning per deprecated field a definition of ``kind`` (shown as ``label``) uses."""
    return [PluginError(name, f"{field} is deprecated since contract version {d.since} and "
                        f"refused from version {d.removed_in}: {d.instead}", label, f"$.{field}")
            for (k, field), d in sorted(DEPRECATED_FIELDS.items()) if k == kind and field in document]
