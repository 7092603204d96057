"""Signed-in sessions kept in the database.

The browser's cookie carries only a random token (in Flask's signed session); the row it names
says who is signed in, since when, and whether the second factor was passed. Idle and absolute
limits are enforced here, on every request, so they hold across app servers and restarts.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from spotcheck.db import utcnow
from spotcheck.tenancy.models import User, UserSession

# Writing last_seen_at on every request would turn each page view into a write; a minute of
# slack on a 30-minute idle limit is immaterial.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The stored form of a session or API token (tokens are random, so a plain hash suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db_session: Session, user: User, ip: str | None, user_agent: str | None) -> str:
    """Open a new session for ``user`` and return its token (a new id at every sign-in)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    hours = current_app.config["SESSION_ABSOLUTE_HOURS"]
    db_session.add(UserSession(
        token_hash=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now,
        expires_at=now + timedelta(hours=hours), ip=ip, user_agent=(user_agent or "")[:300],
        second_factor_done=not user.totp_enabled,
    ))
    return token


def load_session(db_session: Session, token: str) -> UserSession | None:
    """The live session named by ``token``; ends and drops it when idle or past its lifetime."""
    row = db_session.scalars(
        select(UserSession).where(UserSession.token_hash == token_hash(token))
    ).one_or_none()
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if now >= row.expires_at:
        end_session(row, "expired")
        return None
    if now - row.last_seen_at >= idle:
        end_session(row, "idle")
        return None
    if row.user.disabled_at is not None:
        end_session(row, "disabled")
        return None
    if now - row.last_seen_at >= LAST_SEEN_GRANULARITY:
        _touch(db_session, row, now)
    return row


def _touch(db_session: Session, row: UserSession, now: datetime) -> None:
    # Activity is bookkeeping, not a change anyone makes: written beneath the ORM so that the
    # audit trail does not get a record per user per minute.
    table = UserSession.__table__
    db_session.connection().execute(
        update(table).where(table.c.id == row.id).values(last_seen_at=now))
    set_committed_value(row, "last_seen_at", now)


def end_session(row: UserSession, reason: str) -> None:
    """End one session (sign-out, idle, expired, disabled)."""
    if row.ended_at is None:
        row.ended_at = utcnow()
        row.end_reason = reason


def end_all_sessions(db_session: Session, user: User, reason: str,
                     keep: UserSession | None = None) -> int:
    """End every live session of ``user`` but ``keep`` (on disabling, password change); return how many."""
    statement = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    return db_session.execute(statement).rowcount or 0
