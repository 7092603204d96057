"""Backing the platform up and restoring it: the database and the evidence files, together.

SQLite is copied with its online backup API (consistent while the platform runs); PostgreSQL is
dumped by ``pg_dump`` in its custom format, from a snapshot exported by the transaction that also
counts the rows, so the manifest describes exactly what was dumped. Evidence files are copied after
the database: they are only ever added, so every file the saved database names is in the copy.

A restore checks every file against the manifest first, refuses a database that already has
tables (unless forced), brings back the database and the evidence files, then compares the row
counts and the audit chain's head with the manifest.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL

from spotcheck.backup.manifest import (DATABASE_FILES, EVIDENCE, BackupError, Manifest, State,
                                       differences, sha256, state_of)
from spotcheck.db import get_database, utcnow
from spotcheck.inspection.evidence import Storage


def backup(app: Flask, destination: Path) -> Manifest:
    """Save ``app``'s database and evidence files into the new folder ``destination``."""
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty: back up into a new folder")
    engine = get_database(app).engine
    backend = _backend(engine)
    destination.mkdir(parents=True, exist_ok=True)
    try:
        return _save(app, engine, backend, destination)
    except BaseException:
        shutil.rmtree(destination)  # no half backup left to be mistaken for a whole one
        raise


def _save(app: Flask, engine: Engine, backend: str, destination: Path) -> Manifest:
    database_file = destination / DATABASE_FILES[backend]
    if backend == "sqlite":
        state = _backup_sqlite(_sqlite_path(engine), database_file)
    else:
        state = _backup_postgres(engine, database_file)
    evidence = _copy_files(Storage.of(app).root, destination / EVIDENCE)
    manifest = Manifest(backend=backend, created_at=utcnow().isoformat(timespec="seconds"), state=state,
                        database_sha256=sha256(database_file), evidence=evidence)
    manifest.write(destination)
    return manifest


def restore(app: Flask, source: Path, force: bool = False) -> Manifest:
    """Bring back the backup in ``source`` into ``app``'s database and evidence folder.

    Refuses (:class:`BackupError`, nothing changed) a backup that fails its checksums or is of
    another backend, and a database that has tables or an evidence folder that has files, unless
    ``force``. Raises :class:`BackupError` too when what was restored differs from the manifest.
    """
    manifest = Manifest.read(source)
    engine = get_database(app).engine
    backend = _backend(engine)
    if manifest.backend != backend:
        raise BackupError(f"{source} is a {manifest.backend} backup; this platform runs on {backend}")
    _check_files(source, manifest)
    evidence_root = Storage.of(app).root
    if not force:
        _refuse_if_in_use(engine, evidence_root)
    engine.dispose()  # nobody of ours holds the database while it is replaced
    if backend == "sqlite":
        _restore_sqlite(source / manifest.database_file, _sqlite_path(engine))
    else:
        _restore_postgres(engine, source / manifest.database_file, clean=force)
    _copy_files(source / EVIDENCE, evidence_root)
    with engine.connect() as connection:
        found = state_of(connection)
    wrong = differences(manifest.state, found)
    if wrong:
        raise BackupError("the restored database differs from the backup's manifest:\n  " + "\n  ".join(wrong))
    return manifest


def _backend(engine: Engine) -> str:
    if engine.dialect.name not in DATABASE_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {engine.dialect.name}")
    return engine.dialect.name


# -- SQLite -------------------------------------------------------------------------------------

def _sqlite_path(engine: Engine) -> Path:
    if not engine.url.database or engine.url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(engine.url.database).resolve()


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy the database ``source`` onto ``target`` with SQLite's online backup API."""
    with _closing(sqlite3.connect(source)) as src, _closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


@contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


def _backup_sqlite(database: Path, copy: Path) -> State:
    if not database.exists():
        raise BackupError(f"there is no database at {database}")
    _sqlite_copy(database, copy)
    # Counted in the copy itself: exactly what was saved.
    counter = create_engine(f"sqlite:///{copy}")
    try:
        with counter.connect() as connection:
            return state_of(connection)
    finally:
        counter.dispose()


def _restore_sqlite(copy: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(copy, database)


# -- PostgreSQL ---------------------------------------------------------------------------------

def _libpq_environment(url: URL) -> dict[str, str]:
    """The connection as libpq's environment variables: no password on a command line."""
    environment = dict(os.environ)
    for variable, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                            ("PGPASSWORD", url.password), ("PGDATABASE", url.database),
                            ("PGSSLMODE", url.query.get("sslmode"))):
        if value is not None:
            environment[variable] = str(value)
    return environment


def _run(command: list[str], url: URL) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    ran = subprocess.run(command, env=_libpq_environment(url), capture_output=True, text=True, check=False)
    if ran.returncode != 0:
        raise BackupError(f"{command[0]} failed ({ran.returncode}): {ran.stderr.strip()}")


def _backup_postgres(engine: Engine, dump: Path) -> State:
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            state = state_of(connection)
            # The dump reads the same snapshot, while this transaction keeps it alive.
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"], engine.url)
    return state


def _restore_postgres(engine: Engine, dump: Path, clean: bool) -> None:
    # One transaction: a restore that fails leaves the database as it was.
    command = ["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
               f"--dbname={engine.url.database}"]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump)], engine.url)


# -- checks and files ---------------------------------------------------------------------------

def _check_files(source: Path, manifest: Manifest) -> None:
    database = source / manifest.database_file
    if not database.exists() or sha256(database) != manifest.database_sha256:
        raise BackupError(f"{database} is missing or does not match its checksum in the manifest")
    for name, digest in manifest.evidence.items():
        path = source / EVIDENCE / name
        if not path.is_file() or sha256(path) != digest:
            raise BackupError(f"evidence file {path} is missing or does not match its checksum")


def _refuse_if_in_use(engine: Engine, evidence_root: Path) -> None:
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
    if tables:
        raise BackupError(f"the database already has {len(tables)} tables: restore into an empty "
                          "database, or pass --force to replace what it holds")
    if evidence_root.exists() and any(evidence_root.iterdir()):
        raise BackupError(f"the evidence folder {evidence_root} is not empty: pass --force to restore "
                          "into it anyway")


def _copy_files(source: Path, target: Path) -> dict[str, str]:
    """Copy every file under ``source`` to the same place under ``target``; their SHA-256 by path."""
    copied: dict[str, str] = {}
    if not source.exists():
        return copied
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / name)
        copied[name] = sha256(path)
    return copied
