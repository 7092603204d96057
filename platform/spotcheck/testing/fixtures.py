"""Fixtures for spotcheck's tests and for every department plugin's tests.

Select the database with ``--db sqlite`` (default) or ``--db postgresql``. The schema is built once
per run by the real migrations; every test then runs inside a transaction that is rolled back
(sessions join it through savepoints), so tests are isolated without wiping anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from spotcheck import audit, migrations
from spotcheck.db import get_database
from spotcheck.tenancy.scope import Scope, set_scope
from spotcheck.testing import databases
from spotcheck.testing.factories import TEST_PASSWORD, Factories

__all__ = ["TEST_PASSWORD"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=("sqlite", "postgresql"),
                     default=os.environ.get("SPOTCHECK_TEST_DB", "sqlite"),
                     help="database the suite runs against (default: sqlite)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    backend = config.getoption("--db")
    for item in items:
        if backend == "sqlite" and item.get_closest_marker("postgresql_only"):
            item.add_marker(pytest.mark.skip(reason="PostgreSQL-only test (run with --db postgresql)"))
        if backend == "postgresql" and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="SQLite-only test"))


@pytest.fixture(scope="session")
def db_backend(request: pytest.FixtureRequest) -> str:
    """``"sqlite"`` or ``"postgresql"``: what this run tests against."""
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def database_url(db_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database for the whole run."""
    if db_backend == "postgresql":
        with databases.postgres_database() as url:
            yield url
    else:
        with databases.sqlite_database(tmp_path_factory.mktemp("db")) as url:
            yield url


def test_config(database_url: str, instance_path: str) -> dict[str, Any]:
    """The settings of a test app; tests that check a control turn it back on in their own app."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": instance_path,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "DATABASE_POOL_SIZE": 5,
    }


@pytest.fixture(scope="session")
def app_config(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The configuration of the session's :func:`app`; copy and change it to build another."""
    return test_config(database_url, str(tmp_path_factory.mktemp("instance")))


@pytest.fixture(scope="session")
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """The app under test, on a migrated database."""
    from spotcheck.app import create_app

    application = create_app(app_config)
    migrations.upgrade(get_database(application).engine)
    with application.app_context():
        from spotcheck.hooks import sync_departments
        from spotcheck.db import session

        set_scope(session, Scope.system())
        audit.set_actor(session, user_id=None, username="test", department_code=None,
                        ip=None, request_id=None)
        sync_departments(session, application.extensions["spotcheck.plugins"])
        session.commit()
    yield application
    get_database(application).engine.dispose()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A unit of work for the test's own reads and writes, in the system scope.

    The whole test runs in one outer transaction that is rolled back at the end; this session and
    every request the test makes join it through savepoints, so they see each other's commits.
    """
    database = get_database(app)
    connection = database.engine.connect()
    outer = connection.begin()
    database.sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
    test_session = database.sessionmaker()
    set_scope(test_session, Scope.system())
    audit.set_actor(test_session, user_id=None, username="test", department_code=None,
                    ip=None, request_id=None)
    try:
        yield test_session
    finally:
        test_session.close()
        database.sessionmaker.configure(bind=database.engine, join_transaction_mode="conservative_savepoint")
        outer.rollback()
        connection.close()


@pytest.fixture
def factories(app: Flask, db_session: Session) -> Factories:
    """Makers of departments and users, committed to the test's transaction."""
    return Factories(app, db_session)


@pytest.fixture
def client(app: Flask, db_session: Session) -> FlaskClient:
    """An anonymous browser."""
    return app.test_client()


@pytest.fixture
def login_as(app: Flask, factories: Factories) -> Callable[..., FlaskClient]:
    """``login_as("staff", "SCJG")``: a browser signed in as a new user of that role and department."""

    def sign_in(role: str, department: str = "SCJG", **user_fields: Any) -> FlaskClient:
        user = factories.user(role, department, must_change_password=False, **user_fields)
        return factories.signed_in_client(user)

    return sign_in
