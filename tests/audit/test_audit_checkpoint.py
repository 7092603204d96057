"""Checkpoints published outside the database reveal a trail cut back or rewritten behind them."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from spotcheck.audit import checkpoint as checkpoints, publishing
from spotcheck.audit.chain import GENESIS, record_hash
from spotcheck.audit.models import AuditCheckpoint
from spotcheck.db import get_database
from spotcheck.tenancy.models import Department


@pytest.fixture
def outside(tmp_path):
    """The checkpoint file, as kept on another host."""
    return tmp_path / "elsewhere" / "audit-checkpoints.json"


@pytest.fixture
def platform(backend_url, tables, outside, tmp_path):
    """The platform on the test's database, publishing checkpoints to :func:`outside`."""
    from spotcheck.app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": backend_url, "DATABASE_POOL_SIZE": 1,
                      "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "test",
                      "SYNC_PLUGINS_ON_START": False, "AUDIT_CHECKPOINT_FILE": str(outside)})
    yield app
    get_database(app).engine.dispose()


@pytest.fixture
def spotcheck(platform):
    """Runs ``spotcheck …`` against the test's database."""
    return lambda *args: platform.test_cli_runner().invoke(args=list(args))


def _add_department(db, code):
    db.add(Department(code=code, name_zh=code, name_en=code, level="district"))
    db.commit()


def _stored(db):
    db.expire_all()
    return db.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()


def test_a_checkpoint_names_the_head_and_making_it_is_recorded(db, five_records, trail, spotcheck, outside):
    ran = spotcheck("audit", "checkpoint")
    assert ran.exit_code == 0, ran.output
    head = trail()[4]
    [made] = _stored(db)
    assert (made.record_id, made.record_hash) == (5, head.hash)
    assert f"record 5 {head.hash}" in ran.output and f"file: written to {outside}" in ran.output
    recorded = [(r.action, r.object_type, r.object_id) for r in trail()[5:]]
    assert recorded == [("create", "audit_checkpoint", str(made.id)),
                        ("checkpoint_publish", "audit_checkpoint", str(made.id))]
    assert checkpoints.parse(json.loads(outside.read_text())) == [checkpoints.published(made)]


def test_the_daily_sweep_makes_the_checkpoint(db, five_records, spotcheck):
    ran = spotcheck("sweep", "--only", "audit-checkpoint")
    assert ran.exit_code == 0, ran.output
    assert "audit-checkpoint:" in ran.output and len(_stored(db)) == 1


def test_an_empty_trail_has_nothing_to_checkpoint(db, spotcheck):
    ran = spotcheck("audit", "checkpoint")
    assert ran.exit_code == 0 and "nothing to checkpoint" in ran.output
    assert _stored(db) == []


def test_the_portal_publishes_every_checkpoint_as_a_page_and_as_json(db, five_records, spotcheck, platform):
    spotcheck("audit", "checkpoint")
    _add_department(db, "SWJ")
    spotcheck("audit", "checkpoint")
    made = _stored(db)
    client = platform.test_client()
    page = client.get("/public/audit-checkpoints")
    assert page.status_code == 200
    assert all(c.record_hash in page.get_data(as_text=True) for c in made)
    published = client.get("/public/audit-checkpoints.json")
    assert published.status_code == 200 and published.is_json
    assert checkpoints.parse(published.get_json()) == [checkpoints.published(c) for c in made]


def test_verify_against_the_published_checkpoints_passes_on_an_untouched_trail(
        db, five_records, spotcheck, platform, tmp_path):
    spotcheck("audit", "checkpoint")
    _add_department(db, "SWJ")
    saved = tmp_path / "saved-from-portal.json"
    saved.write_bytes(platform.test_client().get("/public/audit-checkpoints.json").data)
    ran = spotcheck("audit", "verify", "--against", str(saved))
    assert ran.exit_code == 0, ran.output
    assert "holds all 1 checkpoints" in ran.output


def test_verify_against_published_checkpoints_detects_a_truncated_trail(
        db, five_records, spotcheck, as_dba, raw_sql, outside):
    spotcheck("audit", "checkpoint")  # records 6, 7: making and publishing it
    _add_department(db, "SWJ")
    spotcheck("audit", "checkpoint")  # names record 8
    # Someone with the database cuts the trail back to record 5 and drops the checkpoints that
    # named later records: what is left is a valid, shorter chain.
    as_dba("DELETE FROM audit_record WHERE id > 5")
    raw_sql("DELETE FROM audit_checkpoint WHERE record_id > 5")
    assert spotcheck("audit", "verify").exit_code == 0

    ran = spotcheck("audit", "verify", "--against", str(outside))
    assert ran.exit_code == 1
    assert "(record 8): the record is missing: the chain was truncated" in ran.output


def test_verify_against_published_checkpoints_detects_a_rewritten_trail(
        db, five_records, spotcheck, as_dba, raw_sql, trail, outside):
    spotcheck("audit", "checkpoint")  # names record 5
    # Someone rewrites record 3 and recomputes every hash after it, and the checkpoint too: the
    # chain verifies, and agrees with the checkpoints kept in the database.
    rows = [row._asdict() for row in trail()]
    published_hash = rows[4]["hash"]
    rows[2]["summary"] = '{"after":{"display_name":"王五"},"before":{"display_name":"李四"}}'
    previous = rows[1]["hash"]
    for row in rows[2:]:
        row["prev_hash"], row["hash"] = previous, record_hash(previous, row)
        as_dba("UPDATE audit_record SET summary = :summary, prev_hash = :prev_hash, hash = :hash "
               "WHERE id = :id", **{k: row[k] for k in ("summary", "prev_hash", "hash", "id")})
        previous = row["hash"]
    raw_sql("UPDATE audit_checkpoint SET record_hash = :forged WHERE record_id = 5", forged=rows[4]["hash"])
    assert spotcheck("audit", "verify").exit_code == 0

    ran = spotcheck("audit", "verify", "--against", str(outside))
    assert ran.exit_code == 1
    assert (f"(record 5): published hash {published_hash}, the chain holds {rows[4]['hash']}: "
            "the chain was rewritten") in ran.output


def test_a_trail_cut_back_behind_the_kept_checkpoints_fails_verification(db, five_records, spotcheck, as_dba):
    spotcheck("audit", "checkpoint")
    as_dba("DELETE FROM audit_record WHERE id > 3")
    ran = spotcheck("audit", "verify")
    assert ran.exit_code == 1 and "(record 5): the record is missing" in ran.output


def test_no_checkpoint_certifies_a_trail_that_lost_the_last_one(db, five_records, spotcheck, as_dba, trail):
    spotcheck("audit", "checkpoint")
    as_dba("DELETE FROM audit_record WHERE id > 3")
    ran = spotcheck("audit", "checkpoint")
    assert ran.exit_code == 1 and "REFUSED" in ran.output and "truncated" in ran.output
    assert len(_stored(db)) == 1
    assert trail()[-1].action == "checkpoint_refused"


def test_no_checkpoint_certifies_a_broken_chain(db, five_records, spotcheck, as_dba):
    as_dba("UPDATE audit_record SET summary = '{}' WHERE id = 4")
    ran = spotcheck("audit", "checkpoint")
    assert ran.exit_code == 1 and "record 4: hash mismatch" in ran.output
    assert _stored(db) == []


def test_the_checkpoint_file_keeps_what_it_holds_and_only_adds(tmp_path):
    path = tmp_path / "checkpoints.json"
    first = checkpoints.Published(5, "a" * 64, "2026-11-25T01:00:00+00:00")
    second = checkpoints.Published(9, "b" * 64, "2026-11-26T01:00:00+00:00")
    assert publishing.append_to_file(path, first) == f"written to {path}"
    assert publishing.append_to_file(path, second) == f"written to {path}"
    assert publishing.append_to_file(path, second) == f"already in {path}"
    assert checkpoints.parse(json.loads(path.read_text())) == [first, second]


def test_a_file_that_is_not_a_checkpoint_document_is_left_alone(tmp_path):
    path = tmp_path / "checkpoints.json"
    path.write_text("not json")
    outcome = publishing.append_to_file(path, checkpoints.Published(1, GENESIS, "2026-11-26T01:00:00+00:00"))
    assert outcome.startswith("FAILED") and path.read_text() == "not json"


def test_verify_refuses_a_document_that_is_not_a_checkpoint_list(db, spotcheck, tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"format": "something-else"}')
    ran = spotcheck("audit", "verify", "--against", str(other))
    assert ran.exit_code != 0 and "not a checkpoint document" in ran.output


def test_each_checkpoint_is_mailed_when_recipients_are_set(db, five_records, platform, monkeypatch):
    sent = []
    monkeypatch.setattr(publishing, "send", lambda settings, message: sent.append(message))
    platform.config.update(AUDIT_CHECKPOINT_FILE=None,
                           AUDIT_CHECKPOINT_EMAIL="jiwei@example.gov.cn, aq@example.gov.cn",
                           SMTP_HOST="mail.example.gov.cn", SMTP_FROM="spotcheck@example.gov.cn")
    ran = platform.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert ran.exit_code == 0, ran.output
    [message] = sent
    assert message["To"] == "jiwei@example.gov.cn, aq@example.gov.cn"
    assert "审计" in message["Subject"]
    assert _stored(db)[0].record_hash in message.get_content()


@pytest.fixture
def archive():
    """An HTTP service on 127.0.0.1 that keeps every body POSTed to it."""
    received = []

    class Keep(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Keep)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/checkpoints", received
    server.shutdown()
    server.server_close()


def test_each_checkpoint_is_posted_when_a_url_is_set(db, five_records, platform, archive):
    url, received = archive
    platform.config.update(AUDIT_CHECKPOINT_FILE=None, AUDIT_CHECKPOINT_URL=url)
    ran = platform.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert ran.exit_code == 0 and f"url: posted to {url} (201)" in ran.output
    [body] = received
    assert checkpoints.parse(json.loads(body)) == [checkpoints.published(_stored(db)[0])]


def test_an_outlet_that_fails_is_reported_and_the_checkpoint_stands(db, five_records, platform, trail):
    platform.config.update(AUDIT_CHECKPOINT_FILE=None, AUDIT_CHECKPOINT_URL="http://127.0.0.1:9/nobody")
    ran = platform.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert ran.exit_code == 0 and "url: FAILED" in ran.output
    assert len(_stored(db)) == 1
    assert trail()[-1].action == "checkpoint_publish" and "FAILED" in trail()[-1].summary
