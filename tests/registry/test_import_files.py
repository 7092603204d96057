"""Reading what departments upload: encodings, Excel workbooks, and files built to do harm."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from spotcheck.registry.areas import load_areas
from spotcheck.registry.importing.testing import TARGET_HEADER, csv_bytes, directory_digest, run_import, xlsx_bytes
from spotcheck.registry.targets.testing import credit_code

AREAS = Path(__file__).resolve().parents[2] / "platform" / "spotcheck" / "demo" / "data" / "chengdong-areas.json"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def department(factories, db_session):
    load_areas(db_session, json.loads(AREAS.read_text(encoding="utf-8")))
    db_session.commit()
    return factories.department("AAA")


ROWS = [[credit_code(n), f"城东区{n}号商行", "个体工商户", "李四", "东关大街5号", "东关大街街道/东关社区",
         "5211", "存续", "中", "B", "食品"] for n in (1, 2)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_office_encoding_is_detected(db_session, department, encoding):
    result = run_import(db_session, department, csv_bytes(ROWS, encoding=encoding), dry_run=True)
    assert result.status == "checked" and result.report.ok, result.report.problems
    assert [o.name for o in result.report.rows] == ["城东区1号商行", "城东区2号商行"]


def test_the_committed_gbk_fixture_reads_as_chinese(db_session, department):
    data = (DATA / "targets-gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = run_import(db_session, department, data, dry_run=True)
    assert result.report.ok, result.report.problems
    assert result.report.rows[0].name == "城东区示例食品有限公司"


def test_a_gbk_file_read_as_utf8_names_the_line_instead_of_importing_mojibake(db_session, department):
    before = directory_digest(db_session)
    data = csv_bytes([[credit_code(1), "甲", "公司"]], header=("code", "name", "kind"), encoding="gbk")
    result = run_import(db_session, department, data, encoding="utf-8")
    db_session.commit()
    assert result.status == "refused"
    [problem] = result.report.problems
    assert problem.code == "encoding"
    assert "Line 2" in problem.message_en and "GB18030" in problem.message_en
    assert "第 2 行" in problem.message_zh or "2" in problem.message_zh
    assert directory_digest(db_session) == before


def test_an_xlsx_file_is_read_from_its_first_sheet_with_row_numbers_as_in_excel(db_session, department):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([])  # Excel row 1 left empty: the header is row 2
    sheet.append(list(TARGET_HEADER))
    sheet.append(ROWS[0])
    sheet.append([credit_code(3), "坏行", "公司", None, None, None, "9999"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run_import(db_session, department, buffer.getvalue(), dry_run=True)
    assert [(p.row, p.field) for p in result.report.problems] == [(4, "industry")]


def test_numbers_typed_in_excel_are_read_as_the_digits_typed(db_session, department):
    data = xlsx_bytes([[credit_code(1), "甲公司", "公司", None, None, None, 5211]])
    result = run_import(db_session, department, data, dry_run=True)
    assert result.report.ok, result.report.problems


def test_a_truncated_xlsx_is_refused_as_damaged(db_session, department):
    before = directory_digest(db_session)
    data = xlsx_bytes(ROWS)
    result = run_import(db_session, department, data[: len(data) // 2])
    db_session.commit()
    assert result.status == "refused"
    assert [p.code for p in result.report.problems] == ["corrupt"]
    assert "damaged" in result.report.problems[0].message_en
    assert directory_digest(db_session) == before


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(db_session, department):
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * (50 << 20)})
    assert len(bomb) < 200_000
    result = run_import(db_session, department, bomb, file_name="bomb.xlsx")
    assert result.status == "refused"
    assert [p.code for p in result.report.problems] == ["compression_ratio"]


def test_a_workbook_larger_unpacked_than_allowed_is_refused(db_session, department, app, monkeypatch):
    monkeypatch.setitem(app.config, "XLSX_MAX_UNCOMPRESSED_BYTES", 10_000)
    result = run_import(db_session, department, xlsx_bytes(ROWS * 200))
    assert [p.code for p in result.report.problems] == ["too_large_unpacked"]


def test_a_part_lying_about_its_size_is_refused(db_session, department):
    honest = _zip({"xl/worksheets/sheet1.xml": b"<x>" + b"a" * 5000 + b"</x>"})
    # Shrink the declared size in both headers: the part then unpacks to more than it says.
    lying = honest.replace((5007).to_bytes(4, "little"), (100).to_bytes(4, "little"))
    result = run_import(db_session, department, lying)
    assert [p.code for p in result.report.problems] in (["size_lie"], ["corrupt"])


def test_entity_expansion_in_a_crafted_workbook_is_refused(db_session, department):
    data = xlsx_bytes(ROWS)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        parts = {info.filename: original.read(info) for info in original.infolist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/"))
    body = parts[name]
    parts[name] = laughs + (body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body)
    result = run_import(db_session, department, _zip(parts))
    assert [p.code for p in result.report.problems] == ["dtd"]


def test_a_file_over_the_size_limit_is_refused_unread(db_session, department, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1000)
    before = directory_digest(db_session)
    result = run_import(db_session, department, csv_bytes(ROWS * 20))
    db_session.commit()
    assert result.status == "refused"
    assert [p.code for p in result.report.problems] == ["too_large"]
    assert "1000" not in result.report.problems[0].message_en or "KB" in result.report.problems[0].message_en
    assert directory_digest(db_session) == before


def test_a_file_over_the_row_limit_is_refused(db_session, department, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 1)
    result = run_import(db_session, department, csv_bytes(ROWS))
    assert [p.code for p in result.report.problems] == ["too_many_rows"]


def test_an_old_excel_file_is_refused_with_what_to_do(db_session, department):
    result = run_import(db_session, department, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert [p.code for p in result.report.problems] == ["xls"]
    assert ".xlsx" in result.report.problems[0].message_en


def test_a_value_under_no_header_is_reported(db_session, department):
    data = csv_bytes([[credit_code(1), "甲公司", "公司", "多余的值"]], header=("code", "name", "kind", ""))
    result = run_import(db_session, department, data, dry_run=True)
    assert [(p.code, p.row) for p in result.report.problems] == [("unlabelled_column", 2)]
    assert "Column D" in result.report.problems[0].message_en
