"""Verifying a proof from the command line: ``spotcheck verify-draw PROOF.json``, and the same file
run alone by anyone with nothing but Python's standard library."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = ROOT / "platform" / "spotcheck" / "draw" / "verify_draw.py"
VECTORS = Path(__file__).resolve().parent / "data" / "draw-v1-vectors"
BASIC = VECTORS / "basic.json"


@pytest.fixture
def tampered(tmp_path: Path) -> Path:
    """The basic vector with one character of its public entropy changed."""
    proof = json.loads(BASIC.read_text(encoding="utf-8"))
    proof["public_entropy"] = proof["public_entropy"].replace("9", "8")
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(proof, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def unreadable(tmp_path: Path) -> Path:
    path = tmp_path / "truncated.json"
    path.write_text(BASIC.read_text(encoding="utf-8")[:500], encoding="utf-8")
    return path


def summary_of(name: str) -> list[str]:
    proof = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return [f"draw {proof['draw_id']}: the proof recomputes (spotcheck-draw-v1)",
            f"  seed         {proof['seed']}"]


@pytest.mark.parametrize("name", ["basic.json", "edges.json"])
def test_spotcheck_verify_draw_prints_the_summary_and_exits_0(app: Flask, name: str):
    result = app.test_cli_runner().invoke(args=["verify-draw", str(VECTORS / name)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == summary_of(name)
    assert "  replacements " in result.output


def test_spotcheck_verify_draw_names_the_first_mismatch_and_exits_1(app: Flask, tampered: Path):
    result = app.test_cli_runner().invoke(args=["verify-draw", str(tampered)])
    assert result.exit_code == 1
    assert result.output.startswith("MISMATCH at seed: expected ")


def test_spotcheck_verify_draw_exits_2_on_a_file_that_is_not_json(app: Flask, unreadable: Path):
    result = app.test_cli_runner().invoke(args=["verify-draw", str(unreadable)])
    assert result.exit_code == 2
    assert f"cannot read {unreadable}" in result.output


def test_spotcheck_verify_draw_exits_2_on_a_missing_file(app: Flask, tmp_path: Path):
    result = app.test_cli_runner().invoke(args=["verify-draw", str(tmp_path / "absent.json")])
    assert result.exit_code == 2


def test_spotcheck_verify_draw_reads_standard_input(app: Flask):
    result = app.test_cli_runner().invoke(args=["verify-draw", "-"], input=BASIC.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == summary_of("basic.json")


# --- the one file, alone ---------------------------------------------------------------------

@pytest.fixture
def lone_verifier(tmp_path: Path) -> Path:
    """A copy of verify_draw.py in an empty folder outside the repository."""
    folder = tmp_path / "download"
    folder.mkdir()
    return Path(shutil.copy(VERIFIER, folder / "verify_draw.py"))


def run_alone(verifier: Path, proof: Path) -> subprocess.CompletedProcess[str]:
    # -I ignores PYTHON* variables, the user's site-packages and the current folder; -S skips
    # site-packages altogether, the virtual environment's included: only the standard library is
    # left to import from.
    return subprocess.run([sys.executable, "-I", "-S", str(verifier), str(proof)], cwd=verifier.parent,
                          capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)


@pytest.mark.parametrize("name", ["basic.json", "edges.json"])
def test_the_verifier_runs_alone_on_the_standard_library(lone_verifier: Path, name: str):
    done = run_alone(lone_verifier, VECTORS / name)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[:2] == summary_of(name)


def test_the_lone_verifier_names_the_first_mismatch_and_exits_1(lone_verifier: Path, tampered: Path):
    done = run_alone(lone_verifier, tampered)
    assert done.returncode == 1
    assert done.stdout.startswith("MISMATCH at seed: expected ")


def test_the_lone_verifier_exits_2_on_a_file_that_is_not_json(lone_verifier: Path, unreadable: Path):
    done = run_alone(lone_verifier, unreadable)
    assert done.returncode == 2
    assert f"cannot read {unreadable}" in done.stderr


def test_the_verifier_imports_nothing_but_the_standard_library():
    source = VERIFIER.read_text(encoding="utf-8")
    imported = {line.split()[1].split(".")[0] for line in source.splitlines()
                if line.startswith(("import ", "from "))}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
