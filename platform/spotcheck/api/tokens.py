"""Personal API tokens: issued once, stored only as SHA-256, expiring, revocable, audited.

A token is ``spc_`` followed by 43 random URL-safe characters (256 bits). The secret is returned
by :func:`create_token` and never stored: the database keeps its SHA-256 (a random secret needs
no slow hash) and its first characters (:attr:`ApiToken.prefix`), so the owner can tell tokens
apart afterwards. The service functions change the unit of work but never commit: the caller does.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.tenancy.models import ApiToken, User
from spotcheck.tenancy.sessions import token_hash

SECRET_PREFIX = "spc_"
"""Starts every token, so a leaked one is recognisable (secret scanners, log reviews)."""

PREFIX_LENGTH = 12
"""How much of the secret is kept in clear to name the token: ``spc_`` and 8 random characters."""

DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
"""Every token expires: a forgotten one must not stay a way in for ever."""

LAST_USED_GRANULARITY = timedelta(minutes=1)
"""``last_used_at`` is written at most this often, so a busy client does not turn every call into
a write; the owner needs to know roughly when a token was last used, not to the second."""


class TokenState(str, enum.Enum):
    """Whether a token still authenticates."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def token_state(token: ApiToken, now: datetime | None = None) -> TokenState:
    """The state of ``token`` at ``now`` (default: the present); revocation wins over expiry."""
    if token.revoked_at is not None:
        return TokenState.REVOKED
    if token.expires_at is not None and token.expires_at <= (now or utcnow()):
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def create_token(db_session: Session, user: User, name: str,
                 lifetime_days: int = DEFAULT_LIFETIME_DAYS,
                 not_after: datetime | None = None) -> tuple[ApiToken, str]:
    """Issue a token to ``user``; return the new row and the secret, which exists only here.

    The token expires after ``lifetime_days`` (1 to :data:`MAX_LIFETIME_DAYS`), and no later
    than ``not_after`` when given. Audited as ``token_create`` (name, prefix, expiry; never the
    secret or its hash).
    """
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise ValueError(f"lifetime_days must be between 1 and {MAX_LIFETIME_DAYS}, not {lifetime_days}")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    expires_at = now + timedelta(days=lifetime_days)
    if not_after is not None:
        expires_at = min(expires_at, not_after)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:PREFIX_LENGTH],
                     token_hash=token_hash(secret), created_at=now, expires_at=expires_at)
    db_session.add(token)
    db_session.flush()  # the record names the token by its id
    audit.record(db_session, "token_create", "api_token", token.id,
                 {"user": user.username, "name": name, "prefix": token.prefix,
                  "expires_at": expires_at.isoformat()})
    return token, secret


def list_tokens(db_session: Session, user: User) -> list[ApiToken]:
    """Every token of ``user``, revoked and expired ones included, newest first."""
    return list(db_session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def get_own_token(db_session: Session, user: User, token_id: int) -> ApiToken | None:
    """The token ``token_id`` if it belongs to ``user``; ``None`` alike when missing or someone else's."""
    return db_session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    ).one_or_none()


def revoke_token(db_session: Session, token: ApiToken) -> bool:
    """Revoke ``token`` for good; ``False`` (and nothing recorded) when it already was.

    Audited as ``token_revoke``. An expired token can still be revoked, which says it is no
    longer wanted even if its expiry were ever extended.
    """
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record(db_session, "token_revoke", "api_token", token.id,
                 {"user": token.user.username, "name": token.name, "prefix": token.prefix})
    return True


def find_token(db_session: Session, secret: str) -> ApiToken | None:
    """The token whose secret is ``secret``, whatever its state, with its user loaded.

    The session's scope must let it read users of every department: the caller is not known yet.
    """
    return db_session.scalars(
        select(ApiToken).options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == token_hash(secret))
    ).one_or_none()


def mark_used(token: ApiToken, now: datetime | None = None) -> bool:
    """Note that ``token`` was used now; ``False`` when the last note is recent enough to keep."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_GRANULARITY:
        return False
    token.last_used_at = now
    return True
