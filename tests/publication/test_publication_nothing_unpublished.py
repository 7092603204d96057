"""Nothing unpublished is ever reachable: every portal route, download and public API endpoint is
swept over a world holding reviewed-but-unpublished, recorded and dispatched tasks, a prepared
draw, draft and unpublished plans, a disabled item, and credit events that are not public (follow-up
steps, a department's rule on a finding, which lists the target for joint punishment), and none of
it shows, nor any inspector or personal data of the published target."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import select

from spotcheck.draw.models import Draw, Team
from spotcheck.draw.testing import make_draw, make_setup
from spotcheck.followup.credit import DEPARTMENT_RULE, add_event, record_outcome
from spotcheck.inspection.models import TaskState
from spotcheck.planning.testing import make_plan
from spotcheck.publication.testing import make_publication, make_reviewed_tasks, review
from spotcheck.punishment.service import list_events
from spotcheck.registry.items.service import set_enabled
from spotcheck.registry.items.testing import make_item
from spotcheck.tenancy.scope import Scope, scoped

SWEPT_BLUEPRINTS = ("portal", "api_public")
ECHOES = re.compile(r'(value|href)="[^"?]*\?[^"]*"|value="[^"]*"|<p class="print-only">[^<]*</p>')
"""Where a page repeats what the visitor asked for (the search box, the filters, the language
switch's return address, links carrying the filters, the printed address): not data, so left out
of the check."""

QUERIES = ({}, {"year": "2025"}, {"department": "AAA"}, {"category": "no_problem"}, {"page": "2"})


@dataclass
class World:
    published_code: str
    hidden: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture
def world(db_session, departments) -> World:
    aaa, bbb = departments
    tasks = make_reviewed_tasks(db_session, aaa, [bbb], count=3)
    published, reviewed, recorded = tasks
    review(db_session, recorded, state=TaskState.RECORDED)
    with scoped(db_session, Scope.system()):
        published.target.legal_representative = "王小明"
        published.target.address = "西宁市城东区保密路1号"
        for task, name in zip(tasks[1:], ("未公示的审核对象有限公司", "未公示的录入对象有限公司")):
            task.target.name = name
        dispatched = db_session.scalars(select(Team).where(Team.draw_id != published.draw_id)).all()
    db_session.commit()
    make_publication(db_session, published)
    # What the credit record holds but the public may not see: follow-up steps that are not
    # published, and a department's serious rule on a finding, which lists the target.
    for code in ("overdue", "refer_judicial"):
        record_outcome(db_session, published.target_id, published.id, None, code, date(2025, 4, 1))
    internal = add_event(db_session, published.target_id, DEPARTMENT_RULE, "internal_rule", date(2025, 4, 2), -10,
                         published.id, department_id=aaa.id, serious=True, public=False,
                         name_zh="保密的内部信用规则", name_en="Secret internal credit rule")
    list_events(db_session, [internal])
    db_session.commit()

    prepared = make_draw(db_session, make_setup(db_session, bbb, [aaa], targets=2, first=70).batch, entropy=None)
    draft = make_plan(db_session, aaa, [bbb], name="保密的草稿计划")
    hidden_item = make_item(db_session, bbb, "hidden_item", name_zh="停用的保密事项")
    with scoped(db_session, Scope.department(bbb.id)):
        set_enabled(db_session, hidden_item, False)
    db_session.commit()

    with scoped(db_session, Scope.system()):
        teams = db_session.scalars(select(Team)).all()
        inspectors = [m.inspector for team in teams for m in team.members]
        hidden = ["逾期未改正", "已移送司法机关", "保密的内部信用规则", "Secret internal credit rule",
                  reviewed.target.name, reviewed.target.code, recorded.target.name, recorded.target.code,
                  prepared.commitment, draft.name, "停用的保密事项", "王小明", "西宁市城东区保密路1号",
                  *(i.name for i in inspectors), *(i.code for i in inspectors),
                  *(t.target.code for t in dispatched)]
        draws = [str(d.id) for d in db_session.scalars(select(Draw))]
    codes = [published.target.code, reviewed.target.code, recorded.target.code]
    return World(published.target.code, hidden, {"draw_id": draws, "code": codes})


def _urls(app, world: World) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in SWEPT_BLUEPRINTS or "GET" not in rule.methods:
            continue
        if not rule.arguments:
            base = rule.build({}, append_unknown=False)[1]
            queries = [*QUERIES, *({"q": code} for code in world.values["code"]),
                       *({"q": text[:4]} for text in world.hidden), *({"target": c} for c in world.values["code"])]
            urls += [base + ("?" + "&".join(f"{k}={v}" for k, v in q.items()) if q else "") for q in queries]
            continue
        unknown = rule.arguments - set(world.values)
        assert not unknown, f"{rule.rule}: give the sweep values of {unknown}"
        (name,) = rule.arguments
        urls += [rule.build({name: value}, append_unknown=False)[1] for value in world.values[name]]
    return urls


def _without_echoes(body: str) -> str:
    return ECHOES.sub("", body)


def test_no_portal_route_download_or_public_api_shows_anything_unpublished(app, client, world):
    urls = _urls(app, world)
    assert any(url.startswith("/public/open-data/results.csv") for url in urls)
    assert any(url.startswith("/api/v1/public/results") for url in urls)
    shown = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), f"{url}: {response.status_code}"
        body = _without_echoes(response.get_data(as_text=True))
        leaked = [text for text in world.hidden if text in body]
        assert leaked == [], f"{url} shows {leaked}"
        shown += world.published_code in body
    assert shown, "the published result itself is shown"


def test_unpublished_targets_and_draws_not_executed_have_no_page(client, world):
    for code in world.values["code"][1:]:
        assert client.get(f"/public/targets/{code}").status_code == 404
    assert client.get(f"/public/targets/{world.published_code}").status_code == 200
    answers = {client.get(f"/public/draws/{draw_id}").status_code for draw_id in world.values["draw_id"]}
    assert answers == {200, 404}

