"""PostgreSQL row-level security: the wall alone holds when the application's tenant filter is gone.

The suite connects as the superuser, which bypasses row security, so each test switches its
connection to a fresh role that owns no table, as production's application role must be; the role
and everything else is rolled back with the test's transaction.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from spotcheck.api.tokens import create_token
from spotcheck.db import Base
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.tenancy import row_security, scope as scope_layer
from spotcheck.tenancy.scope import TenantOwned

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def departments(factories):
    return factories.department("AAA"), factories.department("BBB")


@pytest.fixture
def inspectors(db_session, departments):
    aaa, bbb = departments
    return make_inspector(db_session, aaa, code="AAA-0001"), make_inspector(db_session, bbb, code="BBB-0001")


@pytest.fixture
def app_role(db_session):
    """The test's connection acting as a role that owns no table (until the test ends)."""
    connection = db_session.connection()
    role = f"spotcheck_app_{uuid.uuid4().hex[:8]}"
    connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
    connection.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    connection.execute(text(f"SET ROLE {role}"))
    yield connection
    connection.execute(text("RESET ROLE"))


def _scope(connection, readable, writable):
    connection.execute(text("SELECT set_config('spotcheck.readable', :r, true), "
                            "set_config('spotcheck.writable', :w, true)"), {"r": readable, "w": writable})


def _departments_seen(connection):
    return set(connection.scalars(text("SELECT department_id FROM inspector")))


def test_the_walled_tables_are_every_table_only_its_department_reads(app):  # app: every model loaded
    plain = {mapper.local_table.name for mapper in Base.registry.mappers
             if issubclass(mapper.class_, TenantOwned)
             and mapper.class_.tenant_criteria.__func__ is TenantOwned.tenant_criteria.__func__}
    assert set(row_security.WALLED_TABLES) == plain


def test_raw_sql_reads_only_the_scopes_departments(app_role, departments, inspectors):
    aaa, bbb = departments
    _scope(app_role, str(aaa.id), str(aaa.id))
    assert _departments_seen(app_role) == {aaa.id}
    _scope(app_role, f"{aaa.id},{bbb.id}", str(aaa.id))
    assert _departments_seen(app_role) >= {aaa.id, bbb.id}
    _scope(app_role, "all", "all")
    assert _departments_seen(app_role) >= {aaa.id, bbb.id}


def test_without_a_scope_nothing_is_read(app_role, inspectors):
    _scope(app_role, "", "")
    assert _departments_seen(app_role) == set()


def test_another_departments_rows_cannot_be_changed_or_added(app_role, departments, inspectors):
    aaa, bbb = departments
    theirs = inspectors[1]
    _scope(app_role, "all", str(aaa.id))  # the office: reads everyone, writes its own
    assert app_role.execute(text("UPDATE inspector SET name = 'x' WHERE id = :id"), {"id": theirs.id}).rowcount == 0
    assert app_role.execute(text("DELETE FROM inspector WHERE id = :id"), {"id": theirs.id}).rowcount == 0
    savepoint = app_role.begin_nested()
    with pytest.raises(ProgrammingError, match="row-level security"):
        app_role.execute(text("UPDATE inspector SET department_id = :b WHERE department_id = :a"),
                         {"a": aaa.id, "b": bbb.id})
    savepoint.rollback()
    _scope(app_role, "all", "all")
    assert app_role.scalar(text("SELECT name FROM inspector WHERE id = :id"), {"id": theirs.id}) != "x"


def test_the_app_sets_the_wall_to_the_requests_scope(client, db_session, factories, departments, inspectors,
                                                     app_role, monkeypatch):
    # The application's filter switched off: only the database's policies stand between the
    # request and the other department's inspector.
    monkeypatch.setattr(scope_layer, "_read_criteria", lambda _session, _scope: ())
    aaa, _bbb = departments
    user = factories.user("staff", "AAA", must_change_password=False)
    _token, secret = create_token(db_session, user, "wall")
    db_session.commit()
    response = client.get("/api/v1/inspectors", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    codes = {row["code"] for row in response.get_json()}
    assert "AAA-0001" in codes and "BBB-0001" not in codes
    foreign = client.get(f"/api/v1/inspectors/{inspectors[1].id}", headers={"Authorization": f"Bearer {secret}"})
    assert foreign.status_code == 404


def test_settings_follow_the_scope():
    from spotcheck.tenancy.scope import Scope

    assert row_security.settings_for(None) == ("", "")
    assert row_security.settings_for(Scope.system()) == ("all", "all")
    assert row_security.settings_for(Scope.public()) == ("", "")
    assert row_security.settings_for(Scope.department(7)) == ("7", "7")
    assert row_security.settings_for(Scope(readable=None, writable=frozenset({3}))) == ("all", "3")
