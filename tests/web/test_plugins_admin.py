"""The system administrator's plugin page: what loaded, what was refused, and every reason."""

from __future__ import annotations

import dataclasses

import pytest

from spotcheck.hooks import PluginError, RefusedPlugin


def test_the_system_administrator_sees_the_loaded_plugins(app, browser):
    client, _user = browser("sysadmin", "OFFICE")
    page = client.get("/admin/plugins/").get_data(as_text=True)

    registry = app.extensions["spotcheck.plugins"]
    assert registry.loaded, "the bundled SCJG plugin is installed in the test environment"
    for code, plugin in registry.loaded.items():
        assert f"<code>{code}</code>" in page
        assert plugin.department.name_zh in page
        assert f"<code>{plugin.name}</code>" in page
    assert "已安装的插件全部加载成功" in page


def test_every_reason_of_a_refused_plugin_is_shown(app, browser, monkeypatch):
    refused = RefusedPlugin(name="broken_dept", version="2.0.1", errors=(
        PluginError("broken_dept", "'' is too short", "item 'food_license'", "$.name_zh"),
        PluginError("broken_dept", "form 'missing_form' is not defined", "item 'food_license'",
                    "$.form"),
        PluginError("broken_dept", "does not implement the required hook spotcheck_department()"),
    ))
    monkeypatch.setattr(app.extensions["spotcheck.plugins"], "refused", [refused])
    client, _user = browser("sysadmin", "OFFICE")
    page = client.get("/admin/plugins/").get_data(as_text=True)

    assert "<code>broken_dept</code>" in page and "2.0.1" in page
    assert "有 1 个插件被拒绝加载" in page
    for error in refused.errors:
        assert str(error.message).replace("'", "&#39;") in page
    assert "<code>$.name_zh</code>" in page and "<code>$.form</code>" in page
    assert "item &#39;food_license&#39;" in page


def test_a_department_whose_plugin_is_gone_is_listed(browser, factories):
    factories.department("OLD", "原某某局", plugin="old_plugin", plugin_version="0.9")
    client, _user = browser("sysadmin", "OFFICE")
    page = client.get("/admin/plugins/").get_data(as_text=True)
    assert "原某某局" in page and "<code>old_plugin</code>" in page


@pytest.mark.parametrize(("role", "department"), [
    ("secadmin", "OFFICE"), ("auditadmin", "OFFICE"), ("office", "OFFICE"),
    ("head", "SCJG"), ("staff", "SCJG"), ("inspector", "SCJG"),
])
def test_other_roles_are_refused(browser, role, department):
    client, _user = browser(role, department)
    response = client.get("/admin/plugins/")
    assert response.status_code == 403
    assert "您无权访问此页面" in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/plugins/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_each_plugin_shows_its_contract_version_and_deprecation_warnings(app, browser, monkeypatch):
    registry = app.extensions["spotcheck.plugins"]
    warned = dataclasses.replace(registry.loaded["SCJG"], warnings=(PluginError(
        "scjg", "implements spotcheck_old_hook(), deprecated since contract version 1 and refused "
        "from version 2: use spotcheck_new_hook()"),))
    monkeypatch.setitem(registry.loaded, "SCJG", warned)
    client, _user = browser("sysadmin", "OFFICE")
    page = client.get("/admin/plugins/").get_data(as_text=True)

    assert "插件契约版本" in page and '<td class="num">1</td>' in page
    assert "弃用警告" in page and "implements spotcheck_old_hook()" in page
