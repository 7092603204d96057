"""A faulty plugin in a running platform: whether its hook raises, returns invalid data or is
missing, the plugin is refused with a message naming it and the hook, and the app starts with the
six bundled departments loaded, synced and its pages answering."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.db import get_database
from spotcheck.plugin_api import hookimpl
from spotcheck.plugin_sync import sync_from_plugins
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

SIX = ["RSJ", "SCJG", "STHJ", "WLJ", "WSJK", "YJGL"]


class NoDepartment:
    """A plugin without the required hook."""

    @hookimpl
    def spotcheck_check_items(self) -> list[Any]:
        return []


def raising(make_plugin: Callable[..., Any]) -> Any:
    class Raising(type(make_plugin())):  # type: ignore[misc]
        @hookimpl
        def spotcheck_checklist_forms(self) -> Any:
            raise RuntimeError("form store unreachable")

    return make_plugin(Raising)


FAULTS: dict[str, tuple[Callable[[Callable[..., Any]], Any], str]] = {
    "raises": (raising, "plugin 'faulty': spotcheck_checklist_forms() raised RuntimeError: "
                        "form store unreachable"),
    "returns invalid data": (lambda make: make(rules={"code": "not a list"}),
                             "plugin 'faulty': spotcheck_followup_rules() must return a list, not dict"),
    "misses the required hook": (lambda make: NoDepartment(),
                                 "plugin 'faulty': does not implement the required hook "
                                 "spotcheck_department()"),
}


@pytest.fixture
def app_with(app_config: dict[str, Any]) -> Iterator[Callable[[Any], Flask]]:
    """An app with one more (faulty) plugin installed beside the six."""
    built: list[Flask] = []

    def build(plugin: Any) -> Flask:
        from spotcheck.app import create_app

        built.append(create_app({**app_config, "SYNC_PLUGINS_ON_START": False,
                                 "SPOTCHECK_EXTRA_PLUGINS": [("faulty", plugin)]}))
        return built[-1]

    yield build
    for other in built:
        get_database(other).engine.dispose()


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_faulty_plugin_is_refused_by_name_and_hook_and_the_platform_keeps_working(
        app_with: Callable[[Any], Flask], make_plugin: Callable[..., Any], db_session: Session,
        fault: str) -> None:
    make, message = FAULTS[fault]
    app = app_with(make(make_plugin))
    registry = app.extensions["spotcheck.plugins"]

    assert [(r.name, [str(e) for e in r.errors]) for r in registry.refused] == [("faulty", [message])]
    assert sorted(registry.loaded) == SIX
    sync_from_plugins(db_session, registry)
    with scoped(db_session, Scope.system()):
        synced = db_session.scalars(select(Department.code).where(Department.plugin.is_not(None),
                                                                 Department.active)).all()
    assert sorted(synced) == SIX
    assert app.test_client().get("/sign-in").status_code == 200
