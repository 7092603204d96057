"""The audit checkpoints on the public portal: the copies of the chain's head kept outside.

Anyone may read and save them; that is their point (see :mod:`spotcheck.audit.checkpoint`). They
hold nothing but record numbers, hashes and times, so publishing them reveals nothing of the trail.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request
from sqlalchemy import select

from spotcheck.audit import checkpoint as checkpoints
from spotcheck.audit.models import AuditCheckpoint
from spotcheck.db import session
from spotcheck.web.pagination import paginate

bp = Blueprint("audit_public", __name__, url_prefix="/public")

PER_PAGE = 50


@bp.get("/audit-checkpoints")
def index() -> str:
    """The checkpoints, newest first, with how to check the trail against them."""
    page = paginate(session, select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()),
                    request.args.get("page", 1, type=int), PER_PAGE)
    return render_template("portal/audit_checkpoints.html", page=page)


@bp.get("/audit-checkpoints.json")
def document() -> Response:
    """Every checkpoint, oldest first, as the document ``spotcheck audit verify --against`` reads."""
    return jsonify(checkpoints.document(checkpoints.published(c) for c in checkpoints.stored(session)))
