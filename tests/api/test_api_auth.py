"""Bearer-token authentication: only a live token of an active user gets in; never the cookie."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from spotcheck.api import auth
from spotcheck.api.tokens import LAST_USED_GRANULARITY, create_token
from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow


@pytest.fixture
def staff(factories):
    return factories.user("staff", "SCJG", must_change_password=False)


def issue(db_session, user, name="client"):
    token, secret = create_token(db_session, user, name)
    db_session.commit()
    return token, {"Authorization": f"Bearer {secret}"}


def in_both_languages(app, msgid):
    with app.test_request_context():
        rendered = {}
        for language in ("zh", "en"):
            with force_locale(language):
                rendered[language] = gettext(msgid)
    return rendered


def assert_refused(response, app, msgid):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    body = response.get_json()
    assert body["code"] == 401
    assert body["status"] == "Unauthorized"
    assert body["message"] == in_both_languages(app, msgid)
    assert body["errors"] == {}


def test_a_live_token_authenticates(client, db_session, staff):
    _token, headers = issue(db_session, staff)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["username"] == staff.username


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Token abc"])
def test_no_bearer_token_answers_401(app, client, db_session, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/api/v1/me", headers=headers)
    assert_refused(response, app, "Authentication required: send an API token as "
                                  '"Authorization: Bearer <token>".')
    assert "error=" not in response.headers["WWW-Authenticate"]


def test_the_scheme_name_is_case_insensitive(client, db_session, staff):
    _token, headers = issue(db_session, staff)
    secret = headers["Authorization"].split()[1]
    assert client.get("/api/v1/me", headers={"Authorization": f"bearer {secret}"}).status_code == 200


def test_an_unknown_token_answers_401(app, client, db_session, staff):
    issue(db_session, staff)
    forged = {"Authorization": f"Bearer spc_{secrets.token_urlsafe(32)}"}
    response = client.get("/api/v1/me", headers=forged)
    assert_refused(response, app, auth.UNKNOWN_TOKEN)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_answers_401(app, client, db_session, staff):
    token, headers = issue(db_session, staff)
    assert client.delete(f"/api/v1/tokens/{token.id}", headers=headers).status_code == 204
    assert_refused(client.get("/api/v1/me", headers=headers), app, auth.REVOKED_TOKEN)


def test_an_expired_token_answers_401(app, client, db_session, staff):
    token, headers = issue(db_session, staff)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db_session.commit()
    assert_refused(client.get("/api/v1/me", headers=headers), app, auth.EXPIRED_TOKEN)


def test_a_disabled_users_token_answers_401(app, client, db_session, staff):
    _token, headers = issue(db_session, staff)
    staff.disabled_at = utcnow()
    db_session.commit()
    assert_refused(client.get("/api/v1/me", headers=headers), app, auth.DISABLED_USER)


def test_the_session_cookie_alone_does_not_authenticate(app, factories, staff):
    browser = factories.signed_in_client(staff)
    assert browser.get("/account/tokens/").status_code == 200  # the cookie is good for pages
    assert_refused(browser.get("/api/v1/me"), app, "Authentication required: send an API token as "
                                                   '"Authorization: Bearer <token>".')
    assert browser.post("/api/v1/tokens", json={"name": "via cookie"}).status_code == 401


def test_the_token_decides_who_acts_even_beside_another_users_cookie(factories, db_session, staff):
    other = factories.user("head", "SCJG", must_change_password=False)
    browser = factories.signed_in_client(other)
    _token, headers = issue(db_session, staff)
    assert browser.get("/api/v1/me", headers=headers).get_json()["username"] == staff.username


def test_api_writes_are_audited_as_the_tokens_user(client, db_session, staff):
    _token, headers = issue(db_session, staff)
    response = client.post("/api/v1/tokens", json={"name": "second"}, headers=headers,
                           environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 201
    created_id = str(response.get_json()["token"]["id"])
    record = db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == "token_create", AuditRecord.object_id == created_id)).one()
    assert (record.user_id, record.username, record.department_code, record.ip) == (
        staff.id, staff.username, "SCJG", "10.1.2.3")
    assert record.request_id == response.headers["X-Request-ID"]


def test_the_api_needs_no_csrf_token(app, client, db_session, staff, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    _token, headers = issue(db_session, staff)
    browser_form = client.post("/account/tokens/", data={"name": "x", "lifetime_days": "30"})
    assert browser_form.status_code == 400  # CSRF protection is on for the web pages...
    response = client.post("/api/v1/tokens", json={"name": "x"}, headers=headers)
    assert response.status_code == 201  # ...and the API, which takes bearer tokens only, is exempt


def test_last_used_at_is_noted_at_most_once_a_minute(client, db_session, staff):
    token, headers = issue(db_session, staff)
    assert token.last_used_at is None
    client.get("/api/v1/me", headers=headers)
    db_session.refresh(token)
    first = token.last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=30)

    client.get("/api/v1/me", headers=headers)
    db_session.refresh(token)
    assert token.last_used_at == first

    token.last_used_at = first - LAST_USED_GRANULARITY
    db_session.commit()
    client.get("/api/v1/me", headers=headers)
    db_session.refresh(token)
    assert token.last_used_at >= first


def test_noting_use_is_not_audited(client, db_session, staff):
    token, headers = issue(db_session, staff)
    client.get("/api/v1/me", headers=headers)
    records = db_session.scalars(select(AuditRecord).where(
        AuditRecord.object_type == "api_token", AuditRecord.object_id == str(token.id))).all()
    assert records, "the token's creation is audited"
    assert "update" not in {record.action for record in records}
