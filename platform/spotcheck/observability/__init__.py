"""Observability: a structured log line per request, request metrics, health and readiness probes.

Nothing here keeps state that app servers would have to share: metrics are per process (or per
host, in gunicorn's multiprocess mode), logs go to standard error for journald or the container.
"""

from __future__ import annotations

from flask import Flask, Response

from spotcheck.observability import logs, metrics


def init_app(app: Flask) -> None:
    """Time every request and, once it is answered, log it and count it.

    Call first in the app factory: the clock starts before any other ``before_request`` runs, and
    the request is logged after every other ``after_request`` (they run in reverse order).
    """
    metrics.init_app(app)
    app.before_request(logs.start_clock)
    app.after_request(_log_and_count)


def _log_and_count(response: Response) -> Response:
    fields = logs.request_fields(response)
    logs.log_request(fields)
    metrics.get_metrics().observe(fields)
    return response
