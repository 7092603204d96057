"""三权分立 on the user administration pages: each action only for its administrator role."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import update

from spotcheck.db import utcnow
from spotcheck.tenancy import totp
from spotcheck.tenancy.models import UserSession
from spotcheck.tenancy.roles import BUSINESS_ROLES, Role


@pytest.fixture
def admin(factories, db_session):
    """``admin("secadmin")``: an administrator (second factor enrolled and passed) and their browser."""

    def sign_in(role):
        user = factories.user(role, "OFFICE", must_change_password=False,
                              totp_secret=totp.new_secret(), totp_enabled_at=utcnow())
        client = factories.signed_in_client(user)
        db_session.execute(update(UserSession).where(UserSession.user_id == user.id)
                           .values(second_factor_done=True))
        db_session.commit()
        return user, client

    return sign_in


def admin_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin/")]


def open_rule(app, client, rule, object_id):
    with app.test_request_context():
        url = url_for(rule.endpoint, **{name: object_id for name in rule.arguments})
    method = "POST" if "POST" in rule.methods else "GET"
    return client.open(url, method=method, data={"role": "head"})


@pytest.mark.parametrize("role", sorted(r.value for r in BUSINESS_ROLES))
def test_business_roles_cannot_open_any_admin_page(role, app, factories, db_session):
    target = factories.user("staff")
    client = factories.signed_in_client(factories.user(role, must_change_password=False))
    rules = admin_rules(app)
    assert len(rules) >= 9
    for rule in rules:
        assert open_rule(app, client, rule, target.id).status_code == 403, rule.rule
    db_session.refresh(target)
    assert target.role is Role.STAFF and target.disabled_at is None


def test_the_audit_administrator_can_neither_manage_accounts_nor_grant_roles(app, admin, factories):
    target = factories.user("staff")
    _user, client = admin("auditadmin")
    for rule in (r for r in admin_rules(app) if r.endpoint.startswith("admin_users.")):
        assert open_rule(app, client, rule, target.id).status_code == 403, rule.rule


def test_the_system_administrator_cannot_change_roles_unlock_or_reset_factors(admin, factories, db_session):
    target = factories.user("staff")
    _user, client = admin("sysadmin")
    for action in ("role", "unlock", "reset-second-factor"):
        assert client.post(f"/admin/users/{target.id}/{action}", data={"role": "head"}).status_code == 403
    db_session.refresh(target)
    assert target.role is Role.STAFF


def test_the_system_administrator_cannot_read_the_audit_trail(app, admin):
    _user, client = admin("sysadmin")
    with app.test_request_context():
        trail = url_for("audit_log.index")
    assert client.get(trail).status_code == 403


def test_the_security_administrator_cannot_create_disable_or_reset(admin, factories, db_session):
    target = factories.user("staff", must_change_password=False)
    _user, client = admin("secadmin")
    assert client.get("/admin/users/new").status_code == 403
    assert client.post("/admin/users/new", data={
        "username": "sneaky", "display_name": "x", "role": "staff", "department": 1}).status_code == 403
    for action in ("disable", "enable", "reset-password"):
        assert client.post(f"/admin/users/{target.id}/{action}").status_code == 403
    db_session.refresh(target)
    assert target.disabled_at is None and not target.must_change_password


@pytest.mark.parametrize("role", ["secadmin", "sysadmin", "auditadmin"])
def test_nobody_changes_their_own_role(role, admin, db_session):
    user, client = admin(role)
    response = client.post(f"/admin/users/{user.id}/role", data={"role": "head"})
    assert response.status_code == 403
    db_session.refresh(user)
    assert user.role is Role(role)


def test_the_system_administrator_cannot_disable_another_administrator(admin, factories, db_session):
    _user, client = admin("sysadmin")
    other, _client = admin("secadmin")
    assert client.post(f"/admin/users/{other.id}/disable").status_code == 403
    db_session.refresh(other)
    assert other.disabled_at is None


def test_an_unknown_account_answers_404(admin):
    _user, client = admin("secadmin")
    assert client.get("/admin/users/987654321").status_code == 404
    assert client.post("/admin/users/987654321/unlock").status_code == 404


def test_both_account_administrators_may_list_and_read_accounts(admin, factories):
    target = factories.user("staff", display_name="赵敏")
    for role in ("sysadmin", "secadmin"):
        _user, client = admin(role)
        assert "赵敏" in client.get("/admin/users/").get_data(as_text=True)
        assert client.get(f"/admin/users/{target.id}").status_code == 200


def test_admin_pages_need_a_signed_in_user(client, factories):
    target = factories.user("staff")
    response = client.get(f"/admin/users/{target.id}")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert client.post(f"/admin/users/{target.id}/disable").status_code == 302
