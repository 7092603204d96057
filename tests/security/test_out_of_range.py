"""Numbers and texts beyond what the database stores: found by the fuzzer, answered 404 or 422."""

from __future__ import annotations

import json

from spotcheck.api.tokens import create_token
from spotcheck.web.converters import DATABASE_INTEGER_MAX

HUGE = "99999999999999999999"


def bearer(db_session, factories, role="staff"):
    user = factories.user(role, "SCJG", must_change_password=False)
    _token, secret = create_token(db_session, user, "range")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_an_id_beyond_the_databases_range_names_nothing(client, db_session, factories, login_as):
    headers = bearer(db_session, factories)
    for url in (f"/api/v1/tasks/{HUGE}", f"/api/v1/targets/{HUGE}", f"/api/v1/plans/{2**31}"):
        assert client.get(url, headers=headers).status_code == 404, url
    assert client.get(f"/api/v1/targets/{DATABASE_INTEGER_MAX}", headers=headers).status_code == 404
    assert login_as("staff", "SCJG").get(f"/tasks/{HUGE}").status_code == 404


def test_a_number_beyond_the_databases_range_in_a_filter_is_refused_not_a_server_error(
        client, db_session, factories):
    headers = bearer(db_session, factories)
    for url in (f"/api/v1/tasks?plan={HUGE}", f"/api/v1/draws?batch={HUGE}", f"/api/v1/teams?draw={HUGE}"):
        response = client.get(url, headers=headers)
        # PostgreSQL compares the number as numeric and finds nothing; SQLite cannot bind it.
        assert response.status_code in (200, 422), url
        if response.status_code == 422:
            assert response.get_json()["message"] == {
                "en": "A value is beyond what the database can store (a number too large or a text too long).",
                "zh": "某个值超出了数据库可存储的范围（数字过大或文本过长）。"}
        else:
            assert response.get_json() == []


def test_path_ids_are_documented_with_their_bound(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameter = next(p for p in document["paths"]["/api/v1/tasks/{task_id}"]["parameters"]
                     if p["name"] == "task_id")
    assert parameter["schema"]["maximum"] == DATABASE_INTEGER_MAX
    assert json.dumps(document).count('"maximum": 2147483647') >= 40
