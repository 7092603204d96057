"""``spotcheck demo load``: departments and one account per role, repeatable (a second load
changes no row), and never on a platform that has administrators of its own."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import func, select

from spotcheck.db import Base
from spotcheck.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.passwords import check_policy
from spotcheck.tenancy.roles import Role


@pytest.fixture
def run(app, db_session):
    """Run a ``spotcheck`` command in the test's transaction; returns the result."""
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def demo_users(db_session) -> dict[str, User]:
    names = [a.username for a in DEMO_ACCOUNTS]
    return {u.username: u for u in db_session.scalars(select(User).where(User.username.in_(names)))}


def test_demo_load_makes_one_account_per_role_and_prints_how_to_sign_in(run, db_session):
    result = run("demo", "load")
    assert result.exit_code == 0, result.output

    users = demo_users(db_session)
    assert {u.role for u in users.values()} == set(Role)
    for account in DEMO_ACCOUNTS:
        user = users[account.username]
        assert user.department.code == account.department_code
        assert not user.must_change_password
        assert user.totp_enabled == account.role.is_admin
        assert account.username in result.output
    assert {users[a].department.code for a in ("demo-head", "demo-staff", "demo-inspector")} == {"SCJG"}
    assert DEMO_PASSWORD in result.output and DEMO_TOTP_SECRET in result.output
    assert "DEMO ONLY" in result.output
    assert db_session.scalars(select(Department).where(Department.is_office)).one()


def row_counts(db_session) -> dict[str, int]:
    return {table.name: db_session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables}


def test_demo_load_is_idempotent(run, db_session):
    assert run("demo", "load").exit_code == 0
    counts = row_counts(db_session)
    second = run("demo", "load")

    assert second.exit_code == 0, second.output
    assert row_counts(db_session) == counts
    assert second.output.count("existed, left unchanged") == len(DEMO_ACCOUNTS)


def test_demo_load_refuses_a_database_with_its_own_administrator(run, factories, db_session):
    factories.user("sysadmin", "OFFICE", username="real.admin")
    result = run("demo", "load")
    assert result.exit_code != 0
    assert "real.admin" in result.output
    assert demo_users(db_session) == {}


def test_the_demo_password_meets_the_policy():
    for account in DEMO_ACCOUNTS:
        assert check_policy(DEMO_PASSWORD, account.username) == []


def test_a_demo_staff_member_signs_in_with_the_printed_password(run, client):
    run("demo", "load")
    response = client.post("/sign-in", data={"username": "demo-staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "周婷" in page and "部门工作人员" in page


def test_a_demo_administrator_signs_in_with_the_printed_code(run, client):
    run("demo", "load")
    response = client.post("/sign-in", data={"username": "demo-auditadmin", "password": DEMO_PASSWORD})
    assert response.headers["Location"].startswith("/sign-in/second-factor")
    code = run("demo", "code").output.strip()
    assert re.fullmatch(r"\d{6}", code)
    assert pyotp.TOTP(DEMO_TOTP_SECRET).verify(code, valid_window=1)

    response = client.post(response.headers["Location"], data={"code": code})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "刘洋" in page and "审计管理员" in page
