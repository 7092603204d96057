"""The draw through the pages: prepared from the batch page, drawn at the ceremony, proved by a
download anyone can verify; teams in the work queues; replacements asked for and decided; who may
do what; another department's draw answers 404; every action audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.draw import verify_draw
from spotcheck.draw.models import Draw, DrawState, DrawTally, Replacement, Team, TeamMember
from spotcheck.draw.testing import make_draw, make_joint_plan, make_setup
from spotcheck.planning.workplan_testing import make_batch, make_work_plan
from spotcheck.planning.workplans import approve
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped

ALL_B = [{"key": "credit=B", "selector": {"credit_classes": ["B"]}, "ratio_bp": 10000, "min": 0}]


def _setup(factories, db_session, targets=3, inspectors=3):
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    factories.department("CCC")
    return make_setup(db_session, aaa, [bbb], targets=targets, inspectors=inspectors)


def _draw(db_session, batch_id):
    db_session.expire_all()
    return db_session.scalars(select(Draw).where(Draw.batch_id == batch_id).order_by(Draw.id.desc())).first()


def _actions(db_session, action):
    return db_session.scalars(select(AuditRecord).where(AuditRecord.action == action)).all()


def _text(response):
    return response.get_data(as_text=True)


def test_the_batch_page_offers_the_preparation_to_the_initiator_only(factories, db_session, login_as):
    setup = _setup(factories, db_session)
    page = login_as("staff", "AAA").get(f"/batches/{setup.batch.id}/dry-run")
    assert page.status_code == 200
    assert "准备抽取" in _text(page) and 'name="per_target"' in _text(page)
    participant = login_as("staff", "BBB").get(f"/batches/{setup.batch.id}/dry-run")
    assert participant.status_code == 200 and 'name="per_target"' not in _text(participant)
    assert login_as("staff", "BBB").post(f"/batches/{setup.batch.id}/draws",
                                         data={"per_target": "2"}).status_code == 403
    assert _draw(db_session, setup.batch.id) is None


def test_preparing_commits_to_a_secret_it_never_shows_before_the_draw(factories, db_session, login_as):
    setup = _setup(factories, db_session)
    staff = login_as("staff", "AAA")
    prepared = staff.post(f"/batches/{setup.batch.id}/draws", data={"per_target": "2", "max_load": ""})
    assert prepared.status_code == 302
    draw = _draw(db_session, setup.batch.id)
    assert draw.state == DrawState.PREPARED.value and draw.per_target == 2 and draw.max_load is None
    for client in (staff, login_as("staff", "AAA", locale="en"), login_as("staff", "BBB")):
        page = _text(client.get(f"/draws/{draw.id}"))
        assert draw.commitment in page and draw.candidates_digest in page
        assert draw.server_secret not in page
    english = _text(login_as("head", "AAA", locale="en").get(f"/draws/{draw.id}/ceremony"))
    assert "Candidates and quotas" in english and draw.server_secret not in english
    batch_page = _text(staff.get(f"/batches/{setup.batch.id}/dry-run"))
    assert f"/draws/{draw.id}" in batch_page and 'name="per_target"' not in batch_page
    work_plan = _text(staff.get(f"/plans/{setup.plan.id}/work-plan"))
    assert f"/draws/{draw.id}" in work_plan
    assert [r.object_id for r in _actions(db_session, "draw_prepare")] == [str(draw.id)]


def test_only_the_office_and_the_initiating_head_draw_or_void(factories, db_session, login_as):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch, entropy=None)
    for role, department in (("staff", "AAA"), ("head", "BBB"), ("staff", "BBB")):
        client = login_as(role, department)
        assert client.get(f"/draws/{draw.id}/ceremony").status_code == 403
        assert client.post(f"/draws/{draw.id}/ceremony", data={"entropy": "1"}).status_code == 403
        assert client.post(f"/draws/{draw.id}/void", data={"reason": "错了"}).status_code == 403
    assert login_as("inspector", "AAA").get(f"/draws/{draw.id}").status_code == 403
    assert login_as("office", "OFFICE").get(f"/draws/{draw.id}/ceremony").status_code == 200
    assert login_as("head", "AAA").get(f"/draws/{draw.id}/ceremony").status_code == 200
    assert _draw(db_session, setup.batch.id).state == DrawState.PREPARED.value


def test_the_ceremony_draws_in_public_and_the_downloaded_proof_verifies(factories, db_session, login_as, client):
    setup = _setup(factories, db_session, targets=3)
    login_as("staff", "AAA").post(f"/batches/{setup.batch.id}/draws", data={"per_target": "2"})
    draw = _draw(db_session, setup.batch.id)
    office = login_as("office", "OFFICE")

    before = _text(office.get(f"/draws/{draw.id}/ceremony"))
    assert draw.commitment in before and draw.candidates_digest in before
    assert "公开随机数" in before and "credit=B" in before and draw.server_secret not in before
    assert 'class="masthead"' not in before, "the ceremony has its own layout, without the app's chrome"

    drawn = office.post(f"/draws/{draw.id}/ceremony", data={"entropy": "骰子 3-1-4-1-5"})
    assert drawn.status_code == 302
    draw = _draw(db_session, setup.batch.id)
    assert draw.state == DrawState.EXECUTED.value and draw.public_entropy == "骰子 3-1-4-1-5"
    after = _text(office.get(f"/draws/{draw.id}/ceremony"))
    assert draw.seed in after
    for target in setup.targets:
        assert target.code in after and target.name in after
    assert "联合抽查组" in after

    downloaded = office.get(f"/draws/{draw.id}/proof.json")
    assert downloaded.status_code == 200 and downloaded.mimetype == "application/json"
    assert f"filename=draw-{draw.id}-proof.json" in downloaded.headers["Content-Disposition"]
    proof = json.loads(downloaded.get_data())
    assert verify_draw.verify(proof).selected == 3
    assert proof["public_entropy"] == "骰子 3-1-4-1-5"
    public = client.get(f"/public/draws/{draw.id}/proof.json")
    assert public.status_code == 200 and public.get_data() == downloaded.get_data()
    verifier = client.get("/public/verify_draw.py")
    assert verifier.mimetype == "text/x-python"
    assert "filename=verify_draw.py" in verifier.headers["Content-Disposition"]
    assert b"def verify(" in verifier.get_data()

    page = _text(login_as("staff", "BBB", locale="en").get(f"/draws/{draw.id}"))
    assert draw.seed in page and draw.server_secret in page and "Download the proof" in page
    assert [r.object_id for r in _actions(db_session, "draw_execute")] == [str(draw.id)]


def test_a_public_proof_exists_only_once_the_draw_is_made(factories, db_session, client, login_as):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch, entropy=None)
    assert client.get(f"/public/draws/{draw.id}/proof.json").status_code == 404
    assert login_as("staff", "AAA").get(f"/draws/{draw.id}/proof.json").status_code == 404


def test_an_entropy_with_a_line_feed_is_refused_and_nothing_is_drawn(factories, db_session, login_as):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch, entropy=None)
    page = login_as("head", "AAA").post(f"/draws/{draw.id}/ceremony", data={"entropy": "1\n2"})
    assert page.status_code == 200 and "公开随机数不能包含换行符" in _text(page)
    assert _draw(db_session, setup.batch.id).state == DrawState.PREPARED.value


def _two_batches(factories, db_session):
    """An approved work plan whose two batches draw from the same three companies."""
    aaa, bbb = factories.department("AAA"), factories.department("BBB")
    plan = make_joint_plan(db_session, aaa, [bbb])
    for n in range(3):
        make_target(db_session, aaa, code=credit_code(500 + n), credit_class="B")
    for department in (aaa, bbb):
        for n in range(3):
            make_inspector(db_session, department, code=f"{department.code}-9{n:03d}",
                           authorities=(f"{department.code.lower()}_auth",))
    work_plan = make_work_plan(db_session, aaa, plan)
    first = make_batch(db_session, work_plan, strata=ALL_B)
    second = make_batch(db_session, work_plan, name="第二批次", strata=ALL_B)
    with scoped(db_session, Scope.department(aaa.id)):
        approve(db_session, work_plan, User(id=None, username="head"))
    db_session.commit()
    return first, second


def test_a_stale_preparation_is_voided_and_must_be_prepared_again(factories, db_session, login_as):
    first, second = _two_batches(factories, db_session)
    stale = make_draw(db_session, first, entropy=None)
    make_draw(db_session, second, entropy="other batch first")

    head = login_as("head", "AAA")
    refused = head.post(f"/draws/{stale.id}/ceremony", data={"entropy": "42"}, follow_redirects=True)
    text = _text(refused)
    assert "本次准备已作废，请重新准备" in text
    db_session.expire_all()
    assert stale.state == DrawState.VOIDED.value and stale.void_reason
    assert [r.object_id for r in _actions(db_session, "draw_void")] == [str(stale.id)]
    batch_page = _text(head.get(f"/batches/{first.id}/dry-run"))
    assert 'name="per_target"' in batch_page and stale.void_reason.split("\n")[0] in batch_page


def test_an_unstaffable_batch_is_refused_naming_target_and_department_and_nothing_is_saved(
        factories, db_session, login_as):
    setup = _setup(factories, db_session, targets=2, inspectors=1)
    draw = make_draw(db_session, setup.batch, entropy=None)
    page = login_as("office", "OFFICE").post(f"/draws/{draw.id}/ceremony", data={"entropy": "7"})
    text = _text(page)
    assert page.status_code == 200
    assert "无法为检查对象" in text and "AAA" in text and "未保存任何结果" in text
    assert any(t.code in text for t in setup.targets)
    db_session.expire_all()
    assert draw.state == DrawState.PREPARED.value and draw.seed is None
    assert db_session.scalars(select(Team)).all() == []
    assert db_session.scalars(select(DrawTally)).all() == []
    assert _actions(db_session, "draw_execute") == []


def test_a_preparation_is_voided_with_a_reason_by_the_initiating_head(factories, db_session, login_as):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch, entropy=None)
    head = login_as("head", "AAA")
    assert head.post(f"/draws/{draw.id}/void", data={"reason": ""}).status_code == 302
    assert _draw(db_session, setup.batch.id).state == DrawState.PREPARED.value
    assert head.post(f"/draws/{draw.id}/void", data={"reason": "分层设置有误"}).status_code == 302
    db_session.expire_all()
    assert draw.state == DrawState.VOIDED.value and draw.void_reason == "分层设置有误"
    assert "分层设置有误" in _text(head.get(f"/plans/{setup.plan.id}/work-plan"))
    assert [r.object_id for r in _actions(db_session, "draw_void")] == [str(draw.id)]


def _members(db_session, draw, department_code):
    return db_session.scalars(select(TeamMember).where(
        TeamMember.draw_id == draw.id, TeamMember.department_code == department_code,
        TeamMember.active.is_(True)).order_by(TeamMember.seq)).all()


def test_an_inspector_sees_only_the_teams_they_are_on(factories, db_session, login_as):
    setup = _setup(factories, db_session, targets=3, inspectors=4)
    draw = make_draw(db_session, setup.batch)
    account = factories.user("inspector", "BBB", must_change_password=False)
    member = _members(db_session, draw, "BBB")[0]
    member.inspector.user_id = account.id
    db_session.commit()
    mine = {m.team_id for m in db_session.scalars(select(TeamMember).where(
        TeamMember.inspector_id == member.inspector_id, TeamMember.active.is_(True)))}
    others = {t.id for t in db_session.scalars(select(Team))} - mine

    inspector = factories.signed_in_client(account)
    queue = _text(inspector.get("/teams/"))
    for team in db_session.scalars(select(Team)):
        assert (f"/teams/{team.id}\"" in queue) == (team.id in mine)
    assert all(inspector.get(f"/teams/{team_id}").status_code == 200 for team_id in mine)
    assert all(inspector.get(f"/teams/{team_id}").status_code == 404 for team_id in others)
    assert inspector.get(f"/draws/{draw.id}").status_code == 403


def test_a_department_outside_the_plan_sees_none_of_its_draw(factories, db_session, login_as):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch)
    team = db_session.scalars(select(Team)).first()
    outsider = login_as("head", "CCC")
    for url in (f"/draws/{draw.id}", f"/draws/{draw.id}/ceremony", f"/draws/{draw.id}/proof.json",
                f"/draws/{draw.id}/exclusions", f"/teams/{team.id}"):
        assert outsider.get(url).status_code == 404, url
    assert f"/teams/{team.id}" not in _text(outsider.get("/teams/"))
    assert f"/draws/{draw.id}" not in _text(outsider.get("/draws/"))
    participant = login_as("staff", "BBB")
    assert f"/teams/{team.id}\"" in _text(participant.get("/teams/"))
    assert f"/draws/{draw.id}\"" in _text(participant.get("/draws/"))


def test_a_replacement_asked_for_and_approved_grows_the_proof_which_still_verifies(
        factories, db_session, login_as):
    setup = _setup(factories, db_session, targets=2, inspectors=4)
    draw = make_draw(db_session, setup.batch)
    member = _members(db_session, draw, "BBB")[0]
    team_id = member.team_id

    staff = login_as("staff", "BBB")
    form = _text(staff.get(f"/teams/{team_id}"))
    assert "申请更换检查人员" in form and f'value="{member.id}"' in form
    assert f'value="{member.id}"' not in _text(login_as("staff", "AAA").get(f"/teams/{team_id}"))
    asked = staff.post(f"/teams/{team_id}/replacements",
                       data={"member": str(member.id), "ground": "post_change", "reason": "调岗至办公室"})
    assert asked.status_code == 302
    replacement = db_session.scalars(select(Replacement)).one()
    assert replacement.state == "requested"

    head = login_as("head", "BBB")
    listed = _text(head.get("/replacements/"))
    assert "调岗至办公室" in listed and f"/replacements/{replacement.id}/approve" in listed
    assert head.post(f"/replacements/{replacement.id}/approve", data={"note": ""}).status_code == 302
    db_session.expire_all()
    assert replacement.state == "approved" and replacement.incoming is not None
    outcome = _text(head.get(f"/teams/{team_id}"))
    assert replacement.incoming.inspector_code in outcome and f"/draws/{draw.id}/proof.json" in outcome

    proof = json.loads(head.get(f"/draws/{draw.id}/proof.json").get_data())
    assert len(proof["replacements"]) == 1 and proof["replacements"][0]["out"] == member.inspector_code
    assert verify_draw.verify(proof).replacements == 1
    assert {"replacement_request", "replacement_approve"} <= set(db_session.scalars(select(AuditRecord.action)))


def test_a_replacement_is_decided_by_the_head_of_the_inspectors_department_only(
        factories, db_session, login_as):
    setup = _setup(factories, db_session, targets=1, inspectors=4)
    draw = make_draw(db_session, setup.batch)
    member = _members(db_session, draw, "BBB")[0]
    # AAA may replace its own members of the team, never BBB's: the choice is not offered.
    login_as("staff", "AAA").post(f"/teams/{member.team_id}/replacements", data={
        "member": str(member.id), "ground": "post_change", "reason": "x"})
    assert db_session.scalars(select(Replacement)).all() == []
    login_as("staff", "BBB").post(f"/teams/{member.team_id}/replacements", data={
        "member": str(member.id), "ground": "work_conflict", "reason": "同期承担专项执法任务"})
    replacement = db_session.scalars(select(Replacement)).one()

    assert login_as("head", "AAA").post(f"/replacements/{replacement.id}/approve").status_code == 403
    assert login_as("staff", "BBB").post(f"/replacements/{replacement.id}/approve").status_code == 403
    assert login_as("head", "CCC").post(f"/replacements/{replacement.id}/approve").status_code == 404
    head = login_as("head", "BBB")
    refused = head.post(f"/replacements/{replacement.id}/reject", data={"note": ""}, follow_redirects=True)
    assert "驳回时请说明理由" in _text(refused)
    db_session.expire_all()
    assert replacement.state == "requested"
    assert head.post(f"/replacements/{replacement.id}/reject", data={"note": "任务可调整"}).status_code == 302
    db_session.expire_all()
    assert replacement.state == "rejected" and replacement.decision_note == "任务可调整"
    assert "replacement_reject" in set(db_session.scalars(select(AuditRecord.action)))


def test_the_draw_pages_speak_chinese_and_english(factories, db_session, login_as):
    setup = _setup(factories, db_session)
    draw = make_draw(db_session, setup.batch)
    team = db_session.scalars(select(Team)).first()
    for locale, words in (("zh", ("抽取", "检查组", "下载抽取证明")), ("en", ("Draws", "Teams", "Download the proof"))):
        office = login_as("office", "OFFICE", locale=locale)
        head = login_as("head", "AAA", locale=locale)
        pages = [office.get("/draws/"), office.get(f"/draws/{draw.id}"), office.get(f"/draws/{draw.id}/ceremony"),
                 office.get(f"/draws/{draw.id}/exclusions"), head.get("/teams/"), head.get(f"/teams/{team.id}"),
                 head.get("/replacements/")]
        assert [p.status_code for p in pages] == [200] * len(pages)
        text = "".join(_text(p) for p in pages)
        assert all(word in text for word in words), locale
