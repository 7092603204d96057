import pytest

from spotcheck.console.testing import make_world


@pytest.fixture
def world(db_session, factories):
    departments = {code: factories.department(code) for code in ("AAA", "BBB", "CCC", "DDD")}
    return make_world(db_session, departments)
