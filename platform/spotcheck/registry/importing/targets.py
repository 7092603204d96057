"""Importing the target directory: its template's columns, and a sink built for a million rows.

Validated rows go to a staging table (:mod:`.staging`), so memory stays flat. Then, in SQL:
duplicates within the file; each row linked to the target it names (by code, or — for products,
projects and behaviours given without their platform code — by kind and name among the targets
this department supervises); a comparison with the directory a chunk at a time; and finally the
writes, set-based: ``INSERT … SELECT`` of new targets and supervisions, ``UPDATE … FROM`` the
staging table for changes, the department's tags, and one history row per change in the shape
of :func:`~spotcheck.registry.targets.history.record_events` (source ``import`` or ``sync``, with
the run's id), written in bulk.

These are Core statements: the ORM's audit capture refuses bulk INSERTs, since it could not
record each row, and its tenancy layer does not see them. So the sink holds the tenancy rules
itself: every supervision, tag and history row it writes is the importing department's, and a
target's shared record is updated only where that department supervises it — a condition of the
UPDATE statement itself, whose row count is checked. The run is audited once, as ``import``.

Blank cells leave a target's fields as they are (a file with only codes, names and tags does not
erase addresses), and so do missing columns. A code already in the directory is an update when
the department supervises that target, and otherwise the department starts supervising it (the
report names who supervises it already); either way the row's values are applied, as the dry run
shows beforehand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.engine import Connection

from spotcheck.api.i18n import N_
from spotcheck.db import utcnow
from spotcheck.registry.errors import FieldError
from spotcheck.registry.importing.engine import CHUNK, ImportContext, Progress
from spotcheck.registry.importing.headers import Column as TemplateColumn
from spotcheck.registry.importing.headers import Columns
from spotcheck.registry.importing.report import Problem, Report, RowOutcome, problem
from spotcheck.registry.importing.staging import analyse, bulk_insert, create_stage, drop_stage
from spotcheck.registry.areas import area_index
from spotcheck.registry.targets.codes import NON_MARKET_KINDS, mask_changes
from spotcheck.registry.targets.history import created, event_stamp
from spotcheck.registry.targets.models import (
    SEARCH_COPIES,
    Target,
    TargetEvent,
    TargetSupervision,
    TargetTag,
    copy_search_columns,
)
from spotcheck.registry.targets.rows import SHARED_FIELDS, TargetRow, validate_target_row
from spotcheck.registry.targets.service import next_platform_codes
from spotcheck.tenancy.models import Department
from spotcheck.tenancy.scope import TenancyError

COLUMNS = Columns([
    TemplateColumn("code", "统一社会信用代码", "Unified social credit code", width=24,
                   aliases=("社会信用代码", "信用代码", "统一代码", "平台编码", "对象编码", "编码",
                            "credit code", "uscc"),
                   hint="18 位统一社会信用代码；产品、项目、行为类对象填平台编码（如 NM-PROD-000001）或留空"),
    TemplateColumn("name", "名称", "Name", required=True, width=32,
                   aliases=("对象名称", "企业名称", "主体名称", "单位名称")),
    TemplateColumn("kind", "对象类型", "Kind", required=True, width=16,
                   aliases=("类型", "主体类型", "市场主体类型"),
                   hint="公司、企业法人、合伙企业、个人独资企业、农民专业合作社、分支机构、个体工商户、"
                        "社会组织、事业单位、其他非营利组织、产品、项目、行为"),
    TemplateColumn("legal_representative", "法定代表人", "Legal representative", width=14,
                   aliases=("法人", "负责人", "经营者", "法定代表人（负责人）")),
    TemplateColumn("address", "地址", "Address", width=36, aliases=("住所", "经营场所", "住所（经营场所）")),
    TemplateColumn("area", "所属区域", "Area", width=28, aliases=("区域", "所属街道", "街道/社区"),
                   hint="区域编码，或“街道/社区”形式的名称"),
    TemplateColumn("industry", "行业代码", "Industry", width=12,
                   aliases=("行业", "国民经济行业代码", "industry code"),
                   hint="《国民经济行业分类》（GB/T 4754-2017）门类字母或 2–4 位代码"),
    TemplateColumn("status", "登记状态", "Status", width=12, aliases=("状态", "经营状态"),
                   hint="存续、注销、吊销、迁出"),
    TemplateColumn("risk_level", "风险等级", "Risk level", width=10, aliases=("风险", "risk"),
                   hint="高、中、低（本部门的评定）"),
    TemplateColumn("credit_class", "信用等级", "Credit class", width=10,
                   aliases=("信用", "信用风险分类", "credit"), hint="A、B、C、D"),
    TemplateColumn("tags", "标签", "Tags", width=24, aliases=("tag",),
                   hint="本部门的标签，以“；”或“;”分隔"),
])

SHARED = ("name", "kind", "legal_representative", "address", "area_id", "industry_code", "status",
          "credit_class")
assert set(SHARED) == set(SHARED_FIELDS), "the import stages exactly the shared fields"
FIELD_OF = {"area_id": "area", "industry_code": "industry"}
"""Stage column → the template field a user knows it by."""
TAG_SEPARATOR = "\x1f"
SQLITE_CACHE_KIB = 256 * 1024
EVENT_COLUMNS = ["target_id", "department_id", "private", "at", "user_id", "username", "source",
                 "import_id", "action", "changes"]

DUPLICATE_CODE = N_("The code %(value)s is also in rows %(rows)s of this file: keep one row per target.")
DUPLICATE_NAME = N_("“%(name)s” of the same kind, without a code, is also in rows %(rows)s of this "
                    "file: keep one row per target.")
UNKNOWN_PLATFORM_CODE = N_("No target has the platform code %(value)s: leave the code blank to add a "
                           "new one.")
AMBIGUOUS_NAME = N_("Your department supervises %(count)d targets of this kind named “%(name)s”: "
                    "give the platform code of the one you mean.")
NOT_SUPERVISED = N_("The import tried to change targets your department does not supervise; "
                    "nothing was imported.")


class TargetAdapter:
    """The target directory (检查对象名录库) for the importer."""

    kind = "targets"
    columns = COLUMNS

    def open(self, context: ImportContext) -> TargetSink:
        return TargetSink(context)


class TargetSink:
    """Stages valid target rows, compares them with the directory, writes them in bulk."""

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.department: Department = context.department
        self.connection: Connection = context.session.connection()
        self.areas = area_index(context.session)
        self._cache_size = _larger_sqlite_cache(self.connection)
        self.stage: Table = create_stage(self.connection, [
            Column("code", Text), Column("name", Text), Column("kind", Text),
            Column("legal_representative", Text), Column("address", Text),
            Column("area_id", Integer), Column("industry_code", Text), Column("status", Text),
            Column("credit_class", Text), Column("risk_level", Text), Column("tags", Text),
            Column("shared_changed", Integer), Column("risk_changed", Integer),
            Column("tags_changed", Integer),
        ])
        self._insert_columns = ["row", "key", "action", "code", "name", "kind",
                                "legal_representative", "address", "area_id", "industry_code",
                                "status", "credit_class", "risk_level", "tags"]

    # -- reading ---------------------------------------------------------------------------------

    def validate(self, raw: Mapping[str, str]) -> tuple[TargetRow | None, list[FieldError]]:
        if "*" in raw.get("legal_representative", ""):
            # A masked name from an export without APPROVE: keep the directory's own.
            raw = {key: value for key, value in raw.items() if key != "legal_representative"}
        return validate_target_row(raw, self.areas)

    def add(self, rows: list[tuple[int, TargetRow]]) -> None:
        bulk_insert(self.connection, self.stage, self._insert_columns, (
            # Every row is new until a target it names is found (updates then touch only those).
            (number, row.code or f"{row.kind}{TAG_SEPARATOR}{row.name}", "create", row.code, row.name,
             row.kind, row.legal_representative, row.address, row.area_id, row.industry_code,
             row.status, row.credit_class, row.risk_level,
             TAG_SEPARATOR.join(row.tags) if row.tags else None)
            for number, row in rows))

    # -- comparing -------------------------------------------------------------------------------

    def finish(self, report: Report) -> None:
        analyse(self.connection, self.stage)
        self._refuse_duplicates(report)
        self._link_existing(report)
        self._plan_actions()
        self._compare_existing()
        self._report_outcomes(report)

    def _refuse_duplicates(self, report: Report) -> None:
        stage = self.stage.c
        repeated = select(stage.key).group_by(stage.key).having(func.count() > 1)
        groups: dict[str, list[tuple[int, str | None, str]]] = {}
        for key, row, code, name in self.connection.execute(
                select(stage.key, stage.row, stage.code, stage.name)
                .where(stage.key.in_(repeated)).order_by(stage.key, stage.row)):
            groups.setdefault(key, []).append((row, code, name))
        for members in groups.values():
            for row, code, name in members:
                others = "、".join(str(r) for r, _c, _n in members if r != row)
                if code:
                    found = problem("duplicate_in_file", DUPLICATE_CODE, row=row, field="code",
                                    column=self._header(report, "code"), value=code, rows=others)
                else:
                    found = problem("duplicate_in_file", DUPLICATE_NAME, row=row, field="name",
                                    column=self._header(report, "name"), name=name, rows=others)
                self._invalid(report, row, code, name, found)
        if groups:
            self.connection.execute(delete(self.stage).where(stage.key.in_(repeated)))

    def _link_existing(self, report: Report) -> None:
        """Find the target each row names: by code (writing only the rows that match), or for
        products, projects and behaviours without a code, by kind and name."""
        stage = self.stage.c
        target = Target.__table__.c
        self.connection.execute(update(self.stage).where(target.code == stage.code)
                                .values(record_id=target.id, action="unchanged"))
        for row, code, name in self.connection.execute(
                select(stage.row, stage.code, stage.name)
                .where(stage.record_id.is_(None), stage.kind.in_(sorted(NON_MARKET_KINDS)),
                       stage.code.is_not(None))).all():
            self._invalid(report, row, code, name, problem(
                "unknown_platform_code", UNKNOWN_PLATFORM_CODE, row=row, field="code",
                column=self._header(report, "code"), value=code))
            self.connection.execute(delete(self.stage).where(stage.row == row))
        self._link_by_name(report)

    def _link_by_name(self, report: Report) -> None:
        """A product, project or behaviour without a code is the one this department supervises
        under that kind and name, if there is exactly one."""
        stage = self.stage.c
        target = Target.__table__.c
        supervision = TargetSupervision.__table__.c
        own_by_name = (select(target.id).join_from(
            Target.__table__, TargetSupervision.__table__, supervision.target_id == target.id)
            .where(supervision.department_id == self.department.id,
                   target.kind == stage.kind, target.name == stage.name))
        for row, name, count in self.connection.execute(
                select(stage.row, stage.name, own_by_name.with_only_columns(func.count())
                       .scalar_subquery().label("matches"))
                .where(stage.code.is_(None))).all():
            if count > 1:
                self._invalid(report, row, None, name, problem(
                    "ambiguous_name", AMBIGUOUS_NAME, row=row, field="name",
                    column=self._header(report, "name"), count=count, name=name))
                self.connection.execute(delete(self.stage).where(stage.row == row))
        self.connection.execute(update(self.stage).where(stage.code.is_(None), exists(own_by_name))
                                .values(record_id=own_by_name.with_only_columns(
                                    func.min(target.id)).scalar_subquery(), action="unchanged"))
        self.connection.execute(update(self.stage).where(
            stage.code.is_(None), stage.record_id.is_not(None)).values(
            code=select(target.code).where(target.id == stage.record_id).scalar_subquery()))

    def _plan_actions(self) -> None:
        """Number the new products, projects and behaviours given without a platform code."""
        stage = self.stage.c
        unnumbered: dict[str, list[int]] = {}
        for row, kind in self.connection.execute(select(stage.row, stage.kind).where(
                stage.action == "create", stage.code.is_(None)).order_by(stage.row)):
            unnumbered.setdefault(kind, []).append(row)
        for kind, rows in unnumbered.items():
            codes = next_platform_codes(self.context.session, kind, len(rows))
            self.connection.execute(update(self.stage).where(stage.row == _bind("b_row"))
                                    .values(code=_bind("b_code"), key=_bind("b_code")),
                                    [{"b_row": row, "b_code": code} for row, code in zip(rows, codes)])

    def _compare_existing(self) -> None:
        """Decide, a chunk at a time, whether each row naming an existing target changes it."""
        stage = self.stage.c
        target = Target.__table__.c
        supervision = TargetSupervision.__table__.c
        query = (select(self.stage, *(target[name].label(f"t_{name}") for name in SHARED),
                        supervision.id.label("supervision_id"),
                        supervision.risk_level.label("current_risk"))
                 .join_from(self.stage, Target.__table__, target.id == stage.record_id)
                 .outerjoin(TargetSupervision.__table__,
                            and_(supervision.target_id == stage.record_id,
                                 supervision.department_id == self.department.id)))
        for rows in self._chunks(query):
            tags = self._tags_of([row.record_id for row in rows])
            changes = [self._compare(row, tags.get(row.record_id, [])) for row in rows]
            planned = [change for change in changes if change is not None]
            if planned:
                self.connection.execute(
                    update(self.stage).where(stage.row == _bind("b_row")).values(
                        action=_bind("b_action"), changed=_bind("b_changed"),
                        before=_bind("b_before"), shared_changed=_bind("b_shared"),
                        risk_changed=_bind("b_risk"), tags_changed=_bind("b_tags")),
                    planned)

    def _compare(self, row: Any, current_tags: list[str]) -> dict[str, Any] | None:
        before: dict[str, Any] = {}
        for name in SHARED:
            value = getattr(row, name)
            if value is not None and value != getattr(row, f"t_{name}"):
                before[name] = getattr(row, f"t_{name}")
        shared = bool(before)
        supervised = row.supervision_id is not None
        risk = row.risk_level is not None and (not supervised or row.risk_level != row.current_risk)
        if risk:
            before["risk_level"] = row.current_risk
        new_tags = _split(row.tags)
        tags = new_tags is not None and sorted(new_tags) != sorted(current_tags)
        if tags:
            before["tags"] = sorted(current_tags)
        if supervised and not before:
            return None
        return {"b_row": row.row, "b_action": "update" if supervised else "supervise",
                "b_changed": ",".join(FIELD_OF.get(name, name) for name in before),
                "b_before": json.dumps(before, ensure_ascii=False), "b_shared": int(shared),
                "b_risk": int(risk), "b_tags": int(tags)}

    def _tags_of(self, target_ids: list[int]) -> dict[int, list[str]]:
        tag = TargetTag.__table__.c
        found: dict[int, list[str]] = {}
        for target_id, text in self.connection.execute(select(tag.target_id, tag.tag).where(
                tag.department_id == self.department.id, tag.target_id.in_(target_ids))):
            found.setdefault(target_id, []).append(text)
        return found

    def _report_outcomes(self, report: Report) -> None:
        stage = self.stage.c
        for action, count in self.connection.execute(
                select(stage.action, func.count()).group_by(stage.action)):
            report.count(action, count)
        listed = self.connection.execute(
            select(stage.row, stage.action, stage.code, stage.name, stage.changed, stage.record_id)
            .order_by(stage.row).limit(report.max_rows)).all()
        supervisors = self._supervisors([r.record_id for r in listed if r.action == "supervise"])
        for row in listed:
            report.rows.append(RowOutcome(row.row, row.action, row.code or "", row.name,
                                          row.changed.split(",") if row.changed else [],
                                          supervisors.get(row.record_id, "")))

    def _supervisors(self, target_ids: list[int]) -> dict[int, str]:
        supervision = TargetSupervision.__table__.c
        department = Department.__table__.c
        found: dict[int, list[str]] = {}
        for start in range(0, len(target_ids), CHUNK):
            for target_id, code in self.connection.execute(
                    select(supervision.target_id, department.code)
                    .join_from(TargetSupervision.__table__, Department.__table__,
                               department.id == supervision.department_id)
                    .where(supervision.target_id.in_(target_ids[start:start + CHUNK]))
                    .order_by(department.code)):
                found.setdefault(target_id, []).append(code)
        return {target_id: ", ".join(codes) for target_id, codes in found.items()}

    # -- writing ---------------------------------------------------------------------------------

    def apply(self, progress: Progress | None) -> None:
        now = utcnow()
        department_id = self.department.id
        stage = self.stage.c
        target = Target.__table__
        supervision = TargetSupervision.__table__
        creates = stage.action == "create"
        self.connection.execute(insert(target).from_select(
            ["code", *SHARED, "created_at", "updated_at", "version"],
            select(stage.code, *(func.coalesce(stage.status, "active") if name == "status"
                                 else stage[name] for name in SHARED),
                   literal(now, target.c.created_at.type), literal(now, target.c.updated_at.type),
                   literal(1)).where(creates).order_by(stage.row)))
        # Supervision rows: the importing department's, and no other. They carry the copies of
        # the target's searched columns (SEARCH_COPIES) as the target has them before the
        # updates below, which then bring every supervision of a changed target in step.
        self.connection.execute(insert(supervision).from_select(
            ["target_id", "department_id", "risk_level", "since", *SEARCH_COPIES],
            select(target.c.id, literal(department_id), stage.risk_level,
                   literal(now, supervision.c.since.type),
                   *(target.c[name] for name in SEARCH_COPIES))
            .join_from(self.stage, target, target.c.code == stage.code)
            .where(stage.action.in_(("create", "supervise")))))
        self._update_shared(now)
        self.connection.execute(update(supervision).where(
            supervision.c.target_id == stage.record_id, supervision.c.department_id == department_id,
            stage.action == "update", stage.risk_changed == 1).values(risk_level=stage.risk_level))
        if progress:
            progress("write", 1, 3)
        self._write_tags()
        if progress:
            progress("write", 2, 3)
        self._write_history()
        if progress:
            progress("write", 3, 3)

    def _update_shared(self, now: Any) -> None:
        """Apply changed shared fields, only to targets this department supervises (checked)."""
        stage = self.stage.c
        target = Target.__table__
        supervision = TargetSupervision.__table__.c
        wanted = self.connection.scalar(select(func.count()).where(stage.shared_changed == 1)) or 0
        if not wanted:
            return
        result = self.connection.execute(update(target).where(
            target.c.id == stage.record_id, stage.shared_changed == 1,
            exists().where(supervision.target_id == target.c.id,
                           supervision.department_id == self.department.id),
        ).values({**{name: func.coalesce(stage[name], target.c[name]) for name in SHARED},
                  "version": target.c.version + 1, "updated_at": now}))
        if result.rowcount != wanted:
            raise TenancyError(NOT_SUPERVISED)
        # Every department's supervision of a changed target follows it (the search's copies).
        copy_search_columns(self.connection,
                            select(stage.record_id).where(stage.shared_changed == 1))

    def _write_tags(self) -> None:
        stage = self.stage.c
        tag = TargetTag.__table__
        department_id = self.department.id
        self.connection.execute(delete(tag).where(
            tag.c.department_id == department_id,
            tag.c.target_id.in_(select(stage.record_id).where(stage.tags_changed == 1))))
        target = Target.__table__.c
        query = select(stage.row, target.id, stage.tags).join_from(
            self.stage, Target.__table__, target.code == stage.code).where(
            stage.tags.is_not(None), (stage.action == "create") | (stage.tags_changed == 1))
        for rows in self._streamed(query):
            bulk_insert(self.connection, tag, ["target_id", "department_id", "tag"],
                        [(row.id, department_id, text)
                         for row in rows for text in _split(row.tags) or ()])

    def _write_history(self) -> None:
        """One history row per change: the shared record's, and the department's own view's.

        The rows are :func:`~spotcheck.registry.targets.history.record_events`' rows, stamped by
        :func:`~spotcheck.registry.targets.history.event_stamp` and masked by the same
        :func:`mask_changes`, in the importing department's name only; they are written with
        COPY / ``executemany`` because that function's per-row work (30–50 µs an event, through
        the ORM's parameter processing) would alone break the 3× target of a million rows.
        """
        stamp = event_stamp(self.context.session, self.context.source, self.context.run_id)
        if stamp.department_id != self.department.id:
            raise TenancyError("history must be written in the importing department's name")
        table = TargetEvent.__table__
        stamped = (stamp.department_id, _bound(self.connection, table.c.at, stamp.at),
                   stamp.user_id, stamp.username, stamp.source, stamp.import_id)
        stage = self.stage.c
        target = Target.__table__.c
        query = select(stage.row, target.id, stage.action, stage.before, stage.shared_changed,
                       stage.risk_changed, stage.tags_changed, stage.code, stage.risk_level,
                       stage.tags, *(stage[name] for name in SHARED)
                       ).join_from(self.stage, Target.__table__, target.code == stage.code
                                   ).where(stage.action != "unchanged")
        for rows in self._streamed(query):
            events = [event for row in rows for event in _events_of(row)]
            bulk_insert(self.connection, table, EVENT_COLUMNS, [
                (target_id, stamped[0], private, *stamped[1:], action,
                 json.dumps(mask_changes(changes)))
                for target_id, private, action, changes in events])

    # -- helpers ---------------------------------------------------------------------------------

    def _chunks(self, query: Any) -> Iterator[list[Any]]:
        """The rows of ``query`` (which selects the stage's ``row``) in row order, a chunk at a
        time, read before the caller writes (SQLite must not write a table it is reading)."""
        stage = self.stage.c
        last = 0
        while True:
            rows = self.connection.execute(query.where(stage.row > last).order_by(stage.row)
                                           .limit(CHUNK)).all()
            if not rows:
                return
            yield rows
            last = rows[-1].row

    def _streamed(self, query: Any) -> Iterator[Sequence[Any]]:
        """The rows of ``query`` in row order, read by one statement a chunk at a time (a
        server-side cursor on PostgreSQL), for steps that write other tables than they read."""
        result = self.connection.execute(query.order_by(self.stage.c.row).execution_options(
            stream_results=True, yield_per=CHUNK))
        yield from result.partitions(CHUNK)

    def _invalid(self, report: Report, row: int, code: str | None, name: str | None,
                 found: Problem) -> None:
        report.add_problem(found)
        report.add_row(RowOutcome(row, "invalid", code or "", name or ""))

    def _header(self, report: Report, field: str) -> str:
        return report.columns.get(field) or COLUMNS.by_field[field].header

    def close(self) -> None:
        drop_stage(self.connection)
        if self._cache_size is not None:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(self._cache_size)}")


def _events_of(row: Any) -> list[tuple[int, bool, str, dict[str, Any]]]:
    """The history of one staged row that changes the directory: ``(target id, private, action,
    changes)`` per event, changes as :func:`created` and the target service write them."""
    (_row, target_id, action, before_text, shared_changed, risk_changed, tags_changed, code, risk,
     tags_text, *shared) = row
    tags = _split(tags_text) or []
    if action == "create":
        changes = {"code": [None, code]}
        for name, value in zip(SHARED, shared):
            if value is not None:
                changes[name] = [None, value]
        changes.setdefault("status", [None, "active"])
        private: dict[str, Any] = {}
        if risk is not None:
            private["risk_level"] = [None, risk]
        if tags:
            private["tags"] = [None, tags]
        return [(target_id, False, "create", changes), (target_id, True, "supervise", private)]
    events = []
    before = json.loads(before_text or "{}")
    if shared_changed:
        events.append((target_id, False, "update", {
            name: [before[name], value] for name, value in zip(SHARED, shared) if name in before}))
    if action == "supervise":
        events.append((target_id, True, "supervise", created(
            [("risk_level", risk), ("tags", tags if tags_changed else [])])))
        return events
    if risk_changed:
        events.append((target_id, True, "risk", {"risk_level": [before.get("risk_level"), risk]}))
    if tags_changed:
        events.append((target_id, True, "tag", {"tags": [before.get("tags", []), sorted(tags)]}))
    return events


def _larger_sqlite_cache(connection: Connection) -> int | None:
    """On SQLite, give this connection a page cache the size of a large import's indexes for the
    run (the default 2 MB makes every insert into the million-row code and name indexes miss);
    returns the size to restore. PostgreSQL's shared buffers are the server's to size."""
    if connection.dialect.name != "sqlite":
        return None
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    return previous


def _bound(connection: Connection, column: Any, value: Any) -> Any:
    """``value`` as the column's type writes it for this backend (psycopg's COPY takes Python
    values; SQLite's ``executemany`` needs them as SQLAlchemy stores them)."""
    if connection.dialect.name == "postgresql":
        return value
    processor = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return processor(value) if processor else value


def _split(text: str | None) -> list[str] | None:
    return None if text is None else text.split(TAG_SEPARATOR)


def _bind(name: str) -> Any:
    return bindparam(name)
