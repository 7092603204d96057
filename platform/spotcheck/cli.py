"""The ``spotcheck`` command: Flask's CLI with the platform's own command groups."""

from __future__ import annotations

import getpass
from importlib import import_module

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import get_database, session
from spotcheck.tenancy.scope import Scope, set_scope

COMMAND_GROUPS = (
    ("spotcheck.cli", "db_cli"),
    ("spotcheck.hooks.cli", "plugins_cli"),
    ("spotcheck.hooks.scaffold", "plugin_cli"),
    ("spotcheck.tenancy.cli", "users_cli"),
    ("spotcheck.audit.cli", "audit_cli"),
    ("spotcheck.demo.cli", "demo_cli"),
    ("spotcheck.api.cli", "openapi_cli"),
    ("spotcheck.registry.importing.cli", "import_cli"),
    ("spotcheck.registry.sync", "sync_cli"),
    ("spotcheck.registry.areas", "areas_cli"),
    ("spotcheck.draw.cli", "verify_draw_cli"),
    ("spotcheck.calendar.cli", "calendar_cli"),
    ("spotcheck.inspection.cli", "sweep_cli"),
    ("spotcheck.backup.cli", "backup_cli"),
    ("spotcheck.backup.cli", "restore_cli"),
)


def system_session() -> Session:
    """The command's unit of work: every department, audited as the operating-system user."""
    set_scope(session, Scope.system())
    audit.set_actor(session, user_id=None, username=f"cli:{getpass.getuser()}",
                    department_code=None, ip=None, request_id=None)
    return session


db_cli = AppGroup("db", help="Database schema.")


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema."""
    from spotcheck import migrations

    engine = get_database().engine
    migrations.upgrade(engine, revision)
    click.echo(f"database at {migrations.current_revision(engine)}")


def register_commands(app: Flask) -> None:
    """Add every command group to ``app.cli``."""
    for module, name in COMMAND_GROUPS:
        app.cli.add_command(getattr(import_module(module), name))


def _create_app() -> Flask:
    from spotcheck.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True,
             add_version_option=True, load_dotenv=False)
def main() -> None:
    """spotcheck: joint "double random, one public" spot checks."""
