"""``spotcheck import``: the command line's report and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from spotcheck.registry.areas import load_areas
from spotcheck.registry.importing.testing import csv_bytes
from spotcheck.registry.targets.models import Target
from spotcheck.registry.targets.testing import credit_code

AREAS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"


@pytest.fixture
def department(factories, db_session):
    load_areas(db_session, json.loads(AREAS.read_text(encoding="utf-8")))
    db_session.commit()
    return factories.department("AAA")


@pytest.fixture
def invoke(app, tmp_path):
    def run(data: bytes, *options: str, kind: str = "targets"):
        path = tmp_path / "file.csv"
        path.write_bytes(data)
        return app.test_cli_runner().invoke(args=["import", kind, str(path), *options])
    return run


def _count(db_session):
    return db_session.scalar(select(func.count()).select_from(Target.__table__))


GOOD = csv_bytes([[credit_code(1), "甲有限公司", "公司"]], header=("code", "name", "kind"))
BAD = csv_bytes([[credit_code(1), "甲有限公司", "公司"], ["91630102MA0000001Y", "乙", "公司"]],
                header=("code", "name", "kind"))


def test_a_good_file_exits_0_and_imports(invoke, db_session, department):
    result = invoke(GOOD, "--department", "AAA")
    assert result.exit_code == 0, result.output
    assert "applied" in result.output and "created 1" in result.output
    assert _count(db_session) == 1


def test_a_dry_run_exits_0_and_writes_nothing(invoke, db_session, department):
    result = invoke(GOOD, "--department", "AAA", "--dry-run")
    assert result.exit_code == 0
    assert "would be: created 1" in result.output
    assert _count(db_session) == 0


def test_problems_exit_1_with_the_report_in_both_languages(invoke, db_session, department):
    result = invoke(BAD, "--department", "AAA")
    assert result.exit_code == 1
    assert "row 3, column code:" in result.output
    assert "校验位" in result.output and "check digit" in result.output
    assert _count(db_session) == 0


def test_valid_only_imports_the_rest_and_still_exits_1(invoke, db_session, department):
    result = invoke(BAD, "--department", "AAA", "--valid-only")
    assert result.exit_code == 1
    assert _count(db_session) == 1


def test_a_forced_wrong_encoding_exits_1(invoke, department):
    gbk = csv_bytes([[credit_code(1), "甲有限公司", "公司"]], header=("code", "name", "kind"), encoding="gbk")
    result = invoke(gbk, "--department", "AAA", "--encoding", "utf-8")
    assert result.exit_code == 1
    assert "Line 2 is not valid UTF-8" in result.output


def test_an_unknown_department_is_a_usage_error(invoke, department):
    result = invoke(GOOD, "--department", "NOPE")
    assert result.exit_code == 2
    assert "no member unit" in result.output
