"""The demo plans: a year of joint plans from several departments in every state, one merge of
two departments' plans, the district plan published, late plans flagged; loading twice changes
nothing."""

from __future__ import annotations

from sqlalchemy import select

from spotcheck.demo.people import load_demo_people
from spotcheck.demo.plans import CATERING_PLAN, DEMO_YEAR, STORIES, load_demo_plans
from spotcheck.planning.models import AnnualPlan


def demo_plans(db_session) -> list[AnnualPlan]:
    return list(db_session.scalars(select(AnnualPlan).where(AnnualPlan.year == DEMO_YEAR).order_by(AnnualPlan.id)))


def test_demo_plans_load_once_in_every_state(app, db_session):
    with app.app_context():
        load_demo_people(db_session)
        made = load_demo_plans(db_session)
        assert load_demo_plans(db_session) == 0
    plans = demo_plans(db_session)
    assert made == len(plans) == sum(len(s.plans) for s in STORIES) + 1
    assert {p.state for p in plans} == {"draft", "submitted", "merged", "published", "withdrawn"}
    assert any(p.late for p in plans) and any(not p.counts_towards_cap for p in plans)
    assert all(p.items for p in plans)


def test_demo_plans_come_from_several_departments_with_their_participants(app, db_session):
    with app.app_context():
        load_demo_people(db_session)
        load_demo_plans(db_session)
    plans = demo_plans(db_session)
    joint = [p for p in plans if p.participants]
    assert len({p.initiator.code for p in joint}) >= 3
    answers = {pp.status for p in joint for pp in p.participants}
    assert answers == {"confirmed", "declined", "pending"}
    assert all(pp.reason for p in joint for pp in p.participants if pp.status == "declined")
    # Every department's items come from its own list.
    assert all(item.department_id in {p.department_id, *(pp.department_id for pp in p.participants)}
               for p in joint for item in p.items)
    assert {p.initiator.code for p in plans if p.state == "published"} >= {"SCJG", "WLJ", "STHJ"}


def test_the_office_merged_two_departments_plans_into_one_joint_plan(app, db_session):
    with app.app_context():
        load_demo_people(db_session)
        load_demo_plans(db_session)
    plans = demo_plans(db_session)
    joint = next(p for p in plans if p.name == CATERING_PLAN)
    originals = [p for p in plans if p.merged_into_id == joint.id]
    assert len(originals) == 3 and {p.state for p in originals} == {"merged"}
    assert {p.initiator.code for p in originals} == {"SCJG", "WSJK"}
    assert joint.initiator.code == "SCJG" and joint.state == "published"
    assert [(pp.department.code, pp.status) for pp in joint.participants] == [("WSJK", "confirmed")]
    assert {i.code for i in joint.items} == {i.code for p in originals for i in p.items}
