"""The application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from spotcheck import audit, config as settings, db, hooks, observability, web
from spotcheck.api import init_app as init_api
from spotcheck.tenancy import gate, login, scope
from spotcheck.web import converters


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then ``SPOTCHECK_*`` environment variables, then ``config``.

    Nothing happens at import time; everything an app needs is made here, so tests build as many
    differently configured apps as they like.
    """
    # Assets are served by the web blueprint under /assets; no app-wide static folder.
    app = Flask("spotcheck", instance_path=_instance_path(config), instance_relative_config=True,
                static_folder=None)
    converters.install(app)  # before any route: ids in URLs stay within the database's range
    app.config.update(settings.DEFAULTS)
    environment = settings.from_environment()
    app.config.update(environment)
    app.config.update(config or {})
    # Which layer set what, for the system settings page.
    app.extensions["spotcheck.config_layers"] = {"environment": frozenset(environment),
                                                 "application": frozenset(config or {})}
    _finish_config(app)

    observability.init_app(app)  # first: its clock starts before any other request hook
    database = db.init_app(app)
    scope.install(database.sessionmaker)
    audit.init_app(app)
    hooks.init_app(app)
    login.init_app(app)
    gate.init_app(app)
    web.init_app(app)
    init_api(app)

    from spotcheck.cli import register_commands

    register_commands(app)
    if app.config["SYNC_PLUGINS_ON_START"]:
        from spotcheck.plugin_sync import sync_on_start

        sync_on_start(app)
    return app


def _instance_path(config: dict[str, Any] | None) -> str:
    """The folder for the SQLite file and the development secret key (not the package's)."""
    path = (config or {}).get("INSTANCE_PATH") or os.environ.get("SPOTCHECK_INSTANCE_PATH")
    return os.path.abspath(path or "instance")


def _finish_config(app: Flask) -> None:
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{app.instance_path}/spotcheck.sqlite3"
    app.config["DATABASE_URL"] = settings.normalise_database_url(app.config["DATABASE_URL"])
    if app.config["DATABASE_URL"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.instance_secret_key(app.instance_path)
