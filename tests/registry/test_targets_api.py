"""/api/v1/targets: the directory over REST, with the same rules, masking and tenancy as the pages."""

from __future__ import annotations

import pytest

from spotcheck.api.tokens import create_token
from spotcheck.registry.targets.testing import credit_code, make_target


@pytest.fixture
def department(factories):
    return factories.department("SCJG")


def bearer(db_session, user):
    _token, secret = create_token(db_session, user, "test")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def headers(db_session, factories, department):
    return bearer(db_session, factories.user("staff", "SCJG", must_change_password=False))


def test_search_lists_the_departments_targets_masked(client, db_session, headers, department, factories):
    mine = make_target(db_session, department, name="城东区福瑞餐饮店", legal_representative="张三明",
                       tags="食品经营", risk_level="高")
    make_target(db_session, factories.department("BBB"), name="城东区他人餐饮店")
    body = client.get("/api/v1/targets?q=城东区", headers=headers).get_json()
    assert body["total"] == 1 and not body["total_capped"]
    item = body["items"][0]
    assert (item["id"], item["legal_representative"], item["tags"], item["risk_level"]) == (
        mine.id, "张*明", ["食品经营"], "high")


def test_one_target_by_id_and_by_code(client, db_session, headers, department):
    target = make_target(db_session, department, legal_representative="张三明")
    by_id = client.get(f"/api/v1/targets/{target.id}", headers=headers).get_json()
    by_code = client.get(f"/api/v1/targets/by-code/{target.code.lower()}", headers=headers).get_json()
    assert by_id == by_code
    assert by_id["legal_representative"] == "张三明" and by_id["supervised_by"] == ["SCJG"]
    assert by_id["version"] == 1


def test_another_departments_target_answers_404(client, db_session, headers, factories):
    theirs = make_target(db_session, factories.department("BBB"))
    assert client.get(f"/api/v1/targets/{theirs.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/targets/by-code/{theirs.code}", headers=headers).status_code == 404


def test_creating_a_target(client, headers):
    code = credit_code(61)
    response = client.post("/api/v1/targets", headers=headers, json={
        "code": code, "name": "西宁新开商贸有限公司", "kind": "公司", "industry": "5191",
        "tags": ["新开"], "risk_level": "中"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["code"], body["kind"], body["tags"], body["risk_level"]) == (
        code, "company", ["新开"], "medium")


def test_invalid_rows_get_every_error_in_both_languages(client, headers):
    response = client.post("/api/v1/targets", headers=headers, json={
        "code": credit_code(62)[:-1] + "X", "kind": "公司", "industry": "99"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"code", "name", "industry"}
    assert "校验位" in errors["code"][0]["zh"] and "check digit" in errors["code"][0]["en"]


def test_a_duplicate_code_is_refused(client, db_session, headers, factories):
    theirs = make_target(db_session, factories.department("BBB"))
    response = client.post("/api/v1/targets", headers=headers,
                           json={"code": theirs.code, "name": "同码", "kind": "公司"})
    assert response.status_code == 422
    assert "已在名录库中" in response.get_json()["errors"]["code"][0]["zh"]


def test_updating_with_the_version_and_a_conflict_with_an_old_one(client, db_session, headers,
                                                                    department):
    target = make_target(db_session, department, address="旧地址", credit_class="B")
    url = f"/api/v1/targets/{target.id}"
    first = client.patch(url, headers=headers, json={"version": 1, "address": "新地址",
                                                     "credit_class": None})
    assert first.status_code == 200, first.get_json()
    assert (first.get_json()["address"], first.get_json()["credit_class"],
            first.get_json()["version"]) == ("新地址", None, 2)
    stale = client.patch(url, headers=headers, json={"version": 1, "address": "覆盖"})
    assert stale.status_code == 409
    assert client.get(url, headers=headers).get_json()["address"] == "新地址"
    assert client.patch(url, headers=headers, json={"address": "无版本"}).status_code == 422


def test_changing_tags(client, db_session, headers, department):
    target = make_target(db_session, department, tags="旧标签")
    response = client.post(f"/api/v1/targets/{target.id}/tags", headers=headers,
                           json={"add": ["新标签"], "remove": ["旧标签"]})
    assert response.status_code == 200
    assert response.get_json()["tags"] == ["新标签"]


def test_the_office_reads_but_does_not_write(client, db_session, factories):
    target = make_target(db_session, factories.department("BBB"))
    office = bearer(db_session, factories.user("office", "OFFICE", must_change_password=False))
    assert client.get(f"/api/v1/targets/{target.id}", headers=office).status_code == 200
    response = client.post("/api/v1/targets", headers=office,
                           json={"code": credit_code(63), "name": "某", "kind": "公司"})
    assert response.status_code == 403
