"""Evidence storage: size limit, SHA-256 recorded and checked again, files outside the web root
under random keys, written whole or not at all, and never a row without its file."""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import spotcheck
from spotcheck.audit.models import AuditRecord
from spotcheck.inspection import evidence, evidence_testing as samples
from spotcheck.inspection.evidence import EvidenceRefused, Storage, attach, open_verified
from spotcheck.inspection.models import Evidence
from spotcheck.inspection.testing import make_task
from spotcheck.tenancy.scope import Scope, scoped


@pytest.fixture
def storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    return Storage.of(app)


@pytest.fixture
def task(factories, db_session):
    return make_task(db_session, factories.department("AAA"), [factories.department("BBB")])


@pytest.fixture
def staff(factories):
    return factories.user("staff", "AAA")


def _rows(db_session, task):
    with scoped(db_session, Scope.system()):
        return db_session.scalars(select(Evidence).where(Evidence.task_id == task.id)).all()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_sha256_and_size_are_recorded_and_the_file_is_kept_byte_for_byte(db_session, task, staff, storage):
    data = samples.pdf("Sample 2025-03")
    row = samples.attach_sample(db_session, task, staff, storage, data, "检测报告.pdf")
    assert (row.sha256, row.size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert storage.path(row.storage_key).read_bytes() == data


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(db_session, task, staff, tmp_path):
    small = samples.storage_in(tmp_path / "evidence", max_bytes=1000)
    data = samples.pdf("x" * 1200)
    with pytest.raises(EvidenceRefused) as refused:
        attach(db_session, task, io.BytesIO(data), "big.pdf", None, staff, small)
    assert refused.value.code == "evidence_size"
    assert refused.value.message_en == "The file “big.pdf” is larger than the limit of 1000 B."
    assert _rows(db_session, task) == [] and _files(small.root) == []


def test_the_limit_is_the_configured_one(app, login_as, db_session, task, storage, monkeypatch):
    # Under the test client's own threshold for spooling a request body to a temporary file.
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 300 * 1024)
    big = samples.pdf("x" * (300 * 1024))
    response = login_as("staff", "AAA", locale="en").post(
        f"/tasks/{task.id}/evidence", content_type="multipart/form-data",
        data={"file": (io.BytesIO(big), "big.pdf")})
    assert response.status_code == 422
    assert "The file “big.pdf” is larger than the limit of 300 KB." in response.get_data(as_text=True)
    assert _rows(db_session, task) == []


def test_an_empty_file_is_refused(db_session, task, staff, storage):
    with pytest.raises(EvidenceRefused) as refused:
        attach(db_session, task, io.BytesIO(b""), "empty.jpg", None, staff, storage)
    assert refused.value.code == "evidence_empty"


def test_files_are_stored_under_random_keys_never_under_the_users_name(db_session, task, staff, storage):
    first = samples.attach_sample(db_session, task, staff, storage, filename="../../../../tmp/evil.png")
    second = samples.attach_sample(db_session, task, staff, storage, filename="../../../../tmp/evil.png")
    assert first.filename == second.filename == "evil.png"
    assert first.storage_key != second.storage_key
    stored = _files(storage.root)
    assert stored == sorted([storage.path(first.storage_key), storage.path(second.storage_key)])
    assert all("evil" not in str(p) for p in stored)


def test_a_key_that_is_not_one_of_ours_names_no_path(storage):
    for key in ("../../etc/passwd", "/etc/passwd", "ab/../../x", "A" * 32, ""):
        with pytest.raises(ValueError):
            storage.path(key)


def test_evidence_lives_outside_the_web_root_and_no_static_url_serves_it(app, login_as, db_session, task, staff):
    row = samples.attach_sample(db_session, task, staff, Storage.of(app))
    stored = Storage.of(app).path(row.storage_key)
    package = Path(spotcheck.__file__).resolve().parent
    assert stored.is_relative_to(Path(app.instance_path).resolve())
    assert not stored.is_relative_to(package)
    client = login_as("staff", "AAA")
    for url in (f"/assets/{row.storage_key}", f"/assets/../../evidence/{row.storage_key[:2]}/{row.storage_key}",
                f"/evidence/{row.storage_key[:2]}/{row.storage_key}"):
        assert client.get(url).status_code == 404


def test_the_evidence_folder_is_configurable(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "elsewhere"))
    assert Storage.of(app).root == (tmp_path / "elsewhere").resolve()
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", None)
    assert Storage.of(app).root == (Path(app.instance_path) / "evidence").resolve()


def test_a_storage_that_cannot_be_written_is_a_clear_error_and_saves_nothing(
        login_as, app, db_session, task, tmp_path, monkeypatch, caplog):
    # A file stands where the evidence folder should be: nothing can be created below it, just as
    # on a full or read-only disk.
    blocked = tmp_path / "evidence"
    blocked.write_text("not a folder")
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(blocked))
    with caplog.at_level(logging.ERROR, logger="spotcheck.inspection.evidence"):
        response = login_as("staff", "AAA", locale="en").post(
            f"/tasks/{task.id}/evidence", content_type="multipart/form-data",
            data={"file": (io.BytesIO(samples.png()), "photo.png")})
    assert response.status_code == 422
    assert ("The file “photo.png” could not be saved: the evidence storage cannot be written or is full"
            in response.get_data(as_text=True))
    assert "could not be written" in caplog.text
    assert _rows(db_session, task) == []
    assert blocked.read_text() == "not a folder"


def test_an_existing_stored_file_is_never_overwritten(db_session, task, staff, storage, monkeypatch):
    first = samples.attach_sample(db_session, task, staff, storage, samples.jpeg(), "a.jpg")
    monkeypatch.setattr(evidence.secrets, "token_hex", lambda _n: first.storage_key)
    with pytest.raises(EvidenceRefused) as refused:
        attach(db_session, task, io.BytesIO(samples.png()), "b.png", None, staff, storage)
    assert refused.value.code == "evidence_storage"
    assert storage.path(first.storage_key).read_bytes() == samples.jpeg()
    assert len(_files(storage.root)) == 1


def test_when_the_row_cannot_be_written_the_file_is_removed(db_session, task, staff, storage, monkeypatch):
    # The row of a lost file still holds its key: the new file may take the free name, but the
    # database refuses the duplicate key, and the file must not outlive its refused row.
    lost = samples.attach_sample(db_session, task, staff, storage)
    storage.path(lost.storage_key).unlink()
    monkeypatch.setattr(evidence.secrets, "token_hex", lambda _n: lost.storage_key)
    with pytest.raises(IntegrityError):
        attach(db_session, task, io.BytesIO(samples.jpeg()), "b.jpg", None, staff, storage)
    db_session.rollback()
    assert _files(storage.root) == []
    assert [r.id for r in _rows(db_session, task)] == [lost.id]


def test_the_hash_is_checked_again_when_the_file_is_read(db_session, task, staff, storage, caplog):
    row = samples.attach_sample(db_session, task, staff, storage)
    with open_verified(db_session, row, storage) as handle:
        assert handle.read() == samples.png()
    stored = storage.path(row.storage_key)
    stored.write_bytes(samples.png(b"changed"))
    with caplog.at_level(logging.ERROR, logger="spotcheck.inspection.evidence"):
        with pytest.raises(EvidenceRefused) as refused:
            open_verified(db_session, row, storage)
    assert refused.value.code == "evidence_tampered"
    assert f"evidence {row.id} of task {task.id}" in caplog.text
    db_session.commit()
    record = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "evidence_tampered",
                                                          AuditRecord.object_id == str(row.id))).one()
    assert '"problem":"changed"' in record.summary


def test_a_lost_file_is_refused_like_a_changed_one(db_session, task, staff, storage):
    row = samples.attach_sample(db_session, task, staff, storage)
    storage.path(row.storage_key).unlink()
    with pytest.raises(EvidenceRefused) as refused:
        open_verified(db_session, row, storage)
    assert "missing" in refused.value.message_en


def test_attaching_is_audited(db_session, task, staff, storage):
    row = samples.attach_sample(db_session, task, staff, storage)
    record = db_session.scalars(select(AuditRecord).where(AuditRecord.object_type == "task_evidence",
                                                          AuditRecord.object_id == str(row.id))).one()
    assert record.action == "create" and row.sha256 in record.summary
