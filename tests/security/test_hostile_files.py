"""Hostile files: the corpus of ``corpus/`` through the import, names that try to leave their
folder, a full disk under the evidence storage, and formula injection in every export."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from spotcheck.api.tokens import create_token
from spotcheck.inspection import evidence_testing as samples
from spotcheck.inspection.evidence import Storage
from spotcheck.inspection.models import Evidence
from spotcheck.inspection.testing import make_task
from spotcheck.registry.areas import load_areas
from spotcheck.registry.importing.testing import directory_digest, run_import
from spotcheck.registry.targets.models import Target
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.scope import Scope, scoped

CORPUS = Path(__file__).resolve().parent / "corpus"
AREAS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"

REFUSED_FILES = {
    "zip_bomb.xlsx": "compression_ratio",
    "billion_laughs.xlsx": "dtd",
    "external_entity.xlsx": "dtd",
    "truncated.xlsx": "corrupt",
    "not_a_zip.xlsx": "corrupt",
    "old_excel.xls": "xls",
    "empty.csv": "empty",
    "only_bom.csv": "no_header",
    "invalid_utf8.csv": "encoding",
    "utf16_without_bom.csv": "encoding",
    "lone_surrogate.csv": "encoding",
    "huge_field.csv": "csv",
    "lone_cr.csv": "csv",
    "many_columns.csv": "unknown_header",
    "nul_bytes.csv": "invisible_character",
    "unbalanced_quote.csv": "required",
}
"""Each corpus file the import refuses whole, and the problem code that says why."""


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def department(factories, db_session):
    load_areas(db_session, json.loads(AREAS.read_text(encoding="utf-8")))
    db_session.commit()
    return factories.department("AAA")


def bearer(db_session, user):
    _token, secret = create_token(db_session, user, "test")
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_every_corpus_file_is_named_in_the_test():
    assert {p.name for p in CORPUS.iterdir() if p.suffix != ".py"} == {
        *REFUSED_FILES, "formula_cells.csv", "formula_cells.xlsx", "bidi_and_invisible.csv"}


@pytest.mark.parametrize(("name", "reason"), sorted(REFUSED_FILES.items()))
def test_a_hostile_file_is_refused_with_its_reason_and_writes_nothing(db_session, department, name, reason):
    before = directory_digest(db_session)
    result = run_import(db_session, department, (CORPUS / name).read_bytes(), file_name=name)
    db_session.commit()
    assert result.status == "refused"
    problems = result.report.problems
    assert reason in {p.code for p in problems}, [(p.code, p.message_en) for p in problems]
    assert all(p.message_zh and p.message_en for p in problems)
    assert directory_digest(db_session) == before


def test_invisible_characters_are_refused_naming_the_row_and_code_point(db_session, department):
    result = run_import(db_session, department, (CORPUS / "bidi_and_invisible.csv").read_bytes(),
                        valid_only=True)
    db_session.commit()
    problems = {(p.row, p.field, p.code): p for p in result.report.problems}
    assert "U+202E" in problems[(2, "name", "invisible_character")].message_en
    assert "U+200B" in problems[(3, "name", "invisible_character")].message_zh
    assert (5, "code", "code_length") in problems or (5, "code", "invisible_character") in problems
    stored = {t.code: t for t in db_session.scalars(select(Target).where(Target.name.like("%公司")))}
    # Full-width digits are the same code, stored in ASCII; combining marks are ordinary text.
    assert credit_code(43) in stored and not any("\uff19" in code for code in stored)
    assert stored[credit_code(45)].name == "e\u0301\u0301\u0301公司"
    assert not any(c in t.name for t in stored.values() for c in "\u202e\u200b\u200d\ufeff")


def test_an_upload_name_cannot_leave_its_folder(app, client, db_session, factories, department, tmp_path,
                                                monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    task = make_task(db_session, department, [factories.department("BBB")])
    staff = factories.user("staff", "AAA", must_change_password=False)
    for name in ("../../../../etc/cron.d/evil.png", "..\\..\\windows\\evil.png", "/etc/passwd",
                 "evil.png\x00.sh", "\u202egnp.exe", "."):
        response = client.post(f"/api/v1/tasks/{task.id}/evidence", headers=bearer(db_session, staff),
                               data={"file": (io.BytesIO(samples.png()), name)})
        assert response.status_code == 201, response.get_json()
        shown = response.get_json()["filename"]
        assert "/" not in shown and "\\" not in shown and "\x00" not in shown and "\u202e" not in shown
        assert not shown.startswith(".")
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) == 6 and all(p.is_relative_to(tmp_path / "evidence") for p in stored)
    assert not (tmp_path / "etc").exists()
    run = client.post("/api/v1/imports/targets", headers=bearer(db_session, staff),
                      data={"file": (io.BytesIO((CORPUS / "empty.csv").read_bytes()), "../../x.csv")})
    assert run.status_code == 201 and run.get_json()["status"] == "refused"


@pytest.fixture
def full_disk(tmp_path):
    """A 256 KB tmpfs (root only: skipped elsewhere), filled up to its last block by the test."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_on_evidence_upload_is_a_clear_error_and_loses_nothing(
        app, client, db_session, factories, department, full_disk, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(full_disk / "evidence"))
    task = make_task(db_session, department, [factories.department("BBB")])
    staff = factories.user("staff", "AAA", must_change_password=False, locale="en")
    headers = bearer(db_session, staff)
    kept = client.post(f"/api/v1/tasks/{task.id}/evidence", headers=headers,
                       data={"file": (io.BytesIO(samples.jpeg()), "first.jpg")}).get_json()
    filler = full_disk / "filler"
    with filler.open("wb", buffering=0) as out:  # fill the file system: the kernel answers ENOSPC
        with pytest.raises(OSError, match="No space left"):
            while True:
                out.write(b"\0" * 4096)

    big = samples.pdf("x" * 200_000)
    response = client.post(f"/api/v1/tasks/{task.id}/evidence", headers=headers,
                           data={"file": (io.BytesIO(big), "report.pdf")})
    assert response.status_code == 503
    assert "could not be saved" in response.get_json()["message"]["en"]
    with scoped(db_session, Scope.system()):
        rows = db_session.scalars(select(Evidence).where(Evidence.task_id == task.id)).all()
    assert [row.id for row in rows] == [kept["id"]]
    assert Storage.of(app).path(rows[0].storage_key).read_bytes() == samples.jpeg()
    assert not [p for p in (full_disk / "evidence").rglob("*.part")]

    filler.unlink()  # room again: the same upload now succeeds
    retried = samples.attach_sample(db_session, task, staff, Storage.of(app), big, "report.pdf")
    assert Storage.of(app).path(retried.storage_key).read_bytes() == big


def test_formula_cells_are_defused_in_the_directory_and_open_data_exports(
        app, login_as, client, db_session, department):
    result = run_import(db_session, department, (CORPUS / "formula_cells.csv").read_bytes())
    db_session.commit()
    assert result.status == "applied", result.report.problems
    text = login_as("staff", "AAA").get("/registry/export?directory=targets&format=csv").get_data().decode(
        "utf-8-sig")
    for cell in ("=1+2", "@SUM(A1)", "+1+2", "-3-4"):
        assert f"'{cell}" in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text and ",+" not in text
