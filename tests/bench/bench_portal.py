"""The public portal under load: a target's page and a search by name prefix or code, on a million
targets and a million published results, served by gunicorn and measured over loopback.

Not a test (pytest collects ``test_*.py`` only): run it by hand, and copy its figures into
``docs/performance.md``::

    python tests/bench/bench_portal.py                     # SQLite and PostgreSQL, 1,000,000 each
    python tests/bench/bench_portal.py --backend sqlite --targets 100000 --requests 500
    python tests/bench/bench_portal.py --backend postgresql --url postgresql+psycopg://.../bench

It builds a fresh database per backend with the real migrations (``--url``: that database,
built only when it holds no publications yet, never dropped): the demo district's areas,
``--targets`` targets (as ``bench_search.py`` makes them), one published annual plan with one
executed draw, and for every target a team, a published task, its publication and its public row
(bulk: SQLite ``executemany``, PostgreSQL ``COPY``; then ``ANALYZE`` / ``VACUUM ANALYZE``). It then
starts gunicorn with ``deploy/gunicorn.conf.py`` (2 × CPUs + 1 sync workers) on a free loopback
port and, from this process, sends ``--requests`` requests per case — first from one client (the
latency a visitor sees), then from ``--clients`` clients at once (requests per second) — over
keep-alive HTTP/1.1 connections, each for a random target or name: ``GET /public/targets/<code>``,
``GET /public/results?q=<name prefix>`` and ``GET /public/results?q=<code>``. Every answer must be
200 and show what was asked for.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select, text

from bench_search import NAME_PATTERNS, _copy, _executemany, database, machine, target_rows
from spotcheck import migrations
from spotcheck.app import create_app
from spotcheck.db import get_database, utcnow
from spotcheck.demo.targets import TRADE_WORDS, demo_area_document
from spotcheck.draw.models import Draw, Team
from spotcheck.inspection.models import ResultCategory, Task
from spotcheck.planning.models import AnnualPlan, Batch, WorkPlan
from spotcheck.publication.models import Publication, PublicationDepartment, PublicTarget
from spotcheck.registry.areas import Area, load_areas
from spotcheck.registry.targets.models import Target
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped

ROOT = Path(__file__).resolve().parents[2]
DEPARTMENT = {"code": "BENCH1", "name_zh": "基准测试局", "name_en": "Bench bureau"}
ITEMS = [{"department_code": "BENCH1", "code": "food_business", "name_zh": "食品经营者的检查",
          "name_en": "Inspection of food business operators"}]
CATEGORIES = [c.value for c in ResultCategory]


def _chain(db, department_id: int) -> dict[str, int]:
    """One published random plan, its approved work plan and batch, and an executed draw."""
    now = utcnow()
    plan = AnnualPlan(department_id=department_id, name="基准测试联合抽查", year=2025, plan_type="random",
                      target_scope={}, window_start=date(2025, 1, 1), window_end=date(2025, 12, 31),
                      ratio_bp=10000, state="published", published_at=now)
    db.add(plan)
    db.flush()
    work_plan = WorkPlan(department_id=department_id, plan_id=plan.id, state="approved")
    db.add(work_plan)
    db.flush()
    batch = Batch(department_id=department_id, plan_id=plan.id, work_plan_id=work_plan.id, number=1,
                  name="第一批", target_scope={}, window_start=date(2025, 1, 1), window_end=date(2025, 12, 31))
    db.add(batch)
    db.flush()
    draw = Draw(department_id=department_id, plan_id=plan.id, batch_id=batch.id, year=2025,
                counts_towards_cap=True, state="executed", per_target=1, server_secret="0" * 64,
                commitment="1" * 64, candidates_digest="2" * 64, candidate_count=0, excluded_count=0,
                public_entropy="", seed="3" * 64, selected_count=0, prepared_by="bench", drawn_by="bench",
                drawn_at=now)
    db.add(draw)
    db.flush()
    return {"plan": plan.id, "batch": batch.id, "draw": draw.id}


def build(url: str, count: int) -> object:
    """A migrated database with ``count`` targets, each with one published result."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tempfile.gettempdir(),
                      "DATABASE_POOL_SIZE": 2})
    engine = get_database(app).engine
    migrations.upgrade(engine)
    db = get_database(app).sessionmaker()
    with scoped(db, Scope.system()):
        if db.scalar(select(Publication.id).limit(1)) is not None:
            db.close()
            print(f"  reusing {url} ({engine.dialect.name})")
            return app
        load_areas(db, demo_area_document())
        department = Department(**DEPARTMENT, level="district")
        db.add(department)
        db.flush()
        chain = _chain(db, department.id)
        db.commit()
        areas = dict(db.execute(select(Area.id, Area.code)).all())
    db.close()

    rng = random.Random(2025)
    started = time.perf_counter()
    load = _copy_json if engine.dialect.name == "postgresql" else _executemany
    with engine.begin() as connection:
        load(connection, Target.__table__, ({"id": n, **row} for n, row in
                                            enumerate(target_rows(count, list(areas), rng), start=1)))
        targets = connection.execute(select(Target.id, Target.code, Target.name, Target.kind, Target.area_id)
                                     .order_by(Target.id)).all()
        print(f"  {count:,} targets in {time.perf_counter() - started:.0f} s")
        now = utcnow()
        base = {"department_id": department.id, "plan_id": chain["plan"], "draw_id": chain["draw"]}
        load(connection, Team.__table__, ({"id": t.id, **base, "target_id": t.id, "position": t.id,
                                           "state": "dispatched", "created_at": now} for t in targets))
        days = [date(2025, 3, 3) + timedelta(n) for n in range(270)]
        checked = {t.id: rng.choice(days) for t in targets}
        load(connection, Task.__table__, (
            {"id": t.id, **base, "team_id": t.id, "target_id": t.id, "state": "published",
             "check_ended_on": checked[t.id], "overdue": False, "result_category": "no_problem",
             "non_cooperation": [], "created_at": now, "updated_at": now, "version": 1} for t in targets))
        print(f"  teams and tasks in {time.perf_counter() - started:.0f} s")
        load(connection, Publication.__table__, (
            {"id": t.id, "task_id": t.id, **base, "batch_id": chain["batch"], "check_type": "random",
             "target_id": t.id, "target_code": t.code, "target_name": t.name, "target_kind": t.kind,
             "area_code": areas[t.area_id], "checked_on": checked[t.id], "year": 2025,
             "departments": [DEPARTMENT], "items": ITEMS, "result_category": rng.choice(CATEGORIES),
             "non_cooperation": [], "followup_status": None, "entered_on": checked[t.id],
             "due_on": checked[t.id] + timedelta(28), "published_on": checked[t.id] + timedelta(7),
             "late": False, "working_days_late": 0, "published_at": now, "published_by": "bench",
             "updated_at": now} for t in targets))
        load(connection, PublicationDepartment.__table__, (
            {"publication_id": t.id, "department_id": department.id, "position": 0} for t in targets))
        load(connection, PublicTarget.__table__, (
            {"target_id": t.id, "code": t.code, "name": t.name, "kind": t.kind, "area_code": areas[t.area_id],
             "publications": 1, "last_checked_on": checked[t.id], "updated_at": now} for t in targets))
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    print(f"  built {count:,} targets and published results in {time.perf_counter() - started:.0f} s")
    get_database(app).engine.dispose()
    return app


def _copy_json(connection, table, rows: Iterator[dict]) -> None:
    """``COPY`` with JSON columns written as JSON text (psycopg would write a list as an array)."""
    _copy(connection, table, ({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                               for k, v in row.items()} for row in rows))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(url: str) -> Iterator[int]:
    """gunicorn serving the app on ``url``'s database, on a free loopback port."""
    port = _free_port()
    environment = {**os.environ, "DATABASE_URL": url, "SPOTCHECK_SECRET_KEY": "bench-" + "x" * 40,
                   "SPOTCHECK_INSTANCE_PATH": tempfile.gettempdir(), "SPOTCHECK_SESSION_COOKIE_SECURE": "0",
                   "SPOTCHECK_BIND": f"127.0.0.1:{port}",
                   # A line per request would be the bench's own load.
                   "GUNICORN_CMD_ARGS": "--access-logfile /dev/null"}
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                               "spotcheck.app:create_app()"], env=environment, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/public/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                log.seek(0)
                raise RuntimeError("gunicorn did not start: " + log.read().decode()[-2000:])
            time.sleep(0.5)
        yield port
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def _run(port: int, paths: list[tuple[str, str]], clients: int) -> tuple[list[float], float]:
    """Send every ``(path, expected text)`` from ``clients`` keep-alive connections; the
    latencies in ms and the wall time in s."""
    latencies: list[float] = []
    lock = threading.Lock()
    shares = [paths[n::clients] for n in range(clients)]

    def client(share: list[tuple[str, str]]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for path, expected in share:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read().decode("utf-8")
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200 or expected not in body:
                raise AssertionError(f"{path}: {response.status}, {expected!r} not shown")
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert len(latencies) == len(paths), "a client failed (see above)"
    return latencies, elapsed


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def cases(url: str, count: int, requests: int) -> dict[str, Callable[[], tuple[str, str]]]:
    """Each case: a maker of one random request and the text its answer must show."""
    rng = random.Random(7)
    sample = rng.sample(range(1, count + 1), min(count, requests * 2))
    codes = [credit_code(n) for n in sample]

    def prefix() -> tuple[str, str]:
        name = rng.choice(NAME_PATTERNS).split("{")[0] + rng.choice(TRADE_WORDS)
        return f"/public/results?q={quote(name)}", 'href="/public/targets/'  # at least one found

    def target() -> tuple[str, str]:
        code = rng.choice(codes)
        return f"/public/targets/{code}", '<td class="nowrap">2025-'  # its check's day

    def by_code() -> tuple[str, str]:
        code = rng.choice(codes)
        return f"/public/results?q={code}", f"/public/targets/{code}"

    return {"target page": target, "search by name prefix": prefix, "search by code": by_code}


def bench(backend: str, count: int, requests: int, clients: int, url: str | None) -> list[tuple]:
    print(f"{backend}:")
    results = []
    with (nullcontext(url) if url else database(backend)) as url:
        build(url, count)
        with gunicorn(url) as port:
            for name, make in cases(url, count, requests).items():
                _run(port, [make() for _ in range(min(50, requests))], clients)  # warm every worker
                for concurrency in (1, clients):
                    latencies, elapsed = _run(port, [make() for _ in range(requests)], concurrency)
                    p50, p95 = _percentiles(latencies)
                    rps = len(latencies) / elapsed
                    results.append((name, backend, concurrency, p50, p95, rps))
                    print(f"  {name:24} {concurrency:2} client(s)  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                          f"{rps:6.0f} req/s")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1000, help="requests per case and concurrency")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of the second run")
    parser.add_argument("--url", help="run against (and build, if empty) this database, kept "
                                      "afterwards; needs a single --backend")
    args = parser.parse_args()
    if args.url and args.backend == "both":
        parser.error("--url needs --backend sqlite or --backend postgresql")
    print(f"machine: {machine()}")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [row for backend in backends
               for row in bench(backend, args.targets, args.requests, args.clients, args.url)]
    print("\n| request | backend | clients | p50 (ms) | p95 (ms) | requests/s |\n|---|---|---:|---:|---:|---:|")
    for name, backend, concurrency, p50, p95, rps in results:
        print(f"| {name} | {backend} | {concurrency} | {p50:.1f} | {p95:.1f} | {rps:.0f} |")


if __name__ == "__main__":
    main()
