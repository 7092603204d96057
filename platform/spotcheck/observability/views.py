"""The probes and the metrics: ``/healthz``, ``/readyz`` and ``/metrics``.

None needs a session, none is translated (their readers are load balancers, systemd and
Prometheus), and none is redirected to HTTPS: probes reach the app server directly, not through
nginx.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, abort, request
from sqlalchemy.exc import SQLAlchemyError

from spotcheck import migrations
from spotcheck.db import get_database
from spotcheck.observability.metrics import get_metrics, may_read_metrics
from spotcheck.web.extensions import talisman

bp = Blueprint("observability", __name__)
logger = logging.getLogger(__name__)

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@bp.get("/healthz")
@talisman(force_https=False)
def healthz() -> dict[str, str]:
    """The process answers (a liveness probe: restart the app when this fails)."""
    return {"status": "ok"}


@bp.get("/readyz")
@talisman(force_https=False)
def readyz() -> tuple[dict[str, Any], int]:
    """The app can serve: its database answers and is migrated to this code's newest revision.

    503 otherwise, so that a load balancer sends no requests to a host that cannot serve them.
    """
    head = _head_revision()
    try:
        current = migrations.current_revision(get_database().engine)
    except SQLAlchemyError:
        logger.warning("readiness: the database does not answer", exc_info=True)
        return {"status": "unavailable", "reason": "the database does not answer",
                "reason_zh": "数据库无响应"}, 503
    if current != head:
        return {"status": "unavailable", "revision": current, "expected": head,
                "reason": "the database is not migrated to this version: run `spotcheck db upgrade`",
                "reason_zh": "数据库结构不是本版本的：请运行 `spotcheck db upgrade`"}, 503
    return {"status": "ready", "revision": current}, 200


@bp.get("/metrics")
@talisman(force_https=False)
def metrics() -> Response:
    """Request counts and latencies (Prometheus text format), for the addresses of ``METRICS_ALLOW_FROM``.

    Anyone else gets 404, as if there were no such page.
    """
    if not may_read_metrics(request.remote_addr):
        abort(404)
    return Response(get_metrics().exposition(), mimetype=None, content_type=PROMETHEUS_TEXT)


@lru_cache(maxsize=1)
def _head_revision() -> str:
    # Reading the migration scripts takes a while; they do not change while the process runs.
    return migrations.head_revision()
