"""Benchmark: importing a million targets from CSV, against a raw load of the same rows.

Run by hand (not collected by pytest), from the repository root, with PostgreSQL up for its part:

    .venv/bin/python tests/bench/bench_import.py                    # 1,000,000 rows, both backends
    .venv/bin/python tests/bench/bench_import.py --rows 100000 --backend sqlite

It writes one CSV file of valid targets (credit codes with stdnum's check digit, the demo
district's areas, real industry codes, tags), then for each backend, each on a fresh migrated
database and in a child process of its own (so peak memory is the measurement's own):

(a) raw load: the rows read with :mod:`csv` and written into the same tables the import fills
    (``target``, ``target_supervision``, ``target_tag``) with explicit ids, no validation, no
    comparison, no history: ``executemany`` on SQLite, ``COPY`` on PostgreSQL;
(b) the import: ``spotcheck.registry.importing.engine.import_file``, exactly what
    ``spotcheck import targets FILE --department BENCH`` runs, with validation, staging,
    duplicate and directory checks, history rows and the audit record, committed.

It prints both times, their ratio (target: the import within 3× the raw load), each child's peak
RSS, and the machine. ``docs/performance.md`` records the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AREAS_FILE = ROOT / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"
HEADER = ("统一社会信用代码", "名称", "对象类型", "法定代表人", "地址", "所属区域", "行业代码",
          "登记状态", "风险等级", "信用等级", "标签")
KINDS = (("公司", 60), ("个体工商户", 25), ("农民专业合作社", 4), ("分支机构", 4), ("合伙企业", 3),
         ("社会组织", 2), ("事业单位", 2))
INDUSTRIES = ("5211", "5212", "5221", "5223", "5261", "5271", "5292", "6210", "6220", "6241",
              "6291", "F", "H", "7010", "8051", "1310", "1392", "2710", "4413", "3130")
STATUSES = ("存续",) * 17 + ("注销", "吊销", "迁出")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
TAGS = ("食品经营", "特种设备", "重点监管", "网络交易", "餐饮", "药品零售", "校园周边", "农贸市场")
KIND_CODES = {"公司": "company", "个体工商户": "individual_business",
              "农民专业合作社": "farmer_cooperative", "分支机构": "branch", "合伙企业": "partnership",
              "社会组织": "social_organisation", "事业单位": "public_institution"}
STATUS_CODES = {"存续": "active", "注销": "deregistered", "吊销": "revoked", "迁出": "moved_out"}
RISK_CODES = {"高": "high", "中": "medium", "低": "low"}


def generate(path: Path, rows: int, area_paths: list[str]) -> None:
    """Write ``rows`` valid target rows as a UTF-8 CSV file (as "CSV UTF-8" from Excel)."""
    from spotcheck.registry.targets.testing import credit_code

    chooser = random.Random(20261127)
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for number in range(1, rows + 1):
            kind = chooser.choice(kinds)
            tags = "；".join(chooser.sample(TAGS, chooser.randint(0, 2)))
            writer.writerow((
                credit_code(number, KIND_CODES[kind]),
                f"城东区{number}号{'商行' if kind == '个体工商户' else '有限公司'}",
                kind,
                chooser.choice(SURNAMES) + "".join(chooser.sample(GIVEN, 2)),
                f"西宁市城东区{chooser.choice(('八一路', '建国路', '东关大街', '互助路'))}{number % 500 + 1}号",
                chooser.choice(area_paths),
                chooser.choice(INDUSTRIES),
                chooser.choice(STATUSES),
                chooser.choice("高中低"),
                chooser.choice("AABBBCCD"),
                tags,
            ))


def area_paths() -> list[str]:
    document = json.loads(AREAS_FILE.read_text(encoding="utf-8"))
    return [f"{area['name']}/{child}" for area in document["areas"]
            for child in area.get("communities", [])]


# -- the two measurements, each in a child process -----------------------------------------------

def make_app(url: str, instance: str) -> Any:
    from spotcheck.app import create_app

    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench",
                       "IMPORT_MAX_BYTES": 1 << 34, "IMPORT_MAX_ROWS": 10_000_000,
                       "DATABASE_POOL_SIZE": 2})


def prepare(url: str, instance: str) -> None:
    """Migrate a fresh database, create the department, load the areas."""
    from spotcheck import migrations
    from spotcheck.cli import system_session
    from spotcheck.db import get_database
    from spotcheck.registry.areas import load_areas, read_area_file
    from spotcheck.tenancy.models import Department

    app = make_app(url, instance)
    migrations.upgrade(get_database(app).engine)
    with app.app_context():
        db = system_session()
        db.add(Department(code="BENCH", name_zh="基准测试局", name_en="Benchmark", level="district"))
        load_areas(db, read_area_file(AREAS_FILE))
        db.commit()


def raw_load(url: str, instance: str, file: Path) -> float:
    """(a): the same rows, read with csv and written into the same tables, nothing else."""
    from sqlalchemy import select

    from spotcheck.db import get_database, utcnow
    from spotcheck.registry.areas import Area
    from spotcheck.tenancy.models import Department

    app = make_app(url, instance)
    engine = get_database(app).engine
    with engine.connect() as connection:
        department = connection.scalar(select(Department.id).where(Department.code == "BENCH"))
        areas = {path: area_id for path, area_id in connection.execute(select(Area.path, Area.id))}
    started = time.perf_counter()
    now = utcnow()
    with engine.begin() as connection, file.open(encoding="utf-8-sig", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        targets, supervisions, tags = [], [], []
        for number, cells in enumerate(reader, start=1):
            targets.append((number, cells[0], cells[1], KIND_CODES[cells[2]], cells[3], cells[4],
                            areas[cells[5]], cells[6], STATUS_CODES[cells[7]], cells[9], now, now, 1))
            supervisions.append((number, number, department, RISK_CODES[cells[8]], now))
            tags.extend((number, department, tag) for tag in cells[10].split("；") if tag)
        _write_raw(connection, targets, supervisions, tags)
    return time.perf_counter() - started


def _write_raw(connection: Any, targets: list[tuple[Any, ...]], supervisions: list[tuple[Any, ...]],
               tags: list[tuple[Any, ...]]) -> None:
    columns = {
        "target": "id, code, name, kind, legal_representative, address, area_id, industry_code, "
                  "status, credit_class, created_at, updated_at, version",
        "target_supervision": "id, target_id, department_id, risk_level, since",
        "target_tag": "target_id, department_id, tag",
    }
    batches = {"target": targets, "target_supervision": supervisions, "target_tag": tags}
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            for table, rows in batches.items():
                with cursor.copy(f"COPY {table} ({columns[table]}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in ("target", "target_supervision"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))")
        return
    for table, rows in batches.items():
        marks = ", ".join("?" for _ in columns[table].split(","))
        if table == "target":  # SQLite stores timestamps as text; the import writes the same
            rows = [(*row[:10], row[10].isoformat(sep=" "), row[11].isoformat(sep=" "), 1)
                    for row in rows]
        elif table == "target_supervision":
            rows = [(*row[:4], row[4].isoformat(sep=" ")) for row in rows]
        connection.exec_driver_sql(f"INSERT INTO {table} ({columns[table]}) VALUES ({marks})", rows)


def full_import(url: str, instance: str, file: Path) -> tuple[float, dict[str, int]]:
    """(b): the import, as the command line runs it, committed."""
    from sqlalchemy import select

    from spotcheck.cli import system_session
    from spotcheck.registry.importing.engine import ImportOptions, import_file
    from spotcheck.tenancy.models import Department

    app = make_app(url, instance)
    with app.app_context():
        db = system_session()
        department = db.scalars(select(Department).where(Department.code == "BENCH")).one()
        started = time.perf_counter()
        with file.open("rb") as stream:
            result = import_file(db, department, stream,
                                 ImportOptions(kind="targets", channel="cli", file_name=file.name))
        db.commit()
        elapsed = time.perf_counter() - started
    if result.status != "applied" or not result.report.ok:
        raise SystemExit(f"the import did not apply: {result.status} {result.report.problems[:5]}")
    return elapsed, result.report.counts


def child(args: argparse.Namespace) -> None:
    """One measurement in this process; prints its result as JSON."""
    prepare(args.url, args.instance)
    if args.phase == "raw":
        seconds, counts = raw_load(args.url, args.instance, Path(args.file)), {}
    else:
        seconds, counts = full_import(args.url, args.instance, Path(args.file))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_rss_mib": peak_kib / 1024, "counts": counts}))


# -- the parent: generate, measure, report -------------------------------------------------------

def measure(phase: str, backend: str, file: Path, workdir: Path) -> dict[str, Any]:
    from spotcheck.testing import databases

    with ExitStack() as stack:
        if backend == "postgresql":
            url = stack.enter_context(databases.postgres_database())
        else:
            url = f"sqlite:///{workdir / f'{phase}.sqlite3'}"
        output = subprocess.run(
            [sys.executable, __file__, "--child", phase, "--url", url, "--file", str(file),
             "--instance", str(workdir / "instance")],
            check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    except OSError:
        memory = 0
    import sqlite3

    return (f"{cpu}, {os.cpu_count()} cores, {memory} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--child", dest="phase", choices=("raw", "import"))
    parser.add_argument("--url")
    parser.add_argument("--file")
    parser.add_argument("--instance")
    args = parser.parse_args()
    if args.phase:
        child(args)
        return
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="spotcheck-bench-") as folder:
        workdir = Path(folder)
        file = workdir / "targets.csv"
        started = time.perf_counter()
        generate(file, args.rows, area_paths())
        print(f"generated {args.rows:,} rows ({file.stat().st_size / (1 << 20):.0f} MiB) "
              f"in {time.perf_counter() - started:.1f} s")
        for backend in backends:
            raw = measure("raw", backend, file, workdir)
            full = measure("import", backend, file, workdir)
            ratio = full["seconds"] / raw["seconds"]
            print(f"{backend}: raw load {raw['seconds']:.1f} s (peak RSS {raw['peak_rss_mib']:.0f} MiB); "
                  f"import {full['seconds']:.1f} s (peak RSS {full['peak_rss_mib']:.0f} MiB); "
                  f"ratio {ratio:.2f} ({'within' if ratio <= 3 else 'OVER'} 3×); "
                  f"counts {full['counts']}")


if __name__ == "__main__":
    main()
