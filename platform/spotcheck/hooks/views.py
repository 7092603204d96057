"""The system administrator's view of the department plugins: which loaded, which were refused
and why (seed article 7: each member unit's rules arrive as its plugin)."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from spotcheck.db import session
from spotcheck.hooks import get_registry
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.roles import Permission

bp = Blueprint("plugins_admin", __name__, url_prefix="/admin/plugins")


@bp.get("/")
@require_permission(Permission.MANAGE_PLATFORM)
def index() -> str:
    """Every loaded plugin with its department and definitions, every refused one with each
    reason, and the departments whose plugin is no longer installed."""
    registry = get_registry()
    loaded_codes = set(registry.loaded)
    orphaned = session.scalars(
        select(Department).where(Department.plugin.is_not(None), Department.code.not_in(loaded_codes))
        .order_by(Department.code)
    ).all()
    return render_template("admin/plugins.html",
                           loaded=sorted(registry.loaded.values(), key=lambda p: p.department.code),
                           refused=registry.refused, orphaned=orphaned)
