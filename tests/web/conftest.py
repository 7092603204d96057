"""Helpers of the web layer's tests: compiled catalogs, and browsers signed in as any role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyotp
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy import update

from spotcheck.db import utcnow
from spotcheck.tenancy.models import User, UserSession
from spotcheck.tenancy.roles import Role
from spotcheck.testing.factories import Factories

TRANSLATIONS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "translations"


def pytest_collection_finish(session: pytest.Session) -> None:
    """Compile the catalogs before any test renders a page (``make translations`` does it too).

    Before, not in a fixture: Flask-Babel keeps a catalog it has looked up for the whole process,
    so one found missing by an earlier test would stay missing.
    """
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


Browser = Callable[..., tuple[FlaskClient, User]]


@pytest.fixture
def browser(factories: Factories, db_session) -> Browser:
    """``browser("office", "OFFICE")``: a signed-in browser and its user, for any role.

    Administrators hold the second factor their role requires, and their session has passed it.
    """

    def sign_in(role: str, department: str = "SCJG", **fields) -> tuple[FlaskClient, User]:
        if Role(role).is_admin:
            fields.setdefault("totp_secret", pyotp.random_base32())
            fields.setdefault("totp_enabled_at", utcnow())
        user = factories.user(role, department, must_change_password=False, **fields)
        client = factories.signed_in_client(user)
        db_session.execute(update(UserSession).where(UserSession.user_id == user.id)
                           .values(second_factor_done=True))
        db_session.commit()
        return client, user

    return sign_in
