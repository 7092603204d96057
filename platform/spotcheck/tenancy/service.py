"""Account services: signing in (with lockout), passwords, accounts, roles and the second factor.

Each service works in the caller's unit of work and flushes; the caller (a view or a CLI command)
commits. Services acting on someone else's account take ``actor``: the signed-in administrator, or
``None`` for the operator at the server console (the CLI). The separation of duties (三权分立) is
enforced here as well as on the pages, so no caller can skip it.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.db import utcnow
from spotcheck.tenancy import totp
from spotcheck.tenancy.models import Department, User, UserSession
from spotcheck.tenancy.passwords import (
    PolicyViolation,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from spotcheck.tenancy.roles import BUSINESS_ROLES, Permission, Role, has_permission
from spotcheck.tenancy.scope import Scope, scoped
from spotcheck.tenancy.sessions import end_all_sessions, end_session

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
"""Login names: lower-case letters, digits, dot, dash, underscore; 3 to 64 characters."""

ACCOUNT = User.__tablename__
"""How audit records name an account (as the automatic capture of row changes does)."""

GENERATED_PASSWORD_LENGTH = 16
# Characters easily confused when read aloud or copied from paper (Il1O0) are left out.
_PASSWORD_GROUPS = (
    "abcdefghijkmnpqrstuvwxyz",
    "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "23456789",
    "-_.!@#%+=",
)


class AccountError(Exception):
    """A refusal the person can act on; ``str()`` gives the message in the current language."""

    def __init__(self, message: object) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(AccountError):
    """The actor's role may not do this (三权分立), or nobody may do it to their own account."""


class PasswordRejected(AccountError):
    """A new password breaks the policy; ``problems`` says how."""

    def __init__(self, problems: list[PolicyViolation]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


# -- signing in ---------------------------------------------------------------------------------

def authenticate(db: Session, username: str, password: str) -> User | None:
    """The user with this login name and password if they may sign in now, else ``None``.

    Every refusal looks the same to the caller (unknown name, wrong password, locked, disabled), so
    the sign-in page tells a guesser nothing; an unknown name costs a password verification like a
    known one. A wrong password counts against the account in the database, shared by every app
    server; the ``LOGIN_MAX_FAILURES``-th locks it for ``LOGIN_LOCK_MINUTES``. A correct password
    hashed with outdated parameters is hashed again. Every refusal is audited.
    """
    with scoped(db, Scope.system()):  # nobody is signed in yet: no department to scope by
        user = _lock_user(db, User.username == username.strip().lower())
        matches = verify_password(user.password_hash if user else None, password)
        refusal = _refusal(user) or (None if matches else "wrong password")
        if refusal is None:
            assert user is not None
            if not user.totp_enabled:
                # With a second factor the count stands until the code is right too: otherwise
                # re-entering the password would buy a guesser fresh tries at the code.
                _forget_failures(user)
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
        else:
            if user is not None and refusal == "wrong password":
                _count_failure(db, user)
            summary = {"reason": refusal}
            if user is None:
                summary["login_name"] = username.strip()[:64]
            audit.record(db, "sign_in_failed", ACCOUNT, user.id if user else None, summary)
        db.flush()
    return user if refusal is None else None


def verify_second_factor(db: Session, user: User, code: str) -> bool:
    """Whether ``code`` is ``user``'s current one-time code; a wrong code counts like a wrong password.

    A code is accepted once: its time step is stored, and a code of that step or an older one is
    refused like a wrong code (the row lock makes two concurrent uses of one code count once).
    """
    with scoped(db, Scope.system()):
        locked = _lock_user(db, User.id == user.id)
        assert locked is not None
        refusal = _refusal(locked)
        step = None
        if refusal is None and locked.totp_secret:
            step = totp.accepted_step(locked.totp_secret, code, locked.totp_last_step)
            if step is None and totp.accepted_step(locked.totp_secret, code) is not None:
                refusal = "reused code"  # for the trail only: the person sees a wrong code
        if refusal is None and step is None:
            refusal = "wrong code"
        if refusal in ("wrong code", "reused code"):
            _count_failure(db, locked)
        if refusal is None:
            locked.totp_last_step = step
            _forget_failures(locked)
        else:
            audit.record(db, "second_factor_failed", ACCOUNT, locked.id, {"reason": refusal})
        db.flush()
    return refusal is None


def complete_sign_in(db: Session, user: User) -> None:
    """Record that ``user`` passed every factor and is now signed in."""
    with scoped(db, Scope.system()):
        user.last_login_at = utcnow()
        audit.record(db, "sign_in", ACCOUNT, user.id)
        db.flush()


def sign_out(db: Session, row: UserSession) -> None:
    """End the session ``row`` at the user's request."""
    end_session(row, "signed_out")
    audit.record(db, "sign_out", ACCOUNT, row.user_id)
    db.flush()


def is_locked(user: User, now: datetime | None = None) -> bool:
    """Whether too many failures keep ``user`` from signing in at ``now``."""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def password_expired(user: User, now: datetime | None = None) -> bool:
    """Whether ``user`` must choose a new password before doing anything else.

    True at first sign-in and after an administrator's reset, and once the password is older than
    ``PASSWORD_MAX_AGE_DAYS`` (0 turns ageing off).
    """
    if user.must_change_password:
        return True
    days = current_app.config["PASSWORD_MAX_AGE_DAYS"]
    return bool(days) and user.password_changed_at <= (now or utcnow()) - timedelta(days=days)


def totp_required(user: User) -> bool:
    """Whether ``user``'s role requires a second factor (the three administrator roles)."""
    return user.role.is_admin


def requires_totp_enrolment(user: User) -> bool:
    """Whether ``user``'s role requires a second factor that they have not enrolled yet."""
    return totp_required(user) and not user.totp_enabled


def _lock_user(db: Session, condition: ColumnElement[bool]) -> User | None:
    # FOR UPDATE (PostgreSQL; SQLite serialises writers anyway) so that concurrent attempts on
    # several app servers count every failure; OF keeps the lock off the joined department.
    return db.scalars(
        select(User).where(condition).with_for_update(of=User)
        .execution_options(populate_existing=True)
    ).one_or_none()


def _refusal(user: User | None) -> str | None:
    if user is None:
        return "unknown user"
    if user.disabled_at is not None:
        return "disabled"
    if is_locked(user):
        return "locked"
    return None


def _count_failure(db: Session, user: User) -> None:
    config = current_app.config
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
        # The count starts again so the owner gets the full number of tries once the lock ends.
        user.failed_logins = 0
        user.locked_until = utcnow() + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
        audit.record(db, "account_locked", ACCOUNT, user.id, {"until": user.locked_until})


def _forget_failures(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None


# -- passwords ----------------------------------------------------------------------------------

def change_password(db: Session, user: User, current_password: str, new_password: str,
                    current_session: UserSession | None = None) -> None:
    """Replace ``user``'s own password after checking the current one and the policy.

    Every other session of the user ends: whoever knew the old password is signed out.
    """
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("The current password is not correct."))
    if new_password == current_password:
        raise AccountError(_l("The new password must differ from the current one."))
    _set_password(user, new_password, must_change=False)
    end_all_sessions(db, user, "password_changed", keep=current_session)
    audit.record(db, "password_change", ACCOUNT, user.id)
    db.flush()


def reset_password(db: Session, actor: User | None, user: User) -> str:
    """Give ``user`` a generated one-time password, returned to be handed over once.

    System administrator only (business accounts; the console any account). The user must choose
    a new password at next sign-in, and every session of theirs ends now.
    """
    _require(actor, Permission.MANAGE_USERS)
    _not_own_account(actor, user)
    _business_account(actor, user)
    password = generate_password(user.username)
    _set_password(user, password, must_change=True)
    end_all_sessions(db, user, "password_reset")
    audit.record(db, "password_reset", ACCOUNT, user.id)
    db.flush()
    return password


def generate_password(username: str) -> str:
    """A random one-time password meeting the policy: all four character classes, not the name."""
    pick = secrets.SystemRandom()
    while True:
        chars = [secrets.choice(group) for group in _PASSWORD_GROUPS]
        alphabet = "".join(_PASSWORD_GROUPS)
        chars += [secrets.choice(alphabet) for _ in range(GENERATED_PASSWORD_LENGTH - len(chars))]
        pick.shuffle(chars)
        password = "".join(chars)
        if username.lower() not in password.lower():
            return password


def _set_password(user: User, password: str, must_change: bool) -> None:
    problems = check_policy(password, user.username, current_app.config["PASSWORD_MIN_LENGTH"])
    if problems:
        raise PasswordRejected(problems)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = must_change


# -- accounts (system administrator) ------------------------------------------------------------

def create_user(db: Session, actor: User | None, *, username: str, display_name: str,
                role: Role, department: Department, email: str | None = None,
                phone: str | None = None, password: str | None = None) -> tuple[User, str | None]:
    """Create an account; return it with its generated one-time password (``None`` if one was given).

    System administrator only, and only business roles: administrator accounts are created at the
    console, so no administrator can make another. The user must change the password at first
    sign-in either way.
    """
    _require(actor, Permission.MANAGE_USERS)
    if actor is not None and role not in BUSINESS_ROLES:
        raise NotAllowed(_l("Administrator accounts are created at the server console."))
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError(_l("A login name has 3 to 64 characters: lower-case letters, digits, "
                              "dot, dash or underscore, starting with a letter or digit."))
    display_name = display_name.strip()
    if not display_name:
        raise AccountError(_l("Enter the person's name."))
    if not department.active:
        raise AccountError(_l("Department %(code)s is inactive.", code=department.code))
    with scoped(db, Scope.system()):  # login names are unique across every department
        taken = db.scalars(select(User.id).where(User.username == username)).first()
    if taken is not None:
        raise AccountError(_l("The login name %(name)s is taken.", name=username))
    user = User(username=username, display_name=display_name, role=role,
                department_id=department.id, email=email or None, phone=phone or None,
                locale="zh", failed_logins=0, password_hash="")
    generated = None
    if not password:
        password = generated = generate_password(username)
    _set_password(user, password, must_change=True)
    db.add(user)
    db.flush()
    return user, generated


def disable_user(db: Session, actor: User | None, user: User) -> None:
    """Disable ``user``'s account and end every session of theirs at once (system administrator)."""
    _require(actor, Permission.MANAGE_USERS)
    _not_own_account(actor, user)
    _business_account(actor, user)
    if user.disabled_at is not None:
        return
    user.disabled_at = utcnow()
    ended = end_all_sessions(db, user, "disabled")
    audit.record(db, "user_disable", ACCOUNT, user.id, {"sessions_ended": ended})
    db.flush()


def enable_user(db: Session, actor: User | None, user: User) -> None:
    """Let a disabled account sign in again (system administrator)."""
    _require(actor, Permission.MANAGE_USERS)
    _not_own_account(actor, user)
    _business_account(actor, user)
    if user.disabled_at is None:
        return
    user.disabled_at = None
    audit.record(db, "user_enable", ACCOUNT, user.id)
    db.flush()


# -- roles and locks (security administrator) ---------------------------------------------------

def assign_role(db: Session, actor: User, user: User, role: Role) -> None:
    """Give ``user`` the role ``role`` (security administrator; never their own role).

    A user given an administrator role is sent to enrol a second factor on their next page.
    """
    _require(actor, Permission.ASSIGN_ROLES)
    if actor.id == user.id:
        raise NotAllowed(_l("Nobody may change their own role."))
    if user.role is role:
        return
    previous = user.role
    user.role = role
    audit.record(db, "role_change", ACCOUNT, user.id, {"from": previous.value, "to": role.value})
    db.flush()


def unlock_user(db: Session, actor: User, user: User) -> None:
    """Lift a lock from too many failed sign-ins (security administrator)."""
    _require(actor, Permission.ASSIGN_ROLES)
    _forget_failures(user)
    audit.record(db, "unlock", ACCOUNT, user.id)
    db.flush()


def reset_totp(db: Session, actor: User, user: User) -> None:
    """Remove ``user``'s second factor, e.g. after a lost phone (security administrator).

    Their sessions end; an administrator enrols a new factor at next sign-in.
    """
    _require(actor, Permission.ASSIGN_ROLES)
    _not_own_account(actor, user)
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    end_all_sessions(db, user, "totp_reset")
    audit.record(db, "totp_reset", ACCOUNT, user.id)
    db.flush()


# -- the user's own second factor ---------------------------------------------------------------

def enable_totp(db: Session, user: User, secret: str, code: str) -> bool:
    """Turn on the second factor with ``secret`` once ``code`` proves the app holds it."""
    if user.totp_enabled:
        raise AccountError(_l("The second factor is already on."))
    step = totp.accepted_step(secret, code) if totp.is_secret(secret) else None
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step  # the enrolment code may not sign in as well
    audit.record(db, "totp_enrol", ACCOUNT, user.id)
    db.flush()
    return True


def remove_totp(db: Session, user: User, password: str, code: str) -> None:
    """Turn off ``user``'s own second factor, given the password and a current code.

    Administrators must keep theirs.
    """
    if totp_required(user):
        raise NotAllowed(_l("Administrators must keep the second factor."))
    valid = verify_password(user.password_hash, password) and bool(user.totp_secret) \
        and totp.verify(user.totp_secret or "", code, user.totp_last_step)
    if not valid:
        raise AccountError(_l("The password or the code is not correct."))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    audit.record(db, "totp_remove", ACCOUNT, user.id)
    db.flush()


# -- the separation of duties -------------------------------------------------------------------

def _require(actor: User | None, permission: Permission) -> None:
    if actor is not None and not has_permission(actor.role, permission):
        raise NotAllowed(_l("Your role may not do this."))


def _not_own_account(actor: User | None, user: User) -> None:
    if actor is not None and actor.id == user.id:
        raise NotAllowed(_l("Ask another administrator to do this to your own account."))


def _business_account(actor: User | None, user: User) -> None:
    # Administrator accounts are managed at the console, so no administrator can disable or take
    # over another (which would let one of the three roles silence the others).
    if actor is not None and user.role not in BUSINESS_ROLES:
        raise NotAllowed(_l("Administrator accounts are managed at the server console."))
