"""Transactions appending at the same time still make one chain."""

from __future__ import annotations

import threading

import pytest

from spotcheck import audit
from spotcheck.tenancy.models import Department

WORKERS = 6
ROUNDS = 4


def run_together(work):
    """Runs ``work(n)`` in :data:`WORKERS` threads at once; returns the errors they raised."""
    errors = []

    def guarded(n):
        try:
            work(n)
        except Exception as error:  # reported below, with the worker that raised it
            errors.append((n, error))

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_concurrent_units_of_work_make_one_valid_chain(new_session, db, trail):
    """Each worker, on its own connection, commits row changes and lone events (which take the
    chain without having written anything before)."""
    sessions = [new_session(username=f"worker{n}") for n in range(WORKERS)]
    start = threading.Barrier(WORKERS)

    def work(n):
        db_session = sessions[n]
        start.wait()
        for round_ in range(ROUNDS):
            db_session.add(Department(code=f"D{n}-{round_}", name_zh="部门", name_en="d", level="district"))
            db_session.commit()
            audit.record(db_session, "export", summary={"worker": n, "round": round_})
            db_session.commit()

    assert run_together(work) == []
    rows = trail()
    assert [row.id for row in rows] == list(range(1, 2 * WORKERS * ROUNDS + 1))
    result = audit.verify_chain(db)
    assert result.ok and result.count == len(rows)


def test_transactions_committing_at_the_same_moment_on_postgresql(backend, new_session, db, trail):
    """Every worker has flushed its rows and waits; then all commit at once, racing for the head."""
    if backend != "postgresql":
        pytest.skip("SQLite admits one writer at a time: the workers cannot all be mid-transaction")
    sessions = [new_session(username=f"worker{n}") for n in range(WORKERS)]
    flushed = threading.Barrier(WORKERS)

    def work(n):
        db_session = sessions[n]
        db_session.add(Department(code=f"P{n}", name_zh="部门", name_en="d", level="district"))
        db_session.flush()
        flushed.wait()
        db_session.commit()

    assert run_together(work) == []
    assert len(trail()) == WORKERS
    assert audit.verify_chain(db).ok
