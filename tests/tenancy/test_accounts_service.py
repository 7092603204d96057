"""Account services: creating, disabling, resetting, roles, and the separation of duties."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.tenancy import service
from spotcheck.tenancy.models import UserSession
from spotcheck.tenancy.passwords import verify_password
from spotcheck.tenancy.roles import Role
from spotcheck.testing.factories import TEST_PASSWORD


@pytest.fixture
def context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def sysadmin(factories):
    return factories.user("sysadmin", "OFFICE", must_change_password=False)


@pytest.fixture
def secadmin(factories):
    return factories.user("secadmin", "OFFICE", must_change_password=False)


def live_sessions(db_session, user):
    db_session.expire_all()
    return db_session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).all()


def audited(db_session, action, user):
    return db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == action, AuditRecord.object_id == str(user.id))).all()


def test_a_new_account_has_a_one_time_password_to_change_at_first_sign_in(
        context, db_session, factories, sysadmin):
    department = factories.department("SCJG")
    user, password = service.create_user(db_session, sysadmin, username=" Zhang.San ",
                                         display_name="张三", role=Role.STAFF, department=department)
    assert user.username == "zhang.san"
    assert password and verify_password(user.password_hash, password)
    assert user.must_change_password and user.department_id == department.id


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN])
def test_the_system_administrator_creates_business_accounts_only(
        role, context, db_session, factories, sysadmin):
    with pytest.raises(service.NotAllowed):
        service.create_user(db_session, sysadmin, username="boss", display_name="x", role=role,
                            department=factories.department("OFFICE"))


def test_the_console_creates_administrators(context, db_session, factories):
    user, _password = service.create_user(db_session, None, username="sec.admin", display_name="安全",
                                          role=Role.SECADMIN, department=factories.department("OFFICE"))
    assert user.role is Role.SECADMIN


@pytest.mark.parametrize("actor_role", ["secadmin", "auditadmin", "office", "head", "staff", "inspector"])
def test_only_the_system_administrator_creates_accounts(actor_role, context, db_session, factories):
    actor = factories.user(actor_role, "OFFICE")
    with pytest.raises(service.NotAllowed):
        service.create_user(db_session, actor, username="newbie", display_name="x",
                            role=Role.STAFF, department=factories.department("SCJG"))


@pytest.mark.parametrize("username", ["ab", "has space", "中文名", "-dash-first", "x" * 65])
def test_login_names_are_checked(username, context, db_session, factories, sysadmin):
    with pytest.raises(service.AccountError):
        service.create_user(db_session, sysadmin, username=username, display_name="x",
                            role=Role.STAFF, department=factories.department("SCJG"))


def test_a_login_name_is_taken_across_departments(context, db_session, factories, sysadmin):
    factories.user("staff", "AAA", username="li.si")
    with pytest.raises(service.AccountError, match="li.si"):
        service.create_user(db_session, sysadmin, username="LI.SI", display_name="x",
                            role=Role.STAFF, department=factories.department("BBB"))


def test_a_given_initial_password_must_meet_the_policy(context, db_session, factories):
    with pytest.raises(service.PasswordRejected):
        service.create_user(db_session, None, username="weak.one", display_name="x",
                            role=Role.STAFF, department=factories.department("SCJG"),
                            password="password")


def test_disabling_ends_every_session_at_once(app, db_session, factories, sysadmin):
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    factories.signed_in_client(user)
    assert client.get("/").status_code == 200

    # Only around the service: requests made inside an app context would share its unit of work.
    with app.test_request_context():
        service.disable_user(db_session, sysadmin, user)
    db_session.commit()
    assert live_sessions(db_session, user) == []
    assert client.get("/").status_code == 302
    assert audited(db_session, "user_disable", user)

    with app.test_request_context():
        service.enable_user(db_session, sysadmin, user)
    db_session.commit()
    assert user.disabled_at is None
    assert audited(db_session, "user_enable", user)


def test_a_disabled_users_cookie_is_refused_even_if_a_session_was_left_open(db_session, factories):
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    user.disabled_at = utcnow()  # as if written behind the service's back
    db_session.commit()
    assert client.get("/").status_code == 302


def test_nobody_disables_their_own_account_or_an_administrators(context, db_session, factories, sysadmin):
    with pytest.raises(service.NotAllowed):
        service.disable_user(db_session, sysadmin, sysadmin)
    with pytest.raises(service.NotAllowed):
        service.disable_user(db_session, sysadmin, factories.user("auditadmin", "OFFICE"))


def test_a_reset_password_is_one_time_and_ends_sessions(context, db_session, factories, sysadmin):
    user = factories.user("staff", must_change_password=False)
    factories.signed_in_client(user)
    password = service.reset_password(db_session, sysadmin, user)
    db_session.commit()
    assert verify_password(user.password_hash, password)
    assert not verify_password(user.password_hash, TEST_PASSWORD)
    assert user.must_change_password
    assert live_sessions(db_session, user) == []
    assert audited(db_session, "password_reset", user)


def test_the_security_administrator_assigns_roles_and_it_is_audited(context, db_session, factories, secadmin):
    user = factories.user("staff")
    service.assign_role(db_session, secadmin, user, Role.HEAD)
    db_session.commit()
    assert user.role is Role.HEAD
    record, = audited(db_session, "role_change", user)
    assert '"from":"staff"' in record.summary and '"to":"head"' in record.summary


@pytest.mark.parametrize("role", ["secadmin", "sysadmin"])
def test_nobody_changes_their_own_role(role, context, db_session, factories):
    actor = factories.user(role, "OFFICE")
    with pytest.raises(service.NotAllowed):
        service.assign_role(db_session, actor, actor, Role.AUDITADMIN)
    assert actor.role is Role(role)


@pytest.mark.parametrize("actor_role", ["sysadmin", "auditadmin", "office", "head"])
def test_only_the_security_administrator_assigns_roles(actor_role, context, db_session, factories):
    actor = factories.user(actor_role, "OFFICE")
    user = factories.user("staff")
    with pytest.raises(service.NotAllowed):
        service.assign_role(db_session, actor, user, Role.HEAD)


def test_unlock_lifts_the_lock_and_is_audited(context, db_session, factories, secadmin):
    from datetime import timedelta

    user = factories.user("staff", failed_logins=3, locked_until=utcnow() + timedelta(minutes=10))
    service.unlock_user(db_session, secadmin, user)
    db_session.commit()
    assert user.locked_until is None and user.failed_logins == 0
    assert audited(db_session, "unlock", user)


def test_resetting_the_second_factor_removes_it_and_ends_sessions(context, db_session, factories, secadmin):
    user = factories.user("staff", totp_secret="A" * 32, totp_enabled_at=utcnow())
    factories.signed_in_client(user)
    service.reset_totp(db_session, secadmin, user)
    db_session.commit()
    assert not user.totp_enabled and user.totp_secret is None
    assert live_sessions(db_session, user) == []
