"""Departments (tenants), users and their sign-in sessions and API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spotcheck.db import Base, UTCDateTime, utcnow
from spotcheck.tenancy.roles import Role
from spotcheck.tenancy.scope import TenantOwned


class Department(Base):
    """A member unit of the joint meeting (成员单位), or the office itself (联席办).

    Departments come from installed plugins; the office is the platform's own. A department whose
    plugin is uninstalled is kept (its data stays) but marked inactive.
    """

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # district | city
    is_office: Mapped[bool] = mapped_column(Boolean, default=False)
    plugin: Mapped[str | None] = mapped_column(String(200))
    plugin_version: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def name(self, locale: str) -> str:
        """The department's name in ``locale`` (Chinese unless English is asked for)."""
        return self.name_en if locale.startswith("en") else self.name_zh


class User(UserMixin, TenantOwned, Base):
    """A person who signs in. Belongs to one department and holds exactly one role."""

    __tablename__ = "user_account"
    __audit_personal__ = frozenset({"phone", "email"})
    __audit_secret__ = frozenset({"password_hash", "totp_secret"})
    # Bookkeeping of every second-factor sign-in, which is audited as an event of its own.
    __audit_ignore__ = frozenset({"totp_last_step"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16,
                                            values_callable=lambda e: [m.value for m in e]))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8), default="zh")
    password_hash: Mapped[str] = mapped_column(String(255))
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The time step of the last one-time code accepted: that code and older ones are refused.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # flask-login
        return self.disabled_at is None

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None


class UserSession(Base):
    """A signed-in browser session, kept in the database so every app server shares it.

    The cookie holds only a random token; its SHA-256 is stored here. Idle and absolute limits
    are checked on every request, and ending a row (sign-out, user disabled) ends the session
    everywhere at once.
    """

    __tablename__ = "user_session"
    __audit_secret__ = frozenset({"token_hash"})
    # Activity bumps are bookkeeping; sign-in and sign-out are audited as events.
    __audit_ignore__ = frozenset({"last_seen_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    acting_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A personal API token. Only its SHA-256 is stored; the token is shown once at creation."""

    __tablename__ = "api_token"
    __audit_secret__ = frozenset({"token_hash"})
    __audit_ignore__ = frozenset({"last_used_at"})
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
