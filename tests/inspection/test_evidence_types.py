"""Evidence files: the type is judged by the content, never by the name; a file that is two
types at once is refused; whatever is refused leaves nothing behind."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from spotcheck.inspection import evidence_testing as samples
from spotcheck.inspection.evidence import EvidenceRefused, Storage, attach, display_name, DOCX, JPEG, PDF, PNG
from spotcheck.inspection.models import Evidence
from spotcheck.inspection.testing import make_task
from spotcheck.tenancy.scope import Scope, scoped


@pytest.fixture
def storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    return Storage.of(app)


@pytest.fixture
def task(factories, db_session):
    return make_task(db_session, factories.department("AAA"), [factories.department("BBB")])


def _upload(client, task, data: bytes, name: str):
    return client.post(f"/tasks/{task.id}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "description": "门头"})


def _nothing_kept(db_session, storage: Storage) -> bool:
    with scoped(db_session, Scope.system()):
        rows = db_session.scalars(select(Evidence)).all()
    files = [p for p in storage.root.rglob("*") if p.is_file()] if storage.root.exists() else []
    return rows == [] and files == []


def _zip(**parts: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("make", "name", "content_type"), [
    (samples.jpeg, "门头.jpg", "image/jpeg"),
    (samples.png, "photo.png", "image/png"),
    (samples.pdf, "检测报告.pdf", "application/pdf"),
    (samples.docx, "询问笔录.docx", DOCX.content_type),
    (samples.xlsx, "抽样记录.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_each_allowed_type_is_accepted_by_its_content(login_as, db_session, task, storage, make, name,
                                                      content_type):
    response = _upload(login_as("staff", "AAA"), task, make(), name)
    assert response.status_code == 302
    with scoped(db_session, Scope.system()):
        row = db_session.scalars(select(Evidence).where(Evidence.task_id == task.id)).one()
    assert (row.filename, row.content_type) == (name, content_type)


def test_an_exe_renamed_jpg_is_refused_with_a_message_naming_the_file_and_its_real_type(
        login_as, db_session, task, storage):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
    response = _upload(login_as("staff", "AAA", locale="en"), task, exe, "现场照片.jpg")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The file “现场照片.jpg” holds a file of type EXE, not one of the allowed types" in page
    assert _nothing_kept(db_session, storage)


def test_the_refusal_reads_in_chinese_too(login_as, db_session, task, storage):
    response = _upload(login_as("staff", "AAA", locale="zh"), task, b"MZ" + bytes(100), "照片.jpg")
    assert "文件“照片.jpg”的内容是 EXE 文件，不是允许的类型" in response.get_data(as_text=True)


def test_html_renamed_png_is_refused(db_session, factories, task, storage):
    page = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>"
    with pytest.raises(EvidenceRefused) as refused:
        attach(db_session, task, io.BytesIO(page), "photo.png", None, factories.user("staff", "AAA"), storage)
    assert refused.value.code == "evidence_type"
    assert _nothing_kept(db_session, storage)


@pytest.mark.parametrize(("data", "also"), [
    (samples.png(b"<script>alert(document.cookie)</script>"), "an HTML page or script"),
    (samples.jpeg() + samples.docx(), "a zip archive"),
    (samples.pdf() + _zip(**{"payload.jar": b"\xca\xfe\xba\xbe"}), "a zip archive"),
    (samples.docx(extra={"cover.pdf": samples.pdf()}).replace(b"cover.pdf", b"%PDF-.pdf"), "a PDF file"),
], ids=["png-with-html", "jpeg-with-zip", "pdf-with-jar", "docx-with-a-pdf-signature"])
def test_a_polyglot_is_refused(db_session, factories, task, storage, data, also):
    with pytest.raises(EvidenceRefused) as refused:
        attach(db_session, task, io.BytesIO(data), "evidence.png", None, factories.user("staff", "AAA"), storage)
    assert refused.value.code == "evidence_polyglot"
    assert also in refused.value.message_en
    assert _nothing_kept(db_session, storage)


def test_a_zip_is_accepted_only_when_its_declared_main_part_is_a_word_or_excel_document(
        db_session, factories, task, storage):
    user = factories.user("staff", "AAA")
    renamed = _zip(**{"word/document.xml": b"<w:document/>"})  # an Office layout without its content types
    with pytest.raises(EvidenceRefused) as refused:
        attach(db_session, task, io.BytesIO(renamed), "report.docx", None, user, storage)
    assert "not a Word (DOCX) or Excel (XLSX) document" in refused.value.message_en
    presentation = samples.docx(
        main_type="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml")
    with pytest.raises(EvidenceRefused):
        attach(db_session, task, io.BytesIO(presentation), "slides.docx", None, user, storage)
    assert _nothing_kept(db_session, storage)


def test_an_office_document_with_macros_is_refused(db_session, factories, task, storage):
    macros = samples.docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml")
    with pytest.raises(EvidenceRefused) as refused:
        attach(db_session, task, io.BytesIO(macros), "报告.docx", None, factories.user("staff", "AAA"), storage)
    assert refused.value.code == "evidence_macros"


def test_a_content_types_part_with_a_dtd_is_refused_unparsed(db_session, factories, task, storage):
    bomb = ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&b;</Types>')
    data = _zip(**{"[Content_Types].xml": bomb.encode(), "word/document.xml": b"<w:document/>"})
    with pytest.raises(EvidenceRefused):
        attach(db_session, task, io.BytesIO(data), "a.docx", None, factories.user("staff", "AAA"), storage)


def test_a_png_signature_without_its_header_chunk_is_refused(db_session, factories, task, storage):
    with pytest.raises(EvidenceRefused):
        attach(db_session, task, io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)), "a.png", None,
               factories.user("staff", "AAA"), storage)


@pytest.mark.parametrize(("given", "kind", "shown"), [
    ("../../../etc/passwd", PDF, "passwd.pdf"),
    ("..\\..\\windows\\system32\\报告.pdf", PDF, "报告.pdf"),
    ("photo\u202egnp.exe", PNG, "photognp.png"),  # right-to-left override, which makes "exe.png" read as "png.exe"
    ("a<b>:c|d?.jpg", JPEG, "a_b__c_d_.jpg"),
    ("现场 照片.JPG", JPEG, "现场 照片.JPG"),
    ("photo.jpg", PNG, "photo.png"),
    ("...", PDF, "evidence.pdf"),
    ("", PDF, "evidence.pdf"),
    ("\x00\x1f.pdf", PDF, "evidence.pdf"),
])
def test_the_displayed_name_is_cleaned_and_takes_the_real_types_extension(given, kind, shown):
    assert display_name(given, kind) == shown
