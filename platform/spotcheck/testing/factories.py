"""Test data makers: departments, users, signed-in browsers."""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
import pyotp
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spotcheck.db import utcnow
from spotcheck.tenancy.models import Department, User, UserSession
from spotcheck.tenancy.passwords import hash_password
from spotcheck.tenancy.roles import Role
from spotcheck.tenancy.sessions import start_session, token_hash

TEST_PASSWORD = "Correct-Horse-9"
# Hashing with argon2 for every test user would dominate the suite's run time.
_TEST_PASSWORD_HASH: list[str] = []
_serial = itertools.count(1)


class Factories:
    """Makes rows in the test's transaction and commits them (to its savepoint)."""

    def __init__(self, app: Flask, db_session: Session) -> None:
        self.app = app
        self.db = db_session

    def department(self, code: str, name_zh: str | None = None, **fields: Any) -> Department:
        """The department ``code``, made when it does not exist yet."""
        found = self.db.scalars(select(Department).where(Department.code == code)).one_or_none()
        if found is not None:
            return found
        department = Department(code=code, name_zh=name_zh or f"{code}局", name_en=fields.pop("name_en", code),
                                level=fields.pop("level", "district"), is_office=fields.pop("is_office", False),
                                active=True, **fields)
        self.db.add(department)
        self.db.commit()
        return department

    def user(self, role: str | Role, department: str = "SCJG", password: str | None = None,
             **fields: Any) -> User:
        """A new user of ``role`` in ``department`` (made if missing), password :data:`TEST_PASSWORD`."""
        role = Role(role)
        dept = self.department("OFFICE", "联席办", is_office=True) if department == "OFFICE" \
            else self.department(department)
        n = next(_serial)
        fields.setdefault("username", f"{role.value}{n}")
        fields.setdefault("display_name", f"测试用户{n}")
        if role.is_admin and "totp_secret" not in fields:
            # Administrators must hold a second factor (the sign-in gate sends them to enrol).
            fields.update(totp_secret=pyotp.random_base32(), totp_enabled_at=utcnow())
        user = User(role=role, department_id=dept.id,
                    password_hash=hash_password(password) if password else _test_hash(), **fields)
        self.db.add(user)
        self.db.commit()
        return user

    def signed_in_client(self, user: User) -> FlaskClient:
        """A browser holding a live, fully authenticated session of ``user``."""
        with self.app.test_request_context():
            token = start_session(self.db, user, "127.0.0.1", "pytest")
        self.db.flush()
        self.db.execute(update(UserSession).where(UserSession.token_hash == token_hash(token))
                        .values(second_factor_done=True))
        self.db.commit()
        client = self.app.test_client()
        with client.session_transaction() as cookie:
            cookie["sid"] = token
        return client


def _test_hash() -> str:
    if not _TEST_PASSWORD_HASH:
        _TEST_PASSWORD_HASH.append(hash_password(TEST_PASSWORD))
    return _TEST_PASSWORD_HASH[0]
