"""Request metrics in the Prometheus text format, served at ``/metrics`` to the monitoring network.

Each app has its own registry (tests build many apps in one process). Under gunicorn each worker
counts on its own; with ``PROMETHEUS_MULTIPROC_DIR`` set (``deploy/gunicorn.conf.py`` sets it) the
workers write their counts to files there and ``/metrics`` adds up every worker of the host.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from flask import Flask, current_app
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

METRICS_KEY = "spotcheck.metrics"
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class RequestMetrics:
    """The counters of one app: requests by method, endpoint and status, and their latency."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("spotcheck_http_requests", "Requests answered, by method, endpoint and status.",
                                ("method", "endpoint", "status"), registry=self.registry)
        self.latency = Histogram("spotcheck_http_request_duration_seconds",
                                 "Time taken to answer a request, by method and endpoint.",
                                 ("method", "endpoint"), buckets=LATENCY_BUCKETS, registry=self.registry)

    def observe(self, fields: dict[str, Any]) -> None:
        """Count one answered request (``fields`` as made by :func:`logs.request_fields`)."""
        # The endpoint, not the path: one series per view however many objects there are; a URL
        # that matched no view is counted as "none".
        endpoint = fields["endpoint"] or "none"
        self.requests.labels(fields["method"], endpoint, str(fields["status"])).inc()
        self.latency.labels(fields["method"], endpoint).observe(fields["duration_ms"] / 1000)

    def exposition(self) -> bytes:
        """The metrics in the Prometheus text format: this host's workers' when they share a folder."""
        if os.environ.get(MULTIPROCESS_DIR):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


def init_app(app: Flask) -> RequestMetrics:
    """Give ``app`` its metrics."""
    metrics = RequestMetrics()
    app.extensions[METRICS_KEY] = metrics
    return metrics


def get_metrics(app: Flask | None = None) -> RequestMetrics:
    """The metrics of ``app`` (the current app by default)."""
    metrics: RequestMetrics = (app or current_app).extensions[METRICS_KEY]
    return metrics


def may_read_metrics(address: str | None) -> bool:
    """Whether a client at ``address`` may read ``/metrics`` (``METRICS_ALLOW_FROM``)."""
    if not address:
        return False
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    networks = (part.strip() for part in current_app.config["METRICS_ALLOW_FROM"].split(","))
    return any(client in ipaddress.ip_network(network, strict=False) for network in networks if network)
