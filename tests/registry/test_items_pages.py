"""The item list pages and API: a department sees and adjusts its own list; the office sees every
department's items side by side and adjusts none."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.registry.items.models import CheckItemVersion
from spotcheck.registry.items.testing import make_item


@pytest.fixture
def items(factories, db_session):
    return {
        "AAA": make_item(db_session, factories.department("AAA"), "aaa_food", name_zh="甲部门食品检查"),
        "BBB": make_item(db_session, factories.department("BBB"), "bbb_equipment",
                         name_zh="乙部门特种设备检查", key_item=True, methods=["onsite"],
                         target_kinds=["public_institution"]),
    }


def test_a_department_sees_only_its_own_items(items, login_as):
    page = login_as("staff", "AAA").get("/items/").get_data(as_text=True)
    assert "甲部门食品检查" in page
    assert "乙部门特种设备检查" not in page


def test_the_office_sees_every_departments_items_side_by_side(items, login_as):
    office = login_as("office", "OFFICE")
    page = office.get("/items/").get_data(as_text=True)
    assert "甲部门食品检查" in page and "乙部门特种设备检查" in page
    key_only = office.get("/items/?key_item=yes").get_data(as_text=True)
    assert "乙部门特种设备检查" in key_only and "甲部门食品检查" not in key_only
    by_kind = office.get("/items/?target_kind=public_institution&method=onsite").get_data(as_text=True)
    assert "乙部门特种设备检查" in by_kind and "甲部门食品检查" not in by_kind
    aaa = items["AAA"].department_id
    only_aaa = office.get(f"/items/?department={aaa}").get_data(as_text=True)
    assert "甲部门食品检查" in only_aaa and "乙部门特种设备检查" not in only_aaa


def test_disabling_an_item_on_its_page_makes_a_version(items, login_as, db_session):
    client = login_as("head", "AAA")
    item = items["AAA"]
    response = client.post(f"/items/{item.id}/enabled", data={"enabled": "0"})
    assert response.status_code == 302
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "第2版" in page
    numbers = db_session.scalars(select(CheckItemVersion.number).where(
        CheckItemVersion.item_id == item.id).order_by(CheckItemVersion.number)).all()
    assert numbers == [1, 2]


def test_local_text_is_saved_from_the_page(items, login_as):
    client = login_as("staff", "AAA")
    item = items["AAA"]
    client.post(f"/items/{item.id}/local-text", data={"name_zh": "餐饮服务食品安全检查", "name_en": "", "note": ""})
    assert "餐饮服务食品安全检查" in client.get("/items/").get_data(as_text=True)


def test_the_office_may_not_adjust_a_departments_item(items, login_as):
    office = login_as("office", "OFFICE")
    assert office.post(f"/items/{items['AAA'].id}/enabled", data={"enabled": "0"}).status_code == 403


def test_an_inspector_has_no_item_pages(items, login_as):
    assert login_as("inspector", "AAA").get("/items/").status_code == 403


def api_client(app, factories, role, department):
    user = factories.user(role, department, must_change_password=False)
    _token, secret = create_token(factories.db, user, "test")
    factories.db.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_the_api_lists_and_adjusts_items(app, factories, items):
    client = api_client(app, factories, "staff", "AAA")
    listed = client.get("/api/v1/items").get_json()
    assert [i["code"] for i in listed] == ["aaa_food"]
    item_id = listed[0]["id"]
    changed = client.patch(f"/api/v1/items/{item_id}", json={"enabled": False, "local_note": "暂停"})
    assert changed.status_code == 200
    assert changed.get_json()["current_version"]["number"] == 3  # one version each change
    detail = client.get(f"/api/v1/items/{item_id}").get_json()
    assert [v["number"] for v in detail["versions"]] == [3, 2, 1]
    office = api_client(app, factories, "office", "OFFICE")
    assert {i["code"] for i in office.get("/api/v1/items").get_json()} >= {"aaa_food", "bbb_equipment"}
    assert office.patch(f"/api/v1/items/{item_id}", json={"enabled": True}).status_code == 403
