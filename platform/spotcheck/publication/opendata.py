"""Open data: the published results as documents, filtered and streamed.

One result is one JSON object (``schemas/open-data-result.schema.json``); the JSON download and
each page of the API carry them under ``results`` (``schemas/open-data-results.schema.json``); the
CSV download has one row per result with the same fields flattened
(``schemas/open-data-result-csv.schema.json``); the national export has the columns the national
enterprise credit information disclosure system imports (``schemas/national-disclosure.schema.json``,
mapping in ``docs/publication.md``).

Every download is read in batches of :data:`BATCH` rows in id order (a keyset on the primary key,
so the millionth row costs what the first does) while the response streams: nothing is held in
memory but one batch. Only the public tables are read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import Session

from spotcheck.inspection.models import NON_COOPERATION_LABELS, RESULT_LABELS, ResultCategory
from spotcheck.planning.models import PlanType
from spotcheck.publication.models import Publication, PublicationDepartment
from spotcheck.registry.targets.codes import FOR_PROFIT_KINDS
from spotcheck.registry.targets.search import name_prefix
from spotcheck.tenancy.models import Department

BATCH = 1000
PROOF_PATH = "/public/draws/{draw_id}/proof.json"

NATIONAL_RESULT_TEXT = {
    ResultCategory.NO_PROBLEM: "未发现问题",
    ResultCategory.NOT_DISCLOSED: "未按规定公示应当公示的信息",
    ResultCategory.FALSE_DISCLOSURE: "公示信息隐瞒真实情况弄虚作假",
    ResultCategory.UNREACHABLE: "通过登记的住所（经营场所）无法联系",
    ResultCategory.CORRECTED: "发现问题已责令改正",
    ResultCategory.PENDING_FOLLOWUP: "发现问题待后续处理",
    ResultCategory.NO_ACTIVITY: "未发现开展本次抽查涉及的经营活动",
    ResultCategory.NON_COOPERATION: "不配合检查情节严重",
    ResultCategory.CLOSED_OR_LIQUIDATING: "已关闭停业或正在组织清算",
    ResultCategory.DEREGISTERED: "已注销",
    ResultCategory.REVOKED: "已被吊销",
    ResultCategory.CANCELLED: "已被撤销",
    ResultCategory.MOVED_OUT: "已迁出",
}
"""The national system's own words for each result category: an interchange vocabulary, fixed
whatever the interface's translations say."""

NATIONAL_CHECK_TYPES = {PlanType.RANDOM.value: "双随机抽查"}
NATIONAL_OTHER_CHECK = "检查"
"""检查类型: a random plan's checks are 双随机抽查; checks of the other plan types are plain 检查."""

NATIONAL_COLUMNS = ("统一社会信用代码/注册号", "企业名称", "检查实施机关", "检查类型", "检查日期", "检查结果")

CSV_COLUMNS = ("id", "target_code", "target_name", "target_kind", "area_code", "checked_on", "year",
               "check_type", "department_codes", "department_names_zh", "department_names_en",
               "item_codes", "item_names_zh", "item_names_en", "result_category", "result_label_zh",
               "result_label_en", "non_cooperation", "followup_status", "plan_id", "batch_id", "draw_id",
               "proof_url", "published_on", "due_on", "late", "working_days_late", "updated_at")
"""The CSV download's columns: the JSON document's fields, lists joined with ``;`` (codes) or
``、``/``; `` (names)."""


@dataclass(frozen=True)
class Filters:
    """What the open data is narrowed to; ``None`` means any. ``department`` and ``area`` are
    codes (an area includes the communities and villages in it), ``target`` a target's code,
    ``after`` the last id already read (the next page starts after it)."""

    year: int | None = None
    department: str | None = None
    area: str | None = None
    category: str | None = None
    updated_since: datetime | None = None
    target: str | None = None
    after: int | None = None

    def query_args(self) -> dict[str, str]:
        """The filters as query parameters (for the next page's link), ``after`` left out."""
        values = {"year": self.year, "department": self.department, "area": self.area,
                  "category": self.category, "target": self.target,
                  "updated_since": self.updated_since.isoformat() if self.updated_since else None}
        return {key: str(value) for key, value in values.items() if value is not None}


def conditions(db_session: Session, filters: Filters) -> list[ColumnElement[bool]]:
    """The WHERE conditions of ``filters`` on :class:`Publication`; each has an index to use."""
    where: list[ColumnElement[bool]] = []
    if filters.year is not None:
        where.append(Publication.year == filters.year)
    if filters.department:
        department_id = db_session.scalar(select(Department.id).where(Department.code == filters.department))
        where.append(Publication.id.in_(select(PublicationDepartment.publication_id).where(
            PublicationDepartment.department_id == (department_id or -1))))
    if filters.area:
        where.append(name_prefix(Publication.area_code, filters.area))
    if filters.category:
        where.append(Publication.result_category == filters.category)
    if filters.updated_since is not None:
        where.append(Publication.updated_at >= filters.updated_since)
    if filters.target:
        where.append(Publication.target_code == filters.target)
    if filters.after is not None:
        where.append(Publication.id > filters.after)
    return where


def columns() -> Select[Any]:
    """The SELECT of every column of :class:`Publication`."""
    # Rows, not entities: a download of a million results must not fill the identity map.
    return select(*(getattr(Publication, c.key) for c in Publication.__mapper__.column_attrs))


def page(db_session: Session, filters: Filters, limit: int) -> list[Row[Any]]:
    """Up to ``limit`` results matching ``filters`` after ``filters.after``, in id order."""
    return list(db_session.execute(columns().where(*conditions(db_session, filters))
                                   .order_by(Publication.id).limit(limit)))


def rows(db_session: Session, filters: Filters) -> Iterator[Row[Any]]:
    """Every result matching ``filters``, in id order, read :data:`BATCH` at a time."""
    after = filters.after
    while True:
        batch = page(db_session, Filters(**{**vars(filters), "after": after}), BATCH)
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1].id


@dataclass(frozen=True)
class Labels:
    """The English labels of the result categories and the Chinese and English ones of the
    non-cooperation situations, translated once per download rather than once per row."""

    results_en: dict[str, str]
    situations: dict[str, dict[str, str]]


def labels() -> Labels:
    """The labels as the app's catalogs translate them now."""
    with force_locale("en"):
        results_en = {c.value: str(label) for c, label in RESULT_LABELS.items()}
        situations_en = {code: str(label) for code, label in NON_COOPERATION_LABELS.items()}
    with force_locale("zh"):
        situations_zh = {code: str(label) for code, label in NON_COOPERATION_LABELS.items()}
    return Labels(results_en, {code: {"label_zh": situations_zh[code], "label_en": situations_en[code]}
                               for code in NON_COOPERATION_LABELS})


def document(row: Any, names: Labels) -> dict[str, Any]:
    """One result as open data (``schemas/open-data-result.schema.json``)."""
    category = ResultCategory(row.result_category)
    situations = [{"code": code, **names.situations[code]} for code in row.non_cooperation
                  if code in names.situations]
    return {
        "id": row.id,
        "target": {"code": row.target_code, "name": row.target_name, "kind": row.target_kind},
        "area_code": row.area_code,
        "checked_on": row.checked_on.isoformat(),
        "year": row.year,
        "check_type": row.check_type,
        "departments": [dict(d) for d in row.departments],
        "items": [dict(i) for i in row.items],
        "result": {"category": category.value, "label_zh": NATIONAL_RESULT_TEXT[category],
                   "label_en": names.results_en[category.value]},
        "non_cooperation": situations,
        "followup_status": row.followup_status,
        "plan_id": row.plan_id,
        "batch_id": row.batch_id,
        "draw_id": row.draw_id,
        "proof_url": PROOF_PATH.format(draw_id=row.draw_id),
        "published_on": row.published_on.isoformat(),
        "due_on": row.due_on.isoformat(),
        "late": row.late,
        "working_days_late": row.working_days_late,
        "updated_at": row.updated_at.isoformat(),
    }


def csv_row(item: dict[str, Any]) -> list[Any]:
    """A result document as a CSV row of :data:`CSV_COLUMNS`."""
    return [
        item["id"], item["target"]["code"], item["target"]["name"], item["target"]["kind"],
        item["area_code"] or "", item["checked_on"], item["year"], item["check_type"],
        ";".join(d["code"] for d in item["departments"]),
        "、".join(d["name_zh"] for d in item["departments"]),
        "; ".join(d["name_en"] for d in item["departments"]),
        ";".join(f"{i['department_code']}:{i['code']}" for i in item["items"]),
        "、".join(i["name_zh"] for i in item["items"]),
        "; ".join(i["name_en"] for i in item["items"]),
        item["result"]["category"], item["result"]["label_zh"], item["result"]["label_en"],
        ";".join(s["code"] for s in item["non_cooperation"]), item["followup_status"] or "",
        item["plan_id"], item["batch_id"], item["draw_id"], item["proof_url"], item["published_on"],
        item["due_on"], "true" if item["late"] else "false", item["working_days_late"], item["updated_at"],
    ]


def json_chunks(db_session: Session, filters: Filters, generated_at: datetime) -> Iterator[str]:
    """The JSON download (``schemas/open-data-results.schema.json``), a result at a time."""
    names = labels()
    yield json.dumps({"generated_at": generated_at.isoformat()}, ensure_ascii=False)[:-1] + ', "results": ['
    for n, row in enumerate(rows(db_session, filters)):
        yield ("," if n else "") + "\n" + json.dumps(document(row, names), ensure_ascii=False)
    yield "\n]}\n"


def national_rows(db_session: Session, filters: Filters) -> Iterator[list[str]]:
    """The national export: market entities' results (the national system knows no others)."""
    for row in rows(db_session, filters):
        if row.target_kind not in FOR_PROFIT_KINDS:
            continue
        yield [row.target_code, row.target_name, "、".join(d["name_zh"] for d in row.departments),
               NATIONAL_CHECK_TYPES.get(row.check_type, NATIONAL_OTHER_CHECK), row.checked_on.isoformat(),
               NATIONAL_RESULT_TEXT[ResultCategory(row.result_category)]]


def years(db_session: Session) -> list[int]:
    """The years from the first to the last with published results, the latest first (two index
    lookups: a DISTINCT would read the whole index)."""
    first, last = db_session.execute(select(func.min(Publication.year), func.max(Publication.year))).one()
    return [] if first is None else list(range(last, first - 1, -1))
