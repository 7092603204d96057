"""The database connection lost in the middle of an import, a draw and a publication sweep: nothing
half-written, and the same operation retried succeeds.

The loss is the driver's error, raised by an engine event just before a chosen statement reaches
the server (the first write of a later stage), as a server that goes away answers; a real
``pg_terminate_backend`` would also end the test's own transaction, which holds the test's data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from spotcheck.api.tokens import create_token
from spotcheck.calendar.testing import seed_calendar
from spotcheck.draw.models import Draw
from spotcheck.draw.testing import DRAWER, make_draw, make_setup
from spotcheck.draw import service as draws
from spotcheck.inspection.models import Task, Team
from spotcheck.publication.models import Publication
from spotcheck.publication.sweep import publication_sweep
from spotcheck.publication.testing import make_reviewed_tasks
from spotcheck.registry.areas import load_areas
from spotcheck.registry.importing.testing import csv_bytes, directory_digest, run_import
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.scope import Scope, scoped

AREAS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"


@contextmanager
def connection_lost_before(db_session, statement_start: str, nth: int = 1) -> Iterator[list[str]]:
    """The connection fails on the ``nth`` statement starting with ``statement_start``."""
    connection = db_session.connection()
    seen = []

    def fail(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith(statement_start.upper()):
            seen.append(statement)
            if len(seen) == nth:
                raise OperationalError(statement, parameters,
                                       ConnectionError("server closed the connection unexpectedly"))

    event.listen(connection, "before_cursor_execute", fail)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", fail)


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():
        yield


def _rows(n):
    return [[credit_code(n), f"断线测试{n}有限公司", "公司", "张三", "西宁市城东区八一路1号",
             "东关大街街道/北关社区", "5211", "存续", "低", "A", "食品；重点"] for n in range(700, 700 + n)]


def test_an_import_cut_off_mid_write_leaves_the_directory_as_it_was_and_a_retry_imports(
        db_session, factories):
    load_areas(db_session, json.loads(AREAS.read_text(encoding="utf-8")))
    db_session.commit()
    department = factories.department("AAA")
    data = csv_bytes(_rows(30))
    before = directory_digest(db_session)
    # Tags are replaced after the targets and supervisions are written (PostgreSQL COPYs the rows,
    # which no statement event sees, so the cut comes at the tags' DELETE on both databases).
    with connection_lost_before(db_session, "DELETE FROM target_tag") as seen:
        result = run_import(db_session, department, data)
    db_session.commit()
    assert seen, "the import reached its tags: targets were already written when the connection went"
    assert result.status == "failed"
    assert "server closed the connection" in result.report.problems[-1].message_en
    assert directory_digest(db_session) == before

    retried = run_import(db_session, department, data)
    db_session.commit()
    assert retried.status == "applied" and directory_digest(db_session) != before


def test_a_draw_cut_off_mid_dispatch_keeps_no_team_and_can_be_run_again(db_session, factories):
    seed_calendar(db_session, 2025, 2026)
    setup = make_setup(db_session, factories.department("AAA"), [factories.department("BBB")], targets=6)
    draw = make_draw(db_session, setup.batch, entropy=None)
    with pytest.raises(OperationalError):
        # The tasks are written by then: the draw reads them back to hand out their items.
        with connection_lost_before(db_session, "SELECT task.target_id, task.id"), \
                scoped(db_session, Scope.system()):
            draws.run(db_session, draw.id, "", DRAWER)
    db_session.rollback()
    with scoped(db_session, Scope.system()):
        assert db_session.get(Draw, draw.id).state == "prepared"
        assert db_session.scalar(select(func.count()).select_from(Team).where(Team.draw_id == draw.id)) == 0
        assert db_session.scalar(select(func.count()).select_from(Task).where(Task.draw_id == draw.id)) == 0
        draws.run(db_session, draw.id, "", DRAWER)
        assert db_session.get(Draw, draw.id).state == "executed"
        assert db_session.scalar(select(func.count()).select_from(Task).where(Task.draw_id == draw.id)) > 0


def test_a_sweep_cut_off_mid_way_publishes_nothing_half_and_the_next_run_publishes_all(db_session, factories):
    tasks = make_reviewed_tasks(db_session, factories.department("AAA"), [factories.department("BBB")], count=3)
    today = date(2025, 6, 30)  # every deadline passed
    with pytest.raises(OperationalError):
        with connection_lost_before(db_session, "INSERT INTO publication ", nth=2):
            publication_sweep(db_session, today)
    db_session.rollback()
    with scoped(db_session, Scope.system()):
        assert db_session.scalar(select(func.count()).select_from(Publication)) == 0
        assert {db_session.get(Task, t.id).state for t in tasks} == {"reviewed"}
    lines = publication_sweep(db_session, today)
    db_session.commit()
    assert sum("published as" in line for line in lines) == 3


def test_an_archive_whose_form_no_plugin_provides_is_a_conflict_not_a_server_error(
        client, db_session, factories):
    # AAA has no plugin: the items' form "food_business_record" is provided by nobody, as when a
    # department's plugin is removed while its tasks are open.
    task = make_reviewed_tasks(db_session, factories.department("AAA"), [factories.department("BBB")])[0]
    office = factories.user("office", "OFFICE", must_change_password=False)
    _token, secret = create_token(db_session, office, "archive")
    db_session.commit()
    response = client.get(f"/api/v1/tasks/{task.id}/archive", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 409
    assert "provides no checklist form" in response.get_json()["message"]["en"]
