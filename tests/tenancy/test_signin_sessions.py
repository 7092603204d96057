"""Signed-in sessions: a new id at every sign-in, idle and absolute limits, signing out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.tenancy.models import UserSession
from spotcheck.testing.factories import TEST_PASSWORD

PAGE = "/account/password"  # any page that needs a signed-in user


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post("/sign-in", data={"username": username, "password": password})


def sid(client) -> str | None:
    with client.session_transaction() as cookie:
        return cookie.get("sid")


def sessions_of(db_session, user):
    db_session.expire_all()
    return db_session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)).all()


def is_signed_in(client) -> bool:
    return client.get(PAGE).status_code == 200


def test_sign_in_opens_a_session_under_a_new_id_and_ends_the_old(db_session, factories):
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    old_sid = sid(client)

    assert sign_in(client, user.username).status_code == 302
    assert sid(client) not in (None, old_sid)
    old, new = sessions_of(db_session, user)
    assert old.ended_at is not None and old.end_reason == "replaced"
    assert new.ended_at is None
    assert is_signed_in(client)


def test_signing_in_clears_everything_else_in_the_cookie(client, factories):
    user = factories.user("staff", must_change_password=False)
    with client.session_transaction() as cookie:
        cookie["planted"] = "by someone else"
    sign_in(client, user.username)
    with client.session_transaction() as cookie:
        assert "planted" not in cookie


def test_an_idle_session_ends_after_thirty_minutes(db_session, factories):
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    row, = sessions_of(db_session, user)
    row.last_seen_at = utcnow() - timedelta(minutes=30, seconds=5)
    db_session.commit()

    response = client.get(PAGE)
    assert response.status_code == 302 and "/sign-in" in response.location
    row, = sessions_of(db_session, user)
    assert row.end_reason == "idle"
    assert sid(client) is None


def test_activity_keeps_a_session_alive_even_on_pages_that_only_read(db_session, factories):
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    for _ in range(3):  # 60 minutes in all, never 30 without a request
        row, = sessions_of(db_session, user)
        row.last_seen_at = utcnow() - timedelta(minutes=20)
        row.created_at = row.created_at - timedelta(minutes=20)
        db_session.commit()
        assert is_signed_in(client)
    row, = sessions_of(db_session, user)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(db_session, factories):
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    row, = sessions_of(db_session, user)
    assert row.expires_at - row.created_at == timedelta(hours=12)
    row.created_at = utcnow() - timedelta(hours=12, seconds=5)
    row.expires_at = row.created_at + timedelta(hours=12)
    row.last_seen_at = utcnow() - timedelta(seconds=5)  # active a moment ago
    db_session.commit()

    assert not is_signed_in(client)
    row, = sessions_of(db_session, user)
    assert row.end_reason == "expired"


def test_session_limits_follow_configuration(app, monkeypatch, db_session, factories):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    row, = sessions_of(db_session, user)
    row.last_seen_at = utcnow() - timedelta(minutes=6)
    db_session.commit()
    assert not is_signed_in(client)


def test_sign_out_ends_the_session_in_the_database(db_session, factories):
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    stolen_cookie = sid(client)

    response = client.post("/sign-out")
    assert response.status_code == 302 and "/sign-in" in response.location
    row, = sessions_of(db_session, user)
    assert row.end_reason == "signed_out"

    # The old cookie is worthless now, even replayed.
    with client.session_transaction() as cookie:
        cookie["sid"] = stolen_cookie
    assert not is_signed_in(client)
    assert db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == "sign_out", AuditRecord.object_id == str(user.id))).one()


def test_sign_out_is_post_only(factories):
    client = factories.signed_in_client(factories.user("staff", must_change_password=False))
    assert client.get("/sign-out").status_code == 405
    assert is_signed_in(client)


def test_next_goes_back_to_the_page_asked_for_but_never_off_site(client, factories):
    user = factories.user("staff", must_change_password=False)
    response = client.post("/sign-in?next=/account/two-factor",
                           data={"username": user.username, "password": TEST_PASSWORD})
    assert response.location.endswith("/account/two-factor")
    client.post("/sign-out")
    response = client.post("/sign-in?next=//evil.example/",
                           data={"username": user.username, "password": TEST_PASSWORD})
    assert "evil" not in response.location
