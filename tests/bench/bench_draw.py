"""Benchmark: the verifiable draw of 10,000 targets out of a million candidates, and what it costs.

Run by hand (not collected by pytest), from the repository root, with PostgreSQL up for its part:

    .venv/bin/python tests/bench/bench_draw.py                       # 1,000,000 candidates, both backends
    .venv/bin/python tests/bench/bench_draw.py --backend sqlite --targets 100000
    .venv/bin/python tests/bench/bench_draw.py --ten-million          # 10,000,000 on PostgreSQL only

For each backend it builds a fresh migrated database: the demo district's areas; three
departments (an initiator and two participants, each with one item: the initiator's applies to
every kind, one participant's to companies, the other's to individual businesses and
cooperatives); ``--targets`` candidate targets supervised by the initiator in four strata (credit
classes A–D: 20 %, 50 %, 20 %, 10 %) plus 3 % more that the dry run excludes (deregistered,
revoked, or already drawn twice this year); 200 inspectors (80, 60, 60; one in each department
covering one sub-district only); 300 declared conflicts of interest; an annual plan, an approved
work plan and a batch whose quotas draw 10,000 targets (1,000 / 4,000 / 3,000 / 2,000). Then:

1. **preparation**: ``service.prepare`` (the dry run, then freezing the candidates), committed;
2. **target selection** as the draw executes it — the lock, the re-check of the yearly cap and of
   the plan's earlier batches over the frozen candidates, and the ranking and selection of every
   stratum (``selection.selected_strata``) — against the unverifiable way, ``ORDER BY random() LIMIT q``
   per stratum, over the same candidates read from the directory (target ⋈ supervision, active,
   under the cap) and over the frozen candidates; median of ``--runs`` runs each, rolled back;
3. ``consistent_sampler.sampler`` (Arlo's) over the same candidate ids taking the same counts:
   read from the frozen candidates and sampled, against our whole selection; and, the rankings
   alone, against our own (``verify_draw.select``) over the same in-memory lists;
4. **the whole execution**: ``service.run`` (selection, tally, matching, the teams and their
   inspection tasks, commit) and the proof streamed to a file, each phase timed; then the proof
   verified by ``verify_draw``, and streamed again in a child process whose peak RSS shows that
   memory does not grow with it.

It prints every figure, a table for ``docs/performance.md`` and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, exists, func, select, text

YEAR = 2027
SIZES = (("A", 20), ("B", 50), ("C", 20), ("D", 10))
"""Credit class and its share of the candidates, in per cent."""
DRAWN = {"A": 1_000, "B": 4_000, "C": 3_000, "D": 2_000}
"""Targets each stratum draws (10,000 in all); the batch's ratios are set to give these."""
KINDS = (("company", 70), ("individual_business", 25), ("farmer_cooperative", 5))
ITEM_KINDS = {"BENCHA": ["company", "individual_business", "farmer_cooperative"],
              "BENCHB": ["company"], "BENCHC": ["individual_business", "farmer_cooperative"]}
INSPECTORS = {"BENCHA": 80, "BENCHB": 60, "BENCHC": 60}
CONFLICTS = 300
EXCLUDED_SHARE = 0.03
"""Targets in the batch's scope beyond the candidates, which the dry run excludes."""
ENTROPY = "3-1-4-1-5-9 (dice, 2027-03-20)"


def machine(pg_version: str | None = None) -> str:
    """``nproc``, the CPU model, the memory, the OS and the database versions, in one line."""
    model, memory = "unknown CPU", "unknown memory"
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
    versions = f"SQLite {sqlite3.sqlite_version}" + (f", PostgreSQL {pg_version}" if pg_version else "")
    return (f"{os.cpu_count()} CPUs (nproc), {model}, {memory} memory, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, {versions}")


def postgres_version() -> str | None:
    from sqlalchemy import create_engine

    from spotcheck.testing.databases import postgres_admin_url

    try:
        engine = create_engine(postgres_admin_url())
        with engine.connect() as connection:
            version = connection.scalar(text("SHOW server_version"))
        engine.dispose()
        return str(version)
    except Exception:  # noqa: BLE001 - no server: the SQLite part still runs
        return None


def make_app(url: str, instance: str) -> Any:
    from spotcheck.app import create_app

    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench",
                       "DATABASE_POOL_SIZE": 2})


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    from spotcheck.testing import databases

    if backend == "postgresql":
        with databases.postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{folder / 'draw.sqlite3'}"


def seconds(started: float) -> float:
    return time.perf_counter() - started


# -- the database: directory, departments, plan ---------------------------------------------------

def build(db: Any, count: int) -> dict[str, Any]:
    """Fill a migrated database (see the module's docstring); the batch and its quotas."""
    from spotcheck.registry.areas import Area, load_areas
    from spotcheck.demo.targets import demo_area_document
    from spotcheck.tenancy.models import Department

    load_areas(db, demo_area_document())
    departments = {code: Department(code=code, name_zh=f"基准{code[-1]}局", name_en=f"Bench {code[-1]}",
                                    level="district") for code in INSPECTORS}
    db.add_all(departments.values())
    db.commit()
    areas = db.execute(select(Area.id, Area.code, Area.parent_id)).all()
    started = time.perf_counter()
    targets = _load_targets(db, departments["BENCHA"].id, [a.id for a in areas if a.parent_id], count)
    print(f"  seeded {targets:,} targets ({count:,} candidates) with their supervisions and "
          f"tallies in {seconds(started):.1f} s")
    started = time.perf_counter()
    plan = _plan(db, departments)
    _inspectors(db, departments, [a.code for a in areas if a.parent_id is None])
    _conflicts(db, departments, targets)
    batch = _batch(db, plan, departments["BENCHA"], count)
    print(f"  plan, work plan, batch, 200 inspectors, {CONFLICTS} conflicts in {seconds(started):.1f} s")
    started = time.perf_counter()
    with db.get_bind().connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE"))
    print(f"  {'VACUUM ANALYZE' if db.get_bind().dialect.name == 'postgresql' else 'ANALYZE'} "
          f"in {seconds(started):.1f} s")
    return {"batch": batch, "department": departments["BENCHA"]}


def _stratum_of(n: int, count: int) -> str:
    """The credit class of candidate ``n`` (1-based): exact shares, interleaved."""
    position = (n * 7919) % count  # a permutation of 0..count-1 when 7919 ∤ count
    edge = 0
    for credit, share in SIZES:
        edge += count * share // 100
        if position < edge:
            return credit
    return SIZES[-1][0]


def _load_targets(db: Any, department_id: int, area_ids: list[int], count: int) -> int:
    """``count`` candidates and 3 % excluded targets, supervised by the initiator, with the
    supervision's search copies; tallies of this year for some (two draws: excluded; one: a
    candidate whose tally a draw raises to two)."""
    from spotcheck.db import utcnow
    from spotcheck.draw.models import DrawTally
    from spotcheck.registry.importing.staging import bulk_insert
    from spotcheck.registry.targets.models import Target, TargetSupervision
    from spotcheck.registry.targets.testing import credit_code

    rng = random.Random(20270320)
    excluded = int(count * EXCLUDED_SHARE)
    total = count + excluded
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    now = utcnow()
    if db.get_bind().dialect.name == "sqlite":
        now = now.isoformat(sep=" ")
    tally: list[tuple[int, int, int]] = []

    def rows() -> Iterator[tuple[Any, ...]]:
        for n in range(1, total + 1):
            if n <= count:
                credit, status = _stratum_of(n, count), "active"
                if n % 97 == 0:
                    tally.append((n, YEAR, 1))
            else:
                credit, status = rng.choice("ABCD"), "active"
                which = n % 3
                if which == 0:
                    tally.append((n, YEAR, 2))
                else:
                    status = ("deregistered", "revoked")[which - 1]
            yield (n, credit_code(n, "company"), f"城东区基准{n}号商贸有限公司", rng.choice(kinds),
                   rng.choice(area_ids), "5212", status, credit, now, now, 1)

    columns = ("id", "code", "name", "kind", "area_id", "industry_code", "status", "credit_class",
               "created_at", "updated_at", "version")
    connection = db.connection()
    chunk: list[tuple[Any, ...]] = []
    supervision_columns = ("id", "target_id", "department_id", "risk_level", "since", "name", "kind",
                           "area_id", "industry_code", "status", "credit_class")

    def flush() -> None:
        bulk_insert(connection, Target.__table__, columns, chunk)
        bulk_insert(connection, TargetSupervision.__table__, supervision_columns,
                    ((r[0], r[0], department_id, "low", now, r[2], r[3], r[4], r[5], r[6], r[7])
                     for r in chunk))
        chunk.clear()

    for row in rows():
        chunk.append(row)
        if len(chunk) == 200_000:
            flush()
    flush()
    bulk_insert(connection, DrawTally.__table__, ("target_id", "year", "draws"), tally)
    if connection.dialect.name == "postgresql":
        for table in ("target", "target_supervision"):
            connection.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                       f"(SELECT max(id) FROM {table}))")
    db.commit()
    return total


def _plan(db: Any, departments: dict[str, Any]) -> Any:
    """A submitted random plan of BENCHA with BENCHB and BENCHC, each with its item, confirmed."""
    from spotcheck.planning import service as plans
    from spotcheck.planning.testing import make_plan
    from spotcheck.registry.items.testing import make_item
    from spotcheck.tenancy.models import User
    from spotcheck.tenancy.scope import Scope, scoped

    initiator = departments["BENCHA"]
    plan = make_plan(db, initiator, [departments["BENCHB"], departments["BENCHC"]], year=YEAR)
    for code, department in departments.items():
        item = make_item(db, department, f"{code.lower()}_item", authority=f"{code.lower()}_auth",
                         target_kinds=ITEM_KINDS[code])
        with scoped(db, Scope.department(department.id)):
            assert plans.set_items(db, plan, department.id, [item.id]) == []
            if department is not initiator:
                plans.answer(db, plan, department.id, User(id=None, username="staff"), confirmed=True)
        db.commit()
    with scoped(db, Scope.department(initiator.id)):
        plans.submit(db, plan, "Asia/Shanghai")
    db.commit()
    return plan


def _inspectors(db: Any, departments: dict[str, Any], top_areas: list[str]) -> None:
    from spotcheck.registry.inspectors.service import create_inspector
    from spotcheck.registry.inspectors.testing import inspector_row
    from spotcheck.tenancy.scope import Scope, scoped

    for code, department in departments.items():
        with scoped(db, Scope.department(department.id)):
            for n in range(INSPECTORS[code]):
                # The first of each department covers one sub-district only: area exclusions.
                areas = (top_areas[n % len(top_areas)],) if n == 0 else ()
                create_inspector(db, department.id, inspector_row(
                    code=f"{code}-{n:04d}", authorities=(f"{code.lower()}_auth",), areas=areas,
                    valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31)))
            db.flush()
        db.commit()


def _conflicts(db: Any, departments: dict[str, Any], targets: int) -> None:
    from spotcheck.registry.inspectors.models import Inspector
    from spotcheck.registry.inspectors.service import declare_conflict
    from spotcheck.registry.targets.models import Target
    from spotcheck.tenancy.scope import Scope, scoped

    rng = random.Random(15)
    with scoped(db, Scope.system()):
        inspectors = list(db.scalars(select(Inspector).order_by(Inspector.code)))
        for target_id in rng.sample(range(1, targets + 1), CONFLICTS):
            inspector = rng.choice(inspectors)
            declare_conflict(db, inspector, db.get(Target, target_id), "近亲属在该单位任职")
        db.flush()
    db.commit()


def _batch(db: Any, plan: Any, initiator: Any, count: int) -> Any:
    """An approved work plan with one batch: one stratum per credit class, its ratio set so that
    it draws :data:`DRAWN` of its candidates."""
    from spotcheck.planning.workplan_testing import make_batch, make_work_plan
    from spotcheck.planning.workplans import approve
    from spotcheck.tenancy.models import User
    from spotcheck.tenancy.scope import Scope, scoped

    work_plan = make_work_plan(db, initiator, plan)
    strata = []
    for credit, share in SIZES:
        size = count * share // 100
        strata.append({"key": f"credit={credit}", "selector": {"credit_classes": [credit]},
                       "ratio_bp": DRAWN[credit] * 10_000 // size, "min": 0})
    batch = make_batch(db, work_plan, strata=strata)
    with scoped(db, Scope.department(initiator.id)):
        approve(db, work_plan, User(id=None, username="head"))
    db.commit()
    return batch


# -- timing the phases of the real code -----------------------------------------------------------

class Phases:
    """Times the named functions while the real code calls them: each is replaced, for the
    duration of a ``with``, by a wrapper that adds its run time to the phase."""

    def __init__(self, spots: dict[str, tuple[Any, str]]) -> None:
        self.spots = spots
        self.times: dict[str, float] = defaultdict(float)

    def __enter__(self) -> Phases:
        self.saved = {name: (getattr(owner, attribute), attribute in vars(owner))
                      for name, (owner, attribute) in self.spots.items()}
        for name, (owner, attribute) in self.spots.items():
            setattr(owner, attribute, self._wrap(name, self.saved[name][0]))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, (owner, attribute) in self.spots.items():
            function, own = self.saved[name]
            if own:
                setattr(owner, attribute, function)
            else:  # a method of an instance's class (a session's commit)
                delattr(owner, attribute)

    def _wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.times[name] += time.perf_counter() - started
        return timed


def execution_phases(db: Any) -> Phases:
    from spotcheck import audit
    from spotcheck.draw import selection, service, teams, verify_draw
    from spotcheck.inspection import tasks

    return Phases({
        "lock": (service, "_lock"),
        "staleness re-check": (service, "_stale_reason"),
        "ranking and selection": (selection, "selected_strata"),
        "yearly tally": (service, "_count_towards_cap"),
        "matching inputs (pools, exclusions)": (service, "matching_inputs"),
        "matching (spec §4)": (verify_draw.Matching, "assign"),
        "selection rows": (service, "_record_selection"),
        "teams and members": (teams, "form"),
        "inspection tasks dispatched": (tasks, "dispatch"),
        "audit record": (audit, "record"),
        "commit": (db, "commit"),
    })


# -- the measurements -----------------------------------------------------------------------------

def prepare(db: Any, batch: Any) -> tuple[Any, dict[str, float]]:
    from spotcheck.draw import service
    from spotcheck.draw.testing import DRAWER
    from spotcheck.tenancy.scope import Scope, scoped

    with Phases({"dry run": (service, "dry_run"), "freezing": (service, "_freeze")}) as phases:
        started = time.perf_counter()
        with scoped(db, Scope.system()):
            draw = service.prepare(db, batch, DRAWER)
        db.commit()
        phases.times["total"] = seconds(started)
    return draw, dict(phases.times)


def our_selection(db: Any, draw: Any) -> list[list[int]]:
    """What :func:`service.execute` does before the tally: lock, re-check, rank and select."""
    from spotcheck.draw import selection, service, verify_draw
    from spotcheck.tenancy.scope import Scope, scoped

    with scoped(db, Scope.system()):
        service._lock(db, draw)
        assert service._stale_reason(db, draw) is None
        seed = verify_draw.draw_seed(draw.server_secret, ENTROPY, draw.candidates_digest)
        strata = [(s.position, s.key, s.quota) for s in draw.strata]
        return [[target_id for target_id, _ in rows]
                for rows in selection.selected_strata(db, draw.id, seed, strata)]


def directory_random(db: Any, draw: Any, department_id: int) -> list[list[int]]:
    """The unverifiable way: per stratum, ORDER BY random() LIMIT quota over the directory's
    same candidates (supervised, active, under the yearly cap, of the stratum's credit class)."""
    from spotcheck.draw.models import YEAR_CAP, DrawTally
    from spotcheck.registry.targets.models import Target, TargetSupervision

    target, supervision = Target.__table__, TargetSupervision.__table__
    picked = []
    connection = db.connection()
    for stratum in draw.strata:
        credit = stratum.key.split("=", 1)[1]
        statement = (select(target.c.id)
                     .join(supervision, and_(supervision.c.target_id == target.c.id,
                                             supervision.c.department_id == department_id))
                     .where(target.c.credit_class == credit, target.c.status == "active",
                            ~exists().where(DrawTally.target_id == target.c.id, DrawTally.year == YEAR,
                                            DrawTally.draws >= YEAR_CAP))
                     .order_by(func.random()).limit(stratum.quota))
        picked.append(list(connection.execute(statement).scalars()))
    return picked


def frozen_random(db: Any, draw: Any) -> list[list[int]]:
    """ORDER BY random() LIMIT quota per stratum over the frozen candidate rows themselves."""
    from spotcheck.draw.models import DrawCandidate

    candidate = DrawCandidate.__table__
    connection = db.connection()
    return [list(connection.execute(
        select(candidate.c.target_id).where(candidate.c.draw_id == draw.id, candidate.c.stratum == s.position)
        .order_by(func.random()).limit(s.quota)).scalars()) for s in draw.strata]


def repeated(db: Any, runs: int, quotas: list[int], **ways: Callable[[], list[list[int]]]) -> dict[str, float]:
    """Median time of each way over ``runs`` runs (after one warm-up each), interleaved, each
    in a transaction rolled back; checks that each way selects the quotas."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    for attempt in range(runs + 1):
        for name, way in ways.items():
            started = time.perf_counter()
            picked = way()
            elapsed = seconds(started)
            db.rollback()
            if attempt:
                times[name].append(elapsed)
            counts = [len(p) for p in picked]
            assert counts == quotas, (name, counts)
    return {name: statistics.median(values) for name, values in times.items()}


def sampler_comparison(db: Any, draw: Any) -> dict[str, float] | str:
    """consistent_sampler against our ranking over the same candidates, two ways: each given the
    same in-memory ids (the rankings alone), and each reading them from the frozen candidates
    first, as our selection does (``read + consistent_sampler``, to set against ours whole)."""
    from spotcheck.draw import verify_draw
    from spotcheck.draw.models import DrawCandidate

    try:
        from consistent_sampler import sampler
    except ImportError:
        return "consistent_sampler is not installed (pip install -e '.[test]')"

    def read() -> dict[int, list[str]]:
        return {s.position: list(db.connection().execute(select(DrawCandidate.code).where(
            DrawCandidate.draw_id == draw.id, DrawCandidate.stratum == s.position)).scalars())
            for s in draw.strata}

    started = time.perf_counter()
    codes = read()
    reading = seconds(started)
    db.rollback()
    seed = verify_draw.draw_seed(draw.server_secret, ENTROPY, draw.candidates_digest)
    started = time.perf_counter()
    for s in draw.strata:
        chosen = list(sampler(codes[s.position], seed=f"{seed}\n{s.key}", take=s.quota, output="id"))
        assert len(chosen) == s.quota
    theirs = seconds(started)
    started = time.perf_counter()
    for s in draw.strata:
        assert len(verify_draw.select(seed, s.key, codes[s.position], s.quota)) == s.quota
    return {"consistent_sampler": theirs, "verify_draw.select": seconds(started), "read": reading,
            "read + consistent_sampler": reading + theirs}


def execute(db: Any, draw: Any, folder: Path) -> tuple[dict[str, float], Path]:
    """``service.run`` and the proof streamed to a file, each phase timed."""
    from spotcheck.draw import service
    from spotcheck.draw.proof import proof_chunks
    from spotcheck.draw.testing import DRAWER
    from spotcheck.tenancy.scope import Scope, scoped

    # The CPU time of this process too: on a machine other work loads, it shows what the Python
    # side costs on a free core (the database server's share is not in it on PostgreSQL).
    with execution_phases(db) as phases:
        started, cpu = time.perf_counter(), time.process_time()
        with scoped(db, Scope.system()):
            service.run(db, draw.id, ENTROPY, DRAWER)
        phases.times["run (selection … commit)"] = seconds(started)
    times = dict(phases.times)
    times["cpu: run"] = time.process_time() - cpu
    path = folder / f"proof-{draw.id}.json"
    started, cpu = time.perf_counter(), time.process_time()
    with scoped(db, Scope.system()), path.open("w", encoding="utf-8") as out:
        for chunk in proof_chunks(db, db.get(type(draw), draw.id)):
            out.write(chunk)
    times["proof streamed to a file"] = seconds(started)
    times["cpu: proof"] = time.process_time() - cpu
    db.rollback()
    return times, path


def _status_mib(field: str) -> float:
    """A memory figure of this process from ``/proc/self/status`` (``VmRSS``, ``VmHWM``), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def proof_child(url: str, instance: str, draw_id: int, out: str) -> None:
    """In a fresh process: the app and the draw loaded, then the proof streamed to ``out``.

    ``getrusage``'s peak is this process's whole life, and on Linux it starts from the parent's
    peak (a child made by ``vfork`` and ``exec`` inherits it: gigabytes after the dry run). So
    the peak of the streaming itself is read from ``/proc/self/status`` (``VmHWM``), reset to the
    current RSS (``clear_refs``) just before the first chunk."""
    from spotcheck.cli import system_session
    from spotcheck.draw.models import Draw
    from spotcheck.draw.proof import proof_chunks

    app = make_app(url, instance)
    with app.app_context():
        db = system_session()
        draw = db.get(Draw, draw_id)
        assert draw is not None
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_mib("VmRSS")
        started = time.perf_counter()
        with open(out, "w", encoding="utf-8") as handle:
            for chunk in proof_chunks(db, draw):
                handle.write(chunk)
        elapsed = seconds(started)
        peak = _status_mib("VmHWM")
    print(json.dumps({"seconds": elapsed, "rss_before_mib": before, "rss_peak_mib": peak,
                      "ru_maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "bytes": Path(out).stat().st_size}))


def proof_memory(url: str, folder: Path, draw_id: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--proof-child", str(draw_id), "--url", url,
         "--instance", str(folder / "instance"), "--out", str(folder / "proof-child.json")],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# -- one backend ----------------------------------------------------------------------------------

def bench(backend: str, count: int, runs: int, compare_sampler: bool) -> dict[str, Any]:
    from spotcheck import migrations
    from spotcheck.cli import system_session
    from spotcheck.db import get_database
    from spotcheck.draw import verify_draw

    print(f"\n{backend}, {count:,} candidates (load average {os.getloadavg()[0]:.1f}):")
    begun = time.perf_counter()
    result: dict[str, Any] = {"backend": backend, "candidates": count}
    with tempfile.TemporaryDirectory(prefix="spotcheck-bench-draw-") as name:
        folder = Path(name)
        with database(backend, folder) as url:
            app = make_app(url, str(folder / "instance"))
            migrations.upgrade(get_database(app).engine)
            with app.app_context():
                db = system_session()
                built = build(db, count)
                department_id = built["department"].id

                draw, prepared = prepare(db, built["batch"])
                result["prepare"] = prepared
                print(f"  preparation: {prepared['total']:.1f} s (dry run {prepared['dry run']:.1f} s, "
                      f"freezing {prepared['freezing']:.1f} s); {draw.candidate_count:,} candidates, "
                      f"{draw.excluded_count:,} excluded; quotas {[s.quota for s in draw.strata]}")

                draw_id, quotas = draw.id, [s.quota for s in draw.strata]
                medians = repeated(db, runs, quotas, ours=lambda: our_selection(db, draw),
                                   directory=lambda: directory_random(db, draw, department_id),
                                   frozen=lambda: frozen_random(db, draw))
                result["selection"] = medians
                limit = 3 if backend == "postgresql" else 6
                ratio = medians["ours"] / medians["directory"]
                print(f"  target selection (median of {runs}): ours {medians['ours']:.2f} s; "
                      f"ORDER BY random() LIMIT over the directory {medians['directory']:.2f} s → "
                      f"{ratio:.2f}× ({'within' if ratio <= limit else 'OVER'} {limit}×); "
                      f"over the frozen candidates {medians['frozen']:.2f} s → "
                      f"{medians['ours'] / medians['frozen']:.2f}×")

                if compare_sampler:
                    sampled = sampler_comparison(db, draw)
                    result["sampler"] = sampled
                    if isinstance(sampled, str):
                        print(f"  consistent_sampler: skipped — {sampled}")
                    else:
                        speedup = sampled["read + consistent_sampler"] / medians["ours"]
                        alone = sampled["consistent_sampler"] / sampled["verify_draw.select"]
                        print(f"  consistent_sampler over the same candidates, read from the frozen rows "
                              f"({sampled['read']:.2f} s) then sampled ({sampled['consistent_sampler']:.2f} s): "
                              f"{sampled['read + consistent_sampler']:.2f} s; our whole selection "
                              f"{medians['ours']:.2f} s → {speedup:.1f}× faster "
                              f"({'at least' if speedup >= 10 else 'SHORT OF'} 10×); the rankings alone over "
                              f"the same in-memory lists: ours (verify_draw.select) "
                              f"{sampled['verify_draw.select']:.2f} s → {alone:.1f}× faster")
                else:
                    print(f"  consistent_sampler: skipped at {count:,} candidates (about 7 µs an id in "
                          "pure Python: the million-candidate run measures it)")

                times, path = execute(db, draw, folder)
                result["execution"] = times
                whole = times["run (selection … commit)"] + times["proof streamed to a file"]
                result["whole"] = whole
                print(f"  whole execution: {whole:.2f} s "
                      f"({'under' if whole < 3 else 'OVER'} 3 s); proof {path.stat().st_size / 2**20:.1f} MiB")
                accounted = 0.0
                for phase, value in times.items():
                    if phase.startswith("cpu: "):
                        continue
                    print(f"    {phase:38} {value:6.2f} s")
                    if phase not in ("run (selection … commit)", "proof streamed to a file"):
                        accounted += value
                print(f"    {'rest of run (checks, loading, flush)':38} "
                      f"{times['run (selection … commit)'] - accounted:6.2f} s")
                print(f"  CPU time of this process: run {times['cpu: run']:.2f} s, proof {times['cpu: proof']:.2f} s "
                      f"(load average {os.getloadavg()[0]:.1f})")
                started = time.perf_counter()
                with path.open(encoding="utf-8") as handle:
                    summary = verify_draw.verify(json.load(handle))
                result["verify"] = seconds(started)
                print(f"  verify_draw over the proof: {result['verify']:.1f} s — {summary.selected:,} "
                      f"selected, {summary.assignments:,} assignments, {summary.candidates:,} candidates")
                db.close()
            get_database(app).engine.dispose()
            memory = proof_memory(url, folder, draw_id)
            result["proof_memory"] = memory
            print(f"  proof ({memory['bytes'] / 2**20:.1f} MiB) streamed in a fresh process: "
                  f"{memory['seconds']:.2f} s; RSS {memory['rss_before_mib']:.0f} MiB before the first chunk, "
                  f"peak {memory['rss_peak_mib']:.0f} MiB while streaming (getrusage's ru_maxrss, "
                  f"inherited from this parent: {memory['ru_maxrss_mib']:.0f} MiB)")
    print(f"  {backend} done in {seconds(begun) / 60:.1f} min (load average {os.getloadavg()[0]:.1f})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--targets", type=int, default=1_000_000, help="candidates (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each selection (median)")
    parser.add_argument("--ten-million", action="store_true",
                        help="10,000,000 candidates on PostgreSQL only, instead (seeding takes minutes)")
    parser.add_argument("--proof-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.proof_child:
        proof_child(args.url, args.instance, args.proof_child, args.out)
        return
    pg = postgres_version()
    print(f"machine: {machine(pg)}")
    if args.ten_million:
        results = [bench("postgresql", 10_000_000, 1, compare_sampler=False)]
    else:
        backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
        results = [bench(backend, args.targets, args.runs, compare_sampler=True) for backend in backends]
    print("\n| backend | candidates | preparation | selection | ORDER BY random() | ratio | "
          "consistent_sampler | whole execution | proof RSS (before → peak) |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        sampled = r.get("sampler")
        theirs = f"{sampled['read + consistent_sampler']:.1f} s" if isinstance(sampled, dict) else "—"
        memory = r["proof_memory"]
        print(f"| {r['backend']} | {r['candidates']:,} | {r['prepare']['total']:.1f} s | "
              f"{r['selection']['ours']:.2f} s | {r['selection']['directory']:.2f} s | "
              f"{r['selection']['ours'] / r['selection']['directory']:.2f}× | {theirs} | "
              f"{r['whole']:.2f} s | {memory['rss_before_mib']:.0f} → {memory['rss_peak_mib']:.0f} MiB |")


if __name__ == "__main__":
    main()
