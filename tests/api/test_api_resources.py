"""/api/v1/me, /api/v1/departments and /api/v1/plugins."""

from __future__ import annotations

import pluggy
import pytest

from spotcheck.api.tokens import create_token
from spotcheck.hooks import PluginError, PluginRegistry
from spotcheck.tenancy.roles import Role


def bearer(db_session, user):
    _token, secret = create_token(db_session, user, "test")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_me_describes_the_tokens_user(client, db_session, factories):
    user = factories.user("head", "SCJG", must_change_password=False, display_name="王科长")
    body = client.get("/api/v1/me", headers=bearer(db_session, user)).get_json()
    assert body["id"] == user.id
    assert body["username"] == user.username
    assert body["display_name"] == "王科长"
    assert body["role"] == "head"
    assert body["department"]["code"] == "SCJG"
    assert set(body["department"]) == {"code", "name_zh", "name_en", "level", "is_office"}
    assert "password_hash" not in body


def test_departments_lists_the_active_ones_by_code(client, db_session, factories):
    user = factories.user("staff", "ZZB", must_change_password=False)
    factories.department("ZZC").active = False
    db_session.commit()
    body = client.get("/api/v1/departments", headers=bearer(db_session, user)).get_json()
    codes = [department["code"] for department in body]
    assert codes == sorted(codes)
    assert "ZZB" in codes and "ZZC" not in codes
    assert {"code": "ZZB", "name_zh": "ZZB局", "name_en": "ZZB", "level": "district",
            "is_office": False} in body


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.SYSADMIN}, key=lambda r: r.value))
def test_plugins_are_for_the_system_administrator_only(client, db_session, factories, role):
    user = factories.user(role, "OFFICE" if role is Role.OFFICE else "SCJG")
    response = client.get("/api/v1/plugins", headers=bearer(db_session, user))
    assert response.status_code == 403
    assert response.get_json()["message"]["en"] == "Your role does not allow this."


def test_plugins_lists_loaded_and_refused(app, client, db_session, factories, monkeypatch):
    registry = PluginRegistry(pluggy.PluginManager("spotcheck"))
    for plugin in app.extensions["spotcheck.plugins"].loaded.values():
        registry.loaded[plugin.department.code] = plugin
    registry.refuse("broken", "0.1", [PluginError("broken", "'law' is a required property",
                                                  "item 'x'", "$.legal_basis[0]")])
    monkeypatch.setitem(app.extensions, "spotcheck.plugins", registry)

    admin = factories.user("sysadmin", "OFFICE")
    response = client.get("/api/v1/plugins", headers=bearer(db_session, admin))
    assert response.status_code == 200
    body = response.get_json()
    assert body["refused"] == [{"name": "broken", "version": "0.1", "errors": [
        {"definition": "item 'x'", "path": "$.legal_basis[0]",
         "message": "'law' is a required property"}]}]
    scjg = next(plugin for plugin in body["loaded"] if plugin["department"]["code"] == "SCJG")
    assert scjg["items"] == sorted(scjg["items"]) and scjg["items"]
    assert set(scjg) == {"name", "version", "department", "items", "forms", "rules"}
