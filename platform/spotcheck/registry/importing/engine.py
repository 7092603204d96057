"""The import pipeline: read, validate every row, then write all at once (or nothing).

One run, whatever the channel (web page, API, command line, sync):

1. the department's write permission is checked explicitly (the writes below are Core statements,
   beneath the ORM's tenancy layer) and the run is recorded (:class:`ImportRun`);
2. the file is read as a stream, the header matched, and every row validated by the directory's
   own validator, a chunk at a time; valid rows are handed to the directory's sink (a staging
   table for targets), every problem goes into the report with its row and column;
3. the sink finds duplicates and compares the rows with the directory: each row is new, changed,
   unchanged, or (targets) already in the directory under other departments;
4. unless it is a dry run, and if nothing is wrong (or the user asked for the valid rows only),
   the sink writes, inside a savepoint: a failure leaves the directory exactly as before and the
   run is recorded as failed;
5. the run gets its counts and report, and ONE audit record (``import``) describes it.

The caller commits (services never commit).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any, Protocol

from flask import current_app
from sqlalchemy import insert, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.api.i18n import N_
from spotcheck.audit.service import get_actor
from spotcheck.db import utcnow
from spotcheck.registry.characters import invisible_character_errors
from spotcheck.registry.errors import FieldError
from spotcheck.registry.importing.headers import Columns, ResolvedHeader
from spotcheck.registry.importing.models import ImportRun
from spotcheck.registry.importing.readers import Limits, Table, clean_cell, column_letter, open_table, records_table
from spotcheck.registry.importing.report import FileProblem, Report, RowOutcome, from_field_error, problem
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, TenancyError, get_scope, scoped

CHUNK = 5000
"""Rows validated and staged at a time."""

KINDS = ("targets", "inspectors", "experts")

TOO_LARGE = N_("The file is %(size)s, larger than the %(limit)s allowed. Split it into several files.")
NO_ROWS = N_("The file has a header row but no rows to import.")
UNLABELLED = N_("Column %(letter)s has values (first in row %(row)d) but no header: give it one of "
                "the template's headers, or delete it.")
DATABASE_FAILED = N_("The import failed while writing, and nothing was imported: %(reason)s. Try "
                     "again; if it fails again, report the run number to the administrator.")

Progress = Callable[[str, int, int], None]
"""Told ``(phase, done, total)`` as a run goes: ``read`` (bytes or rows of the file) and
``write``; for progress bars."""


class Sink(Protocol):
    """Where one directory's validated rows go (see :mod:`.targets`, :mod:`.inspectors`)."""

    def validate(self, raw: Mapping[str, str]) -> tuple[Any | None, list[FieldError]]:
        """The directory's own row validator."""

    def add(self, rows: list[tuple[int, Any]]) -> None:
        """Take a chunk of valid rows, with their row numbers."""

    def finish(self, report: Report) -> None:
        """Find duplicates and compare with the directory: problems and row outcomes."""

    def apply(self, progress: Progress | None) -> None:
        """Write every valid row (those :meth:`finish` left valid)."""

    def close(self) -> None:
        """Release what the sink holds (its staging table)."""


class Adapter(Protocol):
    """One directory as the importer sees it: its template's columns and its sink."""

    kind: str
    columns: Columns

    def open(self, context: ImportContext) -> Sink:
        """A sink for one run."""


@dataclass(frozen=True)
class ImportOptions:
    """How a run goes. ``keep_upload`` keeps the file's bytes with a dry run (the web page's
    confirm step imports exactly what was checked)."""

    kind: str
    channel: str
    dry_run: bool = False
    valid_only: bool = False
    encoding: str | None = None
    file_name: str | None = None
    confirms_id: int | None = None
    keep_upload: bool = False

    @property
    def mode(self) -> str:
        return "valid_only" if self.valid_only else "all_or_nothing"


@dataclass(frozen=True)
class ImportContext:
    """What a sink needs: the unit of work, the department it writes for, the run, the moment."""

    session: Session
    department: Department
    run_id: int
    source: str
    started_at: datetime


@dataclass(frozen=True)
class RunResult:
    """The outcome of a run: its row id, status and report."""

    run_id: int
    status: str
    report: Report

    @property
    def ok(self) -> bool:
        return self.report.ok and self.status in ("checked", "applied")


def adapter_for(kind: str) -> Adapter:
    """The adapter of a directory kind (``targets``, ``inspectors``, ``experts``)."""
    # Imported here: the adapters import this module's types.
    if kind == "targets":
        from spotcheck.registry.importing.targets import TargetAdapter
        return TargetAdapter()
    if kind == "inspectors":
        from spotcheck.registry.importing.inspectors import InspectorAdapter
        return InspectorAdapter()
    if kind == "experts":
        from spotcheck.registry.importing.experts import ExpertAdapter
        return ExpertAdapter()
    raise ValueError(f"unknown import kind {kind!r}; one of {KINDS}")


def import_file(db_session: Session, department: Department, stream: IO[bytes],
                options: ImportOptions, progress: Progress | None = None) -> RunResult:
    """Import an uploaded file (CSV or ``.xlsx``, read from the binary ``stream``) into
    ``department``'s directory of ``options.kind``.

    Every run is recorded (:class:`ImportRun`) with its report and audited once, whatever
    happens; the caller commits. Raises :class:`TenancyError` when the unit of work may not
    write for ``department``.
    """
    limits = Limits.from_config(current_app.config)
    size, digest = _measure(stream)
    details = {"file_name": options.file_name, "file_size": size, "sha256": digest}
    with _acting_for(db_session, department):
        run_id = _start_run(db_session, department, options, details)
        report = _new_report()
        table: Table | None = None
        try:
            if size > limits.max_bytes:
                raise FileProblem(problem("too_large", TOO_LARGE, size=_size(size),
                                          limit=_size(limits.max_bytes)))
            table = open_table(stream, limits, options.encoding)
            status = _run(db_session, department, run_id, table, options, report, progress)
        except FileProblem as refused:
            _refuse(report, refused)
            status = "refused"
        upload = None
        if options.keep_upload and options.dry_run and status == "checked":
            stream.seek(0)
            upload = stream.read()
        _finish_run(db_session, department, run_id, options, status, report, table, upload,
                    details)
    return RunResult(run_id, status, report)


def import_records(db_session: Session, department: Department, records: Iterable[Mapping[str, Any]],
                   options: ImportOptions, source_name: str,
                   progress: Progress | None = None) -> RunResult:
    """Import documents keyed by field name (a sync source's rows) the same way as a file."""
    adapter = adapter_for(options.kind)
    details = {"file_name": source_name, "file_size": None, "sha256": None}
    with _acting_for(db_session, department):
        run_id = _start_run(db_session, department, options, details)
        report = _new_report()
        table = records_table(records, adapter.columns.fields)
        try:
            status = _run(db_session, department, run_id, table, options, report, progress)
        except FileProblem as refused:
            _refuse(report, refused)
            status = "refused"
        _finish_run(db_session, department, run_id, options, status, report, table, None, details)
    return RunResult(run_id, status, report)


def _refuse(report: Report, refused: FileProblem) -> None:
    """A file that cannot be read to its end: its problems, and no row counts (they would
    describe only the part read)."""
    report.discard_rows()
    for found in refused.problems:
        report.add_problem(found)


def _run(db_session: Session, department: Department, run_id: int, table: Table,
         options: ImportOptions, report: Report, progress: Progress | None) -> str:
    """Steps 2–4 of the module's docstring; returns the run's status."""
    with _collector_paused():
        return _run_paused(db_session, department, run_id, table, options, report, progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the run.

    A large import allocates millions of short-lived rows, tuples and dictionaries; every few
    hundred allocations the collector runs and, regularly, re-scans every long-lived object of the
    process (the app, its catalogs, SQLAlchemy's caches): 40 % of a million-row run. The run's
    objects hold no reference cycles that matter, and reference counting frees each chunk as it
    goes, so memory stays flat; the collector resumes when the run ends.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _run_paused(db_session: Session, department: Department, run_id: int, table: Table,
                options: ImportOptions, report: Report, progress: Progress | None) -> str:
    adapter = adapter_for(options.kind)
    header = adapter.columns.resolve(table.header, table.column_offset, options.encoding)
    report.columns = {field: written for _index, field, written in header.positions}
    context = ImportContext(session=db_session, department=department, run_id=run_id,
                            source="sync" if options.channel == "sync" else "import",
                            started_at=utcnow())
    sink = adapter.open(context)
    try:
        valid_seen = _validate_all(sink, table, header, report, progress)
        if report.rows_total == 0 and not valid_seen:
            if options.channel == "sync":
                # A scheduled sync with nothing new since the last one is a quiet success, not an
                # alarm; an uploaded file without rows is a mistake worth saying.
                return "applied"
            raise FileProblem(problem("no_rows", NO_ROWS))
        sink.finish(report)
        report.sort()
        if options.dry_run:
            return "checked"
        if not report.ok and not options.valid_only:
            return "refused"
        if report.rows_total - report.counts["invalid"] == 0:
            return "refused" if not report.ok else "applied"
        return _apply(db_session, sink, report, progress)
    finally:
        sink.close()


def _validate_all(sink: Sink, table: Table, header: ResolvedHeader, report: Report,
                  progress: Progress | None) -> bool:
    """Validate every row, handing valid ones to ``sink`` a chunk at a time; whether any was."""
    positions = header.positions
    known = {index for index, _field, _written in positions}
    flagged: set[int] = set()
    any_valid = False
    chunk: list[tuple[int, Any]] = []
    for number, cells in table.rows:
        # A blank cell is an absent field: it leaves the directory's value as it is.
        raw = {field: text for index, field, _written in positions
               if index < len(cells) and (text := clean_cell(cells[index]))}
        _flag_unlabelled(cells, known, flagged, number, table, report)
        row, errors = sink.validate(raw)
        hidden = invisible_character_errors(raw)
        if hidden:
            row, errors = None, [*errors, *hidden]
        if row is None:
            for error in errors:
                report.add_problem(from_field_error(error, number, header.header_of(error.field)))
            report.add_row(RowOutcome(number, "invalid", raw.get("code", ""), raw.get("name", "")))
            continue
        chunk.append((number, row))
        any_valid = True
        if len(chunk) >= CHUNK:
            sink.add(chunk)
            chunk = []
            if progress:
                progress("read", table.position(), table.size)
    if chunk:
        sink.add(chunk)
    if progress:
        progress("read", table.size, table.size)
    return any_valid


def _flag_unlabelled(cells: list[str], known: set[int], flagged: set[int], number: int,
                     table: Table, report: Report) -> None:
    """Report, once per column, a value in a column without a header (it would be ignored)."""
    for index, cell in enumerate(cells):
        if index not in known and index not in flagged and cell.strip():
            flagged.add(index)
            report.add_problem(problem("unlabelled_column", UNLABELLED, row=number,
                                       letter=column_letter(table.column_offset + index)))


def _apply(db_session: Session, sink: Sink, report: Report, progress: Progress | None) -> str:
    savepoint = db_session.begin_nested()
    db_session.connection()  # emits the SAVEPOINT now: the sink writes on the connection itself
    try:
        sink.apply(progress)
        savepoint.commit()
    except SQLAlchemyError as failed:
        savepoint.rollback()
        reason = str(getattr(failed, "orig", None) or failed).splitlines()[0][:300]
        report.add_problem(problem("database", DATABASE_FAILED, reason=reason))
        return "failed"
    return "applied"


# -- the run's row and audit record --------------------------------------------------------------

def _acting_for(db_session: Session, department: Department) -> Any:
    """Check that the unit of work may write for ``department`` (Core statements do not pass the
    ORM's tenancy checks), and act in its name: history is stamped with it, ORM writes are
    checked against it."""
    scope = get_scope(db_session)
    if scope is None or not scope.can_write(department.id):
        raise TenancyError(f"this unit of work may not import for department {department.code}")
    return scoped(db_session, Scope.department(department.id, user_id=scope.user_id))


def _start_run(db_session: Session, department: Department, options: ImportOptions,
               details: Mapping[str, Any]) -> int:
    actor = get_actor(db_session)
    table = ImportRun.__table__
    connection = db_session.connection()
    result = connection.execute(insert(table).values(
        department_id=department.id, kind=options.kind, channel=options.channel,
        user_id=actor.user_id, username=actor.username, started_at=utcnow(),
        mode=options.mode, dry_run=options.dry_run, status="running",
        created=0, updated=0, supervised=0, unchanged=0, invalid=0, report={},
        confirms_id=options.confirms_id, **details))
    return int(result.inserted_primary_key[0])


def _finish_run(db_session: Session, department: Department, run_id: int, options: ImportOptions,
                status: str, report: Report, table: Table | None, upload: bytes | None,
                details: Mapping[str, Any]) -> None:
    counts = report.counts
    values = {"status": status, "finished_at": utcnow(), "report": report.as_dict(),
              "created": counts["create"], "updated": counts["update"],
              "supervised": counts["supervise"], "unchanged": counts["unchanged"],
              "invalid": counts["invalid"], "upload": upload,
              "file_format": table.format if table else None,
              "encoding": table.encoding if table else None}
    table = ImportRun.__table__
    db_session.connection().execute(update(table).where(table.c.id == run_id).values(**values))
    if upload is not None:
        # Only the newest check of a directory's file waits to be confirmed; older copies go.
        db_session.connection().execute(update(table).where(
            table.c.department_id == department.id, table.c.kind == options.kind,
            table.c.id != run_id, table.c.upload.is_not(None)).values(upload=None))
    audit.record(db_session, "import", "import_run", run_id, {
        "kind": options.kind, "department": department.code, "channel": options.channel,
        "dry_run": options.dry_run, "mode": options.mode, "status": status,
        "file_name": details.get("file_name"), "sha256": details.get("sha256"),
        "counts": counts, "problems": report.problems_total,
    })


def _new_report() -> Report:
    config = current_app.config
    return Report(max_problems=config["IMPORT_REPORT_MAX_ERRORS"],
                  max_rows=config["IMPORT_REPORT_MAX_ROWS"])


def _measure(stream: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    for chunk in _chunks(stream):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return size, digest.hexdigest()


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        yield chunk


def _size(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    return f"{size / 1024:.0f} KB"
