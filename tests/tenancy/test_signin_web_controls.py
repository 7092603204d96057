"""Controls the test app turns off, each proven in an app built with it on: CSRF, cookie flags,
security headers and the sign-in rate limit."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from spotcheck.db import get_database
from spotcheck.testing.factories import TEST_PASSWORD
from spotcheck.web.extensions import get_limiter


@pytest.fixture
def build_app(app_config, db_session):
    """Build another app on the test's database, joined to the test's transaction."""
    built = []

    def build(**overrides):
        from spotcheck.app import create_app

        # No plugin sync at start: it would write through the new app's own connection while the
        # test's transaction holds SQLite's write lock (these tests need no item lists).
        other = create_app({**app_config, "SYNC_PLUGINS_ON_START": False, **overrides})
        get_database(other).sessionmaker.configure(bind=db_session.get_bind(),
                                                   join_transaction_mode="create_savepoint")
        built.append(other)
        return other

    yield build
    for other in built:
        get_database(other).engine.dispose()


def browser_post_rules(app):
    """Every rule a browser can POST to (the API is exempt: it takes bearer tokens, not cookies)."""
    return [rule for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and not rule.rule.startswith("/api/")]


def test_every_browser_form_refuses_a_post_without_csrf_token(build_app):
    strict = build_app(WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    rules = browser_post_rules(strict)
    assert {"auth.sign_in", "auth.sign_out", "admin_users.change_role"} <= {r.endpoint for r in rules}
    for rule in rules:
        with strict.test_request_context():
            url = url_for(rule.endpoint, **{name: 1 for name in rule.arguments})
        assert client.post(url, data={}).status_code == 400, rule.rule


def test_a_post_with_the_token_is_accepted(build_app, factories):
    user = factories.user("staff", must_change_password=False)
    client = build_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/sign-in", data={"csrf_token": token, "username": user.username,
                                             "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_the_session_cookie_is_secure_httponly_and_samesite(build_app, factories):
    user = factories.user("staff", must_change_password=False)
    client = build_app(SESSION_COOKIE_SECURE=True).test_client()
    response = client.post("/sign-in", base_url="https://localhost",
                           data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith("spotcheck_session="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite"} <= attributes
    assert "SameSite=Lax" in cookie


def test_pages_carry_the_security_headers(client):
    response = client.get("/sign-in", base_url="https://localhost")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_hsts_is_sent_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers


ATTEMPT = {"username": "nobody.here", "password": "Wrong-Password-1"}


def test_the_sign_in_endpoint_is_rate_limited(build_app):
    limited = build_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    assert [client.post("/sign-in", data=ATTEMPT).status_code for _ in range(3)] == [200] * 3
    assert client.post("/sign-in", data=ATTEMPT).status_code == 429
    assert client.get("/sign-in").status_code == 200  # reading the page is not limited


def test_each_app_has_its_own_rate_limiter(app, build_app):
    limited = build_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    unlimited = build_app(RATELIMIT_ENABLED=False, LOGIN_RATE_LIMIT="2 per minute")
    assert get_limiter(limited) is not get_limiter(unlimited)
    # Built after the limited app, the unlimited one neither turned its limiter off nor took it.
    assert [unlimited.test_client().post("/sign-in", data=ATTEMPT).status_code
            for _ in range(4)] == [200] * 4
    assert [limited.test_client().post("/sign-in", data=ATTEMPT).status_code
            for _ in range(3)] == [200, 200, 429]
    # Nor did the limited app, built after the session's test app, switch that one's limiter on.
    assert not get_limiter(app).enabled
    assert [app.test_client().post("/sign-in", data=ATTEMPT).status_code
            for _ in range(4)] == [200] * 4
