"""One error document for every API error, with its messages in Chinese and English."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, get_locale, gettext

from spotcheck.api import i18n
from spotcheck.api.errors import error_body, field_errors
from spotcheck.api.tokens import create_token

SHAPE = {"code", "status", "message", "errors"}


@pytest.fixture
def headers(db_session, factories):
    user = factories.user("staff", "SCJG", must_change_password=False)
    _token, secret = create_token(db_session, user, "test")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def zh(app, template, **values):
    with app.test_request_context(), force_locale("zh"):
        return gettext(template).format(**values)


def test_invalid_fields_answer_422_naming_each_field_in_both_languages(app, client, headers):
    response = client.post("/api/v1/tokens", json={"expires_in_days": 0, "colour": "red"},
                           headers=headers)
    assert response.status_code == 422
    body = response.get_json()
    assert set(body) == SHAPE
    assert body["status"] == "Unprocessable Entity"
    assert body["message"]["en"] == 'Some fields are invalid: see "errors".'
    assert body["errors"] == {
        "name": [{"en": "Missing data for required field.",
                  "zh": zh(app, "Missing data for required field.")}],
        "expires_in_days": [{"en": "Must be greater than or equal to 1 and less than or equal to 365.",
                             "zh": zh(app, "Must be greater than or equal to {min} and less than or "
                                           "equal to {max}.", min=1, max=365)}],
        "colour": [{"en": "Unknown field.", "zh": zh(app, "Unknown field.")}],
    }
    # The Chinese is a translation, not the English echoed (the catalog test keeps it complete).
    assert body["message"]["zh"] != body["message"]["en"]
    assert body["errors"]["expires_in_days"][0]["zh"].endswith("365。")


def test_a_body_that_is_not_json_answers_400_naming_the_body(client, headers):
    response = client.post("/api/v1/tokens", data='{"name": ', content_type="application/json",
                           headers=headers)
    assert response.status_code == 400
    body = response.get_json()
    assert set(body) == SHAPE
    assert body["message"]["en"] == "The request body is not valid JSON."
    assert [message["en"] for message in body["errors"]["json"]] == ["Invalid JSON body."]


def test_a_wrong_type_is_a_field_error(client, headers):
    response = client.post("/api/v1/tokens", json={"name": "x" * 101, "expires_in_days": "soon"},
                           headers=headers)
    errors = response.get_json()["errors"]
    assert errors["name"][0]["en"] == "Length must be between 1 and 100."
    assert errors["expires_in_days"][0]["en"] == "Not a valid integer."


@pytest.mark.parametrize(("method", "url", "code"), [
    ("GET", "/api/v1/no-such-thing", 404),
    ("PUT", "/api/v1/tokens", 405),
    ("GET", "/api/v1/tokens/not-a-number", 404),
])
def test_routing_errors_answer_the_document_too(client, headers, method, url, code):
    response = client.open(url, method=method, headers=headers)
    assert response.status_code == code
    assert response.is_json
    body = response.get_json()
    assert set(body) == SHAPE and body["code"] == code and set(body["message"]) == {"zh", "en"}


def test_error_body_for_every_status(app):
    with app.test_request_context():
        for code in (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503):
            body = error_body(code)
            assert body["code"] == code and body["errors"] == {}
            assert body["message"]["en"] and body["message"]["zh"], code


def test_field_messages_are_looked_up_by_template_and_refilled(app, monkeypatch):
    # Stands in for the Chinese catalog, which is made separately.
    def catalog(msgid, **values):
        return f"ZH[{msgid}]" if str(get_locale()) == "zh" else msgid

    monkeypatch.setattr(i18n, "gettext", catalog)
    with app.test_request_context():
        assert i18n.field_message("Longer than maximum length 100.") == {
            "zh": "ZH[Longer than maximum length 100.]", "en": "Longer than maximum length 100."}
        assert i18n.field_message("Something nobody catalogued.") == {
            "zh": "ZH[Something nobody catalogued.]", "en": "Something nobody catalogued."}


def test_field_errors_flatten_locations_and_nesting():
    assert field_errors({"json": {"name": ["Bad."], "members": {0: {"code": ["Worse."]}}},
                         "query": {"page": ["Not a valid integer."]}}) == {
        "name": ["Bad."], "members.0.code": ["Worse."], "page": ["Not a valid integer."]}
