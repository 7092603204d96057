"""The migrations build exactly the schema the models describe, and undo cleanly."""

from __future__ import annotations

from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from spotcheck import migrations
from spotcheck.db import get_database
from spotcheck.models import metadata
from spotcheck.testing import databases


@contextmanager
def fresh_engine(db_backend, tmp_path):
    if db_backend == "postgresql":
        with databases.postgres_database() as url:
            engine = create_engine(url)
            yield engine
            engine.dispose()
    else:
        engine = create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
        yield engine
        engine.dispose()


def test_migrated_schema_matches_the_models(app):
    engine = get_database(app).engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == [], "models and migrations differ: write a migration"


def test_database_is_at_the_newest_revision(app):
    assert migrations.current_revision(get_database(app).engine) == migrations.head_revision()


def test_every_migration_downgrades_and_upgrades_again(db_backend, tmp_path):
    with fresh_engine(db_backend, tmp_path) as engine:
        migrations.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        migrations.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrations.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == tables
