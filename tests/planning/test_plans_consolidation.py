"""The office's consolidation: merge suggestions for submitted plans with similar targets and
methods (with the reason shown), none for disjoint ones; a merge keeps the originals and their
history; publishing makes the district's annual plan."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.planning import consolidation, service
from spotcheck.planning.models import AnnualPlan
from spotcheck.planning.testing import make_plan
from spotcheck.tenancy.scope import Scope, scoped


def _submitted(db_session, department, participants=(), **fields):
    plan = make_plan(db_session, department, participants, **fields)
    for participant in participants:
        with scoped(db_session, Scope.department(participant.id)):
            service.answer(db_session, plan, participant.id, _user(participant), confirmed=True)
    with scoped(db_session, Scope.department(department.id)):
        service.submit(db_session, plan, "Asia/Shanghai")
    db_session.commit()
    return plan


def _user(department):
    from spotcheck.tenancy.models import User

    return User(id=None, username=f"staff-{department.code}")


def test_overlapping_plans_are_suggested_with_the_overlaps_as_reason(factories, db_session):
    food = _submitted(db_session, factories.department("AAA"), name="餐饮单位抽查",
                      target_scope={"kinds": ["company", "individual_business"], "industries": ["62"]},
                      window_start=date(2027, 4, 1), window_end=date(2027, 8, 31))
    hygiene = _submitted(db_session, factories.department("BBB"), name="餐饮卫生抽查",
                         target_scope={"kinds": ["individual_business"], "industries": ["62", "61"]},
                         window_start=date(2027, 6, 1), window_end=date(2027, 10, 31))
    [suggestion] = consolidation.merge_suggestions(db_session, 2027)
    assert {suggestion.first.id, suggestion.second.id} == {food.id, hygiene.id}
    reasons = {reason.code: reason.message_en for reason in suggestion.reasons}
    assert reasons["kinds"] == "Shared target kinds: individual_business"
    assert reasons["industries"] == "Shared industries: 62"
    assert reasons["window"] == "Windows overlap from 2027-06-01 to 2027-08-31"
    assert "same_type" in reasons


def test_disjoint_plans_get_no_suggestion(factories, db_session):
    aaa, bbb, ccc = (factories.department(code) for code in ("AAA", "BBB", "CCC"))
    restaurants = {"kinds": ["company"], "industries": ["62"]}
    _submitted(db_session, aaa, target_scope=restaurants)
    _submitted(db_session, bbb, target_scope={**restaurants, "kinds": ["product"]})  # other kinds
    _submitted(db_session, bbb, target_scope={**restaurants, "industries": ["01"]})  # other industry
    _submitted(db_session, ccc, target_scope=restaurants,  # other window
               window_start=date(2027, 10, 1), window_end=date(2027, 12, 31))
    _submitted(db_session, ccc, target_scope=restaurants, plan_type="complaint")  # other type
    assert consolidation.merge_suggestions(db_session, 2027) == []


def test_merging_keeps_the_originals_and_asks_everyone_to_confirm_again(factories, login_as, db_session):
    aaa, bbb, ccc = (factories.department(code) for code in ("AAA", "BBB", "CCC"))
    first = _submitted(db_session, aaa, [ccc], name="甲计划", target_scope={"areas": []})
    second = _submitted(db_session, bbb, name="乙计划", ratio_bp=800,
                        window_start=date(2027, 3, 15), window_end=date(2027, 6, 30))
    office = login_as("office", "OFFICE")
    page = office.get("/plans/consolidation?year=2027").get_data(as_text=True)
    assert "甲计划" in page and "乙计划" in page and 'action="/plans/merge"' in page
    response = office.post("/plans/merge", data={"year": "2027", "plans": [first.id, second.id],
                                                  "initiator": bbb.id, "name": "甲乙联合抽查"})
    assert response.status_code == 302
    db_session.expire_all()
    joint = db_session.scalars(select(AnnualPlan).where(AnnualPlan.name == "甲乙联合抽查")).one()
    assert joint.department_id == bbb.id and joint.state == "draft"
    assert sorted(p.department_id for p in joint.participants) == sorted([aaa.id, ccc.id])
    assert {p.status for p in joint.participants} == {"pending"}
    assert (joint.window_start, joint.window_end, joint.ratio_bp) == (date(2027, 3, 15), date(2027, 9, 30), 800)
    assert first.state == second.state == "merged"
    assert first.merged_into_id == second.merged_into_id == joint.id
    assert first.participants[0].status == "confirmed"  # the originals' answers stay as given
    assert consolidation.originals_of(db_session, joint) == [first, second]
    merge_record = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "plan_merge")).one()
    assert str(merge_record.object_id) == str(joint.id)
    # A participant of an original now reads the joint plan it is asked to confirm.
    assert login_as("staff", "CCC").get(f"/plans/{joint.id}").status_code == 200


def test_a_merged_plan_of_on_time_originals_stays_on_time(factories, db_session):
    from datetime import datetime, timezone

    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    first, second = _submitted(db_session, aaa), _submitted(db_session, bbb)
    with scoped(db_session, Scope.department(factories.department("OFFICE").id)):
        joint = consolidation.merge(db_session, [first, second], aaa.id, "联合计划")
    with scoped(db_session, Scope.department(bbb.id)):
        service.answer(db_session, joint, bbb.id, _user(bbb), confirmed=True)
    with scoped(db_session, Scope.department(aaa.id)):
        service.submit(db_session, joint, "Asia/Shanghai",
                       now=datetime(2027, 3, 20, 2, tzinfo=timezone.utc))
    assert joint.state == "submitted" and joint.late is (first.late or second.late)


def test_the_office_publishes_the_district_plan(factories, login_as, db_session):
    aaa = factories.department("AAA")
    plan = _submitted(db_session, aaa, name="年度随机抽查")
    draft = make_plan(db_session, aaa, name="尚未报送")
    office = login_as("office", "OFFICE")
    assert office.post("/plans/publish", data={"year": "2027"}).status_code == 302
    db_session.expire_all()
    assert plan.state == "published" and plan.published_at is not None and draft.state == "draft"
    assert service.published_plans(db_session, 2027) == [plan]
    assert db_session.scalars(select(AuditRecord).where(AuditRecord.action == "plan_publish")).one()


def test_consolidation_is_for_the_office(factories, login_as):
    factories.department("AAA")
    staff = login_as("staff", "AAA")
    assert staff.get("/plans/consolidation?year=2027").status_code == 403
    assert staff.post("/plans/merge", data={}).status_code == 403
    assert staff.post("/plans/publish", data={"year": "2027"}).status_code == 403
