"""/healthz answers while the process runs; /readyz only while the database answers and is migrated."""

from __future__ import annotations

from spotcheck import migrations
from spotcheck.db import get_database
from spotcheck.web.extensions import talisman


def test_healthz_answers_without_touching_the_database(build_probe_app):
    app = build_probe_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "revision": migrations.head_revision()}


def test_readyz_answers_503_while_the_database_is_unreachable(build_probe_app):
    app = build_probe_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["reason_zh"] == "数据库无响应"


def test_readyz_answers_503_until_the_database_is_migrated(build_probe_app, tmp_path):
    app = build_probe_app(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["expected"] == migrations.head_revision()
    assert "spotcheck db upgrade" in response.get_json()["reason"]
    migrations.upgrade(get_database(app).engine)
    assert app.test_client().get("/readyz").status_code == 200


def test_probes_are_not_redirected_to_https(build_probe_app, tmp_path):
    # Flask-Talisman keeps its settings on the one shared object, so the last app built sets them
    # for every app of the process: put back the session app's once this one has been tried.
    saved = dict(vars(talisman))
    try:
        app = build_probe_app(DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}", FORCE_HTTPS=True)
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503  # unmigrated, but answered over plain HTTP
        assert client.get("/public/").status_code == 302  # every other page still goes to HTTPS
    finally:
        vars(talisman).update(saved)
