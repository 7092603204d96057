"""The assessment: weights and targets, figures left out when there is nothing to count."""

import pytest

from spotcheck.console import metrics
from spotcheck.console.assessment import DEFAULT_SCHEME, SchemeError, assess, scheme_from, score
from spotcheck.console.metrics import Figures
from spotcheck.console.periods import Period
from spotcheck.console.testing import YEAR


def test_the_default_weights_add_up_to_100():
    assert sum(c.weight for c in scheme_from(None)) == 100


def test_a_figure_reaching_its_target_earns_its_weight_and_short_of_it_a_share():
    criteria = scheme_from({"tasks_completed": {"weight": 60, "target": 1.0},
                            "published_on_time": {"weight": 40, "target": 0.8}})
    result = score(Figures(tasks=4, tasks_completed=2, published=10, published_on_time=9), criteria)
    assert [line.points for line in result.lines] == [30.0, 40.0]
    assert result.total == 70.0


def test_a_figure_with_nothing_to_count_is_left_out_and_the_rest_scaled_up():
    criteria = scheme_from({"tasks_completed": {"weight": 50, "target": 1.0},
                            "followups_closed": {"weight": 50, "target": 1.0}})
    result = score(Figures(tasks=2, tasks_completed=1), criteria)
    assert [(line.points, line.out_of) for line in result.lines] == [(50.0, 100.0), (None, 0.0)]
    assert result.total == 50.0
    assert score(Figures(), criteria).total is None


@pytest.mark.parametrize("config", [{"unknown": {"weight": 1, "target": 1}},
                                    {"coverage": {"weight": 1}},
                                    {"coverage": {"weight": 1, "target": 0}},
                                    {"coverage": {"weight": 0, "target": 1}}])
def test_a_scheme_the_console_cannot_score_with_is_refused(config):
    with pytest.raises(SchemeError):
        scheme_from(config)


def test_each_department_is_scored_from_its_figures_by_hand(world, db_session):
    scores = {s.department.code: s for s in assess(metrics.dashboard(db_session, Period(YEAR)),
                                                   scheme_from(DEFAULT_SCHEME))}
    # AAA: plan on time 10/10; tasks 2/4 → 10/20; within 7 days 1/4 of 95% → 20·0.25/0.95;
    # published on time 1/2 → 20·0.5/0.95; follow-ups closed 1/2 of 80% → 15·0.625; coverage 4/4 → 15.
    expected = [10.0, 10.0, round(20 * 0.25 / 0.95, 1), round(20 * 0.5 / 0.95, 1), round(15 * 0.625, 1), 15.0]
    assert [line.points for line in scores["AAA"].lines] == expected
    assert scores["AAA"].total == round(sum(expected), 1)
    # DDD had nothing but a missing plan: the only counted figure, worth the whole 100, is 0.
    assert [line.points for line in scores["DDD"].lines if line.points is not None] == [0.0]
    assert scores["DDD"].total == 0.0


def test_the_assessment_page_shows_the_breakdown_of_the_configured_scheme(world, login_as, app):
    app.config["CONSOLE_ASSESSMENT"] = {"tasks_completed": {"weight": 100, "target": 1.0}}
    try:
        page = login_as("office", "OFFICE").get("/console/assessment?year=2026").get_data(as_text=True)
    finally:
        app.config["CONSOLE_ASSESSMENT"] = None
    assert "已完成任务" in page and "得分" in page and "50.0" in page
    assert "7个工作日内完成的任务" not in page
