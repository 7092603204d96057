"""Importing the inspector directory and the expert pool: same pipeline, their own validators."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from spotcheck.registry.experts.models import Expert
from spotcheck.registry.importing.testing import csv_bytes, directory_digest, run_import, xlsx_bytes
from spotcheck.registry.inspectors.models import Inspector
from spotcheck.registry.inspectors.testing import make_inspector
from spotcheck.registry.items.testing import make_item
from spotcheck.tenancy.scope import Scope, scoped

INSPECTOR_HEADER = ("执法证号", "姓名", "执法层级", "执法范围", "负责区域", "证件有效期起", "证件有效期止",
                    "专长", "状态", "联系电话", "备注")
EXPERT_HEADER = ("类型", "名称", "所在单位", "专业领域", "资质证书编号", "联系电话", "有效期至", "状态", "备注")


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def department(factories, db_session):
    department = factories.department("AAA")
    make_item(db_session, department)
    return department


def inspector(code, **fields):
    row = {"code": code, "name": "王明", "level": "区级", "scope": "food_safety", "areas": "",
           "valid_from": "2025-01-01", "valid_to": "2027-12-31", "expertise": "食品安全",
           "status": "在岗", "phone": "13812345678", "note": ""}
    row.update(fields)
    return list(row.values())


def test_inspectors_are_created_then_unchanged_on_reimport(db_session, department):
    data = csv_bytes([inspector("QH2025001"), inspector("QH2025002", name="李华")], header=INSPECTOR_HEADER)
    first = run_import(db_session, department, data, kind="inspectors")
    db_session.commit()
    assert first.status == "applied", first.report.problems
    assert first.report.counts["create"] == 2
    with scoped(db_session, Scope.department(department.id)):
        assert sorted(db_session.scalars(select(Inspector.code))) == ["QH2025001", "QH2025002"]
    before = directory_digest(db_session)
    again = run_import(db_session, department, data, kind="inspectors")
    db_session.commit()
    assert again.report.counts["unchanged"] == 2
    assert directory_digest(db_session) == before


def test_an_inspector_row_with_problems_is_refused_with_its_row_and_column(db_session, department):
    before = directory_digest(db_session)
    data = csv_bytes([inspector("QH2025001"), inspector("QH2025002", valid_to="2024-01-01"),
                      inspector("QH2025001", name="重复")], header=INSPECTOR_HEADER)
    result = run_import(db_session, department, data, kind="inspectors")
    db_session.commit()
    assert result.status == "refused"
    assert sorted((p.row, p.column, p.code) for p in result.report.problems) == [
        (2, "执法证号", "duplicate_in_file"), (3, "证件有效期止", "dates_reversed"),
        (4, "执法证号", "duplicate_in_file")]
    assert directory_digest(db_session) == before


def test_a_changed_inspector_is_updated(db_session, department):
    make_inspector(db_session, department, code="QH2025009", name="王明", phone="13812345678",
                   authorities=("food_safety",), valid_from=__import__("datetime").date(2025, 1, 1),
                   valid_to=__import__("datetime").date(2027, 12, 31), expertise=("食品安全",))
    data = xlsx_bytes([inspector("QH2025009", status="休假")], header=INSPECTOR_HEADER)
    result = run_import(db_session, department, data, kind="inspectors")
    assert result.report.counts["update"] == 1, result.report.problems


def test_experts_are_imported_and_found_again_by_kind_name_and_organisation(db_session, department):
    rows = [["专家", "张伟", "青海大学", "特种设备；压力容器", "", "13900001111", "2028-06-30", "可用", ""],
            ["检验检测机构", "青海省特种设备检验检测院", "", "特种设备检验", "CMA-2021-001", "", "", "", ""]]
    data = csv_bytes(rows, header=EXPERT_HEADER)
    first = run_import(db_session, department, data, kind="experts")
    db_session.commit()
    assert first.status == "applied", first.report.problems
    with scoped(db_session, Scope.department(department.id)):
        assert sorted(db_session.scalars(select(Expert.name))) == ["张伟", "青海省特种设备检验检测院"]
    again = run_import(db_session, department, data, kind="experts")
    assert again.report.counts["unchanged"] == 2


def test_an_expert_without_specialities_is_refused(db_session, department):
    data = csv_bytes([["专家", "张伟", "青海大学", "", "", "", "", "", ""]], header=EXPERT_HEADER)
    result = run_import(db_session, department, data, kind="experts")
    assert [(p.row, p.column, p.code) for p in result.report.problems] == [(2, "专业领域", "required")]
