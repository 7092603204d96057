"""The office console on a year of 100,000 tasks and a directory of 1,000,000 targets: the office's
dashboard (every member unit, every figure) and the progress report (.xlsx and PDF).

Not a test (pytest collects ``test_*.py`` only): run it by hand, and copy its figures into
``docs/performance.md``::

    python tests/bench/bench_console.py                       # SQLite and PostgreSQL
    python tests/bench/bench_console.py --backend sqlite --targets 100000 --tasks 10000
    python tests/bench/bench_console.py --backend sqlite --url sqlite:////tmp/console.sqlite3  # kept

It builds the directory as ``bench_search.py`` does (two departments: BENCH1 supervises every
target, BENCH2 one in three), then one executed joint draw per department and ``--tasks`` tasks
over 2025 — each with both departments' items, one in two recorded (one in ten of those late), one
in three published, one in twenty with a follow-up (replacement requests are left out: a
handful of rows)
(bulk: SQLite ``executemany``, PostgreSQL ``COPY``; then ``ANALYZE``). It then times, in-process and
server-side only (no HTTP), :func:`spotcheck.console.metrics.dashboard` for the year as the office's
page asks for it (each unit's coverage left out) and as the assessment does, the coverage page,
and the whole report of the year: figures, assessment, coverage, workbook and PDF.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import nullcontext
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).parent))
from bench_portal import _chain, _copy_json  # noqa: E402
from bench_search import _executemany, build as build_directory, database, machine  # noqa: E402

from spotcheck.console import assessment, coverage, metrics, report  # noqa: E402
from spotcheck.console.periods import Period  # noqa: E402
from spotcheck.db import get_database, utcnow  # noqa: E402
from spotcheck.draw.models import DrawDepartment, Team  # noqa: E402
from spotcheck.followup.models import FollowUp  # noqa: E402
from spotcheck.inspection.models import Task, TaskItem  # noqa: E402
from spotcheck.planning.models import PlanItem  # noqa: E402
from spotcheck.publication.models import Publication  # noqa: E402
from spotcheck.registry.items.models import CheckItemVersion  # noqa: E402
from spotcheck.registry.items.testing import make_item  # noqa: E402
from spotcheck.tenancy.models import Department  # noqa: E402
from spotcheck.tenancy.scope import Scope, scoped  # noqa: E402

YEAR = 2025
STATES = ("followup_open", "open", "overdue", "corrected", "closed", "transferred", "accepted")


def _joint_work(app: object, departments: dict[str, int], tasks: int) -> None:
    """One draw per department, ``tasks`` tasks split between them, and what followed."""
    db = get_database(app).sessionmaker()
    with scoped(db, Scope.system()):
        if db.scalar(select(Task.id).limit(1)) is not None:
            db.close()
            return
        chains, plan_items = {}, {}
        for code, department_id in departments.items():
            department = db.get(Department, department_id)
            chains[code] = _chain(db, department_id)
            item = make_item(db, department, f"{code.lower()}_item")
            version = db.scalar(select(CheckItemVersion.id).where(CheckItemVersion.item_id == item.id))
            plan_items[code] = PlanItem(plan_id=chains[code]["plan"], department_id=department_id,
                                        item_version_id=version, code=item.code, name_zh="检查事项",
                                        name_en="Item", target_kinds=["company"], methods=["on_site"])
            db.add(plan_items[code])
        # Both departments send members to every joint team of both draws.
        db.add_all([DrawDepartment(draw_id=chain["draw"], department_id=department_id, code=code, position=n,
                                   per_target=1, pool=[])
                    for chain in chains.values() for n, (code, department_id) in enumerate(departments.items())])
        db.commit()
        plan_item_ids = {code: p.id for code, p in plan_items.items()}
    db.close()
    engine = get_database(app).engine
    load = _copy_json if engine.dialect.name == "postgresql" else _executemany
    rng = random.Random(21)
    codes = list(departments)
    started = time.perf_counter()
    rows = []
    for n in range(1, tasks + 1):
        lead = codes[n % 2]
        created = datetime(YEAR, 1, 2, 2, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(360 * 24 * 60))
        recorded = n % 2 == 0
        rows.append((n, lead, created, recorded, recorded and n % 20 == 0))
    with engine.begin() as connection:
        def base(lead: str) -> dict:
            chain = chains[lead]
            return {"department_id": departments[lead], "plan_id": chain["plan"], "draw_id": chain["draw"]}

        load(connection, Team.__table__, ({"id": n, **base(lead), "target_id": n, "position": n, "state": "dispatched",
                                           "created_at": created} for n, lead, created, _r, _l in rows))
        load(connection, Task.__table__, (
            {"id": n, **base(lead), "team_id": n, "target_id": n,
             "state": "recorded" if recorded else "dispatched", "check_ended_on": created.date(),
             "due_on": created.date() + timedelta(9), "overdue": late or (not recorded and n % 7 == 0),
             "recorded_at": created + timedelta(days=5) if recorded else None, "non_cooperation": [],
             "created_at": created, "updated_at": created, "version": 1}
            for n, lead, created, recorded, late in rows))
        load(connection, TaskItem.__table__, (
            {"id": 2 * n + k, "department_id": departments[code], "plan_id": chains[lead]["plan"], "task_id": n,
             "plan_item_id": plan_item_ids[code], "department_code": code, "item_code": "item", "name_zh": "检查事项",
             "name_en": "Item", "notice_forbidden": False, "form_code": "form", "online_fields": [],
             "methods": [], "findings": []}
            for n, lead, _c, _r, _l in rows for k, code in enumerate(codes)))
        print(f"  {tasks:,} teams, tasks and items in {time.perf_counter() - started:.0f} s")
        now = utcnow()
        load(connection, Publication.__table__, (
            {"id": n, "task_id": n, **base(lead), "batch_id": chains[lead]["batch"], "check_type": "random",
             "target_id": n, "target_code": f"T{n}", "target_name": "对象", "target_kind": "company",
             "area_code": None, "checked_on": created.date(), "year": YEAR, "departments": [], "items": [],
             "result_category": "no_problem", "non_cooperation": [], "followup_status": None,
             "entered_on": created.date(), "due_on": created.date() + timedelta(28),
             "published_on": min(created.date() + timedelta(12), date(YEAR, 12, 31)), "late": n % 9 == 0,
             "working_days_late": 0, "published_at": now, "published_by": "bench", "updated_at": now}
            for n, lead, created, recorded, _l in rows if recorded and n % 3 == 0))
        load(connection, FollowUp.__table__, (
            {"id": n, "department_id": departments[lead], "from_department_id": departments[lead], "task_id": n,
             "task_item_id": 2 * n, "target_id": n, "rule_code": "r", "rule_name_zh": "规则", "rule_name_en": "Rule",
             "finding": "f", "action": "order_correction", "state": STATES[1 + n % 6], "created_at": created,
             "updated_at": created} for n, lead, created, recorded, _l in rows if recorded and n % 10 == 0))
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    print(f"  the year's work built in {time.perf_counter() - started:.0f} s")


def _timed(run, times: int) -> tuple[float, float, float]:
    """Median and worst wall-clock milliseconds, and the median CPU milliseconds of this process
    (on SQLite the whole of the work, and what a busy shared machine does not inflate)."""
    laps, cpu = [], []
    for _ in range(times):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        laps.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(laps), max(laps), statistics.median(cpu)


def bench(backend: str, targets: int, tasks: int, runs: int, url: str | None = None) -> dict[str, tuple[float, ...]]:
    with nullcontext(url) if url else database(backend) as url:
        app, departments = build_directory(url, targets)
        _joint_work(app, departments, tasks)
        period = Period(YEAR)
        with app.app_context(), app.test_request_context():
            db = get_database(app).sessionmaker()
            with scoped(db, Scope.system()):
                shown = metrics.dashboard(db, period)
                assert shown.total.tasks == tasks, shown.total
                results = {
                    "office dashboard (year)": _timed(lambda: metrics.dashboard(db, period, unit_coverage=False), runs),
                    "assessment (year, each unit's coverage)": _timed(lambda: metrics.dashboard(db, period), runs),
                    "coverage page (year)": _timed(lambda: coverage.breakdowns(db, period), runs)}

                def whole_report() -> None:
                    dashboard = metrics.dashboard(db, period)
                    made = report.Report(dashboard, assessment.assess(dashboard, assessment.scheme_from(None)),
                                         coverage.breakdowns(db, period))
                    report.workbook(made)
                    report.pdf(made)

                results["progress report (.xlsx + PDF)"] = _timed(whole_report, max(1, runs // 5))
            db.close()
        get_database(app).engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--url", help="a database to build once and reuse (never dropped)")
    args = parser.parse_args()
    print(machine())
    for backend in args.backend or ["sqlite", "postgresql"]:
        print(f"{backend}: {args.targets:,} targets, {args.tasks:,} tasks")
        for name, (median, worst, cpu) in bench(backend, args.targets, args.tasks, args.runs, args.url).items():
            print(f"  {name}: median {median:.0f} ms, worst {worst:.0f} ms, this process's CPU {cpu:.0f} ms")
        print(f"  load average while measured: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
