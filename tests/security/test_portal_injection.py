"""Script injection in every free text the public portal shows: escaped on every page, inert in
the open data, never evaluated as a template."""

from __future__ import annotations

import pytest

from spotcheck.planning.models import AnnualPlan
from spotcheck.publication.testing import make_publication, make_reviewed_tasks
from spotcheck.tenancy.scope import Scope, scoped

PAYLOADS = {
    "name": "<script>alert('name')</script>有限公司",
    "address": "\"><img src=x onerror=alert('address')>路1号",
    "plan": "{{ 7*7 }}<svg onload=alert('plan')>计划",
}
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg onload")


@pytest.fixture
def published(db_session, factories):
    task = make_reviewed_tasks(db_session, factories.department("SCJG"), [factories.department("WSJK")])[0]
    with scoped(db_session, Scope.system()):
        task.target.name = PAYLOADS["name"]
        task.target.address = PAYLOADS["address"]
        db_session.get(AnnualPlan, task.plan_id).name = PAYLOADS["plan"]
    db_session.commit()
    make_publication(db_session, task)
    return task


def test_every_portal_page_escapes_what_departments_typed(client, published):
    pages = ["/public/", "/public/plans", "/public/draws", f"/public/draws/{published.draw_id}",
             "/public/results", f"/public/targets/{published.target.code}", "/public/open-data"]
    shown = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert not any(marker in html for marker in RAW_MARKERS), url
        assert "49计划" not in html, f"{url}: a plan name was evaluated as a template"
        shown |= {key for key, value in PAYLOADS.items() if _escaped(value) in html}
    assert "name" in shown, "the target's name is shown, escaped"


def test_the_open_data_carries_the_text_as_data_not_markup(client, published):
    response = client.get("/public/open-data/results.json")
    assert response.mimetype == "application/json"
    assert "nosniff" in response.headers.get("X-Content-Type-Options", "")
    names = {result["target"]["name"] for result in response.get_json()["results"]}
    assert PAYLOADS["name"] in names  # kept intact as data: escaping is the reader's page's job
    csv_response = client.get("/public/open-data/results.csv")
    assert csv_response.mimetype == "text/csv"
    assert "attachment" in csv_response.headers["Content-Disposition"]


def test_pages_forbid_inline_script_whatever_slips_through(client, published):
    policy = client.get(f"/public/targets/{published.target.code}").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy or ("default-src 'self'" in policy and "script-src" not in policy)
    assert "unsafe-inline" not in policy


def _escaped(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def test_a_formula_in_a_published_name_is_defused_in_the_open_data_csv(client, db_session, factories):
    task = make_reviewed_tasks(db_session, factories.department("SCJG"), [factories.department("WSJK")])[0]
    with scoped(db_session, Scope.system()):
        task.target.name = "=HYPERLINK(\"http://evil.example\",\"点击\")"
    db_session.commit()
    make_publication(db_session, task)
    text = client.get("/public/open-data/results.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and '"=HYPERLINK' not in text
