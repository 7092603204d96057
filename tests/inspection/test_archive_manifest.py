"""The task's archive (article 20): one zip holding the task's whole file, with a manifest whose
sizes and SHA-256 sums match every file, and the manifest's own digest beside it; the export is
audited, and made only for whoever leads the task or oversees."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.audit.models import AuditRecord
from spotcheck.db import utcnow
from spotcheck.draw.models import Draw, DrawSelection
from spotcheck.inspection import evidence_testing as samples, tasks
from spotcheck.inspection.evidence import Storage
from spotcheck.inspection.form_testing import initiator_item, make_form_task
from spotcheck.inspection.forms import record_item
from spotcheck.inspection.models import Evidence, Notice, TaskState
from spotcheck.tenancy.scope import Scope, scoped

ANSWERS = {"licence_held": True, "licence_number": "JY16301020012345", "staff_checked": 6,
           "staff_health_certificates": True, "purchase_records_kept": True, "storage_conditions": "compliant",
           "expired_food_found": False}


@pytest.fixture
def storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    return Storage.of(app)


@pytest.fixture
def task(app, factories, db_session, storage):
    """A task of SCJG with BBB, notified, its SCJG item recorded on the plugin's form, two
    evidence files attached."""
    task = make_form_task(db_session, [factories.department("BBB")])
    with scoped(db_session, Scope.system()):
        db_session.add(Notice(department_id=task.department_id, plan_id=task.plan_id, task_id=task.id,
                              channel="phone", recipient="张经理 0971-1234567", notified_at=utcnow(),
                              visit_on=utcnow().date(), item_codes=[initiator_item(task).item_code],
                              recorded_by="leader"))
        db_session.flush()
    tasks.move(db_session, task, TaskState.NOTIFIED, "leader", "电话告知")
    tasks.move(db_session, task, TaskState.ON_SITE, "leader")
    record_item(db_session, app.extensions["spotcheck.plugins"], task, initiator_item(task),
                {"answers": ANSWERS, "methods": ["onsite"], "findings": []}, "inspector")
    db_session.commit()
    staff = factories.user("staff", "SCJG")
    samples.attach_sample(db_session, task, staff, storage, samples.jpeg(), "门头.jpg")
    samples.attach_sample(db_session, task, staff, storage, samples.pdf(), "检测报告.pdf")
    return task


def _export(client, task):
    response = client.get(f"/tasks/{task.id}/archive.zip", buffered=True)
    assert response.status_code == 200, response.status_code
    return response, zipfile.ZipFile(io.BytesIO(response.data))


def _manifest(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("manifest.json"))


def test_the_manifest_lists_every_file_with_its_true_size_and_sha256(login_as, task):
    response, archive = _export(login_as("staff", "SCJG"), task)
    manifest = _manifest(archive)
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(archive.namelist()) == set(listed) | {"manifest.json", "manifest.sha256"}
    for path, entry in listed.items():
        data = archive.read(path)
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"]), path
    digest = hashlib.sha256(archive.read("manifest.json")).hexdigest()
    assert archive.read("manifest.sha256").decode() == f"{digest}  manifest.json\n"
    assert (manifest["task"], manifest["target"]) == (task.id, task.target.code)
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=task-{task.id}-{task.target.code}-archive.zip")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_archive_holds_the_tasks_whole_file(login_as, db_session, task):
    _response, archive = _export(login_as("staff", "SCJG"), task)
    names = set(archive.namelist())
    for name in ("plan.json", "task.json", "draw-proof-excerpt.json", "team.json", "notices.json",
                 "items.json", "evidence.json", "review.json", "trail.json", "audit.json"):
        assert name in names, name
    forms = [n for n in names if n.startswith("forms/")]
    assert forms == [f"forms/01-SCJG-{initiator_item(task).item_code}.pdf"]
    assert archive.read(forms[0]).startswith(b"%PDF-")
    evidence = json.loads(archive.read("evidence.json"))
    assert [e["filename"] for e in evidence] == ["门头.jpg", "检测报告.pdf"]
    assert archive.read(evidence[0]["file"]) == samples.jpeg()
    assert archive.read(evidence[1]["file"]) == samples.pdf()
    items = {i["department"]: i for i in json.loads(archive.read("items.json"))}
    assert items["SCJG"]["answers"]["licence_number"] == "JY16301020012345"
    assert items["SCJG"]["methods"] == ["onsite"]
    assert [n["channel"] for n in json.loads(archive.read("notices.json"))] == ["phone"]
    trail = json.loads(archive.read("trail.json"))
    assert [(e["from"], e["to"]) for e in trail] == [(None, "dispatched"), ("dispatched", "notified"),
                                                     ("notified", "on_site")]
    plan = json.loads(archive.read("plan.json"))
    assert plan["plan"]["id"] == task.plan_id and plan["batch"]["strata"]
    team = json.loads(archive.read("team.json"))
    assert {m["inspector"] for m in team["members"]} == {m.inspector_code for m in task.team.members}
    assert json.loads(archive.read("task.json"))["target"]["code"] == task.target.code


def test_the_proof_excerpt_is_the_draws_own_record_of_the_target(login_as, db_session, task):
    _response, archive = _export(login_as("staff", "SCJG"), task)
    excerpt = json.loads(archive.read("draw-proof-excerpt.json"))
    with scoped(db_session, Scope.system()):
        draw = db_session.scalars(select(Draw).where(Draw.id == task.draw_id)).one()
        chosen = db_session.scalars(select(DrawSelection).where(DrawSelection.draw_id == draw.id,
                                                                DrawSelection.target_id == task.target_id)).one()
    assert (excerpt["server_secret_commitment"], excerpt["seed"], excerpt["server_secret"]) == (
        draw.commitment, draw.seed, draw.server_secret)
    assert excerpt["target"] == {"code": task.target.code, "rank": chosen.rank, "required": chosen.required}
    assert excerpt["proof"].endswith(f"/public/draws/{draw.id}/proof.json")
    picked = {a["department"]: a["inspectors"] for a in excerpt["assignments"]}
    assert picked == {d: [m.inspector_code for m in task.team.members if m.department_code == d]
                      for d in {m.department_code for m in task.team.members}}


def test_the_audit_excerpt_holds_the_records_about_the_task_and_its_parts(login_as, task):
    _response, archive = _export(login_as("staff", "SCJG"), task)
    records = json.loads(archive.read("audit.json"))
    seen = {(r["action"], r["object_type"]) for r in records}
    assert {("task_notified", "task"), ("task_on_site", "task"), ("create", "task_evidence"),
            ("create", "task_notice"), ("item_record", "task_item")} <= seen
    assert all(r["hash"] and r["prev_hash"] for r in records)
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)


def test_the_export_is_audited_with_the_manifests_digest(login_as, db_session, task):
    _response, archive = _export(login_as("office", "OFFICE"), task)
    record = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "task_archive",
                                                          AuditRecord.object_id == str(task.id))).one()
    summary = json.loads(record.summary)
    assert summary["manifest_sha256"] == hashlib.sha256(archive.read("manifest.json")).hexdigest()
    assert summary["files"] == len(_manifest(archive)["files"])


def _inspector(factories, db_session, task, department: str, leader: bool):
    member = next(m for m in task.team.members
                  if m.active and m.department_code == department and m.leader == leader)
    user = factories.user("inspector", department, must_change_password=False)
    with scoped(db_session, Scope.system()):
        member.inspector.user_id = user.id
        db_session.commit()
    return factories.signed_in_client(user)


def test_the_teams_leader_exports_and_other_members_and_participants_may_not(
        login_as, factories, db_session, task):
    _export(_inspector(factories, db_session, task, "SCJG", leader=True), task)
    member = _inspector(factories, db_session, task, "BBB", leader=False)
    assert member.get(f"/tasks/{task.id}/archive.zip").status_code == 403
    assert login_as("staff", "BBB").get(f"/tasks/{task.id}/archive.zip").status_code == 403


def test_a_changed_evidence_file_stops_the_export(login_as, db_session, task, storage):
    with scoped(db_session, Scope.system()):
        key = db_session.scalars(select(Evidence.storage_key).where(Evidence.task_id == task.id)
                                 .order_by(Evidence.id)).first()
    stored = storage.path(key)
    stored.write_bytes(b"\xff\xd8\xff replaced")
    client = login_as("staff", "SCJG", locale="en")
    response = client.get(f"/tasks/{task.id}/archive.zip")
    assert response.status_code == 302
    assert "not the one recorded" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db_session.scalars(select(AuditRecord).where(AuditRecord.action == "task_archive")).all() == []
    assert db_session.scalars(select(AuditRecord).where(AuditRecord.action == "evidence_tampered")).one()


def test_the_api_exports_the_same_archive(client, factories, db_session, task):
    user = factories.user("head", "SCJG", must_change_password=False)
    _token, secret = create_token(db_session, user, "archive")
    db_session.commit()
    response = client.get(f"/api/v1/tasks/{task.id}/archive", headers={"Authorization": f"Bearer {secret}"},
                          buffered=True)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    for entry in _manifest(archive)["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
