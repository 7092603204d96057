"""The item lists (抽查事项清单, seed article 9): each department's items and their versions.

A :class:`CheckItem` is one entry of a department's list as the platform keeps it: the plugin
supplies the content, the department may disable the item or give it local text. Every change of
what the item effectively says makes a new :class:`CheckItemVersion`, a frozen snapshot; plans
point at the version they used, so a version is never changed or deleted once written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.tenancy.scope import TenantOwned


class ImmutableVersionError(RuntimeError):
    """Something tried to change or delete a written item version."""


class CheckItem(TenantOwned, Base):
    """One item of a department's list (抽查事项), with the department's local adjustments.

    ``code`` is the plugin's code, unique within the department. ``withdrawn`` marks an item the
    plugin no longer supplies: it is kept (plans may point at its versions) but cannot be used.
    ``current_number`` is the number of the newest version.
    """

    __tablename__ = "check_item"
    __table_args__ = (UniqueConstraint("department_id", "code", name="uq_check_item_department_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    local_name_zh: Mapped[str | None] = mapped_column(String(200))
    local_name_en: Mapped[str | None] = mapped_column(String(200))
    local_note: Mapped[str | None] = mapped_column(Text)
    current_number: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    versions: Mapped[list[CheckItemVersion]] = relationship(
        back_populates="item", order_by="CheckItemVersion.number", passive_deletes=True)


class CheckItemVersion(TenantOwned, Base):
    """One version of an item: the full content as it stood, frozen when written.

    ``content`` holds the plugin's definition (code, names, legal basis, target kinds, methods,
    notice rule, form, authority, key item, findings and the item's own version number) and the
    department's adjustments (``enabled``, ``withdrawn``, ``local_name_zh``, ``local_name_en``,
    ``local_note``). ``plugin_version`` is the version of the plugin package it came from;
    ``reason`` says what made it: ``plugin`` (first seen or changed by the plugin), ``local`` (a
    local adjustment) or ``withdrawn`` (the plugin dropped the item).
    """

    __tablename__ = "check_item_version"
    __table_args__ = (UniqueConstraint("item_id", "number", name="uq_check_item_version_item_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_item.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    plugin_version: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[CheckItem] = relationship(back_populates="versions")

    def name(self, locale: str) -> str:
        """The item's name as this version shows it: the local text when there is one."""
        english = locale.startswith("en")
        local = self.content.get("local_name_en" if english else "local_name_zh")
        return str(local or self.content["name_en" if english else "name_zh"])


def _refuse_change(_mapper: Any, _connection: Any, version: CheckItemVersion) -> None:
    # Plans keep pointing at the version they used: what it says must stay what it said.
    raise ImmutableVersionError(f"check item version {version.id} is immutable")


event.listen(CheckItemVersion, "before_update", _refuse_change)
event.listen(CheckItemVersion, "before_delete", _refuse_change)
