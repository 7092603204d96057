"""What a backup holds, written beside it as ``manifest.json``, and checked again on restore.

The row count of every table and the audit chain's head are taken from the very snapshot that was
saved (the SQLite copy itself; PostgreSQL's exported snapshot that ``pg_dump`` reads), so a
restore can prove it brought back exactly that. Every file's SHA-256 lets a restore refuse a
damaged or altered backup before it touches anything.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, func, inspect, select, table

from spotcheck.audit import chain

FORMAT = "spotcheck-backup-v1"
NAME = "manifest.json"
EVIDENCE = "evidence"
"""The folder of the evidence files inside a backup."""
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
"""The database's file inside a backup, per backend (a SQLite copy; a pg_dump custom-format file)."""


class BackupError(Exception):
    """A backup or restore that cannot go ahead, and why (nothing was changed)."""


@dataclass(frozen=True)
class State:
    """A database's content in brief: rows per table, the audit chain's head, the schema revision."""

    tables: dict[str, int]
    audit_head: dict[str, Any] | None
    revision: str | None


@dataclass(frozen=True)
class Manifest:
    """Everything a restore needs to check a backup and what it brings back."""

    backend: str
    created_at: str
    state: State
    database_sha256: str
    evidence: dict[str, str] = field(default_factory=dict)  # path inside the folder → SHA-256
    format: str = FORMAT

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.backend]

    def write(self, folder: Path) -> None:
        """Save as ``folder/manifest.json``."""
        (folder / NAME).write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                   encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of the backup in ``folder``; :class:`BackupError` when there is none."""
        try:
            doc = json.loads((folder / NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise BackupError(f"{folder} holds no readable {NAME}: {error}") from error
        if doc.get("format") != FORMAT:
            raise BackupError(f"{folder / NAME} is not a {FORMAT} manifest")
        if doc.get("backend") not in DATABASE_FILES:
            raise BackupError(f"{folder / NAME}: unknown backend {doc.get('backend')!r}")
        try:
            return cls(backend=doc["backend"], created_at=doc["created_at"], state=State(**doc["state"]),
                       database_sha256=doc["database_sha256"], evidence=doc.get("evidence") or {})
        except (KeyError, TypeError) as error:
            raise BackupError(f"{folder / NAME} is incomplete: {error}") from error


def state_of(connection: Connection) -> State:
    """Row counts of every table, the audit head and the revision, as ``connection`` sees them."""
    names = sorted(inspect(connection).get_table_names())
    counts = {name: connection.scalar(select(func.count()).select_from(table(name))) or 0 for name in names}
    head = chain.read_head(connection) if "audit_record" in names else None
    revision = MigrationContext.configure(connection).get_current_revision() if names else None
    return State(counts, None if head is None else {"id": head.id, "hash": head.hash}, revision)


def sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def differences(expected: State, found: State) -> list[str]:
    """How ``found`` differs from ``expected``, one line each (empty when they agree)."""
    lines = [f"table {name}: {expected.tables.get(name)} rows in the backup, {found.tables.get(name)} now"
             for name in sorted(set(expected.tables) | set(found.tables))
             if expected.tables.get(name) != found.tables.get(name)]
    if expected.audit_head != found.audit_head:
        lines.append(f"audit chain head: {expected.audit_head} in the backup, {found.audit_head} now")
    return lines
