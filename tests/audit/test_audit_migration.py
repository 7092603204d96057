"""Migration 0002 makes the same append-only table the model describes, and undoes it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

import spotcheck.migrations
from spotcheck import audit, migrations
from spotcheck.audit.capture import install as install_audit
from spotcheck.audit.models import APPEND_ONLY_DDL
from spotcheck.db import Database
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, install as install_tenancy, set_scope

MIGRATION = Path(spotcheck.migrations.__file__).parent / "versions" / "0002_audit.py"


def load_migration():
    spec = importlib.util.spec_from_file_location("migration_0002_audit", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_writes_out_the_models_triggers():
    migration = load_migration()
    assert (migration.revision, migration.down_revision) == ("0002", "0001")
    assert migration.APPEND_ONLY == APPEND_ONLY_DDL


@pytest.fixture
def empty_database_url(backend_url, tmp_path):
    """A database with no tables: a new SQLite file, or the module's PostgreSQL database emptied."""
    if backend_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    yield backend_url
    engine = create_engine(backend_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def test_upgrade_makes_an_append_only_chained_trail_and_downgrade_removes_it(empty_database_url):
    database = Database(empty_database_url)
    install_tenancy(database.sessionmaker)
    install_audit(database.sessionmaker)
    migrations.upgrade(database.engine, "0002")
    with database.sessionmaker() as db_session:
        set_scope(db_session, Scope.system())
        db_session.add(Department(code="SCJG", name_zh="市场监督管理局", name_en="SAMR", level="district"))
        db_session.commit()
        assert audit.verify_chain(db_session).count == 1
    for statement in ("UPDATE audit_record SET action = 'x'", "DELETE FROM audit_record"):
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
            connection.execute(text(statement))

    migrations.downgrade(database.engine, "0001")
    assert "audit_record" not in inspect(database.engine).get_table_names()
    if database.dialect == "postgresql":
        with database.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT count(*) FROM pg_proc WHERE proname = 'audit_record_append_only'")).scalar() == 0
    migrations.upgrade(database.engine, "0002")  # and again, cleanly
    assert "audit_record" in inspect(database.engine).get_table_names()
    database.engine.dispose()
