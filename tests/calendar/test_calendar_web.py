"""The office's calendar editor: the years and their state, a year's month grids, changing a day,
marking a year complete; the warning for missing years; nobody but the office may use it."""

from __future__ import annotations

import re
from datetime import date
from importlib.metadata import version

import pytest
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.calendar import editing, service
from spotcheck.calendar.models import CalendarDay, DayKind
from spotcheck.calendar.seed import package_years
from spotcheck.calendar.testing import make_year, seed_calendar
from spotcheck.registry.inspectors.service import today


@pytest.fixture
def office(login_as):
    return login_as("office", "OFFICE")


def test_the_office_sees_each_year_and_its_state(office, db_session):
    seed_calendar(db_session, 2026)
    make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")}, complete=False)
    page = office.get("/calendar/").get_data(as_text=True)
    assert re.search(r'href="/calendar/2026">2026</a></td>\s*<td><span class="badge badge-ok">', page)
    assert re.search(r'href="/calendar/2027">2027</a></td>\s*<td><span class="badge badge-warn">', page)
    assert f"chinesecalendar {version('chinesecalendar')}" in page


def test_the_index_warns_until_every_year_deadlines_will_need_is_complete(app, office, db_session):
    with app.app_context():
        needed = service.years_needed(today())
    page = office.get("/calendar/").get_data(as_text=True)
    assert 'class="notice notice-warn"' in page
    assert all(str(year) in page.split("notice-warn", 1)[1].split("</div>", 1)[0] for year in needed)
    for year in needed:
        if year in package_years():
            seed_calendar(db_session, year)
        else:
            make_year(db_session, year, {date(year, 1, 1): (DayKind.HOLIDAY, "元旦")})
    assert "notice-warn" not in office.get("/calendar/").get_data(as_text=True)


def test_a_year_shows_as_twelve_months_with_its_holidays_and_make_up_workdays(office, db_session):
    seed_calendar(db_session, 2025)
    page = office.get("/calendar/2025").get_data(as_text=True)
    assert page.count('class="data calendar-month"') == 12
    assert "一月" in page and "十二月" in page
    assert re.search(r'class="calendar-holiday" title="春节">\s*<a href="/calendar/2025\?day=2025-01-28', page)
    assert re.search(r'class="calendar-workday" title="春节">\s*<a href="/calendar/2025\?day=2025-01-26', page)
    assert re.search(r'class="calendar-workday" title="国庆节">\s*<a href="/calendar/2025\?day=2025-10-11', page)


def test_choosing_a_day_fills_in_the_form(office, db_session):
    seed_calendar(db_session, 2025)
    page = office.get("/calendar/2025?day=2025-05-06").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="day"[^>]*value="2025-05-06"', page)


def test_the_office_adds_a_holiday_and_a_make_up_workday_then_completes_the_year(office, db_session):
    assert office.post("/calendar/years", data={"year": "2027"}).headers["Location"] == "/calendar/2027"
    for day, kind, name in (("2027-01-01", "holiday", "元旦"), ("2027-02-06", "holiday", "春节"),
                            ("2027-02-07", "workday", "春节")):
        response = office.post("/calendar/2027/days", data={"day": day, "kind": kind, "name": name})
        assert response.status_code == 302, response.get_data(as_text=True)
    assert office.post("/calendar/2027/days/remove", data={"day": "2027-02-06"}).status_code == 302
    assert office.post("/calendar/2027/complete").status_code == 302
    db_session.expire_all()
    calendar_year = editing.year_of(db_session, 2027)
    assert calendar_year.complete and calendar_year.source == "office"
    assert calendar_year.completed_by == calendar_year.updated_by != "test"
    assert {(d.day, d.kind) for d in db_session.scalars(select(CalendarDay))} == {
        (date(2027, 1, 1), "holiday"), (date(2027, 2, 7), "workday")}
    recorded = set(db_session.scalars(select(AuditRecord.action).where(
        AuditRecord.username == calendar_year.updated_by)))
    assert {"create", "update", "delete", "calendar_year_start", "calendar_day_set",
            "calendar_day_remove", "calendar_year_complete"} <= recorded
    # Sunday 7 February 2027 is now worked: Friday 5 February + 1 working day.
    assert service.add_working_days(db_session, date(2027, 2, 5), 1) == date(2027, 2, 7)


def test_a_refused_change_is_shown_on_the_form_in_chinese(office, db_session):
    make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")})
    response = office.post("/calendar/2027/days", data={"day": "2027-09-29", "kind": "workday",
                                                        "name": "国庆节"})
    assert response.status_code == 200
    assert "本来就是工作日" in response.get_data(as_text=True)
    assert db_session.scalars(select(CalendarDay).where(CalendarDay.day == date(2027, 9, 29))).first() is None
    again = office.post("/calendar/years", data={"year": "2027"})
    assert "2027年的工作日历已存在" in again.get_data(as_text=True)


def test_a_year_not_started_answers_404(office):
    assert office.get("/calendar/2031").status_code == 404
    assert office.post("/calendar/2031/days", data={"day": "2031-01-01", "kind": "holiday",
                                                     "name": "元旦"}).status_code == 404


@pytest.mark.parametrize(("role", "department"), [
    ("head", "SCJG"), ("staff", "SCJG"), ("inspector", "SCJG"), ("sysadmin", "OFFICE"),
    ("secadmin", "OFFICE"), ("auditadmin", "OFFICE")])
def test_only_the_office_may_see_or_change_the_calendar(role, department, login_as, factories, db_session):
    make_year(db_session, 2027, {date(2027, 1, 1): (DayKind.HOLIDAY, "元旦")}, complete=False)
    browser = login_as(role, department)
    for method, url, data in (("GET", "/calendar/", None), ("GET", "/calendar/2027", None),
                              ("POST", "/calendar/years", {"year": "2028"}),
                              ("POST", "/calendar/2027/days", {"day": "2027-01-02", "kind": "holiday",
                                                               "name": "元旦"}),
                              ("POST", "/calendar/2027/days/remove", {"day": "2027-01-01"}),
                              ("POST", "/calendar/2027/complete", {})):
        assert browser.open(url, method=method, data=data).status_code == 403, f"{method} {url}"
    db_session.expire_all()
    assert not editing.year_of(db_session, 2027).complete
    assert [d.day for d in db_session.scalars(select(CalendarDay))] == [date(2027, 1, 1)]


def test_the_navigation_offers_the_calendar_to_the_office_only(office, login_as):
    assert 'href="/calendar/"' in office.get("/").get_data(as_text=True)
    assert 'href="/calendar/"' not in login_as("head", "SCJG").get("/").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/calendar/", "/calendar/2025"])
def test_the_pages_are_labelled_and_have_nothing_inline(office, db_session, url):
    seed_calendar(db_session, 2025)
    page = office.get(url).get_data(as_text=True)
    assert page.count("<h1") == 1
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
        assert f'for="{field_id}"' in page, f"no label for #{field_id}"
    assert "<style" not in page and not re.search(r"\sstyle=", page)
    assert '="None"' not in page


def test_the_office_is_warned_on_its_home_page_while_a_year_is_missing(login_as, db_session):
    # No calendar at all: this year is always needed.
    office = login_as("office", "OFFICE")
    page = office.get("/").get_data(as_text=True)
    assert "尚无完整的工作日历" in page
    staff = login_as("staff")
    assert "尚无完整的工作日历" not in staff.get("/").get_data(as_text=True)
