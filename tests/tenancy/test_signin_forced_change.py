"""A new password is forced at first sign-in and after PASSWORD_MAX_AGE_DAYS; changing it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.tenancy.models import UserSession
from spotcheck.tenancy.passwords import verify_password
from spotcheck.testing.factories import TEST_PASSWORD

NEW = "Autumn-Leaves-2032"
CHANGE_PAGE = "/account/password"


def change(client, current=TEST_PASSWORD, new=NEW, confirm=None):
    return client.post(CHANGE_PAGE, data={"current_password": current, "new_password": new,
                                          "confirm_password": confirm or new})


def test_first_sign_in_must_change_the_password_before_anything_else(client, factories):
    user = factories.user("staff")  # must_change_password defaults to true, as for a new account
    response = client.post("/sign-in", data={"username": user.username, "password": TEST_PASSWORD})
    assert client.get(response.location).location.endswith(CHANGE_PAGE)
    for page in ("/", "/account/two-factor", "/admin/users/"):
        assert client.get(page).location.endswith(CHANGE_PAGE), page
    assert client.get(CHANGE_PAGE).status_code == 200
    assert client.post("/sign-out").location.endswith("/sign-in")


def test_the_change_page_lets_the_user_continue(db_session, factories):
    user = factories.user("staff")
    client = factories.signed_in_client(user)
    assert change(client).status_code == 302
    db_session.refresh(user)
    assert not user.must_change_password
    assert verify_password(user.password_hash, NEW)
    assert client.get("/").status_code == 200


def test_a_password_older_than_ninety_days_must_be_changed(db_session, factories):
    user = factories.user("staff", must_change_password=False,
                          password_changed_at=utcnow() - timedelta(days=90, minutes=1))
    client = factories.signed_in_client(user)
    assert client.get("/").location.endswith(CHANGE_PAGE)

    user.password_changed_at = utcnow() - timedelta(days=89)
    db_session.commit()
    assert client.get("/").status_code == 200


def test_the_maximum_age_is_configurable(app, monkeypatch, factories):
    monkeypatch.setitem(app.config, "PASSWORD_MAX_AGE_DAYS", 30)
    user = factories.user("staff", must_change_password=False,
                          password_changed_at=utcnow() - timedelta(days=31))
    assert factories.signed_in_client(user).get("/").location.endswith(CHANGE_PAGE)


def test_zero_turns_password_ageing_off(app, monkeypatch, factories):
    monkeypatch.setitem(app.config, "PASSWORD_MAX_AGE_DAYS", 0)
    user = factories.user("staff", must_change_password=False,
                          password_changed_at=utcnow() - timedelta(days=3650))
    assert factories.signed_in_client(user).get("/").status_code == 200


def test_changing_the_password_checks_the_current_one_and_the_policy(db_session, factories):
    user = factories.user("staff")
    client = factories.signed_in_client(user)
    before = user.password_hash
    for response in (change(client, current="Not-The-Password-1"),
                     change(client, new="short1A"),
                     change(client, new=f"{user.username}-Ab1"),
                     change(client, new=TEST_PASSWORD),
                     change(client, confirm="Something-Else-1")):
        assert response.status_code == 200  # the form again, with the reason
    db_session.refresh(user)
    assert user.password_hash == before and user.must_change_password


def test_changing_the_password_ends_every_other_session_and_is_audited(db_session, factories):
    user = factories.user("staff", must_change_password=False)
    elsewhere = factories.signed_in_client(user)
    here = factories.signed_in_client(user)
    assert change(here).status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    reasons = db_session.scalars(select(UserSession.end_reason).where(
        UserSession.user_id == user.id).order_by(UserSession.id)).all()
    assert reasons == ["password_changed", None]
    assert db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == "password_change", AuditRecord.object_id == str(user.id))).one()
