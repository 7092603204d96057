"""A plan is made by its initiator with participating departments, each of which confirms or
declines its part before the plan can be submitted; an outsider cannot even see the plan."""

from __future__ import annotations

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.planning import service
from spotcheck.planning.models import AnnualPlan, PlanType
from spotcheck.planning.testing import make_plan
from spotcheck.registry.items.testing import make_item
from spotcheck.tenancy.scope import Scope, scoped


def _form(**fields):
    return {"name": "2027年食品经营者联合抽查", "year": "2027", "plan_type": "random",
            "kinds": ["company", "individual_business"], "areas": "", "industries": "62",
            "tags": "", "window_start": "2027-04-01", "window_end": "2027-10-31",
            "ratio_bp": "500", "participants": ["BBB"], "note": "", **fields}


def test_a_participant_must_confirm_before_the_plan_is_submitted(factories, login_as, db_session):
    factories.department("AAA")
    factories.department("BBB")
    initiator = login_as("staff", "AAA")
    assert initiator.post("/plans/new", data=_form()).status_code == 302
    plan = db_session.scalars(select(AnnualPlan)).one()
    assert [p.status for p in plan.participants] == ["pending"]

    refused = initiator.post(f"/plans/{plan.id}/submit", follow_redirects=True)
    db_session.expire_all()
    assert plan.state == "draft"
    assert "BBB" in refused.get_data(as_text=True) or "尚未确认" in refused.get_data(as_text=True)

    participant = login_as("staff", "BBB")
    assert participant.get(f"/plans/{plan.id}").status_code == 200
    participant.post(f"/plans/{plan.id}/answer", data={"answer": "confirm", "reason": ""})
    db_session.expire_all()
    assert plan.participants[0].status == "confirmed" and plan.participants[0].answered_by

    initiator.post(f"/plans/{plan.id}/submit")
    db_session.expire_all()
    assert plan.state == "submitted" and plan.submitted_at is not None
    actions = set(db_session.scalars(select(AuditRecord.action)))
    assert {"plan_confirm", "plan_submit"} <= actions


def test_declining_needs_a_reason_and_blocks_submission(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    plan = make_plan(db_session, aaa, [bbb])
    user = factories.user("staff", "BBB")
    with scoped(db_session, Scope.department(bbb.id)):
        try:
            service.answer(db_session, plan, bbb.id, user, confirmed=False)
        except service.PlanError as error:
            assert error.code == "reason_required"
        else:
            raise AssertionError("declining without a reason was accepted")
        service.answer(db_session, plan, bbb.id, user, confirmed=False, reason="本年度人员不足")
    with scoped(db_session, Scope.department(aaa.id)):
        try:
            service.submit(db_session, plan, "Asia/Shanghai")
        except service.PlanError as error:
            assert error.code == "unconfirmed"
        else:
            raise AssertionError("a declined plan was submitted")
    assert plan.participants[0].reason == "本年度人员不足" and plan.state == "draft"


def test_an_edit_asks_participants_to_confirm_again(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    plan = make_plan(db_session, aaa, [bbb])
    with scoped(db_session, Scope.department(bbb.id)):
        service.answer(db_session, plan, bbb.id, factories.user("staff", "BBB"), confirmed=True)
    raw = {"name": plan.name, "year": 2027, "plan_type": "random", "window_start": "2027-05-01",
           "window_end": "2027-09-30", "ratio_bp": 800, "participants": ["BBB"]}
    with scoped(db_session, Scope.department(aaa.id)):
        values, errors = service.validate_plan(db_session, raw, aaa.id)
        assert errors == []
        assert service.update_plan(db_session, plan, values)
    assert plan.participants[0].status == "pending"


def test_an_outsider_cannot_see_the_plan_and_only_the_initiator_edits(factories, login_as, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    factories.department("CCC")
    plan = make_plan(db_session, aaa, [bbb], name="甲乙联合计划")
    outsider = login_as("staff", "CCC")
    assert outsider.get(f"/plans/{plan.id}").status_code == 404
    assert "甲乙联合计划" not in outsider.get("/plans/?year=2027").get_data(as_text=True)
    participant = login_as("staff", "BBB")
    assert "甲乙联合计划" in participant.get("/plans/?year=2027").get_data(as_text=True)
    assert participant.get(f"/plans/{plan.id}/edit").status_code == 403
    assert participant.post(f"/plans/{plan.id}/submit").status_code == 403
    assert "甲乙联合计划" in login_as("office", "OFFICE").get("/plans/?year=2027").get_data(as_text=True)


def test_each_department_puts_in_items_of_its_own_list_pinned_to_their_version(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    own = make_item(db_session, aaa, code="food_business")
    theirs = make_item(db_session, bbb, code="price_marking")
    plan = make_plan(db_session, aaa, [bbb])
    with scoped(db_session, Scope.department(aaa.id)):
        assert service.set_items(db_session, plan, aaa.id, [theirs.id])[0].code == "unknown_item"
        assert service.set_items(db_session, plan, aaa.id, [own.id]) == []
    with scoped(db_session, Scope.department(bbb.id)):
        assert service.set_items(db_session, plan, bbb.id, [theirs.id]) == []
    db_session.commit()
    assert sorted((i.department_id, i.code) for i in plan.items) == [(aaa.id, "food_business"),
                                                                    (bbb.id, "price_marking")]
    assert all(i.item_version_id for i in plan.items)


def test_invalid_fields_are_all_reported_in_both_languages(factories, db_session):
    aaa = factories.department("AAA")
    raw = {"name": "", "year": 2027, "plan_type": "sweep", "kinds": ["spaceship"],
           "industries": ["9999"], "areas": ["000000000000"], "window_start": "2027-03-01",
           "window_end": "2028-01-31", "ratio_bp": 0, "participants": ["NOPE"]}
    with scoped(db_session, Scope.department(aaa.id)):
        values, errors = service.validate_plan(db_session, raw, aaa.id)
    assert values is None
    assert {e.field for e in errors} == {"name", "plan_type", "kinds", "industries", "areas",
                                         "window_end", "ratio_bp", "participants"}
    assert all(e.message_zh and e.message_en for e in errors)


def test_non_random_plans_are_outside_the_yearly_cap(factories, db_session):
    aaa = factories.department("AAA")
    routine = make_plan(db_session, aaa, name="日常随机抽查")
    complaint = make_plan(db_session, aaa, name="投诉举报核查", plan_type=PlanType.COMPLAINT.value)
    special = make_plan(db_session, aaa, name="专项整治", plan_type=PlanType.SPECIAL.value)
    with scoped(db_session, Scope.department(aaa.id)):
        for plan in (routine, complaint, special):
            service.submit(db_session, plan, "Asia/Shanghai")
    assert routine.counts_towards_cap
    assert not complaint.counts_towards_cap and not special.counts_towards_cap
    assert service.plans_counting_towards_cap(db_session, 2027) == [routine]


def test_the_api_creates_answers_and_submits(factories, db_session, app):
    from spotcheck.api.tokens import create_token

    factories.department("AAA")
    factories.department("BBB")
    tokens = {}
    for code in ("AAA", "BBB"):
        _token, secret = create_token(db_session, factories.user("staff", code), "plans")
        tokens[code] = {"Authorization": f"Bearer {secret}"}
    db_session.commit()
    client = app.test_client()
    created = client.post("/api/v1/plans", headers=tokens["AAA"], json={
        "name": "联合抽查", "year": 2027, "plan_type": "random", "kinds": ["company"],
        "window_start": "2027-04-01", "window_end": "2027-06-30", "ratio_bp": 300,
        "participants": ["BBB"]})
    assert created.status_code == 201, created.get_json()
    plan_id = created.get_json()["id"]
    early = client.post(f"/api/v1/plans/{plan_id}/submit", headers=tokens["AAA"])
    assert early.status_code == 409 and early.get_json()["message"]["zh"]
    answered = client.post(f"/api/v1/plans/{plan_id}/answer", headers=tokens["BBB"],
                           json={"confirmed": True})
    assert answered.get_json()["participants"][0]["status"] == "confirmed"
    submitted = client.post(f"/api/v1/plans/{plan_id}/submit", headers=tokens["AAA"])
    assert submitted.status_code == 200 and submitted.get_json()["state"] == "submitted"
    bad = client.post("/api/v1/plans", headers=tokens["AAA"], json={"name": "x", "year": 2027})
    assert bad.status_code == 422 and "window_start" in bad.get_json()["errors"]
