"""The tenant-scoped layer: a department reads and writes only its own rows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select, update

from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, TenancyError, get_visible, scoped, set_scope

PLATFORM = Path(__file__).resolve().parents[2] / "platform" / "spotcheck"


@pytest.fixture
def two_departments(factories):
    a = factories.department("AAA")
    b = factories.department("BBB")
    alice = factories.user("staff", "AAA")
    bob = factories.user("staff", "BBB")
    return a, b, alice, bob


def usernames(db_session):
    return set(db_session.scalars(select(User.username)))


def test_department_reads_only_its_own_rows(db_session, two_departments):
    a, _b, alice, bob = two_departments
    with scoped(db_session, Scope.department(a.id)):
        names = usernames(db_session)
    assert alice.username in names
    assert bob.username not in names


def test_office_reads_every_department(db_session, two_departments, factories):
    _a, _b, alice, bob = two_departments
    office_user = factories.user("office", "OFFICE")
    from spotcheck.tenancy.context import scope_for

    with scoped(db_session, scope_for(office_user)):
        assert {alice.username, bob.username} <= usernames(db_session)


def test_office_acting_as_a_department_reads_only_that_department(db_session, two_departments, factories):
    a, _b, alice, bob = two_departments
    office_user = factories.user("office", "OFFICE")
    from spotcheck.tenancy.context import scope_for

    with scoped(db_session, scope_for(office_user, acting_department_id=a.id)):
        names = usernames(db_session)
    assert alice.username in names and bob.username not in names


def test_query_without_a_scope_is_refused(app, two_departments):
    from spotcheck.db import get_database

    bare = get_database(app).sessionmaker()
    try:
        with pytest.raises(TenancyError, match="without a scope"):
            bare.scalars(select(User)).all()
    finally:
        bare.close()


def test_public_scope_reads_no_department_rows(db_session, two_departments):
    with scoped(db_session, Scope.public()):
        assert usernames(db_session) == set()


def test_new_row_takes_the_scope_department(db_session, two_departments):
    a, *_ = two_departments
    with scoped(db_session, Scope.department(a.id)):
        user = User(username="newcomer", display_name="新人", role="staff", password_hash="x")
        db_session.add(user)
        db_session.flush()
    assert user.department_id == a.id


def test_writing_another_departments_row_is_refused(db_session, two_departments):
    a, _b, _alice, bob = two_departments
    with scoped(db_session, Scope.department(a.id)):
        bob.display_name = "改名"
        with pytest.raises(TenancyError):
            db_session.flush()
    db_session.rollback()


def test_adding_a_row_for_another_department_is_refused(db_session, two_departments):
    a, b, *_ = two_departments
    with scoped(db_session, Scope.department(a.id)):
        db_session.add(User(username="intruder", display_name="x", role="staff",
                            password_hash="x", department_id=b.id))
        with pytest.raises(TenancyError):
            db_session.flush()
    db_session.rollback()


def test_moving_a_row_to_another_department_is_refused(db_session, two_departments):
    a, b, alice, _bob = two_departments
    with scoped(db_session, Scope.department(a.id)):
        alice.department_id = b.id
        with pytest.raises(TenancyError):
            db_session.flush()
    db_session.rollback()


def test_bulk_update_touches_only_own_rows(db_session, two_departments):
    a, _b, alice, bob = two_departments
    with scoped(db_session, Scope.department(a.id)):
        db_session.execute(update(User).values(display_name="批量").execution_options(
            synchronize_session=False))
    db_session.expire_all()
    assert db_session.get(User, alice.id).display_name == "批量"
    assert db_session.get(User, bob.id).display_name != "批量"


def test_get_visible_does_not_answer_from_the_identity_map(db_session, two_departments):
    a, _b, _alice, bob = two_departments
    assert db_session.get(User, bob.id) is bob  # loaded under the system scope
    with scoped(db_session, Scope.department(a.id)):
        assert get_visible(db_session, User, bob.id) is None


def test_views_never_load_by_primary_key_from_the_identity_map():
    """``session.get`` skips the scope when the row is already loaded: views use get_visible."""
    offenders = []
    for path in PLATFORM.rglob("*.py"):
        if path.name not in {"views.py", "admin_views.py", "token_views.py"} and "api" not in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "get" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in {"session", "db_session", "db"}):
                offenders.append(f"{path.relative_to(PLATFORM)}:{node.lineno}")
    assert offenders == []


def test_set_scope_replaces_the_previous_scope(db_session, two_departments):
    a, b, alice, bob = two_departments
    set_scope(db_session, Scope.department(b.id))
    assert usernames(db_session) >= {bob.username}
    assert alice.username not in usernames(db_session)
    set_scope(db_session, Scope.system())
