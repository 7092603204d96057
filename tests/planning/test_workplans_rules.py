"""The quota formula of draw-v1 §1, stratum keys, quota rules and the credit-risk default."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from spotcheck.planning.batches import validate_strata
from spotcheck.draw.verify_draw import quota
from spotcheck.planning.workplans import CREDIT_RISK_DEFAULT, credit_risk_default, validate_key, validate_rule


@given(n=st.integers(0, 100_000), ratio=st.integers(0, 10_000), minimum=st.integers(0, 1_000))
def test_ratio_quota_is_min_n_max_m_ceil_n_r(n, ratio, minimum):
    drawn = quota(n, {"ratio_bp": ratio, "min": minimum})
    # n * ratio stays below 2**53 here, so the float ceiling is exact and may serve as reference.
    assert drawn == min(n, max(minimum, math.ceil(n * ratio / 10_000)))


@given(n=st.integers(0, 10**30), ratio=st.integers(1, 10_000))
def test_the_ratio_share_is_the_smallest_whole_number_reaching_n_r(n, ratio):
    share = quota(n, {"ratio_bp": ratio, "min": 0})
    assert share * 10_000 >= n * ratio > (share - 1) * 10_000


@given(n=st.integers(0, 100_000), count=st.integers(0, 100_000))
def test_count_quota_is_capped_by_the_candidates(n, count):
    assert quota(n, {"count": count}) == min(n, count)


def test_quota_examples_by_hand():
    assert quota(101, {"ratio_bp": 300, "min": 1}) == 4        # 3.03 rounds up
    assert quota(100, {"ratio_bp": 300, "min": 1}) == 3        # exactly 3
    assert quota(10, {"ratio_bp": 300, "min": 1}) == 1         # 0.3 → 1, the minimum too
    assert quota(10, {"ratio_bp": 0, "min": 0}) == 0
    assert quota(2, {"ratio_bp": 500, "min": 5}) == 2          # never more than the candidates
    assert quota(0, {"count": 3}) == 0


def test_the_ratio_is_rounded_up_in_integers_even_where_floats_are_wrong():
    # 10**17 + 1 is not a float: a float formula would lose the last unit and round down.
    n = 10**17 + 1
    assert quota(n, {"ratio_bp": 1, "min": 0}) == 10**13 + 1


@pytest.mark.parametrize("key", ["credit=B", "risk=high", "credit=B|industry=catering", "行业=餐饮"])
def test_a_key_without_line_feeds_is_accepted(key):
    assert validate_key(key) == (key, [])


@pytest.mark.parametrize("key", ["credit=B\n", "risk=\nhigh", "a\r\nb"])
def test_a_key_with_a_line_feed_is_refused_with_a_clear_error(key):
    value, [error] = validate_key(key, "strata[0].key")
    assert value is None
    assert error.field == "strata[0].key"
    assert error.code == "line_feed"
    assert "line feed" in error.message_en and "换行" in error.message_zh


def test_an_empty_key_is_refused():
    assert validate_key("  ")[1][0].code == "required"


@pytest.mark.parametrize(("raw", "expected"), [
    ({"ratio_bp": 500, "min": 1}, (500, 1, None)),
    ({"ratio_bp": 0, "min": 0}, (0, 0, None)),
    ({"ratio_bp": 10000, "min": 0}, (10000, 0, None)),
    ({"count": 0}, (None, None, 0)),
    ({"count": 12}, (None, None, 12)),
])
def test_valid_quota_rules(raw, expected):
    assert validate_rule(raw) == (expected, [])


@pytest.mark.parametrize(("raw", "code"), [
    ({"ratio_bp": 10001, "min": 0}, "invalid_ratio"),
    ({"ratio_bp": -1, "min": 0}, "invalid_ratio"),
    ({"ratio_bp": 500, "min": -1}, "invalid_min"),
    ({"ratio_bp": 500}, "invalid_min"),
    ({"count": -1}, "invalid_count"),
    ({"count": 3, "ratio_bp": 500}, "both_rules"),
    ({}, "invalid_ratio"),
])
def test_invalid_quota_rules_are_refused(raw, code):
    rule, errors = validate_rule(raw)
    assert rule is None
    assert code in {e.code for e in errors}


def test_the_credit_risk_default_is_a3_b5_c10_d30_each_at_least_one():
    assert CREDIT_RISK_DEFAULT == (("A", 300), ("B", 500), ("C", 1000), ("D", 3000))
    strata = credit_risk_default()
    assert [(s.key, s.selector, s.ratio_bp, s.min_count, s.count) for s in strata] == [
        ("credit=A", {"credit_classes": ["A"]}, 300, 1, None),
        ("credit=B", {"credit_classes": ["B"]}, 500, 1, None),
        ("credit=C", {"credit_classes": ["C"]}, 1000, 1, None),
        ("credit=D", {"credit_classes": ["D"]}, 3000, 1, None),
    ]


def test_strata_errors_name_the_stratum_and_field(db_session):
    values, errors = validate_strata(db_session, [
        {"key": "credit=A", "selector": {"credit_classes": ["A"]}, "ratio_bp": 300, "min": 1},
        {"key": "credit=A", "selector": {"credit_classes": ["E"]}, "count": 2},
        {"key": "x\ny", "selector": {"colour": ["red"]}, "count": 1},
    ])
    found = {(e.field, e.code) for e in errors}
    assert ("strata[1].key", "duplicate") in found
    assert ("strata[1].selector", "unknown_credit") in found
    assert ("strata[2].key", "line_feed") in found
    assert ("strata[2].selector", "unknown_key") in found
    assert values[0].key == "credit=A"
