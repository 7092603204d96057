"""Another draw may execute between a draw's preparation and its execution: the yearly cap still
holds and every proof stays true. A stale preparation is voided (recorded and audited), saves
nothing, and the batch is prepared again; draws racing in separate processes on PostgreSQL never
push a target past the cap."""

from __future__ import annotations

import json
import multiprocessing
from collections import Counter

import pytest
from sqlalchemy import func, select

from spotcheck import audit, migrations
from spotcheck.app import create_app
from spotcheck.audit.models import AuditRecord
from spotcheck.db import get_database
from spotcheck.draw import service, verify_draw
from spotcheck.draw.models import YEAR_CAP, Draw, DrawSelection, DrawState, DrawTally, Team
from spotcheck.draw.proof import proof_chunks
from spotcheck.draw.testing import DRAWER, make_draw, make_joint_plan, make_setup
from spotcheck.planning.workplan_testing import make_batch, make_work_plan
from spotcheck.planning.workplans import approve
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped, set_scope
from spotcheck.testing import databases, fixtures
from spotcheck.testing.factories import Factories

WORKERS = 4
"""Draws racing at once: more than the two cores, so that some wait on others' locks."""


def proof_of(db_session, draw):
    with scoped(db_session, Scope.system()):
        return json.loads("".join(proof_chunks(db_session, draw)))


def saved_by(db_session, draw):
    """What an execution of ``draw`` would have saved: selections, teams."""
    return (db_session.scalar(select(func.count()).select_from(DrawSelection).where(DrawSelection.draw_id == draw.id)),
            db_session.scalar(select(func.count()).select_from(Team).where(Team.draw_id == draw.id)))


def tallies(db_session, targets, year=2027):
    found = dict(db_session.execute(select(DrawTally.target_id, DrawTally.draws).where(
        DrawTally.year == year, DrawTally.target_id.in_([t.id for t in targets]))).all())
    return {t.code: found.get(t.id, 0) for t in targets}


def void_records(db_session, draw):
    return db_session.scalars(select(AuditRecord).where(
        AuditRecord.action == "draw_void", AuditRecord.object_id == str(draw.id))).all()


def test_a_preparation_another_plan_took_to_the_cap_is_voided_and_prepared_again(factories, db_session):
    aaa = factories.department("AAA")
    earlier = make_setup(db_session, aaa, targets=4, inspectors=8)
    make_draw(db_session, earlier.batch)  # every target drawn once
    mine = make_setup(db_session, aaa, targets=0, inspectors=0)
    theirs = make_setup(db_session, aaa, targets=0, inspectors=0)
    stale = make_draw(db_session, mine.batch, entropy=None)
    assert stale.candidate_count == 4
    make_draw(db_session, theirs.batch)  # takes every candidate of ``stale`` to the cap
    before = tallies(db_session, earlier.targets)
    assert set(before.values()) == {YEAR_CAP}

    with pytest.raises(service.StaleDraw) as refused, scoped(db_session, Scope.system()):
        service.run(db_session, stale.id, "dice:6-6", DRAWER)

    assert refused.value.code == "stale_year_cap"
    assert stale.state == DrawState.VOIDED.value
    assert stale.void_reason == f"{refused.value.message_zh}\n{refused.value.message_en}"
    assert any(t.code in stale.void_reason for t in earlier.targets)
    [record] = void_records(db_session, stale)
    assert json.loads(record.summary)["reason"] == stale.void_reason
    assert saved_by(db_session, stale) == (0, 0)
    assert stale.seed is None and stale.public_entropy is None
    assert tallies(db_session, earlier.targets) == before

    again = make_draw(db_session, mine.batch)
    assert again.id != stale.id and again.executed
    proof = proof_of(db_session, again)
    assert {e["id"]: e["reason"] for e in proof["excluded"]} == {t.code: "year_cap" for t in earlier.targets}
    assert verify_draw.verify(proof).candidates == 0


def test_a_preparation_another_batch_of_the_plan_drew_from_is_voided_and_prepared_again(factories, db_session):
    aaa = factories.department("AAA")
    plan = make_joint_plan(db_session, aaa)
    targets = [make_target(db_session, aaa, code=credit_code(n), credit_class="B") for n in range(4)]
    for n in range(8):
        make_inspector(db_session, aaa, code=f"AAA-{n:04d}", authorities=("aaa_auth",))
    work_plan = make_work_plan(db_session, aaa, plan)
    every = {"key": "credit=B", "selector": {"credit_classes": ["B"]}, "ratio_bp": 10000, "min": 0}
    first = make_batch(db_session, work_plan, strata=[every])
    second = make_batch(db_session, work_plan, name="第二批次", strata=[{**every, "ratio_bp": 5000}])
    with scoped(db_session, Scope.department(aaa.id)):
        approve(db_session, work_plan, User(id=None, username="head"))
    db_session.commit()

    stale = make_draw(db_session, second, entropy=None)
    assert make_draw(db_session, first).selected_count == 4  # every candidate of ``stale``

    with pytest.raises(service.StaleDraw) as refused, scoped(db_session, Scope.system()):
        service.run(db_session, stale.id, "", DRAWER)

    assert refused.value.code == "stale_drawn_in_plan"
    assert stale.state == DrawState.VOIDED.value and stale.void_reason.endswith(refused.value.message_en)
    assert len(void_records(db_session, stale)) == 1
    assert saved_by(db_session, stale) == (0, 0)
    assert set(tallies(db_session, targets).values()) == {1}

    again = make_draw(db_session, second)
    proof = proof_of(db_session, again)
    assert {e["id"]: e["reason"] for e in proof["excluded"]} == {t.code: "drawn_in_plan" for t in targets}
    assert again.executed and verify_draw.verify(proof).selected == 0


# --- draws racing in separate processes ---------------------------------------------------------

def draw_in_process(config, draw_id, start, results):
    """A worker: its own app, engine and unit of work; waits for the others, then draws."""
    app = create_app(config)
    with app.app_context():
        db_session = get_database(app).sessionmaker()
        set_scope(db_session, Scope.system())
        audit.set_actor(db_session, user_id=None, username=f"worker-{draw_id}", department_code=None,
                        ip=None, request_id=None)
        try:
            db_session.execute(select(1))  # connected before the start, so that all draw at once
            db_session.rollback()
            start.wait(timeout=120)
            service.run(db_session, draw_id, f"worker-{draw_id}", DRAWER)
            results.put((draw_id, "executed"))
        except service.DrawRefused as refused:
            results.put((draw_id, refused.code))
        except Exception as error:  # reported to the test, which fails on it
            results.put((draw_id, repr(error)))
        finally:
            db_session.close()
            get_database(app).engine.dispose()


@pytest.fixture
def shared_database(tmp_path_factory):
    """A migrated PostgreSQL database of its own, whose data the workers see committed."""
    with databases.postgres_database() as url:
        config = {**fixtures.test_config(url, str(tmp_path_factory.mktemp("instance"))),
                  "SYNC_PLUGINS_ON_START": False}
        app = create_app(config)
        migrations.upgrade(get_database(app).engine)
        with app.app_context():
            db_session = get_database(app).sessionmaker()
            set_scope(db_session, Scope.system())
            audit.set_actor(db_session, user_id=None, username="seed", department_code=None,
                            ip=None, request_id=None)
            yield config, app, db_session
            db_session.close()
        get_database(app).engine.dispose()


@pytest.mark.postgresql_only
def test_draws_racing_in_separate_processes_never_pass_the_yearly_cap(shared_database, monkeypatch, request):
    config, app, db_session = shared_database
    factories = Factories(app, db_session)
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    earlier = make_setup(db_session, aaa, [bbb], targets=6, inspectors=10)
    make_draw(db_session, earlier.batch)  # every target at one draw: one more each is allowed
    # Each racing plan draws 3 of the 6: several may succeed on disjoint targets, never on one.
    racing = [make_draw(db_session, make_setup(db_session, aaa, [bbb], targets=0, inspectors=0, strata=[
                  {"key": "credit=B", "selector": {"credit_classes": ["B"]}, "count": 3}]).batch, entropy=None)
              for _ in range(WORKERS)]
    ids = {draw.id for draw in racing}

    # Spawned workers import this module by name, from the project's root.
    monkeypatch.syspath_prepend(str(request.config.rootpath))
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(WORKERS), context.Queue()
    workers = [context.Process(target=draw_in_process, args=(config, draw.id, start, results))
               for draw in racing]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=300) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0] * WORKERS

    db_session.expire_all()
    assert set(outcomes) == ids
    assert set(outcomes.values()) <= {"executed", "stale_year_cap"}, outcomes
    executed = [d for d in racing if outcomes[d.id] == "executed"]
    assert executed, outcomes
    draws = {d.id: db_session.get(Draw, d.id) for d in racing}
    for draw_id, outcome in outcomes.items():
        if outcome == "executed":
            assert draws[draw_id].state == DrawState.EXECUTED.value
        else:
            assert draws[draw_id].state == DrawState.VOIDED.value
            assert "yearly cap" in draws[draw_id].void_reason
            assert saved_by(db_session, draws[draw_id]) == (0, 0)

    counts = tallies(db_session, earlier.targets)
    assert max(counts.values()) <= YEAR_CAP
    touched = Counter(db_session.scalars(select(DrawSelection.code).where(DrawSelection.draw_id.in_(ids))))
    assert all(n <= 1 for n in touched.values()), touched
    assert counts == {code: 1 + touched[code] for code in counts}
    for draw in executed:
        proof = proof_of(db_session, draws[draw.id])
        assert verify_draw.verify(proof).selected == 3
    assert audit.verify_chain(db_session).ok
