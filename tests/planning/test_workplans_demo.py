"""The demo work plans: one approved with two batches, one draft; their dry runs compute."""

from __future__ import annotations

from sqlalchemy import select

from spotcheck.demo.people import load_demo_people
from spotcheck.demo.plans import load_demo_plans
from spotcheck.planning.dryrun import dry_run
from spotcheck.planning.models import WorkPlan


def test_demo_work_plans_in_every_state(app, db_session):
    with app.app_context():
        load_demo_people(db_session)
        load_demo_plans(db_session)
    work_plans = db_session.scalars(select(WorkPlan).order_by(WorkPlan.id)).all()
    assert [w.state for w in work_plans] == ["approved", "draft"]
    approved, draft = work_plans
    assert [len(b.strata) for b in approved.batches] == [4, 2]
    assert approved.approved_by == "demo-head"
    for batch in approved.batches + draft.batches:
        plan = batch.work_plan.plan
        assert plan.window_start <= batch.window_start <= batch.window_end <= plan.window_end
        with app.app_context():
            result = dry_run(db_session, batch)
        assert [s.key for s in result.strata] == sorted(s.key for s in batch.strata)
