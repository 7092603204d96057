"""The token service and /api/v1/tokens: shown once, stored hashed, own tokens only, audited."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import (
    DEFAULT_LIFETIME_DAYS,
    PREFIX_LENGTH,
    SECRET_PREFIX,
    TokenState,
    create_token,
    token_state,
)
from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.tenancy.models import ApiToken


@pytest.fixture
def staff(factories):
    return factories.user("staff", "SCJG", must_change_password=False)


def issue(db_session, user, name="client", **options):
    token, secret = create_token(db_session, user, name, **options)
    db_session.commit()
    return token, secret, {"Authorization": f"Bearer {secret}"}


def audit_actions(db_session, token_id):
    return [record.action for record in db_session.scalars(
        select(AuditRecord).where(AuditRecord.object_type == "api_token",
                                  AuditRecord.object_id == str(token_id)).order_by(AuditRecord.id))]


def test_the_database_keeps_only_the_hash_and_a_prefix(db_session, staff):
    token, secret, _headers = issue(db_session, staff)
    assert secret.startswith(SECRET_PREFIX) and len(secret) >= 40
    db_session.expire_all()
    row = db_session.execute(select(ApiToken.__table__).where(ApiToken.__table__.c.id == token.id)).one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:PREFIX_LENGTH]
    assert all(secret not in str(value) for value in row)


def test_the_trail_never_holds_the_secret_or_its_hash(db_session, staff):
    token, secret, _headers = issue(db_session, staff)
    summaries = " ".join(record.summary or "" for record in db_session.scalars(select(AuditRecord)))
    assert secret not in summaries
    assert token.token_hash not in summaries
    assert secret[PREFIX_LENGTH:] not in summaries


def test_tokens_expire_by_default_and_cannot_live_longer_than_a_year(db_session, staff):
    token, _secret, _headers = issue(db_session, staff)
    assert token.expires_at - token.created_at == timedelta(days=DEFAULT_LIFETIME_DAYS)
    with pytest.raises(ValueError):
        create_token(db_session, staff, "too long", lifetime_days=366)


def test_token_state():
    now = utcnow()
    token = ApiToken(expires_at=now + timedelta(days=1), revoked_at=None)
    assert token_state(token, now) is TokenState.ACTIVE
    assert token_state(token, now + timedelta(days=1)) is TokenState.EXPIRED
    token.revoked_at = now
    assert token_state(token, now) is TokenState.REVOKED


def test_create_through_the_api_shows_the_secret_once(client, db_session, staff):
    _token, _secret, headers = issue(db_session, staff)
    response = client.post("/api/v1/tokens", json={"name": "nightly sync", "expires_in_days": 30},
                           headers=headers)
    assert response.status_code == 201
    issued = response.get_json()
    secret = issued["secret"]
    assert issued["token"]["name"] == "nightly sync"
    assert issued["token"]["prefix"] == secret[:PREFIX_LENGTH]

    listed = client.get("/api/v1/tokens", headers=headers)
    assert listed.status_code == 200
    assert secret not in listed.get_data(as_text=True)
    assert [t["name"] for t in listed.get_json()] == ["nightly sync", "client"]

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.get_json()["username"] == staff.username
    assert audit_actions(db_session, issued["token"]["id"]).count("token_create") == 1


def test_a_token_made_through_the_api_does_not_outlive_its_maker(client, db_session, staff):
    maker, _secret, headers = issue(db_session, staff, lifetime_days=2)
    response = client.post("/api/v1/tokens", json={"name": "child", "expires_in_days": 365},
                           headers=headers)
    child = db_session.get(ApiToken, response.get_json()["token"]["id"])
    assert child.expires_at == maker.expires_at


def test_the_list_shows_only_the_callers_tokens(client, db_session, staff, factories):
    _token, _secret, headers = issue(db_session, staff, name="mine")
    issue(db_session, factories.user("staff", "SCJG"), name="a colleague's")
    assert [t["name"] for t in client.get("/api/v1/tokens", headers=headers).get_json()] == ["mine"]


def test_revoke_is_immediate_idempotent_and_audited_once(client, db_session, staff):
    keeper, _secret, headers = issue(db_session, staff, name="keeper")
    spare, _spare_secret, spare_headers = issue(db_session, staff, name="spare")
    assert client.delete(f"/api/v1/tokens/{spare.id}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=spare_headers).status_code == 401
    assert client.delete(f"/api/v1/tokens/{spare.id}", headers=headers).status_code == 204
    assert audit_actions(db_session, spare.id).count("token_revoke") == 1
    db_session.refresh(keeper)
    assert keeper.revoked_at is None


def test_a_token_can_revoke_itself(client, db_session, staff):
    token, _secret, headers = issue(db_session, staff)
    assert client.delete(f"/api/v1/tokens/{token.id}", headers=headers).status_code == 204
    assert client.get("/api/v1/tokens", headers=headers).status_code == 401


def test_another_users_token_answers_404_like_a_missing_one(client, db_session, staff, factories):
    _token, _secret, headers = issue(db_session, staff)
    victim, _victim_secret, victim_headers = issue(db_session, factories.user("head", "SCJG"))

    foreign = client.delete(f"/api/v1/tokens/{victim.id}", headers=headers)
    missing = client.delete("/api/v1/tokens/987654321", headers=headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()
    assert foreign.get_json()["message"]["en"] == "Not found."

    db_session.refresh(victim)
    assert victim.revoked_at is None
    assert client.get("/api/v1/me", headers=victim_headers).status_code == 200
    assert "token_revoke" not in audit_actions(db_session, victim.id)
