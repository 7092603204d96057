"""Bring the database in step with the installed department plugins.

Departments and their item lists come from plugins. They are synced when an app starts (so a
plugin upgrade takes effect on restart) and by ``spotcheck plugins sync``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from spotcheck import migrations
from spotcheck.db import get_database
from spotcheck.hooks import PluginRegistry, SyncReport, get_registry, sync_departments
from spotcheck.registry.items.service import ItemSyncReport, sync_items

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PluginSyncReport:
    """What one sync changed: departments, then their item lists."""

    departments: SyncReport
    items: ItemSyncReport


def sync_from_plugins(db_session: Session, registry: PluginRegistry) -> PluginSyncReport:
    """Upsert the departments of the loaded plugins and their versioned item lists.

    Runs under the system scope; the caller commits.
    """
    departments = sync_departments(db_session, registry)
    return PluginSyncReport(departments=departments, items=sync_items(db_session, registry))


def sync_on_start(app: Flask) -> None:
    """Sync at start-up when the database is migrated; a database not yet migrated is left alone.

    Several workers start at once: when another one wins the race the unique constraints refuse
    this one's rows, and its work is already done, so the refusal is only logged.
    """
    engine = get_database(app).engine
    try:
        if migrations.current_revision(engine) != migrations.head_revision():
            log.warning("database not at the newest schema: run 'spotcheck db upgrade'")
            return
    except DBAPIError:
        log.warning("database unreachable at start-up: plugins not synced")
        return
    from spotcheck.cli import system_session

    with app.app_context():
        db_session = system_session()
        try:
            sync_from_plugins(db_session, get_registry(app))
            db_session.commit()
        except IntegrityError:
            db_session.rollback()
            log.info("plugins synced by another process at the same time")
