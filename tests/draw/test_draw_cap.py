"""The yearly cap (seed article 14): random plans draw a target at most twice per calendar year,
across plans and departments; non-random plans neither count nor are limited; the database's
CHECK is the last word; a new year starts at zero."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from spotcheck.draw import verify_draw
from spotcheck.draw.models import DrawTally
from spotcheck.draw.proof import proof_chunks
from spotcheck.draw.testing import make_draw, make_setup
from spotcheck.planning.dryrun import dry_run
from spotcheck.planning.models import PlanType
from spotcheck.registry.targets.service import supervise
from spotcheck.tenancy.scope import Scope, scoped


def proof_of(db_session, draw):
    with scoped(db_session, Scope.system()):
        return json.loads("".join(proof_chunks(db_session, draw)))


def tally(db_session, targets, year=2027):
    found = dict(db_session.execute(select(DrawTally.target_id, DrawTally.draws).where(
        DrawTally.year == year, DrawTally.target_id.in_([t.id for t in targets]))).all())
    return [found.get(t.id, 0) for t in targets]


def also_supervised_by(db_session, department, targets):
    for target in targets:
        with scoped(db_session, Scope.department(department.id)):
            supervise(db_session, target.id)
        db_session.commit()


def drawn_twice(db_session, department, setup):
    """Draw the setup's batch, then every target of it again by another random plan."""
    make_draw(db_session, setup.batch)
    make_draw(db_session, make_setup(db_session, department, targets=0, inspectors=0).batch)


def codes(targets):
    return sorted((t.code for t in targets), key=str.encode)


def test_same_target_drawn_by_random_plans_at_most_twice_a_year(factories, db_session):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    first = make_setup(db_session, aaa, targets=3, inspectors=6)
    also_supervised_by(db_session, bbb, first.targets)
    second = make_setup(db_session, bbb, targets=0, inspectors=6)  # another department's plan
    third = make_setup(db_session, aaa, targets=0, inspectors=0)   # the first department's again

    make_draw(db_session, first.batch)
    assert tally(db_session, first.targets) == [1, 1, 1]
    make_draw(db_session, second.batch)
    assert tally(db_session, first.targets) == [2, 2, 2]

    run = dry_run(db_session, third.batch)
    assert [s.candidates for s in run.strata] == [()]
    assert [(e.id, e.reason) for e in run.excluded] == [(c, "year_cap") for c in codes(first.targets)]
    draw = make_draw(db_session, third.batch)
    proof = proof_of(db_session, draw)
    assert proof["excluded"] == [{"id": c, "reason": "year_cap"} for c in codes(first.targets)]
    assert proof["strata"][0]["selected"] == []
    assert verify_draw.verify(proof).selected == 0
    assert tally(db_session, first.targets) == [2, 2, 2]


@pytest.mark.parametrize("plan_type", [t.value for t in PlanType if t is not PlanType.RANDOM])
def test_non_random_plans_neither_count_towards_nor_are_limited_by_the_cap(factories, db_session, plan_type):
    aaa = factories.department("AAA")
    special = make_setup(db_session, aaa, targets=2, inspectors=6, plan_type=plan_type)
    make_draw(db_session, special.batch)
    assert tally(db_session, special.targets) == [0, 0]  # not counted

    for _ in range(2):
        make_draw(db_session, make_setup(db_session, aaa, targets=0, inspectors=0).batch)
    assert tally(db_session, special.targets) == [2, 2]

    again = make_setup(db_session, aaa, targets=0, inspectors=0, plan_type=plan_type)
    run = dry_run(db_session, again.batch)
    assert run.excluded == ()
    assert run.strata[0].candidates == tuple(codes(special.targets))  # not limited
    draw = make_draw(db_session, again.batch)
    assert not draw.counts_towards_cap
    assert draw.selected_count == 2
    assert tally(db_session, special.targets) == [2, 2]


def test_the_database_refuses_a_third_draw_of_a_target_in_a_year(factories, db_session):
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=1, inspectors=6)
    drawn_twice(db_session, aaa, setup)
    [target] = setup.targets
    assert tally(db_session, [target]) == [2]
    table = DrawTally.__table__

    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.connection().execute(update(table).where(
            table.c.target_id == target.id, table.c.year == 2027).values(draws=table.c.draws + 1))
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.connection().execute(insert(table).values(target_id=target.id, year=2030, draws=3))

    assert tally(db_session, [target]) == [2]


def test_a_new_calendar_year_starts_the_count_at_zero(factories, db_session):
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=2, inspectors=6)
    drawn_twice(db_session, aaa, setup)
    assert tally(db_session, setup.targets) == [2, 2]

    next_year = make_setup(db_session, aaa, targets=0, inspectors=0, year=2028)
    run = dry_run(db_session, next_year.batch)
    assert run.excluded == () and run.strata[0].candidates == tuple(codes(setup.targets))
    draw = make_draw(db_session, next_year.batch)

    assert draw.selected_count == 2
    assert tally(db_session, setup.targets, year=2028) == [1, 1]
    assert tally(db_session, setup.targets, year=2027) == [2, 2]
