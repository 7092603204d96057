"""The user administration pages, used by the administrator each action belongs to."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.tenancy import totp
from spotcheck.tenancy.models import User, UserSession
from spotcheck.tenancy.passwords import verify_password
from spotcheck.tenancy.roles import Role

PHONE = "13912345678"


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


def new_account(client, department_id, **fields):
    data = {"username": "chen.jing", "display_name": "陈静", "role": "inspector",
            "department": department_id, "email": "", "phone": "", **fields}
    return client.post("/admin/users/new", data=data)


def one_time_password(response) -> str:
    return re.search(r'class="mono one-time-password">([^<]+)<', response.get_data(as_text=True)).group(1)


def test_the_system_administrator_creates_an_account(admin, factories, db_session):
    department = factories.department("SCJG")
    _user, client = admin("sysadmin")
    assert client.get("/admin/users/new").status_code == 200

    response = new_account(client, department.id)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    created = db_session.scalars(select(User).where(User.username == "chen.jing")).one()
    assert created.role is Role.INSPECTOR and created.department_id == department.id
    assert created.must_change_password
    assert verify_password(created.password_hash, one_time_password(response))


def test_an_administrator_role_cannot_be_chosen_on_the_page(admin, factories, db_session):
    department = factories.department("OFFICE", "联席办", is_office=True)
    _user, client = admin("sysadmin")
    assert 'value="secadmin"' not in client.get("/admin/users/new").get_data(as_text=True)
    assert new_account(client, department.id, role="secadmin").status_code == 200  # form again
    assert db_session.scalars(select(User).where(User.username == "chen.jing")).first() is None


def test_a_refused_account_says_why(admin, factories):
    department = factories.department("SCJG")
    factories.user("staff", username="chen.jing")
    _user, client = admin("sysadmin")
    response = new_account(client, department.id)
    assert "chen.jing" in response.get_data(as_text=True)


def test_the_phone_number_never_reaches_the_logs_or_the_trail_in_clear(admin, factories, db_session, caplog):
    department = factories.department("SCJG")
    _user, client = admin("sysadmin")
    caplog.set_level(logging.DEBUG)
    new_account(client, department.id, phone=PHONE)
    created = db_session.scalars(select(User).where(User.username == "chen.jing")).one()
    assert created.phone == PHONE
    detail = client.get(f"/admin/users/{created.id}").get_data(as_text=True)
    assert PHONE not in detail and "139****5678" in detail

    assert PHONE not in caplog.text
    summaries = db_session.scalars(select(AuditRecord.summary)).all()
    assert summaries and not any(PHONE in (summary or "") for summary in summaries)


def test_search_by_name_role_and_department(admin, factories):
    wanted = factories.user("head", "AAA", display_name="欧阳修")
    factories.user("staff", "AAA", display_name="欧阳询")
    factories.user("head", "BBB", display_name="欧阳锋")
    _user, client = admin("secadmin")
    page = client.get("/admin/users/", query_string={
        "q": "欧阳", "role": "head", "department": wanted.department_id}).get_data(as_text=True)
    assert "欧阳修" in page and "欧阳询" not in page and "欧阳锋" not in page
    assert client.get("/admin/users/", query_string={"q": "100%_"}).status_code == 200


def test_disable_then_enable(admin, factories, db_session):
    target = factories.user("staff", must_change_password=False)
    victim_browser = factories.signed_in_client(target)
    _user, client = admin("sysadmin")

    assert client.post(f"/admin/users/{target.id}/disable").status_code == 302
    assert victim_browser.get("/").status_code == 302  # signed out at once
    db_session.refresh(target)
    assert target.disabled_at is not None

    assert client.post(f"/admin/users/{target.id}/enable").status_code == 302
    db_session.refresh(target)
    assert target.disabled_at is None


def test_reset_password_shows_a_one_time_password_once(admin, factories, db_session):
    target = factories.user("staff", must_change_password=False)
    _user, client = admin("sysadmin")
    response = client.post(f"/admin/users/{target.id}/reset-password")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    db_session.refresh(target)
    assert verify_password(target.password_hash, one_time_password(response))
    assert target.must_change_password
    with client.session_transaction() as cookie:  # never parked in the (readable) cookie
        assert one_time_password(response) not in repr(dict(cookie))


def test_the_security_administrator_changes_a_role(admin, factories, db_session):
    target = factories.user("staff")
    _user, client = admin("secadmin")
    detail = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert f"/admin/users/{target.id}/role" in detail
    assert f"/admin/users/{target.id}/disable" not in detail  # not this administrator's button

    assert client.post(f"/admin/users/{target.id}/role", data={"role": "head"}).status_code == 302
    db_session.refresh(target)
    assert target.role is Role.HEAD
    assert client.post(f"/admin/users/{target.id}/role", data={"role": "emperor"}).status_code == 400


def test_the_security_administrator_unlocks_and_resets_the_second_factor(admin, factories, db_session):
    target = factories.user("staff", locked_until=utcnow() + timedelta(minutes=10), failed_logins=2,
                            totp_secret=totp.new_secret(), totp_enabled_at=utcnow())
    _user, client = admin("secadmin")
    detail = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert "/unlock" in detail and "/reset-second-factor" in detail

    assert client.post(f"/admin/users/{target.id}/unlock").status_code == 302
    assert client.post(f"/admin/users/{target.id}/reset-second-factor").status_code == 302
    db_session.refresh(target)
    assert target.locked_until is None and not target.totp_enabled


def test_the_list_pages_keep_the_search(admin, factories):
    for _ in range(51):
        factories.user("staff", display_name="翻页测试")
    _user, client = admin("secadmin")
    first = client.get("/admin/users/", query_string={"q": "翻页", "_external": "1"}).get_data(as_text=True)
    assert first.count("翻页测试") == 50
    link = re.search(r'href="([^"]*page=2[^"]*)"', first).group(1)
    assert "q=" in link and "_external" not in link and link.startswith("/")
    second = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert second.count("翻页测试") == 1
