"""One run of a bulk import or a sync: who, when, which file, what it did, and its report.

Every run leaves exactly one :class:`ImportRun` row, dry runs and refused files included, so a
user can open the report again later and the office can see how each directory was filled. The
row is written with Core statements by :mod:`spotcheck.registry.importing.engine`, beside ONE
audit record (``import``) for the whole run: the per-row history of what an import changed is in
``target_event`` (and the inspector and expert rows' own audit), not a million audit records.

After a dry run of an uploaded file the file itself is kept (``upload``) until it is imported or
a newer dry run replaces it, so "confirm" imports exactly the bytes that were checked, on
whichever app server the confirmation reaches.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from spotcheck.db import Base, UTCDateTime
from spotcheck.tenancy.scope import TenantOwned

KIND_LABELS = {
    "targets": _l("Target directory"),
    "inspectors": _l("Inspector directory"),
    "experts": _l("Expert pool"),
}

STATUS_LABELS = {
    "checked": _l("Checked (dry run)"),
    "refused": _l("Refused: nothing imported"),
    "applied": _l("Imported"),
    "failed": _l("Failed: nothing imported"),
}

CHANNEL_LABELS = {
    "web": _l("Web page"),
    "api": _l("API"),
    "cli": _l("Command line"),
    "sync": _l("Data integration"),
}

MODE_LABELS = {
    "all_or_nothing": _l("All rows or none"),
    "valid_only": _l("Valid rows only"),
}


class ImportRun(TenantOwned, Base):
    """One import or sync of one department's directory, with its counts and report."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    file_format: Mapped[str | None] = mapped_column(String(8))
    encoding: Mapped[str | None] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    supervised: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    invalid: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    confirms_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))
    upload: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def channel_label(self) -> str:
        return str(CHANNEL_LABELS.get(self.channel, self.channel))

    @property
    def mode_label(self) -> str:
        return str(MODE_LABELS.get(self.mode, self.mode))

    @property
    def total(self) -> int:
        return self.created + self.updated + self.supervised + self.unchanged + self.invalid
