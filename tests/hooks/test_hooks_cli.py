"""``spotcheck plugins`` and ``spotcheck plugins sync``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.hooks import build_plugin_manager
from spotcheck.hooks.cli import plugins_cli
from spotcheck.tenancy.models import Department


def test_lists_loaded_plugins(app: Flask) -> None:
    result = app.test_cli_runner().invoke(plugins_cli)

    assert result.exit_code == 0, result.output
    assert "SCJG  城东区市场监督管理局 / Chengdong District Market Regulation Bureau  " \
           "[plugin scjg 0.1.0, contract 1]  5 items, 5 forms, 16 follow-up rules" in result.output
    assert "Refused (0):" in result.output


def test_lists_refusals_with_their_errors(app: Flask, monkeypatch: pytest.MonkeyPatch,
                                          make_plugin: Callable[..., Any]) -> None:
    broken = make_plugin(edit=lambda items, **_: items[0].update(form="missing"))
    monkeypatch.setitem(app.extensions, "spotcheck.plugins",
                        build_plugin_manager(["scjg"], [("fake", broken)]))

    result = app.test_cli_runner().invoke(plugins_cli)

    assert result.exit_code == 1
    assert "Loaded (1):" in result.output and "Refused (1):" in result.output
    assert "  fake 2.3.4\n    - plugin 'fake': item 'public_place_hygiene': $.form: unknown " \
           "form 'missing'; forms of this plugin: hygiene_record\n" in result.output


def test_sync_command_commits_departments(app: Flask, db_session: Session,
                                          monkeypatch: pytest.MonkeyPatch,
                                          make_plugin: Callable[..., Any]) -> None:
    monkeypatch.setitem(app.extensions, "spotcheck.plugins",
                        build_plugin_manager(["scjg"], [("fake", make_plugin())]))

    result = app.test_cli_runner().invoke(plugins_cli, ["sync"])

    assert result.exit_code == 0, result.output
    assert "created: WJW\n" in result.output
    fake = db_session.scalars(select(Department).where(Department.code == "WJW")).one()
    assert (fake.plugin, fake.active) == ("fake", True)
