"""The expert pool: create, read, change and filter members; contacts masked; each department
keeps its own and the office reads them all."""

from __future__ import annotations

from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.registry.experts.models import Expert
from spotcheck.registry.experts.testing import make_expert


def test_a_member_is_created_read_and_changed(factories, login_as, db_session):
    factories.department("AAA")
    client = login_as("staff", "AAA")
    response = client.post("/experts/new", data={
        "kind": "testing_body", "name": "青海省计量检定测试所", "organisation": "",
        "specialities": "计量；衡器", "qualification": "CMA 2019280000", "contact": "0971-6123456",
        "valid_until": "2027-12-31", "status": "active", "note": ""})
    assert response.status_code == 302
    expert = db_session.scalars(select(Expert).where(Expert.name == "青海省计量检定测试所")).one()
    assert expert.specialities == ["衡器", "计量"]
    page = client.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "CMA 2019280000" in page and "0971-6123456" not in page
    client.post(f"/experts/{expert.id}/edit", data={
        "kind": "testing_body", "name": "青海省计量检定测试所", "specialities": "计量",
        "status": "suspended", "contact": "0971-6123456"})
    db_session.expire_all()
    assert expert.status == "suspended" and expert.specialities == ["计量"]


def test_a_bad_form_saves_nothing(factories, login_as, db_session):
    factories.department("AAA")
    page = login_as("staff", "AAA").post("/experts/new", data={
        "kind": "expert", "name": "刘强", "specialities": "", "status": "active"}).get_data(as_text=True)
    assert "专业领域" in page
    assert db_session.scalars(select(Expert)).all() == []


def test_the_pool_filters_by_kind_and_speciality(factories, login_as, db_session):
    department = factories.department("AAA")
    make_expert(db_session, department, name="陈工", specialities=("特种设备",))
    make_expert(db_session, department, kind="research_institution", name="青海省食品研究所",
                organisation=None, specialities=("食品检验",))
    client = login_as("staff", "AAA")
    by_kind = client.get("/experts/?kind=research_institution").get_data(as_text=True)
    assert "青海省食品研究所" in by_kind and "陈工" not in by_kind
    by_speciality = client.get("/experts/?speciality=特种设备").get_data(as_text=True)
    assert "陈工" in by_speciality and "青海省食品研究所" not in by_speciality
    assert "139****4321" in by_speciality and "13987654321" not in by_speciality


def test_departments_keep_their_own_members_and_the_office_reads_all(factories, login_as, db_session):
    make_expert(db_session, factories.department("AAA"), name="甲部门专家")
    make_expert(db_session, factories.department("BBB"), name="乙部门专家")
    assert "乙部门专家" not in login_as("staff", "AAA").get("/experts/").get_data(as_text=True)
    office = login_as("office", "OFFICE").get("/experts/").get_data(as_text=True)
    assert "甲部门专家" in office and "乙部门专家" in office


def test_the_api_creates_and_changes_members(app, factories):
    factories.department("AAA")
    user = factories.user("staff", "AAA", must_change_password=False)
    _token, secret = create_token(factories.db, user, "test")
    factories.db.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    assert client.post("/api/v1/experts", json={"kind": "expert", "name": "马丽"}).status_code == 422
    created = client.post("/api/v1/experts", json={"kind": "expert", "name": "马丽",
                                                    "specialities": ["药品"], "contact": "13500005555"})
    assert created.status_code == 201 and created.get_json()["contact"] == "135****5555"
    expert_id = created.get_json()["id"]
    changed = client.patch(f"/api/v1/experts/{expert_id}", json={"status": "removed"})
    assert changed.get_json()["status"] == "removed"
    assert [e["name"] for e in client.get("/api/v1/experts?speciality=药品").get_json()] == ["马丽"]
