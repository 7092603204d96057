"""Work plans through the pages and the API: started by the initiator, approved by its head only,
another department's work plan answers 404, errors name the field, every change is audited."""

from __future__ import annotations

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.planning.models import Batch, Stratum, WorkPlan
from spotcheck.planning.workplan_testing import make_batch, make_submitted_plan, make_work_plan
from spotcheck.registry.targets.testing import make_target


def _token(factories, db_session, role, code):
    from spotcheck.api.tokens import create_token

    _token, secret = create_token(db_session, factories.user(role, code), "work plans")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_initiator_starts_a_work_plan_adds_a_batch_and_sees_its_dry_run(factories, db_session, login_as):
    aaa = factories.department("AAA")
    plan = make_submitted_plan(db_session, aaa)
    make_target(db_session, aaa, credit_class="B")
    staff = login_as("staff", "AAA")
    assert staff.post(f"/plans/{plan.id}/work-plan").status_code == 302
    work_plan = db_session.scalars(select(WorkPlan)).one()
    assert work_plan.state == "draft"

    added = staff.post(f"/work-plans/{work_plan.id}/batches/new", data={
        "name": "第一批次", "window_start": "2027-05-01", "window_end": "2027-06-30"})
    assert added.status_code == 302, added.get_data(as_text=True)
    batch = db_session.scalars(select(Batch)).one()
    assert sorted(s.key for s in batch.strata) == ["credit=A", "credit=B", "credit=C", "credit=D"]

    overview = staff.get(f"/plans/{plan.id}/work-plan").get_data(as_text=True)
    assert "第1批次" in overview and "A类3%、B类5%、C类10%、D类30%" in overview
    page = staff.get(f"/batches/{batch.id}/dry-run")
    assert page.status_code == 200
    assert "credit=B" in page.get_data(as_text=True)
    assert {"create"} <= set(db_session.scalars(select(AuditRecord.action).where(
        AuditRecord.object_type == "work_plan")))


def test_a_batch_window_outside_the_plan_is_refused_on_the_field(factories, db_session, login_as):
    aaa = factories.department("AAA")
    work_plan = make_work_plan(db_session, aaa)
    page = login_as("staff", "AAA").post(f"/work-plans/{work_plan.id}/batches/new", data={
        "name": "第一批次", "window_start": "2027-01-01", "window_end": "2027-06-30"})
    assert page.status_code == 200
    assert "不在年度计划的时间范围" in page.get_data(as_text=True)
    assert db_session.scalars(select(Batch)).all() == []


def test_strata_with_a_line_feed_are_refused_naming_the_row(factories, db_session, login_as):
    aaa = factories.department("AAA")
    batch = make_batch(db_session, make_work_plan(db_session, aaa))
    staff = login_as("staff", "AAA")
    form = staff.get(f"/batches/{batch.id}/strata")
    assert form.status_code == 200 and "credit=D" in form.get_data(as_text=True)
    page = staff.post(f"/batches/{batch.id}/strata", data={
        "rows-0-key": "risk=high", "rows-0-risk_levels": "high", "rows-0-count": "3",
        "rows-1-key": "", "rows-2-key": "credit=B\nrisk=low", "rows-2-ratio_bp": "500", "rows-2-min": "1"})
    assert page.status_code == 200
    assert "第3行：分层键 &#39;credit=B\\nrisk=low&#39; 不能包含换行符" in page.get_data(as_text=True)
    db_session.expire_all()
    assert len(batch.strata) == 4

    saved = staff.post(f"/batches/{batch.id}/strata", data={
        "rows-0-key": "risk=high", "rows-0-risk_levels": "high", "rows-0-count": "3",
        "rows-1-key": "credit=A", "rows-1-credit_classes": "A", "rows-1-ratio_bp": "300", "rows-1-min": "1"})
    assert saved.status_code == 302
    db_session.expire_all()
    assert sorted((s.key, s.count, s.ratio_bp) for s in batch.strata) == [
        ("credit=A", None, 300), ("risk=high", 3, None)]


def test_only_the_head_of_the_initiating_department_approves(factories, db_session, login_as):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    work_plan = make_work_plan(db_session, aaa, make_submitted_plan(db_session, aaa, [bbb]))
    make_batch(db_session, work_plan)

    assert login_as("staff", "AAA").post(f"/work-plans/{work_plan.id}/approve").status_code == 403
    assert login_as("head", "BBB").post(f"/work-plans/{work_plan.id}/approve").status_code == 403
    db_session.expire_all()
    assert work_plan.state == "draft"

    assert login_as("head", "AAA").post(f"/work-plans/{work_plan.id}/approve").status_code == 302
    db_session.expire_all()
    assert work_plan.state == "approved" and work_plan.approved_by
    assert "work_plan_approve" in set(db_session.scalars(select(AuditRecord.action)))


def test_an_approved_work_plan_no_longer_changes(factories, db_session, app):
    aaa = factories.department("AAA")
    work_plan = make_work_plan(db_session, aaa)
    batch = make_batch(db_session, work_plan)
    client = app.test_client()
    head = _token(factories, db_session, "head", "AAA")
    assert client.post(f"/api/v1/work-plans/{work_plan.id}/approve", headers=head).status_code == 200
    refused = client.put(f"/api/v1/batches/{batch.id}/strata", headers=head,
                         json={"strata": [{"key": "credit=A", "count": 1}]})
    assert refused.status_code == 409 and refused.get_json()["message"]["zh"]


def test_an_empty_work_plan_cannot_be_approved(factories, db_session, app):
    aaa = factories.department("AAA")
    work_plan = make_work_plan(db_session, aaa)
    refused = app.test_client().post(f"/api/v1/work-plans/{work_plan.id}/approve",
                                     headers=_token(factories, db_session, "head", "AAA"))
    assert refused.status_code == 409


def test_another_departments_work_plan_answers_404(factories, db_session, app, login_as):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    factories.department("CCC")
    work_plan = make_work_plan(db_session, aaa, make_submitted_plan(db_session, aaa, [bbb]))
    batch = make_batch(db_session, work_plan)
    outsider = login_as("head", "CCC")
    for url in (f"/plans/{work_plan.plan_id}/work-plan", f"/batches/{batch.id}/dry-run",
                f"/batches/{batch.id}/strata"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/work-plans/{work_plan.id}/approve").status_code == 404
    client = app.test_client()
    ccc = _token(factories, db_session, "head", "CCC")
    assert client.get(f"/api/v1/batches/{batch.id}/dry-run", headers=ccc).status_code == 404
    assert client.get(f"/api/v1/plans/{work_plan.plan_id}/work-plan", headers=ccc).status_code == 404
    # A participant reads the work plan and its dry run, but does not change it.
    participant = login_as("staff", "BBB")
    assert participant.get(f"/batches/{batch.id}/dry-run").status_code == 200
    assert participant.post(f"/batches/{batch.id}/strata", data={}).status_code == 403


def test_the_api_builds_a_batch_with_strata_and_runs_it_dry(factories, db_session, app):
    aaa = factories.department("AAA")
    plan = make_submitted_plan(db_session, aaa)
    high = make_target(db_session, aaa, credit_class="A", risk_level="high")
    other = make_target(db_session, aaa, credit_class="A", status="deregistered")
    staff = _token(factories, db_session, "staff", "AAA")
    client = app.test_client()
    created = client.post(f"/api/v1/plans/{plan.id}/work-plan", headers=staff, json={})
    assert created.status_code == 201, created.get_json()
    work_plan_id = created.get_json()["id"]
    assert client.post(f"/api/v1/plans/{plan.id}/work-plan", headers=staff, json={}).status_code == 409
    bad = client.post(f"/api/v1/work-plans/{work_plan_id}/batches", headers=staff, json={
        "name": "高风险", "window_start": "2027-05-01", "window_end": "2027-05-31",
        "strata": [{"key": "risk=high\n", "selector": {"risk_levels": ["high"]}, "count": 2}]})
    assert bad.status_code == 422 and "strata[0].key" in bad.get_json()["errors"]
    batch = client.post(f"/api/v1/work-plans/{work_plan_id}/batches", headers=staff, json={
        "name": "高风险", "window_start": "2027-05-01", "window_end": "2027-05-31",
        "strata": [{"key": "risk=high", "selector": {"risk_levels": ["high"]}, "count": 2}]})
    assert batch.status_code == 201, batch.get_json()
    result = client.get(f"/api/v1/batches/{batch.get_json()['id']}/dry-run", headers=staff).get_json()
    assert result["strata"] == [{"key": "risk=high", "rule": {"count": 2},
                                 "candidates": [high.code], "quota": 1}]
    assert result["excluded"] == [{"id": other.code, "reason": "deregistered"}]
    assert result["workload"][0]["department"] == "AAA" and result["staffable"] is False
    assert db_session.scalars(select(Stratum)).one().key == "risk=high"
