"""deploy/gunicorn.conf.py: every name it sets is a gunicorn setting (gunicorn ignores misspelt
ones), workers follow the cores unless the environment says otherwise, and logs are JSON."""

from __future__ import annotations

import json
import logging.config
import multiprocessing
import os
import runpy
from pathlib import Path

from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
OWN_NAMES = {"metrics_dir"}
"""Module-level names of the file that are its own, not gunicorn's."""


def _load(monkeypatch, tmp_path, **environ: str) -> dict:
    monkeypatch.setenv("SPOTCHECK_METRICS_DIR", str(tmp_path / "metrics"))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(CONF))
    # The file exports the metrics folder to the workers; keep it out of the rest of the run
    # (monkeypatch puts back the state before the first delenv: unset).
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return {name: value for name, value in settings.items() if not name.startswith("_")
            and not isinstance(value, type(json)) and name not in OWN_NAMES}


def test_every_name_is_a_gunicorn_setting(monkeypatch, tmp_path):
    known = set(Config().settings)
    assert set(_load(monkeypatch, tmp_path)) - known == set()


def test_workers_follow_the_cores_unless_the_environment_says(monkeypatch, tmp_path):
    assert _load(monkeypatch, tmp_path)["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert _load(monkeypatch, tmp_path, SPOTCHECK_WORKERS="3")["workers"] == 3
    assert _load(monkeypatch, tmp_path, SPOTCHECK_BIND="10.0.0.11:8000")["bind"] == "10.0.0.11:8000"


def test_the_log_configuration_writes_json(monkeypatch, tmp_path, capsys):
    logconfig = _load(monkeypatch, tmp_path)["logconfig_dict"]
    logconfig["handlers"]["stderr"]["stream"] = "ext://sys.stdout"
    loggers = [logging.getLogger(name) for name in ("", *logconfig["loggers"])]
    saved = [(logger, logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    logging.config.dictConfig(logconfig)
    try:
        logging.getLogger("gunicorn.error").info("Booting worker with pid: %s", 42)
        entry = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    finally:
        for logger, handlers, level, propagate in saved:
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
    assert entry["message"] == "Booting worker with pid: 42" and entry["logger"] == "gunicorn.error"
