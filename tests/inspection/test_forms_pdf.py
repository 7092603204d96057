"""The checklist form as a PDF: a valid file, the Chinese font embedded in it, the answers in it."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from spotcheck.api.tokens import create_token
from spotcheck.inspection.form_testing import initiator_item, make_form_task
from spotcheck.inspection.forms import record_item
from spotcheck.inspection.online import verify_manually
from spotcheck.inspection.pdf import render_item_pdf

ANSWERS = {"licence_held": True, "licence_number": "JY16301020012345", "staff_checked": 6,
           "staff_health_certificates": True, "purchase_records_kept": False, "storage_conditions": "partly",
           "expired_food_found": False, "remarks": "冷库温度记录缺两天。"}


@pytest.fixture
def registry(app):
    return app.extensions["spotcheck.plugins"]


def read(pdf: bytes) -> tuple[PdfReader, str]:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(pdf), strict=True)
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(reader: PdfReader) -> set[str]:
    """The names of the fonts whose program is inside the file."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descriptor["/FontName"]))
    return names


def test_a_recorded_form_prints_with_its_answers_and_the_cjk_font_embedded(app, db_session, registry):
    task = make_form_task(db_session)
    item = initiator_item(task)
    verify_manually(db_session, registry, task, item, ["licence_number"], "政务服务平台可查", "inspector")
    answers = {k: v for k, v in ANSWERS.items() if k != "licence_number"}
    record_item(db_session, registry, task, item, {"answers": answers, "methods": ["onsite"],
                                                   "findings": ["no_licence"]}, "inspector")
    with app.test_request_context():
        reader, text = read(render_item_pdf(db_session, task, item))
    assert any("NotoSansCJK" in name.replace("-", "") for name in embedded_fonts(reader))
    for expected in ("食品经营者检查记录表", task.target.name, task.target.code, "是否取得有效的食品经营许可证",
                     "部分不符合", "冷库温度记录缺两天。", "政务服务平台可查", "未取得食品经营许可"):
        assert expected in text, expected
    assert "JY16301020012345" not in text


def test_an_unrecorded_form_prints_blank_to_fill_by_hand(app, db_session):
    task = make_form_task(db_session)
    with app.test_request_context():
        _reader, text = read(render_item_pdf(db_session, task, initiator_item(task)))
    assert "是否取得有效的食品经营许可证" in text and "□" in text


def test_the_page_serves_the_pdf_to_whoever_sees_the_task(factories, db_session, login_as):
    task = make_form_task(db_session, [factories.department("BBB")])
    item = initiator_item(task)
    answer = login_as("staff", "BBB").get(f"/tasks/{task.id}/items/{item.id}.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert f"task-{task.id}-SCJG-scjg_item.pdf" in answer.headers["Content-Disposition"]
    read(answer.data)


def test_the_api_serves_the_pdf(app, factories, db_session):
    task = make_form_task(db_session)
    _token, secret = create_token(db_session, factories.user("staff", "SCJG"), "pdf")
    db_session.commit()
    answer = app.test_client().get(f"/api/v1/tasks/{task.id}/items/{initiator_item(task).id}/pdf",
                                   headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    read(answer.data)
