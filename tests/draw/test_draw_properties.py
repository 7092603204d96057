"""Properties of the draw-v1 arithmetic that hold for any input, not only the vectors'."""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from spotcheck.draw.verify_draw import (
    DrawError,
    Department,
    Matching,
    StaffingError,
    candidates_digest,
    draw_seed,
    quota,
    replacement,
    select,
    stratum_digest,
)

seeds = st.binary(min_size=32, max_size=32).map(bytes.hex)
# Any text UTF-8 can carry, except the line feed that separates the hashed fields.
texts = st.text(st.characters(codec="utf-8", exclude_characters="\n"), min_size=1, max_size=24)
candidate_lists = st.lists(texts, max_size=60, unique=True)
with_a_line_feed = st.tuples(st.text(max_size=8), st.text(max_size=8)).map(lambda pair: "\n".join(pair))


# --- selection -----------------------------------------------------------------------------

@given(seed=seeds, key=texts, candidates=candidate_lists, count=st.integers(0, 70), data=st.data())
def test_shuffling_the_candidates_changes_nothing(seed, key, candidates, count, data):
    shuffled = data.draw(st.permutations(candidates))
    assert select(seed, key, shuffled, count) == select(seed, key, candidates, count)
    assert stratum_digest(shuffled) == stratum_digest(candidates)


@given(strata=st.dictionaries(texts, candidate_lists, max_size=6), data=st.data())
def test_shuffling_the_strata_changes_nothing(strata, data):
    pairs = [(key, stratum_digest(ids)) for key, ids in strata.items()]
    assert candidates_digest(data.draw(st.permutations(pairs))) == candidates_digest(pairs)


@given(seed=seeds, key=texts, candidates=st.lists(texts, min_size=2, max_size=60, unique=True),
       data=st.data())
def test_removing_an_unselected_candidate_leaves_the_selection_unchanged(seed, key, candidates, data):
    # Removing a candidate changes the candidates' digest and so the draw's seed; what the ranking
    # guarantees is that, for one seed, nobody's rank depends on who else is a candidate.
    count = data.draw(st.integers(0, len(candidates) - 1))
    selected = select(seed, key, candidates, count)
    unselected = data.draw(st.sampled_from([c for c in candidates if c not in selected]))
    assert select(seed, key, [c for c in candidates if c != unselected], count) == selected


@given(seed=seeds, key=texts, candidates=st.lists(texts, min_size=2, max_size=60, unique=True),
       data=st.data())
def test_removing_a_selected_candidate_lets_in_the_next_by_rank(seed, key, candidates, data):
    count = data.draw(st.integers(1, len(candidates) - 1))
    ranked = select(seed, key, candidates, len(candidates))
    gone = data.draw(st.sampled_from(ranked[:count]))
    assert select(seed, key, [c for c in candidates if c != gone], count) == \
        [c for c in ranked[:count + 1] if c != gone]


@given(seeds=st.lists(seeds, min_size=2, max_size=2, unique=True), key=texts,
       candidates=st.lists(texts, min_size=40, max_size=80, unique=True))
def test_different_seeds_select_different_targets(seeds, key, candidates):
    # Two seeds pick the same quarter of 40 or more candidates with a chance below 1 in 8.5e8.
    count = len(candidates) // 4
    first, second = (set(select(seed, key, candidates, count)) for seed in seeds)
    assert first != second


@given(secret=seeds, entropies=st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\n")),
                                         min_size=2, max_size=2, unique=True), digest=seeds)
def test_different_public_entropy_gives_a_different_seed(secret, entropies, digest):
    assert draw_seed(secret, entropies[0], digest) != draw_seed(secret, entropies[1], digest)


@given(seed=seeds, key=texts, candidates=candidate_lists, count=st.integers(0, 70))
def test_the_selection_is_the_quota_first_in_rank_order_without_repeats(seed, key, candidates, count):
    selected = select(seed, key, candidates, count)
    assert len(selected) == min(count, len(candidates)) == len(set(selected))
    assert selected == select(seed, key, candidates, len(candidates))[:count]


# --- quotas --------------------------------------------------------------------------------

@given(n=st.integers(0, 10**20), ratio=st.integers(0, 10_000), minimum=st.integers(0, 10**20))
def test_ratio_quotas_match_the_formula_in_exact_fractions(n, ratio, minimum):
    rule = {"ratio_bp": ratio, "min": minimum}
    expected = min(n, max(minimum, math.ceil(Fraction(n * ratio, 10_000))))
    assert quota(n, rule) == expected


@given(n=st.integers(0, 10**20), count=st.integers(0, 10**20))
def test_count_quotas_match_the_formula(n, count):
    assert quota(n, {"count": count}) == min(n, count)


# --- line feeds ----------------------------------------------------------------------------

@given(bad=with_a_line_feed, others=candidate_lists, data=st.data())
def test_a_candidate_id_with_a_line_feed_is_refused(bad, others, data):
    ids = [*others, bad]
    with pytest.raises(DrawError, match="line feed"):
        stratum_digest(data.draw(st.permutations(ids)))


@given(bad=with_a_line_feed, digest=seeds)
def test_a_stratum_key_with_a_line_feed_is_refused(bad, digest):
    with pytest.raises(DrawError, match="line feed"):
        candidates_digest([("risk=high", digest), (bad, digest)])


@given(bad=with_a_line_feed, secret=seeds, digest=seeds)
def test_public_entropy_with_a_line_feed_is_refused(bad, secret, digest):
    with pytest.raises(DrawError, match="line feed"):
        draw_seed(secret, bad, digest)


@given(bad=with_a_line_feed)
def test_an_inspector_id_or_department_code_with_a_line_feed_is_refused(bad):
    with pytest.raises(DrawError, match="line feed"):
        Department("SCJG", 2, ("SCJG-001", bad))
    with pytest.raises(DrawError, match="line feed"):
        Department(bad, 2, ("SCJG-001",))


def test_an_inspector_listed_twice_in_a_pool_is_refused():
    # Listed twice, the inspector would be eligible twice and could be picked twice for one target.
    with pytest.raises(DrawError, match="twice"):
        Department("SCJG", 2, ("SCJG-001", "SCJG-002", "SCJG-001"))


# --- matching ------------------------------------------------------------------------------

CODES = ("SCJG", "WSJK", "YJGL", "ZJJ")


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Matching, list[str], str]:
    """A matching block, the targets in matching order and a seed. Inspectors come from one
    namespace and pools may share some, so "never twice to one target" holds across departments.
    Pools, exclusions and loads are sized so that most blocks can be staffed (about 85 %)."""
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True))
    initiator = codes[0]
    inspectors = [f"I-{n:02d}" for n in range(draw(st.integers(4, 24)))]
    departments = [Department(code, draw(st.integers(1, 3)),
                              tuple(draw(st.lists(st.sampled_from(inspectors), min_size=4, unique=True))))
                   for code in [initiator, *sorted(codes[1:], key=str.encode)]]
    targets = [f"T-{n:02d}" for n in range(draw(st.integers(1, 12)))]
    required = {t: [initiator, *draw(st.lists(st.sampled_from(codes), unique=True))] for t in targets}
    pairs = [(t, i) for t in targets for i in inspectors]
    exclusions = set(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs) // 8)))
    max_load = draw(st.none() | st.integers(2, 8))
    return Matching(initiator, departments, required, exclusions, max_load), targets, draw(seeds)


@settings(max_examples=300)
@given(world=worlds())
def test_matching_respects_exclusions_loads_and_the_leader_rule(world):
    matching, targets, seed = world
    pools = {d.code: d.pool for d in matching.departments}
    per_target = {d.code: d.per_target for d in matching.departments}
    try:
        assignments = matching.assign(seed, targets)
    except StaffingError as refused:
        # Refused only where a department required at the target has too few eligible inspectors.
        assert refused.department in matching.required[refused.target]
        assert refused.eligible < refused.needed == per_target[refused.department]
        return
    expected_order = [(t, d.code) for t in targets for d in matching.departments
                      if d.code in matching.required[t]]
    assert [(a["target"], a["department"]) for a in assignments] == expected_order
    on_target: dict[str, list[str]] = {t: [] for t in targets}
    for a in assignments:
        assert len(a["inspectors"]) == per_target[a["department"]]
        assert set(a["inspectors"]) <= set(pools[a["department"]])
        assert not {(a["target"], i) for i in a["inspectors"]} & matching.exclusions
        on_target[a["target"]].extend(a["inspectors"])
    for inspectors in on_target.values():
        assert len(inspectors) == len(set(inspectors)), "an inspector twice on one target"
    load = Counter(i for a in assignments for i in a["inspectors"])
    if matching.max_load is not None:
        assert max(load.values(), default=0) <= matching.max_load
    assert load == Counter({i: n for i, n in matching.load.items() if n})
    for t in targets:
        # The leader is the first inspector the initiating department sends: its pick comes first.
        leader_pick = next(a for a in assignments if a["target"] == t)
        assert leader_pick["department"] == matching.initiator
        assert leader_pick["inspectors"][0] in pools[matching.initiator]


@given(world=worlds(), data=st.data())
def test_the_order_of_a_pool_changes_nothing(world, data):
    matching, targets, seed = world
    shuffled = Matching(matching.initiator,
                        [Department(d.code, d.per_target, tuple(data.draw(st.permutations(d.pool))))
                         for d in matching.departments],
                        matching.required, matching.exclusions, matching.max_load)
    outcomes = []
    for block in (matching, shuffled):
        try:
            outcomes.append(block.assign(seed, targets))
        except StaffingError as refused:
            outcomes.append((refused.target, refused.department))
    assert outcomes[0] == outcomes[1]


@given(pool_size=st.integers(2, 30), per_target=st.integers(1, 2), targets=st.integers(1, 40), seed=seeds)
def test_matching_spreads_the_load_evenly_when_nothing_is_excluded(pool_size, per_target, targets, seed):
    pool = tuple(f"I-{n:02d}" for n in range(pool_size))
    matching = Matching("SCJG", [Department("SCJG", per_target, pool)], {}, set())
    matching.assign(seed, [f"T-{n:02d}" for n in range(targets)])
    loads = [matching.load.get(i, 0) for i in pool]
    assert max(loads) - min(loads) <= 1


def test_a_department_that_cannot_send_enough_refuses_the_draw_naming_target_and_department():
    matching = Matching("SCJG", [Department("SCJG", 2, ("A", "B", "C"))], {},
                        {("T-2", "A"), ("T-2", "B")})
    with pytest.raises(StaffingError) as refused:
        matching.assign("00" * 32, ["T-1", "T-2"])
    assert (refused.value.target, refused.value.department) == ("T-2", "SCJG")
    assert "T-2" in str(refused.value) and "SCJG" in str(refused.value)


@given(seeds=st.lists(seeds, min_size=2, max_size=2, unique=True))
def test_different_seeds_match_differently(seeds):
    pool = tuple(f"I-{n:02d}" for n in range(12))
    targets = [f"T-{n:02d}" for n in range(20)]
    first, second = (Matching("SCJG", [Department("SCJG", 2, pool)], {}, set()).assign(seed, targets)
                     for seed in seeds)
    assert first != second


# --- replacement ---------------------------------------------------------------------------

@given(seed=seeds, pool=st.lists(texts, max_size=12, unique=True), data=st.data())
def test_a_replacement_is_never_excluded_nor_anyone_ever_assigned(seed, pool, data):
    excluded = data.draw(st.lists(st.sampled_from(pool), unique=True)) if pool else []
    ever = data.draw(st.lists(st.sampled_from(pool), unique=True)) if pool else []
    eligible = [i for i in pool if i not in excluded and i not in ever]
    if not eligible:
        with pytest.raises(StaffingError):
            replacement(seed, "T-01", pool, excluded, ever, "SCJG")
        return
    chosen = replacement(seed, "T-01", pool, excluded, ever, "SCJG")
    assert chosen in eligible
    assert chosen == replacement(seed, "T-01", data.draw(st.permutations(pool)), excluded, ever, "SCJG")
