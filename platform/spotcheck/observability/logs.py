"""Structured logs: one JSON object per line, and one line per answered request.

A request's line names the request id (the one the audit trail keeps), the acting user's id and
department, the route's pattern, the status and the latency. It never holds personal data: no
names, no client address, no query string and no concrete path (a path may carry a business's
code), only the rule it matched, e.g. ``/targets/<int:target_id>``.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timezone
from typing import Any

from flask import Response, g, request

from spotcheck.audit.service import get_actor

REQUEST_LOGGER = logging.getLogger("spotcheck.request")

REQUEST_FIELDS = ("request_id", "user_id", "department", "method", "route", "endpoint", "status",
                  "duration_ms")
"""The fields a request's log line carries beside the message."""


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message and any request fields.

    Used by ``deploy/gunicorn.conf.py`` for the app's and gunicorn's own loggers.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def start_clock() -> None:
    """Note when the request started (the first ``before_request`` of the app)."""
    g.request_started = time.perf_counter()


def elapsed_seconds() -> float:
    """Seconds since :func:`start_clock` (0 when a request was refused before it ran)."""
    started = g.get("request_started")
    return 0.0 if started is None else time.perf_counter() - started


def request_fields(response: Response) -> dict[str, Any]:
    """What the log line and the metrics say about the request ``response`` answers."""
    db_session = g.get("db_session")  # static files never open a unit of work, nor name an actor
    actor = get_actor(db_session) if db_session is not None else None
    return {
        "request_id": g.get("request_id"),
        "user_id": actor.user_id if actor is not None else None,
        "department": actor.department_code if actor is not None else None,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule is not None else None,
        "endpoint": request.endpoint,
        "status": response.status_code,
        "duration_ms": round(elapsed_seconds() * 1000, 1),
    }


def log_request(fields: dict[str, Any]) -> None:
    """Log an answered request as one line, its :func:`request_fields` as the record's fields."""
    REQUEST_LOGGER.info("%s %s %s", fields["method"], fields["route"] or "-", fields["status"],
                        extra=fields)
