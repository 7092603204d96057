"""Department plugins: the hookspecs, the plugin manager, and what it loaded.

The app calls :func:`init_app` once; the rest of the core reads the result with
:func:`get_registry`. Plugins import :mod:`spotcheck.plugin_api`, never this package's modules.
"""

from __future__ import annotations

from flask import Flask, current_app

from spotcheck.hooks.manager import ENTRY_POINT_GROUP, build_plugin_manager
from spotcheck.hooks.registry import DepartmentPlugin, PluginError, PluginRegistry, RefusedPlugin
from spotcheck.hooks.sync import SyncReport, sync_departments

__all__ = [
    "ENTRY_POINT_GROUP",
    "DepartmentPlugin",
    "PluginError",
    "PluginRegistry",
    "RefusedPlugin",
    "SyncReport",
    "build_plugin_manager",
    "get_registry",
    "init_app",
    "sync_departments",
]

EXTENSION_KEY = "spotcheck.plugins"


def init_app(app: Flask) -> PluginRegistry:
    """Load the department plugins for ``app`` and keep the registry on its extensions.

    ``SPOTCHECK_PLUGINS``: ``None`` loads every installed plugin, a list only those entry-point
    names. ``SPOTCHECK_EXTRA_PLUGINS``: ``(name, plugin)`` pairs registered without being
    installed (tests). Refused plugins are logged and listed by ``spotcheck plugins``; the app
    starts with the others.
    """
    registry = build_plugin_manager(app.config.get("SPOTCHECK_PLUGINS"),
                                    app.config.get("SPOTCHECK_EXTRA_PLUGINS", []))
    app.extensions[EXTENSION_KEY] = registry
    return registry


def get_registry(app: Flask | None = None) -> PluginRegistry:
    """The plugin registry of ``app`` (default: the current app)."""
    registry: PluginRegistry = (app or current_app).extensions[EXTENSION_KEY]
    return registry
