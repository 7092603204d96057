"""The web page of one's own API tokens: list, create (secret shown once), revoke."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.audit.models import AuditRecord
from spotcheck.tenancy.models import ApiToken


@pytest.fixture
def staff(factories):
    return factories.user("staff", "SCJG", must_change_password=False)


@pytest.fixture
def browser(factories, staff):
    return factories.signed_in_client(staff)


def test_signing_in_is_required(client):
    response = client.get("/account/tokens/")
    assert response.status_code == 302
    assert "/account/tokens/" not in response.headers["Location"].split("?")[0]


def test_the_page_lists_own_tokens_only(browser, db_session, staff, factories):
    create_token(db_session, staff, "my sync job")
    create_token(db_session, factories.user("staff", "SCJG"), "colleague's job")
    db_session.commit()
    page = browser.get("/account/tokens/").get_data(as_text=True)
    assert "my sync job" in page
    assert "colleague&#39;s job" not in page and "colleague's job" not in page


def test_creating_shows_the_secret_once_and_it_works(browser, client, db_session, staff):
    response = browser.post("/account/tokens/", data={"name": "report robot", "lifetime_days": "7"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r"spc_[A-Za-z0-9_-]{43}", response.get_data(as_text=True)).group(0)

    token = db_session.scalars(select(ApiToken).where(ApiToken.user_id == staff.id)).one()
    assert (token.name, token.prefix) == ("report robot", secret[:12])
    assert (token.expires_at - token.created_at).days == 7
    assert db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == "token_create", AuditRecord.object_id == str(token.id))).one().username \
        == staff.username

    assert secret not in browser.get("/account/tokens/").get_data(as_text=True)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.get_json()["username"] == staff.username


@pytest.mark.parametrize("form", [{"name": "  ", "lifetime_days": "7"},
                                  {"name": "x", "lifetime_days": "400"},
                                  {"name": "x", "lifetime_days": "0"}])
def test_an_invalid_form_creates_nothing(browser, db_session, staff, form):
    response = browser.post("/account/tokens/", data=form)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db_session.scalars(select(ApiToken).where(ApiToken.user_id == staff.id)).all() == []


def test_revoking_own_token(browser, db_session, staff):
    token, _secret = create_token(db_session, staff, "old")
    db_session.commit()
    response = browser.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    db_session.refresh(token)
    assert token.revoked_at is not None
    assert db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == "token_revoke", AuditRecord.object_id == str(token.id))).one()


def test_revoking_another_users_token_answers_404(browser, db_session, factories):
    victim, _secret = create_token(db_session, factories.user("staff", "SCJG"), "theirs")
    db_session.commit()
    # The error page shows the request id: make it the same, so any other difference shows.
    same_id = {"X-Request-ID": "request-0000001"}
    foreign = browser.post(f"/account/tokens/{victim.id}/revoke", headers=same_id)
    missing = browser.post("/account/tokens/987654321/revoke", headers=same_id)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_data() == missing.get_data()
    db_session.refresh(victim)
    assert victim.revoked_at is None
