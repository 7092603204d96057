"""The directory's pages: search and bulk tagging, detail with history, forms, supervising by code."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from spotcheck.registry.targets.models import Target, TargetTag
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.scope import Scope, scoped


@pytest.fixture
def department(factories):
    return factories.department("SCJG")


@pytest.fixture
def staff(login_as, department):
    return login_as("staff", "SCJG")


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_list_masks_legal_representatives(staff, db_session, department):
    make_target(db_session, department, name="城东区福瑞餐饮店", legal_representative="张三明")
    page = text(staff.get("/targets/"))
    assert "城东区福瑞餐饮店" in page
    assert "张*明" in page and "张三明" not in page


def test_the_list_filters_by_the_search_box(staff, db_session, department):
    make_target(db_session, department, name="城东区福瑞餐饮店")
    other = make_target(db_session, department, name="西宁宏达商贸有限公司")
    assert "西宁宏达" not in text(staff.get("/targets/?q=城东区"))
    assert "西宁宏达" in text(staff.get(f"/targets/?q={other.code}"))


def test_the_list_offers_the_template_and_exports_of_what_it_shows(staff, db_session, department):
    make_target(db_session, department, name="城东区福瑞餐饮店")
    make_target(db_session, department, name="西宁宏达商贸有限公司")
    page = text(staff.get("/targets/?q=城东区&page=2"))
    assert "/registry/template?directory=targets" in page
    link = re.search(r'href="(/registry/export\?directory=targets&amp;format=csv[^"]*)"', page).group(1)
    assert "q=" in link and "page=" not in link  # the filters travel, the page does not
    exported = staff.get(html.unescape(link)).get_data(as_text=True)
    assert "城东区福瑞餐饮店" in exported and "西宁宏达" not in exported


def test_the_detail_page_shows_the_record_the_view_and_the_history(staff, db_session, department):
    target = make_target(db_session, department, legal_representative="张三明", risk_level="高",
                         tags="重点监管")
    page = text(staff.get(f"/targets/{target.id}"))
    assert target.code in page and "张三明" in page  # the supervising department reads it whole
    assert "重点监管" in page
    assert "张*明" in page  # the history keeps it masked
    assert page.count("<tr>") >= 4  # create, supervise and tag entries


def test_creating_a_target_from_the_form(staff, db_session):
    code = credit_code(31)
    response = staff.post("/targets/new", data={
        "kind": "individual_business", "code": code, "name": "城东区新开小吃店", "status": "active",
        "legal_representative": "李四", "tags": "食品经营；新开"})
    assert response.status_code == 302
    with scoped(db_session, Scope.system()):
        target = db_session.scalars(select(Target).where(Target.code == code)).one()
        assert sorted(db_session.scalars(select(TargetTag.tag).where(
            TargetTag.target_id == target.id))) == ["新开", "食品经营"]


def test_a_wrong_check_digit_is_shown_on_the_form_and_nothing_is_saved(staff, db_session):
    code = credit_code(32)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = staff.post("/targets/new", data={"kind": "company", "code": wrong,
                                                "name": "某公司", "status": "active"})
    assert response.status_code == 200
    assert "校验位不正确" in text(response)
    with scoped(db_session, Scope.system()):
        assert db_session.scalars(select(Target).where(Target.code == wrong)).first() is None


def test_a_duplicate_code_points_to_supervising_it(staff, db_session, factories):
    theirs = make_target(db_session, factories.department("BBB"))
    response = staff.post("/targets/new", data={"kind": "company", "code": theirs.code,
                                                "name": "同码公司", "status": "active"})
    assert response.status_code == 200
    assert "已在名录库中" in text(response)


def test_editing_saves_and_a_stale_version_shows_the_conflict(staff, db_session, department):
    target = make_target(db_session, department, address="旧地址")
    form = {"kind": "company", "name": target.name, "status": "active", "address": "新地址",
            "version": "1"}
    assert staff.post(f"/targets/{target.id}/edit", data=form).status_code == 302
    stale = staff.post(f"/targets/{target.id}/edit", data={**form, "address": "更新的地址"})
    assert stale.status_code == 200
    page = text(stale)
    assert 'class="notice notice-bad"' in page and "新地址" in page
    with scoped(db_session, Scope.system()):
        db_session.expire_all()
        assert db_session.get(Target, target.id).address == "新地址"


def test_bulk_tagging_the_selected_targets(staff, db_session, department):
    chosen = [make_target(db_session, department) for _ in range(2)]
    left = make_target(db_session, department)
    response = staff.post("/targets/bulk-tag", data={"new_tag": "专项整治", "scope": "selected",
                                                     "ids": [str(t.id) for t in chosen]})
    assert response.status_code == 302
    with scoped(db_session, Scope.system()):
        tagged = set(db_session.scalars(select(TargetTag.target_id).where(TargetTag.tag == "专项整治")))
    assert tagged == {t.id for t in chosen} and left.id not in tagged


def test_bulk_tagging_every_filtered_target(staff, db_session, department):
    matching = [make_target(db_session, department, name=f"城东区福瑞{n}号店") for n in range(3)]
    make_target(db_session, department, name="西宁其他公司")
    staff.post("/targets/bulk-tag", data={"new_tag": "片区排查", "scope": "all", "q": "城东区福瑞"})
    with scoped(db_session, Scope.system()):
        tagged = set(db_session.scalars(select(TargetTag.target_id).where(TargetTag.tag == "片区排查")))
    assert tagged == {t.id for t in matching}


def test_supervising_a_target_found_by_its_code(staff, db_session, factories):
    theirs = make_target(db_session, factories.department("BBB"), name="乙部门的对象")
    assert staff.get(f"/targets/{theirs.id}").status_code == 404
    found = staff.post("/targets/supervise", data={"code": theirs.code})
    assert "乙部门的对象" in text(found)
    confirmed = staff.post("/targets/supervise", data={"code": theirs.code, "confirm": theirs.code,
                                                       "risk_level": "low"})
    assert confirmed.status_code == 302
    assert staff.get(f"/targets/{theirs.id}").status_code == 200


def test_ending_supervision_hides_the_target(staff, db_session, department):
    target = make_target(db_session, department)
    assert staff.post(f"/targets/{target.id}/end-supervision").status_code == 302
    assert staff.get(f"/targets/{target.id}").status_code == 404


def test_the_office_reads_every_target_and_changes_none(login_as, db_session, factories):
    target = make_target(db_session, factories.department("BBB"), name="乙部门的对象")
    office = login_as("office", "OFFICE")
    assert "乙部门的对象" in text(office.get("/targets/"))
    assert office.get(f"/targets/{target.id}").status_code == 200
    assert office.get("/targets/new").status_code == 403
    assert office.get(f"/targets/{target.id}/edit").status_code == 404


def test_inspectors_do_not_open_the_directory(login_as):
    assert login_as("inspector", "SCJG").get("/targets/").status_code == 403


def test_the_areas_page_lists_codes(staff, db_session):
    from spotcheck.demo.targets import demo_area_document
    from spotcheck.registry.areas import load_areas

    load_areas(db_session, demo_area_document())
    db_session.commit()
    page = text(staff.get("/areas/"))
    assert "630102001001" in page and "东关大街街道/北关社区" in page
