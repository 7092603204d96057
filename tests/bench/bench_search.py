"""Directory search on a million targets: p50/p95 of the three searches the issue names.

Not a test (pytest collects ``test_*.py`` only): run it by hand, and copy its figures into
``docs/performance.md``::

    python tests/bench/bench_search.py                 # SQLite and PostgreSQL, 1,000,000 targets
    python tests/bench/bench_search.py --backend sqlite --targets 200000 --runs 100
    python tests/bench/bench_search.py --backend postgresql --url postgresql+psycopg://.../bench

``--url`` runs against that database instead of a fresh one, building it first only when it holds
no targets yet (and never dropping it): build once, then measure again after each change.

It builds a fresh database per backend with the real migrations, loads the demo district's areas
and the targets in bulk (SQLite ``executemany``, PostgreSQL ``COPY``), then runs each search many
times through :func:`spotcheck.registry.targets.search.search` — one page of 50 plus its capped
count, exactly what the directory page runs — in a department's scope (the tenancy criteria
included) and in the office's. PostgreSQL is the server of ``SPOTCHECK_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import insert, select, text

from spotcheck import migrations
from spotcheck.app import create_app
from spotcheck.db import get_database, utcnow
from spotcheck.demo.targets import CREDIT_SPREAD, TRADE_WORDS, demo_area_document
from spotcheck.registry.areas import Area, load_areas
from spotcheck.registry.targets.models import (
    Target,
    TargetSupervision,
    TargetTag,
    copy_search_columns,
)
from spotcheck.registry.targets.search import TargetFilters, search
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import Scope, scoped
from spotcheck.testing import databases

NAME_PATTERNS = ("城东区{w}餐饮店", "西宁{w}商贸有限公司", "青海{w}建筑工程有限公司", "城东区{w}便利店",
                 "青海{w}大药房有限公司", "西宁{w}酒店有限公司", "城东区{w}汽车修理部")
INDUSTRIES = ("6210", "6220", "5212", "5213", "5251", "5191", "6110", "47", "50", "14", "33", "9013",
              "8111", "72", "83", "01")
CHUNK = 50_000


def machine() -> str:
    """``nproc``, the CPU model and the memory of this machine, in one line."""
    model = "unknown CPU"
    memory = "unknown memory"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc), {model}, {memory} memory, {platform.system()} " \
           f"{platform.release()}, Python {platform.python_version()}"


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "postgresql":
        with databases.postgres_database() as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"


def target_rows(count: int, area_ids: list[int], rng: random.Random) -> Iterator[dict]:
    now = utcnow()
    credit = [c for c, _w in CREDIT_SPREAD]
    weights = [w for _c, w in CREDIT_SPREAD]
    for n in range(1, count + 1):
        words = rng.choice(TRADE_WORDS) + rng.choice(TRADE_WORDS)
        yield {"code": credit_code(n), "name": rng.choice(NAME_PATTERNS).format(w=words) + f"{n}",
               "kind": "company", "legal_representative": None, "address": None,
               "area_id": rng.choice(area_ids), "industry_code": rng.choice(INDUSTRIES),
               "status": "active", "credit_class": rng.choices(credit, weights)[0],
               "created_at": now, "updated_at": now, "version": 1}


def build(url: str, count: int) -> tuple[object, dict[str, int]]:
    """A migrated database with the demo areas, two departments and ``count`` targets: the first
    department supervises every target, the second one in three; one in ten carries a tag.

    A database that already holds targets (``--url``) is only migrated, not loaded again."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tempfile.gettempdir(),
                      "DATABASE_POOL_SIZE": 2})
    engine = get_database(app).engine
    migrations.upgrade(engine)
    db = get_database(app).sessionmaker()
    with scoped(db, Scope.system()):
        if db.scalar(select(Target.id).limit(1)) is not None:
            departments = dict(db.execute(select(Department.code, Department.id)).all())
            db.close()
            print(f"  reusing {url} ({engine.dialect.name})")
            return app, departments
    with scoped(db, Scope.system()):
        load_areas(db, demo_area_document())
        db.add_all([Department(code=c, name_zh=c, name_en=c, level="district") for c in ("BENCH1", "BENCH2")])
        db.commit()
        area_ids = list(db.scalars(select(Area.id)))
        departments = dict(db.execute(select(Department.code, Department.id)).all())
    db.close()

    rng = random.Random(4754)
    started = time.perf_counter()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            _copy(connection, Target.__table__, target_rows(count, area_ids, rng))
        else:
            _executemany(connection, Target.__table__, target_rows(count, area_ids, rng))
        first, second = departments["BENCH1"], departments["BENCH2"]
        ids = connection.execute(select(Target.id)).scalars().all()
        now = utcnow()

        def supervisions() -> Iterator[dict]:
            for target_id in ids:
                yield {"target_id": target_id, "department_id": first, "risk_level": "low",
                       "since": now, "note": None}
                if target_id % 3 == 0:
                    yield {"target_id": target_id, "department_id": second,
                           "risk_level": rng.choice(("high", "medium", "low")), "since": now,
                           "note": None}

        tags = ({"target_id": t, "department_id": first, "tag": "重点监管"} for t in ids if t % 10 == 0)
        load = _copy if engine.dialect.name == "postgresql" else _executemany
        load(connection, TargetSupervision.__table__, supervisions())
        load(connection, TargetTag.__table__, tags)
        # The department-scoped search index's copies of the target columns, as 0008 fills them.
        copy_search_columns(connection)
    # Statistics as autovacuum would leave them (on PostgreSQL also the visibility map, which
    # index-only scans read).
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    print(f"  built {count:,} targets in {time.perf_counter() - started:.0f} s")
    return app, departments


def _executemany(connection, table, rows: Iterator[dict]) -> None:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            connection.execute(insert(table), batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)


def _copy(connection, table, rows: Iterator[dict]) -> None:
    first = next(rows)
    columns = list(first)
    raw = connection.connection.driver_connection
    with raw.cursor().copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write_row([first[c] for c in columns])
        for row in rows:
            copy.write_row([row[c] for c in columns])


def timed(run: Callable[[], object], times: int) -> tuple[float, float]:
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.95) - 1]


def bench(backend: str, count: int, runs: int,
          url: str | None = None) -> list[tuple[str, str, float, float]]:
    print(f"{backend}:")
    results = []
    with (nullcontext(url) if url else database(backend)) as url:
        app, departments = build(url, count)
        db = get_database(app).sessionmaker()
        with scoped(db, Scope.system()):
            codes = [credit_code(n) for n in random.Random(1).sample(range(1, count + 1), runs)]
            tops = list(db.scalars(select(Area.id).where(Area.parent_id.is_(None))))
            leaves = list(db.scalars(select(Area.id).where(Area.parent_id.is_not(None))))
        rng = random.Random(7)
        searches = {
            "name prefix": lambda: TargetFilters(
                name=rng.choice(NAME_PATTERNS).split("{")[0] + rng.choice(TRADE_WORDS)),
            "exact code": lambda: TargetFilters(code=rng.choice(codes)),
            "area + industry + credit (community)": lambda: TargetFilters(
                area_id=rng.choice(leaves), industry=rng.choice(("62", "52", "5212", "H", "F")),
                credit_class=rng.choice("ABCD")),
            "area + industry + credit (sub-district)": lambda: TargetFilters(
                area_id=rng.choice(tops), industry=rng.choice(("62", "52", "5212", "H", "F")),
                credit_class=rng.choice("ABCD")),
        }
        scopes = {"department (1/3 of targets)": Scope.department(departments["BENCH2"]),
                  "office (all targets)": Scope(readable=None, writable=frozenset())}
        for scope_name, scope in scopes.items():
            for name, make in searches.items():
                with scoped(db, scope):
                    search(db, make())  # warm the caches once
                    p50, p95 = timed(lambda: search(db, make()), runs)
                results.append((f"{name}, {scope_name}", backend, p50, p95))
                print(f"  {name:42} {scope_name:30} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
        db.close()
        get_database(app).engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--url", help="run against (and build, if empty) this database, kept "
                                      "afterwards; needs a single --backend")
    args = parser.parse_args()
    if args.url and args.backend == "both":
        parser.error("--url needs --backend sqlite or --backend postgresql")
    print(f"machine: {machine()}")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [row for backend in backends for row in bench(backend, args.targets, args.runs, args.url)]
    print("\n| search | backend | p50 (ms) | p95 (ms) |\n|---|---|---:|---:|")
    for name, backend, p50, p95 in results:
        print(f"| {name} | {backend} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
