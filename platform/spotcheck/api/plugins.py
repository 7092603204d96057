"""``/api/v1/plugins``: the department plugins, for the system administrator."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from spotcheck.api.auth import require_permission
from spotcheck.api.blueprint import ApiBlueprint
from spotcheck.api.schemas import PluginsSchema
from spotcheck.hooks import DepartmentPlugin, get_registry
from spotcheck.tenancy.roles import Permission

blp = ApiBlueprint("api_plugins", __name__,
                   description="The department plugins: what loaded, what was refused and why.")


@blp.route("/plugins")
class Plugins(MethodView):
    @blp.response(200, PluginsSchema)
    def get(self) -> dict[str, Any]:
        """Loaded and refused plugins

        System administrators only. Each loaded plugin with its department and the codes of its
        definitions; each refused plugin with every error that refused it (definition, JSON path,
        message). Reflects the plugins found when the app started.
        """
        require_permission(Permission.MANAGE_PLATFORM)
        registry = get_registry()
        return {"loaded": [_loaded(plugin) for _code, plugin in sorted(registry.loaded.items())],
                "refused": registry.refused}


def _loaded(plugin: DepartmentPlugin) -> dict[str, Any]:
    return {"name": plugin.name, "version": plugin.version, "department": plugin.department,
            "items": sorted(plugin.items), "forms": sorted(plugin.forms), "rules": sorted(plugin.rules)}
