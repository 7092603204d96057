"""The progress report: the .xlsx reads back with its figures; the PDF's text keeps the Chinese."""

import shutil
import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook


def _sheet_rows(body, index):
    sheet = load_workbook(BytesIO(body)).worksheets[index]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_holds_each_departments_figures_and_the_total(world, login_as):
    response = login_as("office", "OFFICE").get("/console/report.xlsx?year=2026")
    assert response.status_code == 200
    rows = _sheet_rows(response.data, 0)
    assert rows[0][0] == "联合抽查工作通报：2026年"
    header = rows[1]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    aaa, ccc, total = by_name["AAA局"], by_name["CCC局"], by_name["全部成员单位"]
    assert (aaa["年度计划"], aaa["已派发任务"], aaa["已完成任务"], aaa["7个工作日内完成"]) == ("按时报送", 4, 2, 1)
    assert (ccc["年度计划"], ccc["已公示结果"], ccc["20个工作日内公示"]) == ("逾期", 1, 1)
    assert (total["联合检查次数"], total["分别检查所需次数"], total["抽中户数"]) == (6, 10, 6)
    assert (total["已完成任务"], total["待办后续处置"], total["人员更换申请"]) == (3, 2, 2)


def test_the_workbook_holds_the_assessment_and_the_coverage(world, login_as):
    body = login_as("office", "OFFICE").get("/console/report.xlsx?year=2026").data
    assessment = _sheet_rows(body, 1)
    scores = {row[0]: row[1] for row in assessment[2:]}
    assert scores["AAA局"] is not None and scores["DDD局"] == 0
    coverage = _sheet_rows(body, 2)
    kinds = [row for row in coverage[2:] if row[0] == "按主体类型"]
    assert kinds and sum(row[3] for row in kinds) == 6


def _pdf_text(body, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    pytest.fail("pdftotext (poppler-utils, deploy/debian-packages.txt) is needed to read the report back")


def test_the_pdf_keeps_the_chinese_text_intact(world, login_as, tmp_path):
    response = login_as("office", "OFFICE").get("/console/report.pdf?year=2026&period=h1")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = _pdf_text(response.data, tmp_path)
    for words in ("联合抽查工作通报", "2026年上半年", "AAA局", "绩效考评", "检查覆盖率", "全部成员单位"):
        assert words in text, words
