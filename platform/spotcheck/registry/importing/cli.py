"""``spotcheck import targets|inspectors|experts FILE --department CODE``: bulk import from the
server console.

Exit status: 0 when every row was fine (imported, or checked in a dry run); 1 when the file or
some rows have problems (the report is printed; nothing was imported unless ``--valid-only``);
3 when writing failed and nothing was imported. Large files show a progress bar on the terminal.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from sqlalchemy import select

from spotcheck.registry.importing import encodings
from spotcheck.registry.importing.engine import KINDS, ImportOptions, RunResult, import_file
from spotcheck.tenancy.models import Department

PROGRESS_BYTES = 1 << 20
"""Files at least this large get a progress bar."""

EXIT_PROBLEMS = 1
EXIT_FAILED = 3

import_cli = AppGroup("import", help="Bulk import into a department's directories (CSV or .xlsx).")


def department_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option("--department", "department_code", required=True,
                        help="Code of the department whose directory is filled, e.g. SCJG.")(function)


def find_department(db: object, code: str) -> Department:
    """The department ``code`` or a usage error naming it."""
    department = db.scalars(select(Department).where(Department.code == code.upper())).one_or_none()  # type: ignore[attr-defined]
    if department is None or department.is_office:
        raise click.BadParameter(f"no member unit {code!r}", param_hint="--department")
    return department


def _command(kind: str) -> click.Command:
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @department_option
    @click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
    @click.option("--valid-only", is_flag=True,
                  help="Import the valid rows even when others have problems (they are listed).")
    @click.option("--encoding", type=click.Choice(encodings.CHOICES, case_sensitive=False),
                  help="The CSV file's encoding (default: detected).")
    def command(file: Path, department_code: str, dry_run: bool, valid_only: bool,
                encoding: str | None) -> None:
        from spotcheck.cli import system_session

        db = system_session()
        department = find_department(db, department_code)
        options = ImportOptions(kind=kind, channel="cli", dry_run=dry_run, valid_only=valid_only,
                                encoding=encoding, file_name=file.name)
        with file.open("rb") as stream:
            if file.stat().st_size >= PROGRESS_BYTES:
                with _progress_bar() as progress:
                    task = progress.add_task("read", total=None)
                    result = import_file(db, department, stream, options,
                                         lambda phase, done, total: progress.update(
                                             task, description=phase, completed=done,
                                             total=total or None))
            else:
                result = import_file(db, department, stream, options)
        db.commit()
        print_report(result, dry_run)
        if result.status == "failed":
            raise SystemExit(EXIT_FAILED)
        if not result.report.ok:
            raise SystemExit(EXIT_PROBLEMS)

    command.__doc__ = f"Import FILE (CSV or .xlsx) into a department's {kind}."
    return import_cli.command(kind)(command)


for _kind in KINDS:
    _command(_kind)


def _progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=True)


def print_report(result: RunResult, dry_run: bool) -> None:
    """The counts and every listed problem, in Chinese and English, then the run's number."""
    report = result.report
    counts = report.counts
    verb = "would be" if dry_run else "were"
    click.echo(f"run {result.run_id}: {result.status}; rows {verb}: created {counts['create']}, "
               f"updated {counts['update']}, newly supervised {counts['supervise']}, "
               f"unchanged {counts['unchanged']}; invalid {counts['invalid']}")
    for found in report.problems:
        where = []
        if found.row is not None:
            where.append(f"row {found.row}")
        if found.column:
            where.append(f"column {found.column}")
        prefix = ", ".join(where) + ": " if where else ""
        click.echo(f"  {prefix}{found.message_zh} / {found.message_en}", err=True)
    hidden = report.problems_total - len(report.problems)
    if hidden:
        click.echo(f"  … and {hidden} more problems (the first {len(report.problems)} are listed)",
                   err=True)
