"""Throw-away databases for a test run: a SQLite file, or a fresh PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    """The PostgreSQL server tests create their databases on (``SPOTCHECK_TEST_POSTGRES_URL``)."""
    return os.environ.get("SPOTCHECK_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    """A SQLite file in ``folder`` (a file, not ``:memory:``, so several connections share it)."""
    yield f"sqlite:///{folder / 'spotcheck-test.sqlite3'}"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    admin_url = make_url(postgres_admin_url())
    name = f"spotcheck_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
