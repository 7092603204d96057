"""Data integration: a department plugin's sync source feeds the directory through the importer."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from spotcheck.hooks import build_plugin_manager
from spotcheck.plugin_api import DepartmentDef, hookimpl
from spotcheck.registry.importing.models import ImportRun
from spotcheck.registry.sync import NoSyncSource, sync_targets
from spotcheck.registry.targets.models import Target, TargetEvent
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.scope import Scope, scoped


class RegistrationFeed:
    """The registration authority's feed, as a plugin would wrap it."""

    code = "reg_feed"
    name_zh = "市场主体登记系统"
    name_en = "Market entity registration"

    def __init__(self, rows, fail_after=None):
        self.rows = rows
        self.fail_after = fail_after
        self.asked: list[datetime | None] = []

    def fetch(self, since):
        self.asked.append(since)
        for number, row in enumerate(self.rows):
            if self.fail_after is not None and number == self.fail_after:
                raise ConnectionError("feed timed out")
            yield row


class FeedPlugin:
    def __init__(self, feed):
        self.feed = feed

    @hookimpl
    def spotcheck_department(self):
        return DepartmentDef(code="FEED", name_zh="测试登记局", name_en="Feed department",
                             level="district", contract_version=1)

    @hookimpl
    def spotcheck_target_sync_source(self):
        return self.feed


def feed_row(number, **fields):
    return {"code": credit_code(number), "name": f"登记企业{number}有限公司", "kind": "company",
            "status": "active", **fields}


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def department(factories):
    return factories.department("FEED")


def registry_with(feed):
    registry = build_plugin_manager([], [("feed", FeedPlugin(feed))])
    assert registry.refused == []
    return registry


def test_a_sync_imports_the_feed_with_history_from_source_sync(db_session, department):
    feed = RegistrationFeed([feed_row(1), feed_row(2)])
    result = sync_targets(db_session, department, registry_with(feed))
    db_session.commit()

    assert result.status == "applied" and result.report.counts["create"] == 2
    run = db_session.get(ImportRun, result.run_id)
    assert (run.channel, run.kind, run.mode) == ("sync", "targets", "valid_only")
    with scoped(db_session, Scope.department(department.id)):
        sources = set(db_session.scalars(select(TargetEvent.source)))
        assert sources == {"sync"}
        assert len(db_session.scalars(select(Target)).all()) == 2


def test_the_next_sync_asks_only_for_changes_since_the_last_one(db_session, department):
    feed = RegistrationFeed([feed_row(1)])
    registry = registry_with(feed)
    first = sync_targets(db_session, department, registry)
    db_session.commit()
    sync_targets(db_session, department, registry)
    db_session.commit()
    started = db_session.get(ImportRun, first.run_id).started_at
    assert feed.asked == [None, started]


def test_a_changed_row_in_the_feed_updates_the_target(db_session, department):
    registry = registry_with(RegistrationFeed([feed_row(1)]))
    sync_targets(db_session, department, registry)
    registry = registry_with(RegistrationFeed([feed_row(1, status="revoked")]))
    result = sync_targets(db_session, department, registry)
    assert result.report.counts["update"] == 1
    assert result.report.rows[0].changed == ["status"]


def test_invalid_feed_rows_are_reported_and_the_others_imported(db_session, department):
    rows = [feed_row(1), feed_row(2, code="91630102MA0000001Y"), feed_row(3)]
    result = sync_targets(db_session, department, registry_with(RegistrationFeed(rows)))
    assert result.status == "applied"
    assert result.report.counts["create"] == 2
    assert [(p.row, p.code) for p in result.report.problems] == [(2, "check_digit")]


def test_a_failing_source_imports_nothing_and_is_recorded(db_session, department):
    from spotcheck.registry.importing.testing import directory_digest

    before = directory_digest(db_session)
    feed = RegistrationFeed([feed_row(1), feed_row(2)], fail_after=1)
    result = sync_targets(db_session, department, registry_with(feed))
    db_session.commit()
    assert result.status == "refused"
    assert [p.code for p in result.report.problems] == ["source_failed"]
    assert "feed timed out" in result.report.problems[0].message_en
    assert directory_digest(db_session) == before


def test_a_department_without_a_source_is_told_so(db_session, factories):
    other = factories.department("NOSRC")
    with pytest.raises(NoSyncSource):
        sync_targets(db_session, other, registry_with(RegistrationFeed([])))


def test_the_sync_command_exits_1_when_rows_were_refused(app, db_session, department, monkeypatch):
    rows = [feed_row(1), feed_row(2, kind="外星企业")]
    monkeypatch.setitem(app.extensions, "spotcheck.plugins", registry_with(RegistrationFeed(rows)))
    result = app.test_cli_runner().invoke(args=["sync", "targets", "--department", "FEED"])
    assert result.exit_code == 1, result.output
    assert "created 1" in result.output


def test_a_sync_with_nothing_new_is_a_quiet_success(db_session, department):
    result = sync_targets(db_session, department, registry_with(RegistrationFeed([])))
    db_session.commit()
    assert result.status == "applied" and result.report.rows_total == 0
