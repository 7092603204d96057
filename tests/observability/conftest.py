"""Apps of their own for the observability tests (unreachable or unmigrated databases)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from spotcheck.app import create_app
from spotcheck.db import get_database


@pytest.fixture
def build_probe_app(app_config: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """``build_probe_app(**settings)``: an app like the session's, with ``settings`` changed."""
    built: list[Flask] = []

    def build(**settings: Any) -> Flask:
        app = create_app({**app_config, "SYNC_PLUGINS_ON_START": False, **settings})
        built.append(app)
        return app

    yield build
    for app in built:
        get_database(app).engine.dispose()
