"""Exports of the directories and the import templates: defused formulas, masked personal data,
audited, and an export imports back without changing anything."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from spotcheck.audit.models import AuditRecord
from spotcheck.registry.areas import load_areas
from spotcheck.registry.experts.testing import make_expert
from spotcheck.registry.importing.testing import directory_digest, run_import
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.registry.items.testing import make_item
from spotcheck.registry.targets.testing import credit_code, make_target
from spotcheck.web.csvexport import escape_formula

AREAS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"


@pytest.fixture
def department(factories, db_session):
    load_areas(db_session, json.loads(AREAS.read_text(encoding="utf-8")))
    db_session.commit()
    department = factories.department("AAA")
    make_target(db_session, department, code=credit_code(1), name="=HYPERLINK(\"http://x\")公司",
                legal_representative="张三丰", area="东关大街街道/北关社区", industry="5211",
                risk_level="高", credit_class="B", tags="重点；食品")
    make_target(db_session, department, code=credit_code(2), name="-乙公司", kind="individual_business",
                tags="@提醒")
    return department


@pytest.mark.parametrize("cell", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_trigger_is_defused(cell):
    assert escape_formula(cell) == "'" + cell


def test_a_csv_export_has_a_bom_defused_cells_and_masked_names(login_as, department):
    staff = login_as("staff", "AAA")
    response = staff.get("/registry/export?directory=targets&format=csv")
    assert response.status_code == 200
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'-乙公司" in text and "'@提醒" in text
    assert "张*丰" in text and "张三丰" not in text
    assert "统一社会信用代码,名称,对象类型" in text.splitlines()[0]


def test_a_head_sees_personal_fields_and_exports_are_audited(login_as, department, db_session):
    head = login_as("head", "AAA")
    response = head.get("/registry/export?directory=targets&format=xlsx&kind=company")
    workbook = load_workbook(io.BytesIO(response.get_data()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("统一社会信用代码", "名称", "对象类型")
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(\"http://x\")公司"], "filtered like the list"
    assert rows[1][3] == "张三丰"
    assert workbook.active.cell(row=2, column=2).data_type == "s", "text, never a formula"
    record = db_session.scalars(select(AuditRecord).where(AuditRecord.action == "export")
                                .order_by(AuditRecord.id.desc())).first()
    assert json.loads(record.summary)["filters"] == {"kind": "company"}
    assert json.loads(record.summary)["masked"] is False


def test_an_export_imports_back_without_changing_anything(app, login_as, department, db_session):
    head = login_as("head", "AAA")
    for file_format in ("csv", "xlsx"):
        exported = head.get(f"/registry/export?directory=targets&format={file_format}").get_data()
        before = directory_digest(db_session)
        with app.app_context():
            result = run_import(db_session, department, exported, file_name=f"export.{file_format}")
        db_session.commit()
        assert result.status == "applied", result.report.problems
        assert result.report.counts["unchanged"] == 2
        assert directory_digest(db_session) == before


def test_a_masked_export_imports_back_keeping_the_names(app, login_as, department, db_session):
    exported = login_as("staff", "AAA").get("/registry/export?directory=targets&format=csv").get_data()
    before = directory_digest(db_session)
    with app.app_context():
        result = run_import(db_session, department, exported)
    db_session.commit()
    assert result.report.counts["unchanged"] == 2
    assert directory_digest(db_session) == before


def test_inspector_and_expert_exports_round_trip_for_a_head(app, login_as, department, db_session):
    make_item(db_session, department)
    make_inspector(db_session, department, code="QH2025001")
    make_expert(db_session, department)
    head = login_as("head", "AAA")
    for kind in ("inspectors", "experts"):
        exported = head.get(f"/registry/export?directory={kind}&format=xlsx").get_data()
        before = directory_digest(db_session)
        with app.app_context():
            result = run_import(db_session, department, exported, kind=kind, file_name="x.xlsx")
        db_session.commit()
        assert result.report.counts["unchanged"] == 1, (kind, result.report.problems)
        assert directory_digest(db_session) == before


def test_the_staff_export_of_inspectors_masks_phones(login_as, department, db_session):
    make_item(db_session, department)
    make_inspector(db_session, department, code="QH2025001", phone="13812345678")
    text = login_as("staff", "AAA").get("/registry/export?directory=inspectors&format=csv").get_data(as_text=True)
    assert "138****5678" in text and "13812345678" not in text


@pytest.mark.parametrize(("kind", "lists"), [
    ("targets", {"对象类型": "公司", "所属区域": "东关大街街道/北关社区", "登记状态": "存续",
                 "风险等级": "高", "信用等级": "A"}),
    ("inspectors", {"执法层级": "区级", "状态": "在岗"}),
    ("experts", {"类型": "专家", "状态": "可用"}),
])
def test_templates_have_chinese_headers_and_drop_down_lists(login_as, department, kind, lists):
    response = login_as("staff", "AAA").get(f"/registry/template?directory={kind}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    options = workbook["选项"]
    assert options.sheet_state == "hidden"
    for header, word in lists.items():
        letter = sheet.cell(row=1, column=headers.index(header) + 1).column_letter
        [validation] = [v for v in sheet.data_validations.dataValidation if letter + "2" in str(v.sqref)]
        assert validation.type == "list"
        column = validation.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
        assert word in [cell.value for cell in options[column]]


def test_an_empty_template_is_an_importable_file_shape(app, login_as, department, db_session):
    template = login_as("staff", "AAA").get("/registry/template?directory=targets").get_data()
    with app.app_context():
        result = run_import(db_session, department, template, file_name="t.xlsx")
    assert [p.code for p in result.report.problems] == ["no_rows"]
