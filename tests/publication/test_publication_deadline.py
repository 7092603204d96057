"""The disclosure deadline (art. 16(3)): results are published within 20 working days of being
entered, counted on the working-day calendar across holidays and make-up workdays; the sweep
publishes what is due and flags what it cannot; late publication counts against the department."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, update

from spotcheck.calendar.models import CalendarDay, CalendarYear
from spotcheck.calendar.service import load_calendar
from spotcheck.inspection.models import Task, TaskState
from spotcheck.publication.models import Publication
from spotcheck.publication.service import PublicationRefused, deadline, publish
from spotcheck.publication.sweep import SWEEPER, publication_sweep
from spotcheck.publication.testing import TIMEZONE, make_publication, make_reviewed_tasks, review


@pytest.mark.parametrize(("entered", "due"), [
    # Spring Festival 2025: make-up Sunday 26 January, holiday 28 January – 4 February, make-up
    # Saturday 8 February.
    (date(2025, 1, 24), date(2025, 2, 27)),
    # National Day 2025: make-up Sunday 28 September, holiday 1–8 October, make-up Saturday 11 October.
    (date(2025, 9, 26), date(2025, 10, 30)),
    # An ordinary month: four weeks.
    (date(2025, 3, 3), date(2025, 3, 31)),
])
def test_results_are_due_20_working_days_after_they_were_entered(db_session, reviewed, entered, due):
    review(db_session, reviewed, ended=entered, entered=entered)
    assert deadline(load_calendar(db_session), reviewed, TIMEZONE, entered).due_on == due


def test_the_day_of_entry_is_the_day_in_beijing(db_session, reviewed):
    reviewed.recorded_at = datetime(2025, 1, 23, 17, 0, tzinfo=timezone.utc)  # 01:00 on the 24th in Beijing
    db_session.commit()
    found = deadline(load_calendar(db_session), reviewed, TIMEZONE, date(2025, 1, 24))
    assert (found.entered_on, found.due_on) == (date(2025, 1, 24), date(2025, 2, 27))


def test_a_late_publication_counts_the_working_days_past_the_deadline(db_session, reviewed):
    review(db_session, reviewed, ended=date(2025, 1, 24))
    on_time = deadline(load_calendar(db_session), reviewed, TIMEZONE, date(2025, 2, 27))
    assert not on_time.late
    publication = make_publication(db_session, reviewed, date(2025, 3, 4))  # Fri 28, Mon 3, Tue 4
    assert (publication.due_on, publication.late, publication.working_days_late) == (date(2025, 2, 27), True, 3)
    assert publication.department_id == reviewed.department_id, "counted against the initiating department"


def test_the_sweep_publishes_on_the_deadline_and_not_before(app, db_session, departments):
    aaa, bbb = departments
    task = make_reviewed_tasks(db_session, aaa, [bbb], ended=date(2025, 3, 3))[0]
    with app.app_context():
        assert publication_sweep(db_session, date(2025, 3, 28)) == []
        assert task.state == TaskState.REVIEWED.value
        lines = publication_sweep(db_session, date(2025, 3, 31))
    db_session.commit()
    publication = db_session.scalars(select(Publication)).one()
    assert lines == [f"task {task.id}: published as {publication.id} (due on 2025-03-31)"]
    assert (publication.published_by, publication.late) == (SWEEPER, False)
    with app.app_context():
        assert publication_sweep(db_session, date(2025, 4, 1)) == [], "nothing is published twice"


def test_a_sweep_that_did_not_run_publishes_late(app, db_session, departments):
    task = make_reviewed_tasks(db_session, departments[0], ended=date(2025, 3, 3))[0]
    with app.app_context():
        lines = publication_sweep(db_session, date(2025, 4, 2))
    publication = db_session.scalars(select(Publication)).one()
    assert lines == [f"task {task.id}: published as {publication.id} (due on 2025-03-31, 2 working day(s) late)"]


def test_the_sweep_flags_results_not_reviewed_by_their_deadline(app, db_session, departments):
    task = make_reviewed_tasks(db_session, departments[0], state=TaskState.RECORDED)[0]
    with app.app_context():
        assert publication_sweep(db_session, date(2025, 3, 30)) == []
        lines = publication_sweep(db_session, date(2025, 3, 31))
    assert lines == [f"warning: task {task.id}: results not reviewed, publication was due on 2025-03-31"]
    assert db_session.scalars(select(Publication)).all() == []


def test_without_a_calendar_nothing_is_published_and_the_year_is_named(app, db_session, departments):
    task = make_reviewed_tasks(db_session, departments[0], ended=date(2026, 12, 21))[0]
    # 20 working days after 21 December 2026 fall in 2027, whose calendar nobody entered.
    assert db_session.scalars(select(CalendarYear).where(CalendarYear.year == 2027)).one_or_none() is None
    with pytest.raises(PublicationRefused) as refused:
        publish(db_session, task, "head", today=date(2026, 12, 22), timezone=TIMEZONE)
    assert refused.value.code == "calendar" and "2027" in refused.value.message_zh
    with app.app_context():
        lines = publication_sweep(db_session, date(2027, 1, 20))
    assert lines == [f"warning: task {task.id} cannot be published: {refused.value.message_en}"]
    assert task.state == TaskState.REVIEWED.value
    assert db_session.scalars(select(CalendarDay).where(CalendarDay.year == 2027)).all() == []


def test_a_task_changed_meanwhile_does_not_stop_the_sweep(app, db_session, departments):
    first, second = make_reviewed_tasks(db_session, departments[0], count=2, ended=date(2025, 3, 3))
    # Someone else wrote the first task after this unit of work read it.
    db_session.execute(update(Task.__table__).where(Task.__table__.c.id == first.id)
                       .values(version=Task.__table__.c.version + 1))
    with app.app_context():
        lines = publication_sweep(db_session, date(2025, 3, 31))
    db_session.commit()
    (publication,) = db_session.scalars(select(Publication)).all()
    assert lines == [f"task {first.id}: published by someone else meanwhile",
                     f"task {second.id}: published as {publication.id} (due on 2025-03-31)"]
