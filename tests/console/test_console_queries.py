"""No N+1 on the console: the statements a page runs do not grow with departments or tasks."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from spotcheck.db import get_database
from spotcheck.inspection.testing import make_tasks


@contextmanager
def counted(app):
    statements = []

    def count(*_args):
        statements.append(1)

    engine = get_database(app).engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _count(app, browser, path):
    with counted(app) as statements:
        assert browser.get(path).status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/console/?year=2026", "/console/assessment?year=2026",
                                  "/console/coverage?year=2026", "/console/report.xlsx?year=2026"])
def test_statements_are_constant_in_departments_and_tasks(path, app, world, factories, db_session, login_as):
    office = login_as("office", "OFFICE")
    before = _count(app, office, path)
    more = [factories.department(code) for code in ("EEE", "FFF", "GGG")]
    make_tasks(db_session, more[0], more[1:], targets=5, first=200, year=2026)
    assert _count(app, office, path) == before
