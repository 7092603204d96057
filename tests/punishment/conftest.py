"""Fixtures of the joint punishment tests: the services read the app's configuration (the credit
rule, the repair periods, the plugins), as in a request."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def departments(factories):
    factories.department("CCC")
    return factories.department("AAA"), factories.department("BBB")
