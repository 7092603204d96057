"""gunicorn settings for spotcheck: ``gunicorn -c deploy/gunicorn.conf.py 'spotcheck.app:create_app()'``.

App servers hold no state (sessions, locks and rate-limit counts live in the database or a shared
store), so workers and hosts can be added freely. Every value can be overridden from the
environment (``GUNICORN_CMD_ARGS``).
"""

import multiprocessing
import os

bind = os.environ.get("SPOTCHECK_BIND", "127.0.0.1:8000")
# gunicorn's own rule of thumb for synchronous workers on a request/response workload.
workers = int(os.environ.get("SPOTCHECK_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak in a dependency cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The client address is logged by the app from the proxy headers it trusts; keep gunicorn's
# access line free of query strings, which may carry search terms about named businesses.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("SPOTCHECK_FORWARDED_ALLOW_IPS", "127.0.0.1")
