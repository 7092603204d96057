"""Failed sign-ins: counted in the database, a lock after five, one message for every refusal."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.tenancy import passwords
from spotcheck.tenancy.models import UserSession
from spotcheck.testing.factories import TEST_PASSWORD

WRONG = "Wrong-Password-1"


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post("/sign-in", data={"username": username, "password": password})


def refusal_message(response) -> str:
    """The text of the form-level error block; empty when there is none."""
    found = re.search(r'<div class="notice notice-bad" role="alert">(.*?)</div>',
                      response.get_data(as_text=True), re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip() if found else ""


def audit_actions(db_session, user_id=None):
    statement = select(AuditRecord.action).order_by(AuditRecord.id)
    if user_id is not None:
        statement = statement.where(AuditRecord.object_id == str(user_id))
    return list(db_session.scalars(statement))


def test_each_failure_is_counted_in_the_database(client, db_session, factories):
    user = factories.user("staff", must_change_password=False)
    for expected in (1, 2, 3):
        sign_in(client, user.username, WRONG)
        db_session.refresh(user)
        assert user.failed_logins == expected
        assert user.locked_until is None


def test_five_failures_lock_the_account_for_fifteen_minutes(client, app, db_session, factories):
    user = factories.user("staff", must_change_password=False)
    for _ in range(5):
        assert sign_in(client, user.username, WRONG).status_code == 200
    db_session.refresh(user)
    lock = user.locked_until - utcnow()
    assert timedelta(minutes=14) < lock <= timedelta(minutes=15)

    # Another app server (another app on the same database) sees the lock too.
    assert sign_in(app.test_client(), user.username).status_code == 200
    assert db_session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all() == []

    user.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
    db_session.commit()
    assert sign_in(client, user.username).status_code == 302


def test_a_failure_during_the_lock_does_not_extend_it(client, db_session, factories):
    user = factories.user("staff", must_change_password=False)
    for _ in range(5):
        sign_in(client, user.username, WRONG)
    db_session.refresh(user)
    locked_until = user.locked_until
    sign_in(client, user.username, WRONG)
    db_session.refresh(user)
    assert user.locked_until == locked_until


def test_success_forgets_earlier_failures(client, db_session, factories):
    user = factories.user("staff", must_change_password=False)
    for _ in range(4):
        sign_in(client, user.username, WRONG)
    assert sign_in(client, user.username).status_code == 302
    db_session.refresh(user)
    assert user.failed_logins == 0


def test_every_refusal_gives_the_same_message(app, client, db_session, factories):
    wrong = factories.user("staff", must_change_password=False)
    locked = factories.user("staff", must_change_password=False,
                            locked_until=utcnow() + timedelta(minutes=10))
    disabled = factories.user("staff", must_change_password=False, disabled_at=utcnow())

    responses = {
        "unknown": sign_in(client, "nobody.here"),
        "wrong password": sign_in(client, wrong.username, WRONG),
        "locked (right password)": sign_in(client, locked.username),
        "disabled (right password)": sign_in(client, disabled.username),
    }
    messages = {case: refusal_message(r) for case, r in responses.items()}
    assert {r.status_code for r in responses.values()} == {200}
    assert len(set(messages.values())) == 1, messages
    assert messages["unknown"]  # there is a message, and it is the generic one
    for response in responses.values():
        body = response.get_data(as_text=True).lower()
        assert "disabled" not in body and "locked until" not in body and "does not exist" not in body


def test_an_unknown_login_name_costs_a_password_verification(client, monkeypatch):
    verified = []
    real = passwords._hasher

    class Spy:
        def verify(self, stored, password):
            verified.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(passwords, "_hasher", Spy())
    sign_in(client, "nobody.here")
    assert verified == [passwords._DUMMY_HASH]


def test_failures_and_the_lock_are_audited(client, db_session, factories):
    user = factories.user("staff", must_change_password=False)
    for _ in range(5):
        sign_in(client, user.username, WRONG)
    sign_in(client, "nobody.here")
    actions = audit_actions(db_session, user.id)
    assert actions.count("sign_in_failed") == 5
    assert "account_locked" in actions
    unknown = db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == "sign_in_failed", AuditRecord.object_id.is_(None))).all()
    assert any("nobody.here" in (record.summary or "") for record in unknown)


def test_a_successful_sign_in_is_audited_as_the_user(client, db_session, factories):
    user = factories.user("staff", must_change_password=False)
    sign_in(client, user.username)
    record = db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == "sign_in", AuditRecord.object_id == str(user.id))).one()
    assert record.user_id == user.id
    assert record.username == user.username
    db_session.refresh(user)
    assert user.last_login_at is not None
