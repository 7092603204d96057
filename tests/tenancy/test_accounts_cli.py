"""``spotcheck users``: accounts from the server console."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.tenancy.models import User
from spotcheck.tenancy.passwords import verify_password
from spotcheck.tenancy.roles import Role


@pytest.fixture
def users(app, db_session):
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=["users", *args])
        db_session.expire_all()
        return result

    return run


def find(db_session, username):
    return db_session.scalars(select(User).where(User.username == username)).one_or_none()


def test_create_prints_a_one_time_password(users, db_session, factories):
    factories.department("OFFICE", "联席办", is_office=True)
    result = users("create", "sec.admin", "安全管理员", "secadmin", "OFFICE")
    assert result.exit_code == 0, result.output
    password = re.search(r"one-time password: (\S+)", result.output).group(1)
    user = find(db_session, "sec.admin")
    assert user.role is Role.SECADMIN and user.must_change_password
    assert verify_password(user.password_hash, password)
    record = db_session.scalars(select(AuditRecord).where(
        AuditRecord.object_type == "user_account", AuditRecord.object_id == str(user.id))).first()
    assert record.username.startswith("cli:")


def test_create_takes_a_given_password(users, db_session, factories):
    factories.department("SCJG")
    result = users("create", "wang.wu", "王五", "staff", "SCJG", "--password", "Given-Password-42")
    assert result.exit_code == 0, result.output
    assert "one-time password" not in result.output
    assert verify_password(find(db_session, "wang.wu").password_hash, "Given-Password-42")


def test_create_refuses_an_unknown_department_and_a_taken_name(users, factories):
    assert users("create", "zhao.liu", "赵六", "staff", "NOSUCH").exit_code == 2
    factories.user("staff", username="zhao.liu")
    taken = users("create", "zhao.liu", "赵六", "staff", "SCJG")
    assert taken.exit_code == 1 and "zhao.liu" in taken.output


def test_disable_enable_and_reset_password(users, db_session, factories):
    user = factories.user("head", must_change_password=False)
    assert users("disable", user.username).exit_code == 0
    assert find(db_session, user.username).disabled_at is not None
    assert users("enable", user.username).exit_code == 0
    assert find(db_session, user.username).disabled_at is None

    result = users("reset-password", user.username)
    assert result.exit_code == 0
    password = result.output.rsplit(": ", 1)[1].strip()
    reset = find(db_session, user.username)
    assert verify_password(reset.password_hash, password) and reset.must_change_password


def test_an_unknown_user_is_a_usage_error(users):
    assert users("disable", "no.such.user").exit_code == 2


def test_list_filters_by_department_and_role(users, factories):
    head = factories.user("head", "AAA")
    staff = factories.user("staff", "AAA")
    other = factories.user("head", "BBB")
    output = users("list", "--department", "AAA", "--role", "head").output
    assert head.username in output
    assert staff.username not in output and other.username not in output
