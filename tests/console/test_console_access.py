"""Tenancy of the console: the office sees every member unit, a department itself only."""

import re

import pytest


def _units(page):
    """The member units of the figures table."""
    return set(re.findall(r'<th scope="row"[^>]*>(?:<a [^>]*>)?([^<]+)', page)) - {"全部成员单位"}


def test_the_office_sees_every_member_unit_and_may_choose_one(world, login_as):
    office = login_as("office", "OFFICE")
    every = _units(office.get("/console/?year=2026").get_data(as_text=True))
    assert {"AAA局", "BBB局", "CCC局", "DDD局"} <= every
    assert _units(office.get("/console/?year=2026&department=CCC").get_data(as_text=True)) == {"CCC局"}


@pytest.mark.parametrize("role", ["staff", "head"])
def test_a_department_sees_itself_only(role, world, login_as):
    page = login_as(role, "BBB").get("/console/?year=2026").get_data(as_text=True)
    assert _units(page) == {"BBB局"}
    assert _units(login_as(role, "BBB").get("/console/assessment?year=2026").get_data(as_text=True)) <= {"BBB局"}


@pytest.mark.parametrize("path", ["/console/", "/console/assessment", "/console/coverage",
                                  "/console/report.xlsx", "/console/report.pdf"])
def test_another_departments_figures_answer_404_like_a_missing_one(path, world, login_as):
    browser = login_as("staff", "BBB")
    assert browser.get(f"{path}?year=2026&department=AAA").status_code == 404
    assert browser.get(f"{path}?year=2026&department=NOPE").status_code == 404
    assert browser.get(f"{path}?year=2026&department=BBB").status_code == 200


@pytest.mark.parametrize("role", ["inspector", "sysadmin", "auditadmin"])
def test_roles_without_business_work_are_refused(role, login_as):
    browser = login_as(role, "OFFICE" if role.endswith("admin") else "AAA")
    assert browser.get("/console/").status_code == 403


def test_a_report_download_is_audited(world, login_as, db_session):
    from sqlalchemy import select

    from spotcheck.audit.models import AuditRecord

    assert login_as("office", "OFFICE").get("/console/report.xlsx?year=2026&period=q1").status_code == 200
    record = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "export",
                                                          AuditRecord.object_type == "progress_report")).one()
    assert "2026-Q1" in record.summary


def test_a_department_naming_itself_keeps_the_year_it_asked_for(world, login_as):
    page = login_as("staff", "BBB").get("/console/?year=2025&department=BBB").get_data(as_text=True)
    assert "2025年" in page
