"""PostgreSQL's ``sha256()`` gives the same ranking as Python: the database selects a stratum's
candidates (spec §3) exactly as :func:`verify_draw.select` does, for ids of any script and length."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import insert

from spotcheck.draw import selection, verify_draw
from spotcheck.draw.models import DrawCandidate
from spotcheck.draw.testing import make_draw, make_setup

pytestmark = pytest.mark.postgresql_only

MOST = 16
"""Candidates per example: each needs a target row to point at."""

NO_STRATUM = [{"key": "credit=A", "selector": {"credit_classes": ["A"]}, "ratio_bp": 10000, "min": 0}]

# Ids as PostgreSQL stores text: any character but a surrogate, NUL or a line feed, 32 at most.
ids = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\n"), min_size=1, max_size=32)
keys = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\n"), max_size=40)
seeds = st.binary(min_size=32, max_size=32).map(bytes.hex)


@pytest.fixture
def stratum(factories, db_session):
    """Loads candidate ids into an empty stratum of a prepared draw; returns the draw's id.

    The setup's targets are all credit class B and the batch draws class A: the draw freezes no
    candidate, and each example writes its own ids, one per target row."""
    aaa = factories.department("AAA")
    setup = make_setup(db_session, aaa, targets=MOST, inspectors=0, strata=NO_STRATUM)
    draw = make_draw(db_session, setup.batch, entropy=None)
    target_ids = [t.id for t in setup.targets]

    def load(codes):
        db_session.connection().execute(insert(DrawCandidate.__table__), [
            {"draw_id": draw.id, "target_id": target_id, "stratum": 0, "code": code}
            for target_id, code in zip(target_ids, codes, strict=False)])
        return draw.id

    return load


def ranked_in_sql(db_session, draw_id, seed, key, quota):
    return [code for _, code in selection.selected(db_session, draw_id, 0, seed, key, quota)]


@pytest.mark.parametrize("codes", [
    ["91630102MA0000001X", "NM-PROD-0001", "NM-PROD-00010", "NM-PROD-001", "检查对象甲", "检查对象",
     "é", "e\u0301", "Ω", "😀", "a", "A", "Z" * 32, "~", "\u00ff", "\uffff"],
    [chr(c) for c in (0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0x10000, 0x10ffff, 0x41, 0x61, 0x20, 0x2f, 0x30)],
])
@pytest.mark.parametrize("key", ["credit=B", "风险=高|行业=餐饮", ""])
def test_postgresql_ranks_mixed_scripts_and_lengths_as_python_does(stratum, db_session, codes, key):
    seed = verify_draw.sha256_hex("a fixed seed")
    draw_id = stratum(codes)
    for quota in (1, len(codes) // 2, len(codes)):
        assert ranked_in_sql(db_session, draw_id, seed, key, quota) == \
            verify_draw.select(seed, key, codes, quota)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(codes=st.lists(ids, min_size=1, max_size=MOST, unique=True), key=keys, seed=seeds, data=st.data())
def test_postgresql_sha256_gives_the_same_ranking_as_python(stratum, db_session, codes, key, seed, data):
    quota = data.draw(st.integers(1, len(codes)), label="quota")
    with db_session.begin_nested() as example:
        draw_id = stratum(codes)
        assert ranked_in_sql(db_session, draw_id, seed, key, quota) == \
            verify_draw.select(seed, key, codes, quota)
        example.rollback()
