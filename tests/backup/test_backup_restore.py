"""``spotcheck backup`` and ``spotcheck restore``: back up, destroy, restore, and get the same back."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from spotcheck import audit, migrations
from spotcheck.audit.models import AuditRecord
from spotcheck.backup.manifest import State, state_of
from spotcheck.db import get_database, session
from spotcheck.tenancy.models import Department, User
from spotcheck.tenancy.roles import Role
from spotcheck.tenancy.scope import Scope, set_scope
from spotcheck.testing import databases

EVIDENCE = {"ab/ab12cd34ef56ab12cd34ef56ab12cd34": b"%PDF-1.4 test report",
            "c0/c0ffee00c0ffee00c0ffee00c0ffee00": "现场照片".encode()}


@pytest.fixture
def fresh_url(db_backend: str, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own (the platform's whole database is replaced here)."""
    if db_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'platform.sqlite3'}"
        return
    with databases.postgres_database() as url:
        yield url


@pytest.fixture
def evidence_dir(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


@pytest.fixture
def platform(fresh_url: str, evidence_dir: Path, tmp_path: Path):
    """The platform on that database, migrated, with departments, users, a trail and evidence files."""
    from spotcheck.app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": fresh_url, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "SECRET_KEY": "test", "SYNC_PLUGINS_ON_START": False, "DATABASE_POOL_SIZE": 2,
                      "EVIDENCE_DIR": str(evidence_dir)})
    migrations.upgrade(get_database(app).engine)
    with app.app_context():
        set_scope(session, Scope.system())
        audit.set_actor(session, user_id=None, username="test", department_code=None, ip=None, request_id=None)
        for code in ("SCJG", "WSJK"):
            department = Department(code=code, name_zh=code, name_en=code, level="district")
            session.add(department)
            session.flush()
            session.add(User(department_id=department.id, username=f"{code.lower()}.staff",
                             display_name="张三", role=Role.STAFF, password_hash="x"))
            session.commit()
        audit.record(session, "export", "user_account", None, {"rows": 2})
        session.commit()
    for name, content in EVIDENCE.items():
        (evidence_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (evidence_dir / name).write_bytes(content)
    yield app
    get_database(app).engine.dispose()


@pytest.fixture
def spotcheck(platform):
    return lambda *args: platform.test_cli_runner().invoke(args=list(args))


def _state(app) -> State:
    with get_database(app).engine.connect() as connection:
        return state_of(connection)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _destroy(app, fresh_url: str, evidence_dir: Path) -> None:
    """Lose the database and the evidence files, as a failed disk would."""
    engine = get_database(app).engine
    engine.dispose()
    if engine.dialect.name == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(engine.url.database + suffix).unlink(missing_ok=True)
    else:
        wiper = create_engine(fresh_url, isolation_level="AUTOCOMMIT")
        with wiper.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        wiper.dispose()
    shutil.rmtree(evidence_dir)


def test_a_backup_restored_after_losing_everything_brings_back_every_row_the_chain_and_the_files(
        platform, spotcheck, fresh_url, evidence_dir, tmp_path):
    before = _state(platform)
    saved = _files(evidence_dir)
    backed = spotcheck("backup", str(tmp_path / "backup"))
    assert backed.exit_code == 0, backed.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["state"] == {"tables": before.tables, "audit_head": before.audit_head,
                                 "revision": migrations.head_revision()}
    assert before.tables["department"] == 2 and before.tables["audit_record"] == 5

    _destroy(platform, fresh_url, evidence_dir)
    restored = spotcheck("restore", str(tmp_path / "backup"))
    assert restored.exit_code == 0, restored.output

    after = _state(platform)
    assert {**after.tables, "audit_record": after.tables["audit_record"] - 1} == before.tables
    assert _files(evidence_dir) == saved
    with platform.app_context():
        records = session.execute(select(AuditRecord.id, AuditRecord.hash, AuditRecord.prev_hash,
                                         AuditRecord.action).order_by(AuditRecord.id)).all()
    # The restored trail ends at the backup's head, and the restore is recorded right after it.
    assert {"id": records[-2].id, "hash": records[-2].hash} == before.audit_head
    assert records[-1].action == "restore" and records[-1].prev_hash == before.audit_head["hash"]
    assert spotcheck("audit", "verify").exit_code == 0


def test_the_backup_is_recorded_in_the_trail(platform, spotcheck, tmp_path):
    before = _state(platform)
    assert spotcheck("backup", str(tmp_path / "backup")).exit_code == 0
    with platform.app_context():
        last = session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).one()
    assert last.action == "backup" and last.id == before.audit_head["id"] + 1
    assert json.loads(last.summary)["audit_head"] == before.audit_head


def test_a_restore_refuses_a_database_in_use_unless_forced(platform, spotcheck, evidence_dir, tmp_path):
    assert spotcheck("backup", str(tmp_path / "backup")).exit_code == 0
    with platform.app_context():
        set_scope(session, Scope.system())
        session.add(Department(code="STHJ", name_zh="生态环境局", name_en="Environment", level="district"))
        session.commit()
    changed = _state(platform)

    refused = spotcheck("restore", str(tmp_path / "backup"))
    assert refused.exit_code == 1 and "restore into an empty database, or pass --force" in refused.output
    assert _state(platform) == changed

    forced = spotcheck("restore", "--force", str(tmp_path / "backup"))
    assert forced.exit_code == 0, forced.output
    assert _state(platform).tables["department"] == 2


def test_a_damaged_backup_is_refused_before_anything_changes(platform, spotcheck, fresh_url, evidence_dir,
                                                             tmp_path):
    assert spotcheck("backup", str(tmp_path / "backup")).exit_code == 0
    damaged = tmp_path / "backup" / "evidence" / next(iter(EVIDENCE))
    damaged.write_bytes(b"altered")
    _destroy(platform, fresh_url, evidence_dir)
    refused = spotcheck("restore", str(tmp_path / "backup"))
    assert refused.exit_code == 1 and "does not match its checksum" in refused.output
    assert _state(platform).tables == {}


def test_a_backup_goes_into_a_new_folder_only(platform, spotcheck, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("kept")
    refused = spotcheck("backup", str(tmp_path / "used"))
    assert refused.exit_code == 1 and "is not empty" in refused.output
    assert (tmp_path / "used" / "something").read_text() == "kept"


def test_a_backup_that_fails_leaves_no_half_backup(platform, spotcheck, tmp_path, monkeypatch):
    from spotcheck.backup import service

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(service, "_copy_files", disk_full)
    with pytest.raises(OSError):
        service.backup(platform, tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
