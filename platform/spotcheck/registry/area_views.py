"""The district's areas as a page: the names and codes to use in imports and forms."""

from __future__ import annotations

from flask import Blueprint, render_template

from spotcheck.db import session
from spotcheck.registry.areas import area_tree
from spotcheck.tenancy.access import require_permission
from spotcheck.tenancy.roles import Permission

bp = Blueprint("areas", __name__, url_prefix="/areas")


@bp.get("/")
@require_permission(Permission.WORK)
def index() -> str:
    """Every sub-district and town with its communities and villages, and their codes."""
    return render_template("registry/areas/index.html", tree=area_tree(session))
