"""The demo plans: a year of SCJG's plans in every state, one merge, the district plan
published; loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from spotcheck.demo.people import load_demo_people
from spotcheck.demo.plans import DEMO_YEAR, PLANS, load_demo_plans
from spotcheck.planning.models import AnnualPlan


def test_demo_plans_load_once_with_a_merge_and_every_state(app, db_session):
    with app.app_context():
        load_demo_people(db_session)
        assert load_demo_plans(db_session) == len(PLANS) + 1
        assert load_demo_plans(db_session) == 0
    plans = db_session.scalars(select(AnnualPlan).where(AnnualPlan.year == DEMO_YEAR)).all()
    assert {p.state for p in plans} == {"draft", "merged", "published", "withdrawn"}
    merged = [p for p in plans if p.state == "merged"]
    assert len(merged) == 2 and merged[0].merged_into_id == merged[1].merged_into_id
    assert any(p.late for p in plans) and any(not p.counts_towards_cap for p in plans)
    assert all(p.items for p in plans)
