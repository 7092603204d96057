"""Fixtures of the publication tests: two departments and a reviewed joint check between them."""

from __future__ import annotations

import pytest

from spotcheck.publication.testing import make_reviewed_tasks


@pytest.fixture
def departments(factories):
    factories.department("CCC")
    return factories.department("AAA"), factories.department("BBB")


@pytest.fixture
def reviewed(db_session, departments):
    """A reviewed joint task of AAA (initiator) and BBB: the check ended Monday 3 March 2025."""
    initiator, participant = departments
    return make_reviewed_tasks(db_session, initiator, [participant])[0]
