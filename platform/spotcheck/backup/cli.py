"""``spotcheck backup DEST`` and ``spotcheck restore SRC``: the operator's commands (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from spotcheck import audit
from spotcheck.backup import service
from spotcheck.backup.manifest import BackupError, Manifest


def _summary(manifest: Manifest) -> dict[str, object]:
    return {"created_at": manifest.created_at, "backend": manifest.backend,
            "rows": sum(manifest.state.tables.values()), "evidence_files": len(manifest.evidence),
            "audit_head": manifest.state.audit_head}


@click.command("backup")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_cli(destination: Path) -> None:
    """Back up the database and the evidence files into the new folder DESTINATION."""
    from spotcheck.cli import system_session

    try:
        manifest = service.backup(current_app, destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    db = system_session()
    audit.record(db, "backup", None, None, {**_summary(manifest), "destination": str(destination.resolve())})
    db.commit()
    head = manifest.state.audit_head
    click.echo(f"backed up to {destination}: {len(manifest.state.tables)} tables, "
               f"{sum(manifest.state.tables.values())} rows, {len(manifest.evidence)} evidence files, "
               + (f"audit head {head['id']} {head['hash']}" if head else "no audit records"))


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace what the database and the evidence folder hold.")
@with_appcontext
def restore_cli(source: Path, force: bool) -> None:
    """Restore the backup in SOURCE: into an empty database, unless --force."""
    from spotcheck.cli import system_session

    try:
        manifest = service.restore(current_app, source, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    db = system_session()
    audit.record(db, "restore", None, None, {**_summary(manifest), "source": str(source.resolve()),
                                             "forced": force})
    db.commit()
    click.echo(f"restored the backup of {manifest.created_at}: row counts and audit head match the manifest")
    click.echo("run 'spotcheck audit verify --against <published checkpoints>' to check the trail, and "
               "'spotcheck db upgrade' if this code is newer than the backup "
               f"(schema {manifest.state.revision})")
