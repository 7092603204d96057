"""The workbench home: who you are, where you work, what your role lets you do."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spotcheck.tenancy.models import UserSession

ROLES = {
    # role: (department, its label in Chinese, a duty it shows, links it must and must not have)
    "sysadmin": ("OFFICE", "系统管理员", "创建用户账号", {"/admin/users/", "/admin/plugins/"},
                 {"/admin/audit/"}),
    "secadmin": ("OFFICE", "安全管理员", "分配角色", {"/admin/users/"},
                 {"/admin/plugins/", "/admin/audit/"}),
    "auditadmin": ("OFFICE", "审计管理员", "审计日志", {"/admin/audit/"},
                   {"/admin/users/", "/admin/plugins/"}),
    "office": ("OFFICE", "联席办", "年度抽查计划", set(),
               {"/admin/users/", "/admin/plugins/", "/admin/audit/"}),
    "head": ("SCJG", "部门负责人", "审批", set(), {"/admin/users/", "/admin/plugins/", "/admin/audit/"}),
    "staff": ("SCJG", "部门工作人员", "检查对象名录库", set(),
              {"/admin/users/", "/admin/plugins/", "/admin/audit/"}),
    "inspector": ("SCJG", "执法检查人员", "检查任务", set(),
                  {"/admin/users/", "/admin/plugins/", "/admin/audit/"}),
}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_sees_its_department_role_and_duties_in_chinese(browser, role):
    department, label, duty, linked, not_linked = ROLES[role]
    client, user = browser(role, department)
    page = client.get("/").get_data(as_text=True)

    assert '<html lang="zh-CN">' in page
    assert user.display_name in page
    assert user.department.name_zh in page
    assert label in page
    assert duty in page
    for href in linked:
        assert f'href="{href}"' in page
    for href in not_linked:
        assert f'href="{href}"' not in page


def test_only_the_office_has_the_department_switcher_and_the_member_units(browser, factories):
    factories.department("AAA", "甲局")
    office, _user = browser("office", "OFFICE")
    staff, _user = browser("staff", "SCJG")

    office_page = office.get("/").get_data(as_text=True)
    staff_page = staff.get("/").get_data(as_text=True)

    assert 'action="/acting-department"' in office_page
    assert "成员单位" in office_page and "甲局" in office_page
    assert 'action="/acting-department"' not in staff_page
    assert "甲局" not in staff_page


def test_the_header_offers_sign_out_and_the_other_language(browser):
    client, _user = browser("staff")
    page = client.get("/").get_data(as_text=True)
    assert 'action="/sign-out"' in page
    assert 'name="locale" value="en"' in page


def test_the_previous_sign_in_is_shown_so_a_strangers_would_be_noticed(browser, factories, db_session):
    client, user = browser("staff")
    assert "这是您首次登录" in client.get("/").get_data(as_text=True)

    earlier = db_session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    earlier.ip = "10.20.30.40"
    db_session.commit()
    again = factories.signed_in_client(user)
    page = again.get("/").get_data(as_text=True)
    assert "上次登录" in page and "10.20.30.40" in page
