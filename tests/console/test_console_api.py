"""``/api/v1/console``: the same figures and scores as the pages, with the same tenancy."""

import pytest

from spotcheck.api.tokens import create_token


def _api(factories, role, department):
    user = factories.user(role, department, must_change_password=False)
    _token, secret = create_token(factories.db, user, "console")
    factories.db.commit()
    client = factories.app.test_client()
    return lambda path: client.get(path, headers={"Authorization": f"Bearer {secret}"})


def test_the_office_reads_every_member_units_figures(world, factories):
    body = _api(factories, "office", "OFFICE")("/api/v1/console/dashboard?year=2026").get_json()
    rows = {row["department"]: row for row in body["departments"]}
    assert rows["AAA"]["plan_status"] == "on_time" and rows["CCC"]["plan_status"] == "late"
    assert (rows["AAA"]["figures"]["tasks"], rows["AAA"]["figures"]["tasks_completed"]) == (4, 2)
    assert (body["total"]["visits"], body["total"]["department_checks"]) == (6, 10)
    assert (body["start"], body["end"]) == ("2026-01-01", "2026-12-31")


def test_a_department_reads_itself_and_another_answers_404(world, factories):
    get = _api(factories, "staff", "BBB")
    body = get("/api/v1/console/dashboard?year=2026&period=q1").get_json()
    assert [row["department"] for row in body["departments"]] == ["BBB"]
    assert body["total"]["followups_open"] == 1
    assert get("/api/v1/console/dashboard?year=2026&department=AAA").status_code == 404
    assert get("/api/v1/console/assessment?year=2026&department=AAA").status_code == 404


def test_the_assessment_gives_each_score_with_its_breakdown(world, factories):
    body = _api(factories, "office", "OFFICE")("/api/v1/console/assessment?year=2026").get_json()
    scores = {s["department"]: s for s in body["scores"]}
    assert scores["DDD"]["total"] == 0
    lines = {line["figure"]: line for line in scores["AAA"]["lines"]}
    assert (lines["tasks_completed"]["rate"], lines["tasks_completed"]["points"]) == (0.5, 10.0)


@pytest.mark.parametrize("query", ["", "?year=2026&period=q5"])
def test_a_query_without_a_year_or_with_an_unknown_period_is_refused(query, factories):
    assert _api(factories, "office", "OFFICE")(f"/api/v1/console/dashboard{query}").status_code == 422
