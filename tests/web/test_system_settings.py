"""The system settings page: the settings in force and where each comes from, secrets never shown."""

from __future__ import annotations

import pytest

from spotcheck.system.settings import Source, groups, mask_url


def _settings(app):
    return {s.name: s for group in groups(app) for s in group.settings}


@pytest.mark.parametrize(("role", "department"), [
    ("secadmin", "OFFICE"), ("auditadmin", "OFFICE"), ("office", "OFFICE"), ("head", "SCJG"),
    ("staff", "SCJG"), ("inspector", "SCJG"),
])
def test_only_the_system_administrator_sees_the_settings(browser, role, department):
    client, _user = browser(role, department)
    assert client.get("/admin/settings/").status_code == 403


def test_the_page_shows_the_rules_and_settings_in_chinese(browser):
    client, _user = browser("sysadmin", "OFFICE")
    page = client.get("/admin/settings/").get_data(as_text=True)
    assert "系统设置" in page
    assert "RESULT_DUE_WORKING_DAYS" in page and "DISCLOSURE_WORKING_DAYS" in page
    assert "SMTP_HOST" in page and "EVIDENCE_MAX_BYTES" in page


def test_secrets_are_never_shown(browser, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_PASSWORD", "smtp-password-do-not-show")
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "redis://:redis-password-do-not-show@cache:6379")
    client, _user = browser("sysadmin", "OFFICE")
    page = client.get("/admin/settings/").get_data(as_text=True)
    for secret in ("smtp-password-do-not-show", "redis-password-do-not-show", app.config["SECRET_KEY"]):
        assert secret not in page
    assert "redis://:***@cache:6379" in page


def test_a_database_password_is_masked():
    assert mask_url("postgresql+psycopg://spot:s3cret@db.example:5432/spotcheck") == \
        "postgresql+psycopg://spot:***@db.example:5432/spotcheck"
    assert mask_url("sqlite:////srv/spotcheck/spotcheck.sqlite3") == "sqlite:////srv/spotcheck/spotcheck.sqlite3"


def test_each_value_names_the_layer_that_set_it(app_config, monkeypatch, tmp_path):
    from spotcheck.app import create_app

    monkeypatch.setenv("SPOTCHECK_SESSION_IDLE_MINUTES", "20")
    monkeypatch.setenv("SPOTCHECK_SMTP_PORT", "25")
    app = create_app({**app_config, "SMTP_PORT": 465, "SYNC_PLUGINS_ON_START": False,
                      "EVIDENCE_DIR": str(tmp_path / "evidence")})
    shown = _settings(app)
    assert (shown["SESSION_IDLE_MINUTES"].value, shown["SESSION_IDLE_MINUTES"].source,
            shown["SESSION_IDLE_MINUTES"].where) == ("20", Source.ENVIRONMENT, "SPOTCHECK_SESSION_IDLE_MINUTES")
    assert (shown["SMTP_PORT"].value, shown["SMTP_PORT"].source) == ("465", Source.APPLICATION)
    assert shown["LOGIN_MAX_FAILURES"].source is Source.DEFAULT
    assert shown["EVIDENCE_DIR"].value == str((tmp_path / "evidence").resolve())
    assert shown["RESULT_DUE_WORKING_DAYS"].source is Source.RULE
