"""gunicorn settings for spotcheck: ``gunicorn -c deploy/gunicorn.conf.py 'spotcheck.app:create_app()'``.

App servers hold no state (sessions and locks live in the database, evidence files in the
configured evidence folder), so workers and hosts can be added freely. The values below read
``SPOTCHECK_*`` environment variables; anything else can be overridden with ``GUNICORN_CMD_ARGS``.
"""

import glob
import multiprocessing
import os

bind = os.environ.get("SPOTCHECK_BIND", "127.0.0.1:8000")
# gunicorn's own rule of thumb for synchronous workers on a request/response workload. Mind
# PostgreSQL's max_connections: workers × DATABASE_POOL_SIZE per host, summed over the hosts.
workers = int(os.environ.get("SPOTCHECK_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak in a dependency cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The app logs every request itself, as JSON with its request id, user id, department, route and
# latency (spotcheck.observability.logs); gunicorn's access line would only repeat it with the
# client's address and the query string, which may name businesses searched for.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("SPOTCHECK_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 24's control socket would live in the service user's home; systemd restarts and
# reloads the app instead (older gunicorn ignores the setting).
control_socket_disable = True

# Every log line is one JSON object on standard error (journald or the container's log).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "spotcheck.observability.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                            "stream": "ext://sys.stderr"}},
    "root": {"level": os.environ.get("SPOTCHECK_LOG_LEVEL", "INFO"), "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        # Alembic narrates each revision check (readiness, start-up) at INFO.
        "alembic": {"level": "WARNING"},
    },
}

# The workers' request metrics, added up at /metrics: each worker writes its counts to files in
# this folder (emptied at start, since counts of a previous run would be added in).
metrics_dir = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                                    os.environ.get("SPOTCHECK_METRICS_DIR", "/tmp/spotcheck-metrics"))


def on_starting(server):
    os.makedirs(metrics_dir, mode=0o700, exist_ok=True)
    for stale in glob.glob(os.path.join(metrics_dir, "*.db")):
        os.remove(stale)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
