"""Data integration (数据对接, seed article 10): keep a department's targets in step with its own
system, through its plugin's ``spotcheck_target_sync_source`` hook.

``spotcheck sync targets --department CODE`` (run by a timer) asks the department's plugin for its
source, fetches what changed since the last successful sync, and feeds the rows through the bulk
import's pipeline: the same validation, the same comparison with the directory, the same history
(source ``sync``), one :class:`~spotcheck.registry.importing.models.ImportRun` and one audit record
per run. A feed is not a file a person can fix and upload again, so a sync imports its valid rows
and reports the others (the command then exits with status 1, for the timer to alert someone).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.api.i18n import N_
from spotcheck.hooks import PluginRegistry, get_registry
from spotcheck.registry.importing.engine import ImportOptions, RunResult, import_records
from spotcheck.registry.importing.models import ImportRun
from spotcheck.registry.importing.report import FileProblem, problem
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

HOOK = "spotcheck_target_sync_source"
SOURCE_FAILED = N_("The sync source %(source)s failed after %(rows)d rows: %(reason)s. Nothing was "
                   "imported; the next sync tries again.")


class NoSyncSource(LookupError):
    """The department has no plugin loaded, or its plugin offers no sync source."""


def last_sync(db_session: Session, department_id: int) -> datetime | None:
    """When the department's last successful target sync started (what the next one asks for)."""
    with scoped(db_session, Scope.system()):
        return db_session.scalar(
            select(ImportRun.started_at).where(
                ImportRun.department_id == department_id, ImportRun.kind == "targets",
                ImportRun.channel == "sync", ImportRun.status == "applied",
                ImportRun.dry_run.is_(False))
            .order_by(ImportRun.started_at.desc()).limit(1))


def sync_targets(db_session: Session, department: Department, registry: PluginRegistry, *,
                 dry_run: bool = False, full: bool = False) -> RunResult:
    """Fetch the department's changed targets from its plugin's source and import them.

    ``full`` fetches every target (``since=None``) instead of those changed since the last
    successful sync. Raises :class:`NoSyncSource` when there is nothing to sync from. The caller
    commits.
    """
    if department.code not in registry.loaded:
        raise NoSyncSource(f"no plugin is loaded for department {department.code}")
    source = registry.call(department.code, HOOK)
    if source is None:
        raise NoSyncSource(f"the plugin of department {department.code} offers no sync source")
    since = None if full else last_sync(db_session, department.id)
    options = ImportOptions(kind="targets", channel="sync", dry_run=dry_run, valid_only=True)
    return import_records(db_session, department, _guarded(source, since), options,
                          source_name=f"{source.code} {source.name_zh}")


def _guarded(source: Any, since: datetime | None) -> Iterator[Mapping[str, Any]]:
    """The source's rows; a failure of the source becomes a problem of the run, not a crash."""
    count = 0
    try:
        rows: Iterable[Mapping[str, Any]] = source.fetch(since)
        for row in rows:
            count += 1
            yield row
    except Exception as failed:  # the plugin's own system: anything may go wrong there
        raise FileProblem(problem("source_failed", SOURCE_FAILED, source=source.code, rows=count,
                                  reason=str(failed)[:300])) from None


sync_cli = AppGroup("sync", help="Data integration: keep directories in step with departments' systems.")


@sync_cli.command("targets")
@click.option("--department", "department_code", required=True,
              help="Code of the department whose plugin supplies the source, e.g. SCJG.")
@click.option("--dry-run", is_flag=True, help="Fetch and check; write nothing.")
@click.option("--full", is_flag=True, help="Fetch every target, not only those changed since the "
                                           "last successful sync.")
def sync_targets_command(department_code: str, dry_run: bool, full: bool) -> None:
    """Sync a department's targets from its plugin's source (exit 1 when rows were refused)."""
    from spotcheck.cli import system_session
    from spotcheck.registry.importing.cli import EXIT_FAILED, EXIT_PROBLEMS, find_department, print_report

    db = system_session()
    department = find_department(db, department_code)
    try:
        result = sync_targets(db, department, get_registry(), dry_run=dry_run, full=full)
    except NoSyncSource as missing:
        raise click.ClickException(str(missing)) from None
    db.commit()
    print_report(result, dry_run)
    if result.status == "failed":
        raise SystemExit(EXIT_FAILED)
    if not result.report.ok:
        raise SystemExit(EXIT_PROBLEMS)
