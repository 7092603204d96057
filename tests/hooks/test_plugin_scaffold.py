"""``spotcheck plugin new``: the plugin it writes loads through its entry point, syncs, and passes
its own tests unchanged.

Nothing is installed into the test environment: the written plugin is found the way an installed
one is, through a ``*.dist-info/entry_points.txt`` on ``sys.path`` (in a temporary folder), and its
own tests run with pytest in a subprocess seeing that folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.hooks import build_plugin_manager
from spotcheck.hooks.scaffold import plugin_cli
from spotcheck.plugin_sync import sync_from_plugins
from spotcheck.registry.items.models import CheckItem
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

NAME_ZH = "城东区住房和城乡建设局"
NAME_EN = "Chengdong District Housing and Urban-Rural Development Bureau"


def scaffold(parent: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(plugin_cli, ["new", *args, "--dir", str(parent)])
    return result.exit_code, result.output


@pytest.fixture
def written(tmp_path: Path) -> Path:
    """Plugin ZJJ written into ``tmp_path``, with the metadata an installation would leave."""
    exit_code, output = scaffold(tmp_path, "ZJJ", "--name", NAME_ZH, "--name-en", NAME_EN)
    assert exit_code == 0, output
    dist_info = tmp_path / "site" / "spotcheck_zjj-0.1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: spotcheck-zjj\nVersion: 0.1.0\n")
    # The entry point exactly as the written pyproject.toml declares it.
    pyproject = (tmp_path / "zjj" / "pyproject.toml").read_text(encoding="utf-8")
    [line] = [line for line in pyproject.splitlines() if line.startswith("zjj = ")]
    (dist_info / "entry_points.txt").write_text(
        f"[spotcheck.departments]\nzjj = {line.split('=', 1)[1].strip().strip(chr(34))}\n")
    return tmp_path


@pytest.fixture
def on_path(written: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``written`` importable and its entry point visible, in this process, for this test only."""
    monkeypatch.syspath_prepend(str(written / "site"))
    monkeypatch.syspath_prepend(str(written / "zjj"))
    yield written
    for name in [m for m in sys.modules if m == "spotcheck_zjj" or m.startswith("spotcheck_zjj.")]:
        del sys.modules[name]


def test_the_written_plugin_loads_through_its_entry_point_and_syncs(on_path: Path,
                                                                    db_session: Session) -> None:
    registry = build_plugin_manager(["zjj"])

    assert registry.refused == [], [str(e) for r in registry.refused for e in r.errors]
    zjj = registry.loaded["ZJJ"]
    assert (zjj.name, zjj.version) == ("zjj", "0.1.0")
    assert (zjj.department.name_zh, zjj.department.contract_version) == (NAME_ZH, 1)
    assert set(zjj.items) == {"licensed_activity"} and set(zjj.forms) == {"licensed_activity_record"}
    report = sync_from_plugins(db_session, registry)
    db_session.commit()
    assert "ZJJ" in report.departments.created
    with scoped(db_session, Scope.system()):
        department = db_session.scalars(select(Department).where(Department.code == "ZJJ")).one()
        items = db_session.scalars(select(CheckItem).where(CheckItem.department_id == department.id)).all()
    assert (department.plugin, department.name_en) == ("zjj", NAME_EN)
    assert [item.code for item in items] == ["licensed_activity"]


def test_the_written_plugin_passes_its_own_tests_unchanged(written: Path) -> None:
    paths = [str(written / "site"), str(written / "zjj"), os.environ.get("PYTHONPATH", "")]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--db", "sqlite", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=written / "zjj", env=environment, capture_output=True, text=True, timeout=600)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "11 passed" in result.stdout


@pytest.mark.parametrize("code", ["zjj", "Z", "OFFICE", "1ABC"])
def test_a_code_that_is_no_department_code_is_refused(tmp_path: Path, code: str) -> None:
    exit_code, output = scaffold(tmp_path, code)

    assert exit_code != 0 and "is not a department code" in output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "zjj").mkdir()
    (tmp_path / "zjj" / "notes.txt").write_text("mine")

    exit_code, output = scaffold(tmp_path, "ZJJ")

    assert exit_code != 0 and "exists already: nothing written" in output
    assert [p.name for p in (tmp_path / "zjj").iterdir()] == ["notes.txt"]
