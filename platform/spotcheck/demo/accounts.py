"""Demo accounts: one per role, with sign-in details that everybody knows.

For a newcomer's machine and for demonstrations only. The password and the second-factor secret
below are public (they are printed and in the source), so :func:`load_demo` refuses to run on a
database that has an administrator account of its own: a real platform always has one, made at
the server console, and a demo database never does.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.db import utcnow
from spotcheck.hooks import SyncReport, get_registry, sync_departments
from spotcheck.hooks.validation import OFFICE_CODE
from spotcheck.tenancy import service
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.roles import ADMIN_ROLES, Role

DEMO_PASSWORD = "Demo-Chengdong-2025"
"""The password of every demo account (DEMO ONLY: public)."""

DEMO_TOTP_SECRET = "DEMOONLYSPOTCHECKTOTPSECRET23456"
"""The second-factor secret of the demo administrators (DEMO ONLY: public)."""

DEMO_DEPARTMENT = "SCJG"
"""The member unit whose head, staff member and inspector are demo accounts."""


@dataclass(frozen=True)
class DemoAccount:
    """A demo account to create."""

    username: str
    display_name: str
    role: Role
    department_code: str

    @property
    def needs_code(self) -> bool:
        """Whether signing in asks for a one-time code (administrators, by policy)."""
        return self.role in ADMIN_ROLES


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("demo-sysadmin", "王建国", Role.SYSADMIN, OFFICE_CODE),
    DemoAccount("demo-secadmin", "陈静", Role.SECADMIN, OFFICE_CODE),
    DemoAccount("demo-auditadmin", "刘洋", Role.AUDITADMIN, OFFICE_CODE),
    DemoAccount("demo-office", "赵敏", Role.OFFICE, OFFICE_CODE),
    DemoAccount("demo-head", "孙立军", Role.HEAD, DEMO_DEPARTMENT),
    DemoAccount("demo-staff", "周婷", Role.STAFF, DEMO_DEPARTMENT),
    DemoAccount("demo-inspector", "马俊", Role.INSPECTOR, DEMO_DEPARTMENT),
)


class DemoRefused(Exception):
    """The demo data cannot be loaded into this database; the message says why and what to do."""


@dataclass(frozen=True)
class LoadedAccount:
    """A demo account after loading: ``created`` now, or already there (and left as it was)."""

    account: DemoAccount
    created: bool


def load_demo(db: Session) -> tuple[SyncReport, list[LoadedAccount]]:
    """Make sure the departments and every demo account exist; safe to run again and again.

    Departments are synced from the loaded plugins first. An existing demo account is left as it
    is (its password may have been changed since). Runs in ``db``'s unit of work, which must be in
    the system scope; the caller commits.
    """
    report = sync_departments(db, get_registry())
    _refuse_real_platform(db)
    departments = {d.code: d for d in db.scalars(select(Department).where(Department.active.is_(True)))}
    missing = sorted({a.department_code for a in DEMO_ACCOUNTS} - departments.keys())
    if missing:
        raise DemoRefused(f"department {', '.join(missing)} is not loaded: install its plugin "
                          "(`make run` installs the bundled ones) and run `spotcheck plugins`")
    usernames = [a.username for a in DEMO_ACCOUNTS]
    existing = set(db.scalars(select(User.username).where(User.username.in_(usernames))))
    loaded = []
    for account in DEMO_ACCOUNTS:
        if account.username not in existing:
            _create(db, account, departments[account.department_code])
        loaded.append(LoadedAccount(account, created=account.username not in existing))
    db.flush()
    return report, loaded


def _refuse_real_platform(db: Session) -> None:
    demo_names = [a.username for a in DEMO_ACCOUNTS]
    own_admin = db.scalars(
        select(User.username).where(User.role.in_(ADMIN_ROLES), User.username.not_in(demo_names))
    ).first()
    if own_admin is not None:
        raise DemoRefused(
            f"this database has an administrator account of its own ({own_admin}): it looks like "
            "a real platform, and the demo accounts' sign-in details are public. Load the demo "
            "into a fresh database (e.g. remove instance/spotcheck.sqlite3).")


def _create(db: Session, account: DemoAccount, department: Department) -> None:
    user, _generated = service.create_user(
        db, None, username=account.username, display_name=account.display_name,
        role=account.role, department=department, password=DEMO_PASSWORD)
    user.must_change_password = False
    user.locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    if account.needs_code:
        user.totp_secret = DEMO_TOTP_SECRET
        user.totp_enabled_at = utcnow()


def acting_user(db: Session, department_code: str, role: Role) -> User:
    """Who acts for ``department_code`` in ``role`` in the demo's history: its demo account, or
    (for a department without demo accounts, or when the accounts were not loaded) a stand-in
    that is never saved, named like ``wsjk-head``, as the records name whoever acted."""
    account = next((a for a in DEMO_ACCOUNTS if a.department_code == department_code and a.role is role), None)
    user = db.scalar(select(User).where(User.username == account.username)) if account else None
    return user or User(id=None, username=f"{department_code.lower()}-{role.value}", role=role)
