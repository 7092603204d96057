"""Password storage and policy: argon2id, rehash on sign-in, complexity, not the login name."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.low_level import Type

from spotcheck.tenancy import service
from spotcheck.tenancy.passwords import check_policy, hash_password, needs_rehash
from spotcheck.testing.factories import TEST_PASSWORD

STRONG = "Spring-Field-2031"


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post("/sign-in", data={"username": username, "password": password})


def with_hash(factories, db_session, password_hash):
    user = factories.user("staff", must_change_password=False)
    user.password_hash = password_hash
    db_session.commit()
    return user


def test_passwords_are_stored_as_argon2id(app, db_session, factories):
    department = factories.department("SCJG")
    with app.test_request_context():
        user, _generated = service.create_user(db_session, None, username="li.ming", display_name="李明",
                                               role="staff", department=department, password=STRONG)
    assert user.password_hash.startswith("$argon2id$")
    assert STRONG not in user.password_hash


def test_sign_in_rehashes_a_hash_made_with_weaker_parameters(client, db_session, factories):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID).hash(TEST_PASSWORD)
    user = with_hash(factories, db_session, weak)
    assert needs_rehash(weak)

    assert sign_in(client, user.username).status_code == 302
    db_session.refresh(user)
    assert user.password_hash != weak
    assert not needs_rehash(user.password_hash)


def test_sign_in_keeps_a_current_hash(client, db_session, factories):
    current = hash_password(TEST_PASSWORD)
    user = with_hash(factories, db_session, current)
    sign_in(client, user.username)
    db_session.refresh(user)
    assert user.password_hash == current


@pytest.mark.parametrize(("password", "problem"), [
    ("Ab1-short", "too_short"),          # 9 characters
    ("alllowercase2031", "too_simple"),  # two classes
    ("ALLUPPER-ONLY", "too_simple"),     # two classes
    ("Wang.wei-2031", "contains_username"),
])
def test_policy_refuses(app, password, problem):
    with app.test_request_context():
        assert problem in {p.code for p in check_policy(password, "wang.wei", 10)}


@pytest.mark.parametrize("password", [STRONG, "lower-and-123", "UPPER lower 99", "Tenletters1"])
def test_policy_accepts_ten_characters_of_three_classes(app, password):
    with app.test_request_context():
        assert check_policy(password, "wang.wei", 10) == []


def test_policy_length_follows_configuration(app, monkeypatch, db_session, factories):
    monkeypatch.setitem(app.config, "PASSWORD_MIN_LENGTH", 20)
    user = factories.user("staff")
    with app.test_request_context(), pytest.raises(service.PasswordRejected) as refused:
        service.change_password(db_session, user, TEST_PASSWORD, STRONG)
    assert [p.code for p in refused.value.problems] == ["too_short"]


def test_generated_passwords_meet_the_policy(app):
    with app.test_request_context():
        for _ in range(200):
            password = service.generate_password("wang.wei")
            assert check_policy(password, "wang.wei", 16) == []
