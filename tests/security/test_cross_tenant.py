"""Cross-tenant attacks beyond the route sweep: another department's ids guessed in every API filter
and in request bodies, its rows looked for in exports, and unpublished work looked for in public.

Two joint checks: SCJG with WSJK ("ours", one task published) and RSJ with STHJ ("theirs", reviewed
but unpublished). The attacker is a SCJG user; the route sweep already proves that every URL naming
one of their objects answers 404.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from spotcheck.api.tokens import create_token
from spotcheck.draw.models import Draw
from spotcheck.planning.models import AnnualPlan
from spotcheck.publication.testing import make_publication, make_reviewed_tasks
from spotcheck.tenancy.scope import Scope, scoped


@pytest.fixture
def checks(db_session, factories):
    ours = make_reviewed_tasks(db_session, factories.department("SCJG"), [factories.department("WSJK")],
                               count=2)
    make_publication(db_session, ours[0])
    theirs = make_reviewed_tasks(db_session, factories.department("RSJ"), [factories.department("STHJ")],
                                 count=2, first=500)
    return ours, theirs


def bearer(db_session, factories, role="staff", department="SCJG"):
    user = factories.user(role, department, must_change_password=False)
    _token, secret = create_token(db_session, user, "attack")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_their_ids_in_every_list_filter_find_nothing(client, db_session, factories, checks):
    _ours, theirs = checks
    task = theirs[0]
    with scoped(db_session, Scope.system()):
        batch_id = db_session.get(Draw, task.draw_id).batch_id
    headers = bearer(db_session, factories)
    for url in (f"/api/v1/draws?plan={task.plan_id}", f"/api/v1/draws?batch={batch_id}",
                f"/api/v1/teams?plan={task.plan_id}", f"/api/v1/teams?draw={task.draw_id}",
                f"/api/v1/tasks?plan={task.plan_id}", "/api/v1/replacements", "/api/v1/followups?box=all"):
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 404, 422), url
        if response.status_code == 200:
            assert response.get_json() == [], url


def test_their_plans_are_seen_only_by_their_participants(client, db_session, factories, checks):
    ours, theirs = checks
    for department, sees in (("SCJG", ours), ("WSJK", ours), ("RSJ", theirs), ("STHJ", theirs)):
        headers = bearer(db_session, factories, "staff", department)
        with scoped(db_session, Scope.system()):
            year = db_session.get(AnnualPlan, sees[0].plan_id).year
        listed = {plan["id"] for plan in client.get(f"/api/v1/plans?year={year}", headers=headers).get_json()}
        assert sees[0].plan_id in listed
        other = theirs if sees is ours else ours
        assert other[0].plan_id not in listed
        assert client.get(f"/api/v1/plans/{other[0].plan_id}", headers=headers).status_code == 404


def test_their_plan_cannot_be_pulled_into_a_merge(client, db_session, factories, checks):
    _ours, theirs = checks
    office_plans = db_session.scalar(select(func.count()).select_from(AnnualPlan))
    response = client.post("/api/v1/plans/merge", headers=bearer(db_session, factories, "office", "OFFICE"),
                           json={"plans": [theirs[0].plan_id, 2**31 - 1], "name": "x"})
    assert 400 <= response.status_code < 500
    with scoped(db_session, Scope.system()):
        assert db_session.scalar(select(func.count()).select_from(AnnualPlan)) == office_plans


def test_the_public_sees_only_what_is_published(client, db_session, checks):
    ours, theirs = checks
    published, unpublished = ours
    results = client.get("/api/v1/public/results").get_json()["results"]
    codes = {row["target"]["code"] for row in results}
    assert published.target.code in codes
    assert unpublished.target.code not in codes
    assert not codes & {task.target.code for task in theirs}
    for department in ("RSJ", "STHJ"):
        assert client.get(f"/api/v1/public/results?department={department}").get_json()["results"] == []
    for task in (unpublished, *theirs):
        page = client.get(f"/public/targets/{task.target.code}")
        assert page.status_code == 404 or task.target.name not in page.get_data(as_text=True)
    csv_text = client.get("/public/open-data/results.csv").get_data(as_text=True)
    assert published.target.code in csv_text
    assert not any(task.target.code in csv_text for task in (unpublished, *theirs))


def test_an_export_holds_only_the_departments_own_rows(login_as, checks):
    ours, theirs = checks
    text = login_as("staff", "SCJG").get("/registry/export?directory=targets&format=csv").get_data(
        as_text=True)
    assert ours[0].target.code in text
    assert not any(task.target.code in text for task in theirs)
