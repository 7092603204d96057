"""The public portal: no sign-in, Chinese first, each department's items, the published plan, the
executed draws, the search by name prefix or code and each target's page; semantic, printable."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from spotcheck.draw.models import Draw
from spotcheck.planning.consolidation import publish as publish_plans
from spotcheck.planning.models import AnnualPlan
from spotcheck.publication.testing import make_publication, make_reviewed_tasks
from spotcheck.registry.items.service import set_enabled
from spotcheck.registry.items.testing import make_item
from spotcheck.tenancy.scope import Scope, scoped


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_portal_needs_no_sign_in_and_speaks_chinese_first(client, db_session, reviewed):
    make_publication(db_session, reviewed)
    for path in ("/public/", "/public/items", "/public/plans", "/public/draws", "/public/results",
                 "/public/open-data", f"/public/targets/{reviewed.target.code}"):
        page = _text(client.get(path))
        assert '<html lang="zh-CN">' in page, path
        assert 'href="#main"' in page and '<main id="main"' in page, path
        assert "css/portal.css" in page, f"{path}: the print stylesheet"
    client.set_cookie("lang", "en")
    assert '<html lang="en">' in _text(client.get("/public/"))


def test_the_print_stylesheet_hides_the_navigation_and_shows_the_address():
    from importlib.resources import files

    css = (files("spotcheck") / "web" / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".print-only { display: block" in css


def test_a_target_is_found_by_name_prefix_or_code(client, db_session, departments):
    aaa, bbb = departments
    tasks = make_reviewed_tasks(db_session, aaa, [bbb], count=3)
    with scoped(db_session, Scope.system()):
        for task, name in zip(tasks, ("城东区福旺便利店", "城东区福旺牛肉面馆", "西宁福旺商贸有限公司")):
            task.target.name = name
    db_session.commit()
    for task in tasks:
        make_publication(db_session, task)

    page = _text(client.get("/public/results", query_string={"q": "城东区福旺"}))
    assert re.findall(r'<a href="/public/targets/[^"]+">([^<]+)</a>', page) == ["城东区福旺便利店", "城东区福旺牛肉面馆"]
    page = _text(client.get("/public/results", query_string={"q": tasks[2].target.code.lower()}))
    assert "西宁福旺商贸有限公司" in page and "城东区福旺便利店" not in page


def test_a_target_page_lists_its_published_checks(client, db_session, reviewed):
    make_publication(db_session, reviewed, date(2025, 3, 4))
    client.set_cookie("lang", "en")
    page = _text(client.get(f"/public/targets/{reviewed.target.code}"))
    assert "2025-03-03" in page
    assert "No problem found" in page
    assert "AAA" in page and "BBB" in page, "the departments"
    assert reviewed.items[0].name_en in page
    assert f'href="/public/draws/{reviewed.draw_id}"' in page
    assert "<td>None</td>" in page, "no follow-up yet"


def test_the_item_lists_show_each_departments_enabled_items(client, db_session, departments):
    aaa, bbb = departments
    make_item(db_session, aaa, "shown_item", name_zh="公示的事项")
    hidden = make_item(db_session, bbb, "disabled_item", name_zh="停用的事项")
    with scoped(db_session, Scope.department(bbb.id)):
        set_enabled(db_session, hidden, False)
    db_session.commit()
    page = _text(client.get("/public/items"))
    assert "公示的事项" in page and "停用的事项" not in page
    assert 'id="department-AAA"' in page


def test_the_annual_plan_shows_published_plans_only(client, db_session, reviewed):
    plan = db_session.scalars(select(AnnualPlan).where(AnnualPlan.id == reviewed.plan_id)).one()
    page = _text(client.get("/public/plans"))
    assert plan.name not in page, "submitted, not published yet"
    with scoped(db_session, Scope.system()):
        publish_plans(db_session, plan.year)
    db_session.commit()
    page = _text(client.get("/public/plans", query_string={"year": plan.year}))
    assert plan.name in page and str(plan.year) in page


def test_every_executed_draw_is_listed_with_its_commitment_and_proof(client, db_session, reviewed):
    draw = db_session.scalars(select(Draw).where(Draw.id == reviewed.draw_id)).one()
    page = _text(client.get("/public/draws"))
    assert draw.commitment in page
    assert f'href="/public/draws/{draw.id}/proof.json"' in page and 'href="/public/verify_draw.py"' in page
    page = _text(client.get(f"/public/draws/{draw.id}"))
    assert draw.seed in page and draw.candidates_digest in page
    assert client.get(f"/public/draws/{draw.id}/proof.json").status_code == 200
