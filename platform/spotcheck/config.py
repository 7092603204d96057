"""Configuration: defaults, overridden by environment variables, overridden by ``create_app(config)``.

Every setting an operator may change is listed in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "DATABASE_POOL_SIZE": 10,
    # Sign-in controls (等保 level 3); docs/security.md explains each.
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_ABSOLUTE_HOURS": 12,
    "PASSWORD_MAX_AGE_DAYS": 90,
    "PASSWORD_MIN_LENGTH": 10,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "LOGIN_RATE_LIMIT": "20 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "SESSION_COOKIE_NAME": "spotcheck_session",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the signed-in session
    "FORCE_HTTPS": False,  # set behind a TLS-terminating proxy that forwards X-Forwarded-Proto
    "TRUSTED_PROXIES": 0,
    "BABEL_DEFAULT_LOCALE": "zh",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": ["zh", "en"],
    "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
    "API_TITLE": "spotcheck API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "SYNC_PLUGINS_ON_START": True,  # departments and item lists follow the installed plugins
    "SPOTCHECK_PLUGINS": None,  # None: every installed plugin; a list of entry-point names limits it
    # Bulk imports (docs/import.md): what one file may hold, and how much of its report is kept.
    "IMPORT_MAX_BYTES": 50 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 200_000,
    "XLSX_MAX_UNCOMPRESSED_BYTES": 500 * 1024 * 1024,
    "XLSX_MAX_COMPRESSION_RATIO": 100,
    "XLSX_MAX_PARTS": 200,
    "IMPORT_REPORT_MAX_ERRORS": 5_000,
    "IMPORT_REPORT_MAX_ROWS": 20_000,
    # Evidence files of inspections (docs/inspection.md): where they are kept, how large one may be.
    "EVIDENCE_DIR": None,  # None: <instance>/evidence
    "EVIDENCE_MAX_BYTES": 20 * 1024 * 1024,
    # E-mail (advance notices to targets): no server, no e-mail notices; docs/configuration.md.
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_STARTTLS": True,
    "SMTP_SSL": False,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_FROM": None,
    "SMTP_TIMEOUT": 10,
    # Audit checkpoints (docs/security.md): copies of the chain's head kept outside the database.
    "AUDIT_CHECKPOINT_FILE": None,  # a checkpoint document on another host's mount; None: none
    "AUDIT_CHECKPOINT_EMAIL": None,  # comma-separated addresses each checkpoint is mailed to
    "AUDIT_CHECKPOINT_URL": None,  # each checkpoint is POSTed there as JSON
    # Observability (docs/deploy.md): who may read the request metrics at /metrics.
    "METRICS_ALLOW_FROM": "127.0.0.1/32,::1/128",
    # The console's assessment (docs/console.md): weights and targets per figure; None: the default.
    "CONSOLE_ASSESSMENT": None,
}

ENVIRONMENT: dict[str, type] = {
    "DATABASE_URL": str,
    "SECRET_KEY": str,
    "SESSION_COOKIE_SECURE": bool,
    "FORCE_HTTPS": bool,
    "TRUSTED_PROXIES": int,
    "RATELIMIT_STORAGE_URI": str,
    "PASSWORD_MAX_AGE_DAYS": int,
    "SESSION_IDLE_MINUTES": int,
    "SESSION_ABSOLUTE_HOURS": int,
    "EVIDENCE_DIR": str,
    "EVIDENCE_MAX_BYTES": int,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_STARTTLS": bool,
    "SMTP_SSL": bool,
    "SMTP_USERNAME": str,
    "SMTP_PASSWORD": str,
    "SMTP_FROM": str,
    "AUDIT_CHECKPOINT_FILE": str,
    "AUDIT_CHECKPOINT_EMAIL": str,
    "AUDIT_CHECKPOINT_URL": str,
    "METRICS_ALLOW_FROM": str,
}
"""Settings read from ``SPOTCHECK_<NAME>`` (and ``DATABASE_URL`` as is), with their types."""


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """The settings given in the environment, converted to their types."""
    environ = dict(os.environ if environ is None else environ)
    found: dict[str, Any] = {}
    for name, kind in ENVIRONMENT.items():
        raw = environ.get(f"SPOTCHECK_{name}")
        if raw is None and name == "DATABASE_URL":
            raw = environ.get("DATABASE_URL")
        if raw is None:
            continue
        found[name] = raw.strip().lower() in {"1", "true", "yes", "on"} if kind is bool else kind(raw)
    return found


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """A secret key kept in the instance folder, made on first use (for a newcomer's machine).

    Production sets ``SPOTCHECK_SECRET_KEY``; several app servers must share one key.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
