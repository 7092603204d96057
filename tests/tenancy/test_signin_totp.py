"""The second factor: optional per user, required for the three administrator roles."""

from __future__ import annotations

import re
import time
from urllib.parse import unquote

import pyotp
import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.tenancy import service, totp
from spotcheck.tenancy.models import UserSession
from spotcheck.testing.factories import TEST_PASSWORD

ENROL_PAGE = "/account/two-factor"


def code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def wrong_code(secret: str) -> str:
    return f"{(int(code(secret)) + 500000) % 1000000:06d}"


def with_totp(factories, role="staff", department="SCJG", **fields):
    return factories.user(role, department, must_change_password=False,
                          totp_secret=totp.new_secret(), totp_enabled_at=utcnow(), **fields)


def sign_in(client, user):
    return client.post("/sign-in", data={"username": user.username, "password": TEST_PASSWORD})


def enrolment_secret(response) -> str:
    return re.search(r'name="secret" type="hidden" value="([A-Z2-7]{32})"',
                     response.get_data(as_text=True)).group(1)


def test_enrolment_shows_an_inline_qr_code_and_turns_the_factor_on(db_session, factories):
    user = factories.user("staff", must_change_password=False)
    client = factories.signed_in_client(user)
    page = client.get(ENROL_PAGE)
    html = page.get_data(as_text=True)
    secret = enrolment_secret(page)
    # The QR code is drawn by the app itself, inline: the secret never goes to a QR service.
    qr = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', html).group(1)
    assert "<svg" in unquote(qr)
    assert page.headers["Cache-Control"] == "no-store"

    assert client.post(ENROL_PAGE, data={"secret": secret, "code": wrong_code(secret)}).status_code == 200
    db_session.refresh(user)
    assert not user.totp_enabled

    assert client.post(ENROL_PAGE, data={"secret": secret, "code": code(secret)}).status_code == 302
    db_session.refresh(user)
    assert user.totp_enabled and user.totp_secret == secret
    assert db_session.scalars(select(AuditRecord.action).where(
        AuditRecord.object_id == str(user.id), AuditRecord.action == "totp_enrol")).one()


def test_the_provisioning_uri_names_the_user_and_the_platform():
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, "wang.wei")
    assert uri.startswith("otpauth://totp/") and "wang.wei" in uri and f"secret={secret}" in uri
    assert totp.qr_code_data_uri(uri).startswith("data:image/svg+xml")


def test_a_user_with_the_factor_needs_the_code_after_the_password(client, db_session, factories):
    user = with_totp(factories)
    response = sign_in(client, user)
    assert "/sign-in/second-factor" in response.location
    assert client.get("/").status_code == 302  # not signed in yet
    row, = db_session.scalars(select(UserSession).where(UserSession.user_id == user.id))
    assert not row.second_factor_done

    wrong = client.post("/sign-in/second-factor", data={"code": wrong_code(user.totp_secret)})
    assert wrong.status_code == 200
    db_session.refresh(user)
    assert user.failed_logins == 1
    assert client.get("/").status_code == 302

    assert client.post("/sign-in/second-factor", data={"code": code(user.totp_secret)}).status_code == 302
    assert client.get("/").status_code == 200
    db_session.refresh(user)
    assert user.failed_logins == 0


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, db_session, factories):
    user = with_totp(factories)
    sign_in(client, user)
    for _ in range(4):
        client.post("/sign-in/second-factor", data={"code": wrong_code(user.totp_secret)})
    response = client.post("/sign-in/second-factor", data={"code": wrong_code(user.totp_secret)})
    assert response.location.endswith("/sign-in")
    db_session.refresh(user)
    assert user.locked_until is not None
    # The half-open session is gone: a right code now gets nowhere.
    assert client.get("/sign-in/second-factor").location.endswith("/sign-in")
    assert sign_in(client, user).status_code == 200


def test_signing_in_again_does_not_buy_fresh_tries_at_the_code(client, db_session, factories):
    user = with_totp(factories)
    sign_in(client, user)
    for _ in range(3):
        client.post("/sign-in/second-factor", data={"code": wrong_code(user.totp_secret)})
    sign_in(client, user)  # the right password again
    for _ in range(2):
        client.post("/sign-in/second-factor", data={"code": wrong_code(user.totp_secret)})
    db_session.refresh(user)
    assert user.locked_until is not None


def test_the_second_factor_page_needs_a_password_first(client):
    assert client.get("/sign-in/second-factor").location.endswith("/sign-in")


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin"])
def test_an_administrator_without_the_factor_must_enrol_first(role, factories):
    admin = factories.user(role, "OFFICE", must_change_password=False,
                           totp_secret=None, totp_enabled_at=None)
    client = factories.signed_in_client(admin)
    for page in ("/", "/admin/users/"):
        assert client.get(page).location.endswith(ENROL_PAGE), page
    assert client.get(ENROL_PAGE).status_code == 200
    assert client.get("/account/password").status_code == 200


def test_a_business_user_may_go_without_the_factor(factories):
    client = factories.signed_in_client(factories.user("inspector", must_change_password=False))
    assert client.get("/").status_code == 200


def test_a_user_may_turn_their_own_factor_off_with_password_and_code(db_session, factories):
    user = with_totp(factories)
    client = factories.signed_in_client(user)

    refused = client.post("/account/two-factor/remove",
                          data={"password": "Not-The-Password-1", "code": code(user.totp_secret)})
    assert refused.status_code == 200
    db_session.refresh(user)
    assert user.totp_enabled

    done = client.post("/account/two-factor/remove",
                       data={"password": TEST_PASSWORD, "code": code(user.totp_secret)})
    assert done.status_code == 302
    db_session.refresh(user)
    assert not user.totp_enabled and user.totp_secret is None


def test_an_administrator_may_not_turn_the_factor_off(db_session, factories):
    user = with_totp(factories, "secadmin", "OFFICE")
    client = factories.signed_in_client(user)
    for row in db_session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        row.second_factor_done = True
    db_session.commit()

    response = client.post("/account/two-factor/remove",
                           data={"password": TEST_PASSWORD, "code": code(user.totp_secret)})
    assert response.status_code == 403
    db_session.refresh(user)
    assert user.totp_enabled


# -- a code is accepted once -------------------------------------------------------------------

def test_the_same_code_is_refused_the_second_time(db_session, factories):
    user = with_totp(factories)
    first = factories.app.test_client()
    sign_in(first, user)
    used = code(user.totp_secret)
    assert first.post("/sign-in/second-factor", data={"code": used}).status_code == 302
    assert first.get("/").status_code == 200

    # Someone who saw the code (over the shoulder, a phishing page) tries it within its window.
    second = factories.app.test_client()
    sign_in(second, user)
    replay = second.post("/sign-in/second-factor", data={"code": used})
    assert replay.status_code == 200  # the same page and message as a wrong code
    assert second.get("/").status_code == 302
    db_session.refresh(user)
    assert user.failed_logins == 1
    reasons = db_session.scalars(select(AuditRecord.summary).where(
        AuditRecord.object_id == str(user.id), AuditRecord.action == "second_factor_failed")).all()
    assert len(reasons) == 1 and "reused code" in str(reasons[0])


def test_a_code_older_than_the_last_accepted_one_is_refused(app, db_session, factories):
    user = with_totp(factories)
    previous = pyotp.TOTP(user.totp_secret).at(time.time() - 30)  # still inside the window
    with app.test_request_context():
        assert service.verify_second_factor(db_session, user, code(user.totp_secret))
        assert not service.verify_second_factor(db_session, user, previous)
        assert not service.verify_second_factor(db_session, user, code(user.totp_secret))
    db_session.refresh(user)
    assert user.failed_logins == 2


def test_the_enrolment_code_does_not_also_sign_in(app, db_session, factories):
    user = factories.user("staff", must_change_password=False)
    secret = totp.new_secret()
    enrolment = code(secret)
    with app.test_request_context():
        assert service.enable_totp(db_session, user, secret, enrolment)
        assert not service.verify_second_factor(db_session, user, enrolment)


def test_turning_the_factor_off_needs_a_code_not_used_before(app, db_session, factories):
    user = with_totp(factories)
    used = code(user.totp_secret)
    with app.test_request_context():
        assert service.verify_second_factor(db_session, user, used)
        with pytest.raises(service.AccountError):
            service.remove_totp(db_session, user, TEST_PASSWORD, used)
    assert user.totp_enabled


def test_accepted_step_takes_one_step_either_side_newer_than_the_last():
    secret = totp.new_secret()
    at = 1_800_000_000.0  # a step boundary: 60,000,000 × 30 s
    step = int(at) // 30
    otp = pyotp.TOTP(secret)
    assert totp.accepted_step(secret, otp.at(at), for_time=at) == step
    assert totp.accepted_step(secret, otp.at(at - 30), for_time=at) == step - 1  # phone slow
    assert totp.accepted_step(secret, otp.at(at + 30), for_time=at) == step + 1  # phone fast
    assert totp.accepted_step(secret, otp.at(at + 60), for_time=at) is None
    assert totp.accepted_step(secret, otp.at(at), last_step=step - 1, for_time=at) == step
    assert totp.accepted_step(secret, otp.at(at), last_step=step, for_time=at) is None
    assert totp.accepted_step(secret, otp.at(at - 30), last_step=step, for_time=at) is None
    assert totp.accepted_step(secret, "12 34 5", for_time=at) is None
