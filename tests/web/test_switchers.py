"""The header's two switchers: the language, and the member unit an office user views."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.db import session
from spotcheck.tenancy.models import Department, User, UserSession


def records(db_session, action, object_type, object_id):
    return db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == action, AuditRecord.object_type == object_type,
        AuditRecord.object_id == str(object_id))).all()


# -- language -----------------------------------------------------------------------------------

def test_anyone_can_switch_to_english_and_back(client):
    response = client.post("/locale", data={"locale": "en", "next": "/sign-in"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "Sign in" in client.get("/sign-in").get_data(as_text=True)

    client.post("/locale", data={"locale": "zh"})
    assert "登录" in client.get("/sign-in").get_data(as_text=True)


def test_a_signed_in_users_choice_is_saved_and_audited(browser, db_session):
    client, user = browser("staff")
    client.post("/locale", data={"locale": "en"})

    db_session.refresh(user)
    assert user.locale == "en"
    [record] = records(db_session, "update", "user_account", user.id)
    assert '"locale":"en"' in record.summary and record.username == user.username
    # The saved choice follows the user to a browser without the cookie.
    client.delete_cookie("lang")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_an_unknown_language_is_refused(client):
    assert client.post("/locale", data={"locale": "fr"}).status_code == 400


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_the_switch_only_returns_to_pages_of_this_site(client, target):
    response = client.post("/locale", data={"locale": "en", "next": target})
    assert response.headers["Location"] == "/"


# -- acting department --------------------------------------------------------------------------

def visible_usernames(app, client) -> set[str]:
    """The users that a request of ``client`` may read, once the app has set up its scope."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    with app.test_request_context("/", headers={"Cookie": f"{cookie.key}={cookie.value}"}):
        assert app.preprocess_request() is None  # signed in, nothing owed: the request proceeds
        return set(session.scalars(select(User.username)))


def test_an_office_user_acting_as_a_department_sees_only_its_rows(app, browser, factories):
    office, _user = browser("office", "OFFICE")
    in_scjg = factories.user("staff", "SCJG").username
    in_aaa = factories.user("staff", "AAA").username
    scjg = factories.department("SCJG")

    assert {in_scjg, in_aaa} <= visible_usernames(app, office)

    response = office.post("/acting-department", data={"department_id": scjg.id, "next": "/"})
    assert response.status_code == 302
    seen = visible_usernames(app, office)
    assert in_scjg in seen and in_aaa not in seen
    assert "当前仅显示" in office.get("/").get_data(as_text=True)

    office.post("/acting-department", data={"department_id": ""})
    assert {in_scjg, in_aaa} <= visible_usernames(app, office)


def test_the_switch_is_kept_on_the_session_and_audited(browser, factories, db_session):
    office, user = browser("office", "OFFICE")
    scjg = factories.department("SCJG")
    office.post("/acting-department", data={"department_id": scjg.id})

    row = db_session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    db_session.refresh(row)
    assert row.acting_department_id == scjg.id
    [record] = records(db_session, "update", "user_session", row.id)
    assert f'"acting_department_id":{scjg.id}' in record.summary


@pytest.mark.parametrize("role", ["head", "staff", "inspector", "sysadmin", "auditadmin"])
def test_only_the_office_may_switch(browser, factories, role):
    client, _user = browser(role, "OFFICE" if role.endswith("admin") else "SCJG")
    scjg = factories.department("SCJG")
    assert client.post("/acting-department", data={"department_id": scjg.id}).status_code == 403


def test_the_office_itself_or_an_unknown_department_is_refused(browser, factories, db_session):
    office, _user = browser("office", "OFFICE")
    office_id = db_session.scalars(select(Department.id).where(Department.is_office)).one()
    for value in (office_id, 999999, "SCJG"):
        assert office.post("/acting-department", data={"department_id": value}).status_code == 400
