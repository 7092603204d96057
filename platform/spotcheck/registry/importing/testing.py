"""Makers for import tests and the benchmark: files in every format, runs, and a digest of the
directories that proves a run changed nothing (shipped like :mod:`spotcheck.testing`)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spotcheck.models import metadata
from spotcheck.registry.importing.engine import ImportOptions, RunResult, import_file
from spotcheck.tenancy.models import Department

DIRECTORY_TABLES = ("target", "target_supervision", "target_tag", "target_event", "inspector",
                    "inspector_authority", "inspector_area", "expert", "expert_speciality")
"""The tables an import writes (besides its own run row and audit record)."""

TARGET_HEADER = ("统一社会信用代码", "名称", "对象类型", "法定代表人", "地址", "所属区域", "行业代码",
                 "登记状态", "风险等级", "信用等级", "标签")


def csv_bytes(rows: Iterable[Sequence[Any]], header: Sequence[str] = TARGET_HEADER,
              encoding: str = "utf-8") -> bytes:
    """A CSV file as Excel writes it (CRLF), in ``encoding`` (``utf-8-sig`` adds the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Iterable[Sequence[Any]], header: Sequence[str] = TARGET_HEADER) -> bytes:
    """An Excel workbook with ``header`` and ``rows`` on its first sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(db_session: Session, department: Department, data: bytes, kind: str = "targets",
               channel: str = "cli", **options: Any) -> RunResult:
    """Import ``data`` (a file's bytes) for ``department`` in ``db_session``'s unit of work."""
    options.setdefault("file_name", f"{kind}.csv")
    return import_file(db_session, department, io.BytesIO(data),
                       ImportOptions(kind=kind, channel=channel, **options))


def directory_digest(db_session: Session) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of each directory table, to compare before and after."""
    db_session.expire_all()
    connection = db_session.connection()
    digests = {}
    for name in DIRECTORY_TABLES:
        table = metadata.tables[name]
        rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
        count = connection.scalar(select(func.count()).select_from(table))
        digests[name] = (count or 0, hashlib.sha256(repr(rows).encode()).hexdigest())
    return digests


def make_import_run(app: Flask, db_session: Session, department: Department) -> int:
    """A committed dry run of a one-target file for ``department``, its upload kept (as the web
    page's first step leaves it); returns the run's id."""
    from spotcheck.registry.targets.testing import credit_code

    with app.app_context():
        data = csv_bytes([[credit_code(987_001), "测试导入有限公司", "公司"]],
                         header=TARGET_HEADER[:3])
        result = import_file(db_session, department, io.BytesIO(data), ImportOptions(
            kind="targets", channel="web", dry_run=True, keep_upload=True, file_name="t.csv"))
    db_session.commit()
    return result.run_id
