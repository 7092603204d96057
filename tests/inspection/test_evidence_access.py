"""Who may attach and read evidence, on the pages and through the API: whoever sees the task reads
it; whoever records one of its items or leads it attaches; everyone else gets 404."""

from __future__ import annotations

import hashlib
import io

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.audit.models import AuditRecord
from spotcheck.inspection import evidence_testing as samples
from spotcheck.inspection.evidence import Storage
from spotcheck.inspection.models import Evidence, TaskState
from spotcheck.inspection.testing import make_task, make_tasks
from spotcheck.tenancy.scope import Scope, scoped


@pytest.fixture
def storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    return Storage.of(app)


@pytest.fixture
def task(factories, db_session):
    return make_task(db_session, factories.department("AAA"), [factories.department("BBB")])


@pytest.fixture
def attached(db_session, factories, task, storage):
    return samples.attach_sample(db_session, task, factories.user("staff", "AAA"), storage)


def _team_member(factories, db_session, task, department: str):
    """A browser of an inspector on the task's team, for ``department``."""
    member = next(m for m in task.team.members if m.active and m.department_code == department)
    user = factories.user("inspector", department, must_change_password=False)
    with scoped(db_session, Scope.system()):
        member.inspector.user_id = user.id
        db_session.commit()
    return factories.signed_in_client(user), user


def _upload(client, task, data: bytes = b"", name: str = "photo.png"):
    return client.post(f"/tasks/{task.id}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data or samples.png()), name)})


def _rows(db_session, task):
    with scoped(db_session, Scope.system()):
        return db_session.scalars(select(Evidence).where(Evidence.task_id == task.id)).all()


def test_a_participating_department_reads_the_evidence_the_initiator_attached(login_as, task, attached):
    client = login_as("staff", "BBB")
    listing = client.get(f"/tasks/{task.id}/evidence")
    assert listing.status_code == 200 and attached.filename in listing.get_data(as_text=True)
    download = client.get(f"/tasks/{task.id}/evidence/{attached.id}", buffered=True)
    assert download.status_code == 200 and download.data == samples.png()


def test_a_download_is_an_attachment_no_browser_sniffs_or_caches(login_as, task, attached):
    response = login_as("staff", "AAA").get(f"/tasks/{task.id}/evidence/{attached.id}", buffered=True)
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert int(response.headers["Content-Length"]) == attached.size


def test_every_download_is_audited(login_as, db_session, task, attached):
    login_as("staff", "BBB").get(f"/tasks/{task.id}/evidence/{attached.id}", buffered=True)
    assert db_session.scalars(select(AuditRecord).where(AuditRecord.action == "evidence_download",
                                                        AuditRecord.object_id == str(attached.id))).one()


@pytest.mark.parametrize("who", ["staff of a department outside the plan", "inspector not on the team"])
def test_who_may_not_see_the_task_gets_404_and_attaches_nothing(login_as, db_session, task, attached, storage, who):
    client = login_as("staff", "CCC") if who.startswith("staff") else login_as("inspector", "AAA")
    assert client.get(f"/tasks/{task.id}/evidence").status_code == 404
    assert client.get(f"/tasks/{task.id}/evidence/{attached.id}").status_code == 404
    assert client.get(f"/tasks/{task.id}/archive.zip").status_code == 404
    assert _upload(client, task).status_code == 404
    assert [r.id for r in _rows(db_session, task)] == [attached.id]


def test_a_team_member_of_a_department_with_items_attaches_evidence(factories, db_session, task, storage):
    client, user = _team_member(factories, db_session, task, "BBB")
    assert client.get(f"/tasks/{task.id}/evidence").status_code == 200
    assert _upload(client, task, samples.jpeg(), "门头.jpg").status_code == 302
    row = _rows(db_session, task)[0]
    assert (row.uploaded_by, row.department_id, row.filename) == (user.username, user.department_id, "门头.jpg")


def test_the_office_reads_the_evidence_but_attaches_none(login_as, db_session, task, attached, storage):
    client = login_as("office", "OFFICE")
    assert client.get(f"/tasks/{task.id}/evidence/{attached.id}", buffered=True).status_code == 200
    assert _upload(client, task).status_code == 403
    assert len(_rows(db_session, task)) == 1


def test_evidence_of_another_task_is_not_served_under_this_one(factories, db_session, login_as, storage):
    first, second = make_tasks(db_session, factories.department("AAA"), targets=2)
    row = samples.attach_sample(db_session, first, factories.user("staff", "AAA"), storage)
    assert login_as("staff", "AAA").get(f"/tasks/{second.id}/evidence/{row.id}").status_code == 404


def test_a_changed_stored_file_is_refused_on_download_with_a_message(login_as, db_session, task, attached, storage):
    storage.path(attached.storage_key).write_bytes(samples.png(b"retouched"))
    client = login_as("staff", "AAA", locale="en")
    response = client.get(f"/tasks/{task.id}/evidence/{attached.id}")
    assert response.status_code == 302 and response.data != samples.png(b"retouched")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is not the one recorded (its SHA-256 differs) and is not served" in page
    assert db_session.scalars(select(AuditRecord).where(AuditRecord.action == "evidence_tampered")).one()


def test_once_the_results_are_recorded_no_more_evidence_is_attached(login_as, db_session, task, storage):
    with scoped(db_session, Scope.system()):
        task.state = TaskState.RECORDED.value
        db_session.commit()
    response = _upload(login_as("staff", "AAA", locale="en"), task)
    assert response.status_code == 422
    assert "evidence can be attached again only if the head returns them" in response.get_data(as_text=True)
    assert _rows(db_session, task) == []


# -- the API ---------------------------------------------------------------------------------------

def _api(factories, role: str, department: str):
    user = factories.user(role, department, must_change_password=False)
    _token, secret = create_token(factories.db, user, "test")
    factories.db.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_uploads_lists_and_downloads_evidence(client, factories, db_session, task, storage):
    headers = _api(factories, "staff", "AAA")
    created = client.post(f"/api/v1/tasks/{task.id}/evidence", headers=headers, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(samples.pdf()), "检测报告.pdf"), "description": "第三方检测"})
    assert created.status_code == 201
    document = created.get_json()
    assert document["sha256"] == hashlib.sha256(samples.pdf()).hexdigest()
    assert (document["content_type"], document["description"]) == ("application/pdf", "第三方检测")
    listed = client.get(f"/api/v1/tasks/{task.id}/evidence", headers=_api(factories, "staff", "BBB"))
    assert [e["id"] for e in listed.get_json()] == [document["id"]]
    download = client.get(document["download"], headers=headers, buffered=True)
    assert download.status_code == 200 and download.data == samples.pdf()
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_api_refuses_a_spoofed_file_in_both_languages_on_the_file_field(client, factories, db_session, task,
                                                                            storage):
    response = client.post(f"/api/v1/tasks/{task.id}/evidence", headers=_api(factories, "staff", "AAA"),
                           content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"MZ" + bytes(100)), "photo.jpg")})
    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"]["file"][0]["zh"].startswith("文件“photo.jpg”的内容是 EXE 文件")
    assert "holds a file of type EXE" in body["message"]["en"]
    assert _rows(db_session, task) == []


def test_the_api_answers_404_for_a_task_the_caller_may_not_see(client, factories, task, attached):
    headers = _api(factories, "staff", "CCC")
    assert client.get(f"/api/v1/tasks/{task.id}/evidence", headers=headers).status_code == 404
    assert client.get(f"/api/v1/tasks/{task.id}/evidence/{attached.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/tasks/{task.id}/archive", headers=headers).status_code == 404


def test_the_api_refuses_to_attach_for_a_department_without_items_on_the_task(client, factories, task, storage):
    response = client.post(f"/api/v1/tasks/{task.id}/evidence", headers=_api(factories, "office", "OFFICE"),
                           content_type="multipart/form-data", data={"file": (io.BytesIO(samples.png()), "a.png")})
    assert response.status_code == 403
