"""Databases for the audit trail's tests, on the backend of the run (``--db``).

The trail's guarantees live in the database (triggers, locks, transactions) and several tests need
more than one connection (concurrent appends, the CLI, a database administrator's raw SQL), so
these tests build real tables per test instead of joining the shared savepoint fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Row, String, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from spotcheck import audit
from spotcheck.audit.capture import install as install_audit
from spotcheck.audit.models import AuditRecord
from spotcheck.db import Database
from spotcheck.models import metadata
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.roles import Role
from spotcheck.tenancy.scope import Scope, install as install_tenancy, set_scope
from spotcheck.testing import databases

ACTOR = {"user_id": 7, "username": "zhang.san", "department_code": "SCJG", "ip": "10.1.2.3",
         "request_id": "req-0001"}


class LocalBase(DeclarativeBase):
    """Models of these tests only, kept out of the platform's metadata."""


class Licensee(LocalBase):
    """A row holding an ID number, as later registries will."""

    __tablename__ = "audit_test_licensee"
    __audit_personal__ = frozenset({"id_number", "phone"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(32))


@pytest.fixture(scope="module")
def backend_url(db_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database for the module: a SQLite file, or a new PostgreSQL database."""
    if db_backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('audit') / 'audit.sqlite3'}"
        return
    with databases.postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def database(backend_url: str) -> Iterator[Database]:
    """The module's engine and session factory, with the tenancy layer and the audit capture."""
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}} \
        if backend_url.startswith("sqlite") else {"pool_size": 10}
    db = Database(backend_url, **options)
    install_tenancy(db.sessionmaker)
    install_audit(db.sessionmaker)
    yield db
    db.engine.dispose()


@pytest.fixture
def backend(database: Database) -> str:
    return database.dialect


@pytest.fixture
def tables(database: Database) -> Iterator[None]:
    """Every table, with the trail's triggers, made for the test and dropped after it."""
    metadata.create_all(database.engine)
    LocalBase.metadata.create_all(database.engine)
    yield
    LocalBase.metadata.drop_all(database.engine)
    metadata.drop_all(database.engine)


@pytest.fixture
def new_session(database: Database, tables: None) -> Iterator[Callable[..., Session]]:
    """Makes units of work in the system scope, acting as :data:`ACTOR` unless told otherwise."""
    made: list[Session] = []

    def make(**actor: Any) -> Session:
        db_session = database.sessionmaker()
        set_scope(db_session, Scope.system())
        audit.set_actor(db_session, **{**ACTOR, **actor})
        made.append(db_session)
        return db_session

    yield make
    for db_session in made:
        db_session.close()


@pytest.fixture
def db(new_session: Callable[..., Session]) -> Session:
    """One unit of work in the system scope, acting as :data:`ACTOR`."""
    return new_session()


@pytest.fixture
def trail(database: Database, tables: None) -> Callable[[], list[Row[Any]]]:
    """Reads the whole trail as committed, oldest first, on a connection of its own."""

    def read() -> list[Row[Any]]:
        with database.engine.connect() as connection:
            return list(connection.execute(select(AuditRecord.__table__).order_by(AuditRecord.id)))

    return read


@pytest.fixture
def department(db: Session) -> Department:
    """A committed department (its creation is the trail's first record)."""
    made = Department(code="SCJG", name_zh="市场监督管理局", name_en="Market Regulation", level="district")
    db.add(made)
    db.commit()
    return made


@pytest.fixture
def user(db: Session, department: Department) -> User:
    """A committed user with personal data and secrets (the trail's second record)."""
    made = User(department_id=department.id, username="li.si", display_name="李四", role=Role.STAFF,
                email="lisi@example.com", phone="13812345678",
                password_hash="$argon2id$v=19$secret-hash", totp_secret="JBSWY3DPEHPK3PXP")
    db.add(made)
    db.commit()
    return made


@pytest.fixture
def raw_sql(database: Database) -> Callable[..., None]:
    """Runs SQL as a database administrator would: on its own connection, committed."""

    def run(sql: str, **params: Any) -> None:
        with database.engine.begin() as connection:
            connection.execute(text(sql), params)

    return run


@pytest.fixture
def licensee_model() -> type[Licensee]:
    """A model holding ID numbers (declared personal), in the test's tables."""
    return Licensee


@pytest.fixture
def five_records(db, user, trail):
    """Department created, user created, two updates, one export: five records."""
    user.display_name = "李四（稽查）"
    db.commit()
    user.phone = "13900001111"
    db.commit()
    audit.record(db, "export", "user_account", None, {"rows": 1})
    db.commit()
    assert len(trail()) == 5


@pytest.fixture
def as_dba(backend, raw_sql):
    """Runs SQL with the append-only triggers out of the way, as a database administrator could."""

    def run(sql, **params):
        if backend == "postgresql":
            raw_sql("ALTER TABLE audit_record DISABLE TRIGGER ALL")
            raw_sql(sql, **params)
            raw_sql("ALTER TABLE audit_record ENABLE TRIGGER ALL")
        else:
            raw_sql("DROP TRIGGER IF EXISTS audit_record_no_update")
            raw_sql("DROP TRIGGER IF EXISTS audit_record_no_delete")
            raw_sql(sql, **params)

    return run
