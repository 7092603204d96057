"""The system administrator's read-only view of the settings in force (:mod:`.settings`)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from spotcheck.system.settings import groups
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission

bp = Blueprint("system_settings", __name__, url_prefix="/admin/settings")


@bp.get("/")
@require_permission(Permission.MANAGE_PLATFORM)
def index() -> str:
    """Every setting that matters, its value (secrets only as set or not) and where it comes from."""
    return render_template("admin/settings.html", groups=groups(current_app))
