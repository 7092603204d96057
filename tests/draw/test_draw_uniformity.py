"""Uniformity: over many seeds, every candidate (and every inspector) is drawn equally often.

Each test makes thousands of draws with seeds derived from a counter, so the outcome is fixed: the
test cannot flake, and a change to the arithmetic that biases the draw fails it every time.

The statistic. A draw of ``k`` out of ``N`` selects each candidate with probability ``p = k/N``;
over ``D`` draws candidate ``i`` is selected ``O_i`` times, ``E = D·p`` expected. Draws are without
replacement, so the counts are not multinomial (unless ``k = 1``): each count has variance
``D·p·(1−p)``, two counts covary by ``−D·p·(1−p)/(N−1)``, and the counts always sum to ``D·k``.
Then

    T = Σ (O_i − E)² / (E · (1 − p) · N/(N − 1))

follows, for large ``D``, the chi-square distribution with ``N − 1`` degrees of freedom (the
covariance matrix is ``D·p·(1−p)·N/(N−1)`` times the projection onto counts summing to zero, whose
rank is ``N − 1``). For ``k = 1`` the correction factor is 1 and ``T`` is Pearson's statistic.

The critical values are the chi-square quantiles at p = 0.001, fixed here because scipy is not a
dependency (``scipy.stats.chi2.isf(0.001, df)``; any statistics table gives the same figures).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from spotcheck.draw.verify_draw import Department, Matching, replacement, select, sha256_hex

CRITICAL_AT_P_0001 = {7: 24.322, 19: 43.820}
"""The chi-square value exceeded with probability 0.001, by degrees of freedom."""

DRAWS = 4000
CANDIDATES = [f"9163010200000000{n:02d}" for n in range(20)]


def seeds(count: int = DRAWS) -> Iterable[str]:
    """``count`` seeds, the same every run: the digest of a counter."""
    return (sha256_hex(f"uniformity-{n}") for n in range(count))


def statistic(counts: Counter[str], population: list[str], draws: int, per_draw: int) -> float:
    """``T`` of the module docstring for ``per_draw`` of ``population`` drawn ``draws`` times."""
    n = len(population)
    p = per_draw / n
    expected = draws * p
    scale = expected * (1 - p) * n / (n - 1)
    return sum((counts[c] - expected) ** 2 for c in population) / scale


def frequencies(draw: Callable[[str], list[str]], count: int = DRAWS) -> Counter[str]:
    return Counter(picked for seed in seeds(count) for picked in draw(seed))


def test_each_candidate_is_selected_equally_often():
    counts = frequencies(lambda seed: select(seed, "risk=high", CANDIDATES, 5))
    assert sum(counts.values()) == DRAWS * 5
    assert statistic(counts, CANDIDATES, DRAWS, 5) < CRITICAL_AT_P_0001[19]


def test_each_candidate_is_ranked_first_equally_often():
    # The rank order is the matching order, and so decides who gets the least-loaded inspectors.
    counts = frequencies(lambda seed: select(seed, "risk=high", CANDIDATES, 1))
    assert statistic(counts, CANDIDATES, DRAWS, 1) < CRITICAL_AT_P_0001[19]


def test_the_statistic_flags_a_draw_that_skips_one_candidate_a_quarter_of_the_time():
    def biased(seed: str) -> list[str]:
        pool = CANDIDATES[1:] if int(seed[:2], 16) < 64 else CANDIDATES
        return select(seed, "risk=high", pool, 5)

    assert statistic(frequencies(biased), CANDIDATES, DRAWS, 5) > CRITICAL_AT_P_0001[19]


def test_each_inspector_of_a_pool_is_matched_equally_often():
    pool = tuple(f"SCJG-{n:03d}" for n in range(8))

    def matched(seed: str) -> list[str]:
        [assignment] = Matching("SCJG", [Department("SCJG", 2, pool)], {}, set()).assign(seed, ["T"])
        return assignment["inspectors"]

    counts = frequencies(matched)
    assert statistic(counts, list(pool), DRAWS, 2) < CRITICAL_AT_P_0001[7]


def test_each_eligible_inspector_is_equally_likely_to_come_in_as_a_replacement():
    pool = [f"SCJG-{n:03d}" for n in range(10)]
    ever, eligible = pool[:2], pool[2:]
    counts = frequencies(lambda seed: [replacement(seed, "T", pool, (), ever, "SCJG")])
    assert set(counts) == set(eligible)
    assert statistic(counts, eligible, DRAWS, 1) < CRITICAL_AT_P_0001[7]
