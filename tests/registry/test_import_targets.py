"""Importing the target directory: every row validated first, then all written or none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from spotcheck.audit.models import AuditRecord
from spotcheck.registry.areas import load_areas
from spotcheck.registry.importing.models import ImportRun
from spotcheck.registry.importing.testing import csv_bytes, directory_digest, run_import, xlsx_bytes
from spotcheck.registry.targets.models import Target, TargetEvent, TargetSupervision, TargetTag
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.tenancy.scope import Scope, scoped

AREAS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def department(factories, db_session):
    load_areas(db_session, json.loads(AREAS.read_text(encoding="utf-8")))
    db_session.commit()
    return factories.department("AAA")


def company(number, **fields):
    """A valid row in template order."""
    row = {"code": credit_code(number), "name": f"城东测试{number}有限公司", "kind": "公司",
           "legal_representative": "张三", "address": "西宁市城东区八一路1号",
           "area": "东关大街街道/北关社区", "industry": "5211", "status": "存续",
           "risk_level": "低", "credit_class": "A", "tags": "食品；重点"}
    row.update(fields)
    return list(row.values())


def test_a_valid_file_creates_targets_supervised_by_the_department(db_session, department):
    result = run_import(db_session, department, csv_bytes([company(1), company(2)]))
    db_session.commit()

    assert result.status == "applied", result.report.problems
    assert result.report.counts["create"] == 2
    with scoped(db_session, Scope.department(department.id)):
        targets = db_session.scalars(select(Target).order_by(Target.code)).all()
        assert [t.code for t in targets] == sorted([credit_code(1), credit_code(2)])
        assert targets[0].status == "active" and targets[0].industry_code == "5211"
        assert db_session.scalar(select(func.count()).select_from(TargetSupervision)) == 2
        assert sorted(db_session.scalars(select(TargetTag.tag).where(
            TargetTag.target_id == targets[0].id))) == ["重点", "食品"]
        events = db_session.scalars(select(TargetEvent).where(
            TargetEvent.target_id == targets[0].id).order_by(TargetEvent.id)).all()
    assert [(e.action, e.source, e.import_id) for e in events] == [
        ("create", "import", result.run_id), ("supervise", "import", result.run_id)]
    assert events[0].changes["legal_representative"] == [None, "张*"]


def test_one_run_row_and_one_audit_record_per_run(db_session, department):
    data = csv_bytes([company(1), company(2), company(3)])
    before = db_session.scalar(select(func.count()).select_from(AuditRecord))
    result = run_import(db_session, department, data)
    db_session.commit()

    run = db_session.get(ImportRun, result.run_id)
    assert (run.status, run.created, run.invalid, run.kind) == ("applied", 3, 0, "targets")
    assert len(run.sha256) == 64
    records = db_session.scalars(select(AuditRecord).where(AuditRecord.id > before)).all()
    imports = [r for r in records if r.action == "import"]
    assert len(imports) == 1
    summary = json.loads(imports[0].summary)
    assert summary["sha256"] == run.sha256 and summary["counts"]["create"] == 3
    assert {r.object_type for r in records} <= {"import_run", "target", "target_supervision"}
    assert not [r for r in records if r.object_type == "target"], "targets are not audited row by row"


def test_reimporting_the_same_file_changes_nothing(db_session, department):
    data = csv_bytes([company(1), company(2)])
    run_import(db_session, department, data)
    db_session.commit()
    before = directory_digest(db_session)

    again = run_import(db_session, department, data)
    db_session.commit()

    assert again.status == "applied"
    assert again.report.counts == {"create": 0, "update": 0, "supervise": 0, "unchanged": 2, "invalid": 0}
    assert directory_digest(db_session) == before


def test_an_xlsx_file_imports_like_a_csv_file(db_session, department):
    result = run_import(db_session, department, xlsx_bytes([company(1)]), file_name="t.xlsx")
    assert result.status == "applied", result.report.problems
    assert result.report.counts["create"] == 1


def _only_problem_codes(result):
    return sorted({p.code for p in result.report.problems})


@pytest.mark.parametrize(("field", "value", "code"), [
    ("code", "91630102MA0000001Y", "check_digit"),
    ("area", "不存在街道/不存在社区", "unknown_area"),
    ("industry", "9999", "unknown_industry"),
    ("kind", "外星企业", "unknown_kind"),
    ("name", "", "required"),
])
def test_a_bad_cell_is_reported_with_row_and_column_and_nothing_is_written(
        db_session, department, field, value, code):
    before = directory_digest(db_session)
    bad = company(3, **{field: value})
    result = run_import(db_session, department, csv_bytes([company(1), company(2), bad]))
    db_session.commit()

    assert result.status == "refused"
    assert _only_problem_codes(result) == [code]
    problem = result.report.problems[0]
    header = dict(zip(("code", "name", "kind", "area", "industry"),
                      ("统一社会信用代码", "名称", "对象类型", "所属区域", "行业代码")))[field]
    assert (problem.row, problem.column, problem.field) == (4, header, field)
    assert problem.message_zh and problem.message_en and problem.message_zh != problem.message_en
    assert directory_digest(db_session) == before


def test_every_error_of_every_row_is_reported(db_session, department):
    rows = [company(1, industry="9999", area="火星"), company(2), company(3, credit_class="Z")]
    result = run_import(db_session, department, csv_bytes(rows))
    assert [(p.row, p.field) for p in result.report.problems] == [
        (2, "area"), (2, "industry"), (4, "credit_class")]
    assert result.report.counts["invalid"] == 2


def test_a_code_twice_in_the_file_is_refused_on_both_rows(db_session, department):
    before = directory_digest(db_session)
    result = run_import(db_session, department, csv_bytes([company(1), company(2), company(1, name="别名")]))
    db_session.commit()

    assert result.status == "refused"
    assert [(p.row, p.code) for p in result.report.problems] == [
        (2, "duplicate_in_file"), (4, "duplicate_in_file")]
    assert "4" in result.report.problems[0].message_en and "2" in result.report.problems[1].message_en
    assert directory_digest(db_session) == before


def test_a_dry_run_reports_per_row_and_writes_nothing(db_session, department):
    run_import(db_session, department, csv_bytes([company(1)]))
    db_session.commit()
    before = directory_digest(db_session)

    result = run_import(db_session, department, csv_bytes([company(1), company(2), company(3)]),
                        dry_run=True)
    db_session.commit()

    assert result.status == "checked"
    assert [(o.row, o.action) for o in result.report.rows] == [(2, "unchanged"), (3, "create"), (4, "create")]
    assert directory_digest(db_session) == before


def test_a_changed_row_updates_the_target_and_its_history(db_session, department):
    run_import(db_session, department, csv_bytes([company(1), company(2)]))
    db_session.commit()

    result = run_import(db_session, department, csv_bytes([company(1, address="新地址8号", risk_level="高"),
                                                           company(2)]))
    db_session.commit()

    assert result.report.counts == {"create": 0, "update": 1, "supervise": 0, "unchanged": 1, "invalid": 0}
    assert result.report.rows[0].changed == ["address", "risk_level"]
    with scoped(db_session, Scope.department(department.id)):
        target = db_session.scalars(select(Target).where(Target.code == credit_code(1))).one()
        assert (target.address, target.version) == ("新地址8号", 2)
        events = db_session.scalars(select(TargetEvent).where(
            TargetEvent.target_id == target.id, TargetEvent.import_id == result.run_id)).all()
    assert {(e.action, e.private) for e in events} == {("update", False), ("risk", True)}
    assert [e.changes for e in events if e.action == "update"] == [{"address": ["西宁市城东区八一路1号", "新地址8号"]}]


def test_blank_cells_and_missing_columns_leave_fields_as_they_are(db_session, department):
    run_import(db_session, department, csv_bytes([company(1)]))
    db_session.commit()
    before = directory_digest(db_session)

    only_tags = csv_bytes([[credit_code(1), "城东测试1有限公司", "公司", "", "食品；重点"]],
                          header=("统一社会信用代码", "名称", "对象类型", "地址", "标签"))
    result = run_import(db_session, department, only_tags)
    db_session.commit()
    assert result.report.counts["unchanged"] == 1
    assert directory_digest(db_session) == before


def test_headers_in_another_order_and_english_aliases_are_accepted(db_session, department):
    header = ("tags", "名称", "kind", "Credit class", "统一社会信用代码")
    row = ["食品", "城东测试1有限公司", "公司", "B", credit_code(1)]
    result = run_import(db_session, department, csv_bytes([row], header=header))
    assert result.status == "applied", result.report.problems
    with scoped(db_session, Scope.department(department.id)):
        target = db_session.scalars(select(Target)).one()
    assert (target.credit_class, target.kind) == ("B", "company")


@pytest.mark.parametrize(("header", "code"), [
    (("统一社会信用代码", "对象类型"), "missing_header"),
    (("统一社会信用代码", "名称", "对象类型", "统一信用代码名称"), "unknown_header"),
    (("统一社会信用代码", "名称", "对象类型", "name"), "duplicate_header"),
])
def test_bad_headers_refuse_the_file(db_session, department, header, code):
    before = directory_digest(db_session)
    row = [credit_code(1), "城东测试1有限公司", "公司", "x"][:len(header)]
    result = run_import(db_session, department, csv_bytes([row], header=header))
    db_session.commit()
    assert result.status == "refused"
    assert code in _only_problem_codes(result)
    assert directory_digest(db_session) == before


def test_an_unknown_header_suggests_the_nearest(db_session, department):
    result = run_import(db_session, department, csv_bytes(
        [[credit_code(1), "甲公司", "公司"]], header=("统一社会信用代码", "名 称 ", "对象种类")))
    messages = [p.message_zh for p in result.report.problems if p.code == "unknown_header"]
    assert messages and "对象类型" in messages[0]


def test_an_empty_file_and_a_header_only_file_are_refused(db_session, department):
    before = directory_digest(db_session)
    empty = run_import(db_session, department, b"")
    header_only = run_import(db_session, department, csv_bytes([]))
    db_session.commit()
    assert (empty.status, _only_problem_codes(empty)) == ("refused", ["empty"])
    assert (header_only.status, _only_problem_codes(header_only)) == ("refused", ["no_rows"])
    assert directory_digest(db_session) == before


def test_a_formula_in_a_cell_is_imported_as_text(db_session, department):
    result = run_import(db_session, department, csv_bytes([company(1, name='=HYPERLINK("http://x","点我")')]))
    assert result.status == "applied"
    with scoped(db_session, Scope.department(department.id)):
        assert db_session.scalars(select(Target.name)).one() == '=HYPERLINK("http://x","点我")'


def test_valid_only_imports_the_valid_rows_and_lists_the_others(db_session, department):
    result = run_import(db_session, department, csv_bytes([company(1), company(2, industry="9999"), company(3)]),
                        valid_only=True)
    db_session.commit()
    assert result.status == "applied"
    assert result.report.counts["create"] == 2 and result.report.counts["invalid"] == 1
    assert [(o.row, o.action) for o in result.report.rows] == [(2, "create"), (3, "invalid"), (4, "create")]
    with scoped(db_session, Scope.department(department.id)):
        assert db_session.scalar(select(func.count()).select_from(Target)) == 2


def test_a_target_of_another_department_is_supervised_not_duplicated(db_session, factories, department):
    other = factories.department("BBB")
    existing = make_target(db_session, other, code=credit_code(1), name="城东测试1有限公司")

    dry = run_import(db_session, department, csv_bytes([company(1)]), dry_run=True)
    assert [(o.action, o.note) for o in dry.report.rows] == [("supervise", "BBB")]
    result = run_import(db_session, department, csv_bytes([company(1)]))
    db_session.commit()

    assert result.report.counts["supervise"] == 1
    with scoped(db_session, Scope.department(department.id)):
        assert db_session.scalars(select(Target.id)).all() == [existing.id]
        assert db_session.scalars(select(TargetTag.tag).order_by(TargetTag.tag)).all() == ["重点", "食品"]
    with scoped(db_session, Scope.department(other.id)):
        assert db_session.scalars(select(TargetTag.tag)).all() == [], "tags stay each department's own"
    again = run_import(db_session, department, csv_bytes([company(1)]))
    assert again.report.counts["unchanged"] == 1


def test_products_without_a_code_get_a_platform_code_and_are_found_again_by_name(db_session, department):
    rows = [["", "散装白酒", "产品"], ["", "城东区老旧小区改造工程", "项目"]]
    data = csv_bytes(rows, header=("统一社会信用代码", "名称", "对象类型"))
    first = run_import(db_session, department, data)
    db_session.commit()
    assert [o.key for o in first.report.rows] == ["NM-PROD-000001", "NM-PROJ-000001"]
    again = run_import(db_session, department, data)
    assert again.report.counts["unchanged"] == 2


def test_a_failure_while_writing_leaves_the_database_exactly_as_before(db_session, department, app):
    from spotcheck.db import get_database

    before = directory_digest(db_session)
    engine = get_database(app).engine
    collided = []

    # Another department creates a target with one of the file's codes between the check and the
    # write: the real unique constraint refuses the import's INSERT, midway through its writes.
    def concurrent_creation(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("INSERT INTO target (") and not collided:
            collided.append(statement)
            cursor.execute(
                "INSERT INTO target (code, name, kind, status, created_at, updated_at, version) "
                f"VALUES ('{credit_code(2)}', '抢先登记', 'company', 'active', "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)")

    event.listen(engine, "before_cursor_execute", concurrent_creation)
    try:
        result = run_import(db_session, department, csv_bytes([company(1), company(2), company(3)]))
    finally:
        event.remove(engine, "before_cursor_execute", concurrent_creation)
    db_session.commit()

    assert collided and result.status == "failed"
    assert _only_problem_codes(result) == ["database"]
    assert directory_digest(db_session) == before
    assert db_session.get(ImportRun, result.run_id).status == "failed"
