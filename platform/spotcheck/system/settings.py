"""The effective configuration that matters to running the platform, and where each value comes from.

Read-only on purpose: settings come from the defaults, the environment (``SPOTCHECK_*``) and the
application's own configuration (``docs/configuration.md``), so the servers' deployment files stay
the one place they are changed, the same on every app server. The rules fixed by the seed text
(deadlines, the yearly cap) are shown beside them, read from the code that enforces them.

Secrets are never shown: only whether they are set. Passwords inside URLs are masked.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.engine import make_url

from spotcheck.config import DEFAULTS
from spotcheck.draw.models import YEAR_CAP
from spotcheck.followup.credit import CreditRule
from spotcheck.inspection.evidence import Storage
from spotcheck.inspection.models import RESULT_DUE_WORKING_DAYS
from spotcheck.publication.models import DISCLOSURE_WORKING_DAYS


class Source(str, enum.Enum):
    """Where a shown value comes from."""

    RULE = "rule"
    DEFAULT = "default"
    ENVIRONMENT = "environment"
    APPLICATION = "application"

    @property
    def label(self) -> str:
        return str(SOURCE_LABELS[self])


SOURCE_LABELS = {
    Source.RULE: _l("Rules (fixed in the code)"),
    Source.DEFAULT: _l("Default"),
    Source.ENVIRONMENT: _l("Environment variable"),
    Source.APPLICATION: _l("Application configuration"),
}


@dataclass(frozen=True)
class Setting:
    """One line of the page: what, its value as shown, and where it comes from."""

    name: str
    label: LazyString
    value: str
    source: Source
    where: str


@dataclass(frozen=True)
class Group:
    """A heading of the page and its settings."""

    title: LazyString
    settings: list[Setting]


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(_l("on") if value else _l("off"))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _secret(value: Any) -> str:
    return str(_l("set (not shown)") if value else _l("not set"))


def mask_url(url: str | None) -> str:
    """``url`` with the password replaced by ``***`` (database, Redis)."""
    if not url:
        return "—"
    if "://" in url and url.split("://", 1)[0].startswith(("postgres", "sqlite", "mysql")):
        return make_url(url).render_as_string(hide_password=True)
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


# (name, label, how to show it); the value is the app's, its source found by :func:`source_of`.
_CONFIGURED: tuple[tuple[LazyString, tuple[tuple[str, LazyString, Callable[[Any], str]], ...]], ...] = (
    (_l("Data and files"), (
        ("DATABASE_URL", _l("Database"), mask_url),
        ("EVIDENCE_DIR", _l("Evidence files folder"), _plain),
        ("EVIDENCE_MAX_BYTES", _l("Largest evidence file (bytes)"), _plain),
        ("MAX_CONTENT_LENGTH", _l("Largest request body (bytes)"), _plain),
        ("IMPORT_MAX_BYTES", _l("Largest import file (bytes)"), _plain),
        ("IMPORT_MAX_ROWS", _l("Most rows in one import"), _plain),
    )),
    (_l("Sign-in and sessions"), (
        ("SECRET_KEY", _l("Session signing key"), _secret),
        ("SESSION_IDLE_MINUTES", _l("Idle minutes before a session ends"), _plain),
        ("SESSION_ABSOLUTE_HOURS", _l("Longest life of a session (hours)"), _plain),
        ("PASSWORD_MAX_AGE_DAYS", _l("Days before a password must be changed"), _plain),
        ("PASSWORD_MIN_LENGTH", _l("Shortest password"), _plain),
        ("LOGIN_MAX_FAILURES", _l("Failures that lock an account"), _plain),
        ("LOGIN_LOCK_MINUTES", _l("Minutes an account stays locked"), _plain),
        ("LOGIN_RATE_LIMIT", _l("Sign-in attempts per address"), _plain),
        ("RATELIMIT_STORAGE_URI", _l("Where sign-in attempts are counted"), mask_url),
        ("SESSION_COOKIE_SECURE", _l("Session cookie over HTTPS only"), _plain),
        ("FORCE_HTTPS", _l("Redirect HTTP to HTTPS"), _plain),
        ("TRUSTED_PROXIES", _l("Trusted reverse proxies"), _plain),
    )),
    (_l("E-mail"), (
        ("SMTP_HOST", _l("Mail server"), _plain),
        ("SMTP_PORT", _l("Mail server port"), _plain),
        ("SMTP_STARTTLS", _l("STARTTLS"), _plain),
        ("SMTP_SSL", _l("TLS from the first byte"), _plain),
        ("SMTP_USERNAME", _l("Mail login"), _plain),
        ("SMTP_PASSWORD", _l("Mail password"), _secret),
        ("SMTP_FROM", _l("Sender address"), _plain),
    )),
    (_l("Audit checkpoints"), (
        ("AUDIT_CHECKPOINT_FILE", _l("Checkpoint file"), _plain),
        ("AUDIT_CHECKPOINT_EMAIL", _l("Checkpoints mailed to"), _plain),
        ("AUDIT_CHECKPOINT_URL", _l("Checkpoints posted to"), mask_url),
    )),
    (_l("Language, time and plugins"), (
        ("BABEL_DEFAULT_LOCALE", _l("Default language"), _plain),
        ("BABEL_DEFAULT_TIMEZONE", _l("Time zone"), _plain),
        ("SPOTCHECK_PLUGINS", _l("Plugins loaded (none listed: every installed one)"), _plain),
        ("SYNC_PLUGINS_ON_START", _l("Sync departments from the plugins at start"), _plain),
    )),
)


def source_of(app: Flask, name: str) -> Source:
    """Which layer set ``name`` in ``app``: the last one that did (see :mod:`spotcheck.config`)."""
    layers: Mapping[str, frozenset[str]] = app.extensions.get("spotcheck.config_layers", {})
    if name in layers.get("application", ()):
        return Source.APPLICATION
    if name in layers.get("environment", ()):
        return Source.ENVIRONMENT
    return Source.DEFAULT


def _where(source: Source, name: str) -> str:
    if source is Source.ENVIRONMENT:
        return "DATABASE_URL / SPOTCHECK_DATABASE_URL" if name == "DATABASE_URL" else f"SPOTCHECK_{name}"
    if source is Source.APPLICATION:
        return f"create_app({name}=…)"
    return f"config.DEFAULTS[{name!r}]" if name in DEFAULTS else str(_l("made at start"))


def _effective(app: Flask, name: str) -> Any:
    """The value in force: the evidence folder's default is worked out, not stored."""
    return Storage.of(app).root if name == "EVIDENCE_DIR" else app.config.get(name)


def _configured(app: Flask, name: str, label: LazyString, show: Callable[[Any], str]) -> Setting:
    source = source_of(app, name)
    return Setting(name, label, show(_effective(app, name)), source, _where(source, name))


def rules(app: Flask) -> Group:
    """The deadlines and limits fixed by the rules, and the credit rule in force."""
    credit = CreditRule.from_config(app.config.get("CREDIT_RULE"))
    credit_source = source_of(app, "CREDIT_RULE")
    credit_where = "followup/credit.py" if credit_source is Source.DEFAULT else _where(credit_source, "CREDIT_RULE")
    a, b, c = credit.thresholds
    return Group(_l("Deadlines and rules"), [
        Setting("RESULT_DUE_WORKING_DAYS", _l("Results recorded within (working days after the check, art. 16)"),
                str(RESULT_DUE_WORKING_DAYS), Source.RULE, "inspection/models.py"),
        Setting("DISCLOSURE_WORKING_DAYS", _l("Results published within (working days, art. 16)"),
                str(DISCLOSURE_WORKING_DAYS), Source.RULE, "publication/models.py"),
        Setting("PLAN_DEADLINE", _l("Annual plans due (art. 12)"), str(_l("end of February")),
                Source.RULE, "planning/deadlines.py"),
        Setting("YEAR_CAP", _l("Random checks of one target per calendar year, at most (art. 14)"),
                str(YEAR_CAP), Source.RULE, "draw/models.py"),
        Setting("CREDIT_RULE", _l("Credit classes (points from)"), f"A ≥ {a}, B ≥ {b}, C ≥ {c}, D",
                credit_source, credit_where),
        Setting("CREDIT_RULE.window_days", _l("Credit record window (days)"), str(credit.window_days),
                credit_source, credit_where),
    ])


def groups(app: Flask) -> list[Group]:
    """Every group of the page, rules first."""
    return [rules(app), *(Group(title, [_configured(app, *entry) for entry in entries])
                          for title, entries in _CONFIGURED)]
