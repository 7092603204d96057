"""Evidence (证据材料): photos, documents and test reports attached to a task.

What a file is, is decided by its content, never by its name: the first bytes must be a JPEG, PNG
or PDF signature (read by the ``filetype`` library), or the file must be a zip whose
``[Content_Types].xml`` declares a Word (DOCX) or Excel (XLSX) main part, without macros. A file
that is also something else (HTML in its first kilobyte, a zip archive hidden behind an image or
a PDF, a PDF signature in a zip) is refused: browsers and viewers have been tricked by such
polyglots into running what they carry.

Accepted files are kept under :class:`Storage`'s root, outside anything the web server serves, at
a random storage key (the user's file name is only displayed, cleaned). A file is written to a
temporary name, synced and linked into place (never over an existing file) before its row is added, and removed again when the
row cannot be written: a crash or a full disk leaves no half-written file under a real key and no
row without its file (at worst an orphan file nobody lists). Each file's SHA-256 is recorded, and
checked again whenever the file is read: a file changed on disk is refused, logged and audited.

Who may attach: whoever records one of the task's items, or leads the task
(:mod:`spotcheck.inspection.access`), while its results are still open (before they are recorded
for review). Whoever sees the task may read its evidence. Services never commit, except
:func:`commit`, which removes the file when the commit fails.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import unicodedata
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filetype
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck import audit
from spotcheck.inspection import access
from spotcheck.inspection.models import Evidence, Task, TaskState
from spotcheck.inspection.tasks import TaskRefused
from spotcheck.tenancy.models import User
from spotcheck.tenancy.scope import Scope, scoped

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
"""Bytes copied at a time: an upload or a stored file is never held whole in memory."""

HEAD = 8192
"""Bytes of a file's start that decide its type."""

SNIFF_WINDOW = 1024
"""How far into a file browsers (and old ones especially) look for HTML."""

MAX_CONTENT_TYPES_BYTES = 1024 * 1024
"""Most an Office document's ``[Content_Types].xml`` may unpack to (real ones hold a few KB)."""

OPEN_STATES = frozenset({TaskState.DISPATCHED, TaskState.NOTIFIED, TaskState.ONLINE_CHECKED, TaskState.ON_SITE})
"""Evidence is attached while the results are open; once recorded, the head reviews what is there
(returned results reopen the task)."""

_KEY = re.compile(r"[0-9a-f]{32}")
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*]')
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg",
                 b"<object", b"<embed", b"<meta", b"<style", b"<title", b"<form", b"<img", b"<link",
                 b"javascript:")
"""Markers of HTML or script: long enough never to turn up by chance in compressed image data."""


@dataclass(frozen=True)
class FileKind:
    """An accepted type: its content type, its name for people, and its file name extensions."""

    content_type: str
    label: str
    extension: str
    extensions: frozenset[str]


JPEG = FileKind("image/jpeg", "JPEG", "jpg", frozenset({"jpg", "jpeg", "jpe"}))
PNG = FileKind("image/png", "PNG", "png", frozenset({"png"}))
PDF = FileKind("application/pdf", "PDF", "pdf", frozenset({"pdf"}))
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX", "docx",
                frozenset({"docx"}))
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", "xlsx",
                frozenset({"xlsx"}))
KINDS = (JPEG, PNG, PDF, DOCX, XLSX)
"""Every accepted type, in the order the pages name them."""

_BY_SIGNATURE = {"image/jpeg": JPEG, "image/png": PNG, "image/apng": PNG, "application/pdf": PDF}
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _labels() -> tuple[str, str]:
    return "、".join(k.label for k in KINDS), ", ".join(k.label for k in KINDS)


class EvidenceRefused(TaskRefused):
    """An evidence file refused (type, size, storage) or a stored one that fails its check."""


@dataclass(frozen=True)
class Storage:
    """Where evidence files live and how large one may be (``EVIDENCE_DIR``,
    ``EVIDENCE_MAX_BYTES``)."""

    root: Path
    max_bytes: int

    @classmethod
    def of(cls, app: Flask) -> Storage:
        """The storage of ``app``: ``EVIDENCE_DIR``, by default ``<instance>/evidence``."""
        root = app.config.get("EVIDENCE_DIR") or os.path.join(app.instance_path, "evidence")
        return cls(Path(root).resolve(), int(app.config["EVIDENCE_MAX_BYTES"]))

    def path(self, key: str) -> Path:
        """The stored file of ``key``; only a well-formed key names a path (no traversal)."""
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key[:2] / key


def may_attach(db_session: Session, user: User, task: Task) -> bool:
    """Whoever records one of the task's items, or leads the task."""
    return access.leads(db_session, user, task) or any(access.records(db_session, user, task, item)
                                                       for item in task.items)


def evidence_of(db_session: Session, task: Task) -> list[Evidence]:
    """The task's evidence, oldest first (the caller has checked that the user sees the task)."""
    with scoped(db_session, Scope.system()):
        return list(db_session.scalars(select(Evidence).where(Evidence.task_id == task.id)
                                       .order_by(Evidence.uploaded_at, Evidence.id)))


def find(db_session: Session, task: Task, evidence_id: int) -> Evidence | None:
    """The task's evidence ``evidence_id``, or ``None`` (also when it belongs to another task)."""
    with scoped(db_session, Scope.system()):
        return db_session.scalars(select(Evidence).where(Evidence.id == evidence_id,
                                                         Evidence.task_id == task.id)).one_or_none()


def attach(db_session: Session, task: Task, upload: BinaryIO, filename: str | None, description: str | None,
           user: User, storage: Storage) -> Evidence:
    """Check ``upload`` (type by content, size), store it and add its row (flushed, not committed).

    Raises :class:`EvidenceRefused` naming the file and the reason; nothing is kept then."""
    shown = _clean(filename)[:100] or "?"
    if TaskState(task.state) not in OPEN_STATES:
        raise EvidenceRefused("evidence_closed",
                              f"任务状态为“{TaskState(task.state).label}”，结果已录入，不能再添加证据材料；"
                              "退回后方可补充。",
                              f"The task is {TaskState(task.state).label.lower()}: its results are recorded, "
                              "so no more evidence can be attached unless they are returned.")
    key = secrets.token_hex(16)
    final = storage.path(key)
    with _staged(final, shown) as part:
        size, digest = _copy(upload, part, storage.max_bytes, shown)
        kind = sniff(part, shown)
        _place(part, final, shown)
    evidence = Evidence(department_id=user.department_id, plan_id=task.plan_id, task_id=task.id,
                        filename=display_name(filename, kind), content_type=kind.content_type, size=size,
                        sha256=digest, storage_key=key, description=(description or "").strip() or None,
                        uploaded_by=user.username)
    try:
        with scoped(db_session, Scope.system()):
            db_session.add(evidence)
            db_session.flush()
    except BaseException:
        _remove(final)
        raise
    return evidence


def commit(db_session: Session, evidence: Evidence, storage: Storage) -> None:
    """Commit the unit of work that attached ``evidence``; when the commit fails, its file goes too."""
    try:
        db_session.commit()
    except BaseException:
        db_session.rollback()
        _remove(storage.path(evidence.storage_key))
        raise


@contextmanager
def _staged(final: Path, shown: str) -> Iterator[Path]:
    """A fresh temporary file beside ``final`` (same file system, so placing it is atomic),
    removed when the block ends (once placed, the file lives on under its key)."""
    part = final.with_name(f".{final.name}.part")
    try:
        final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise _storage_failed(error, shown) from error
    try:
        yield part
    finally:
        _remove(part)


def _copy(upload: BinaryIO, part: Path, max_bytes: int, shown: str) -> tuple[int, str]:
    """Copy ``upload`` into ``part`` (synced to disk), at most ``max_bytes``; its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    try:
        with part.open("wb") as out:
            while chunk := upload.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(shown, max_bytes)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except OSError as error:
        raise _storage_failed(error, shown) from error
    if size == 0:
        raise EvidenceRefused("evidence_empty", f"文件“{shown}”是空的。", f"The file “{shown}” is empty.")
    return size, digest.hexdigest()


def _place(part: Path, final: Path, shown: str) -> None:
    """Give the checked file its key and sync the directory, so the name survives a crash.

    A hard link is the rename that never replaces: it fails on an existing name, so no stored
    evidence file can ever be overwritten (the temporary name is removed afterwards)."""
    try:
        os.link(part, final)
        directory = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except FileExistsError as error:
        raise _storage_failed(error, shown) from error
    except OSError as error:
        _remove(final)
        raise _storage_failed(error, shown) from error


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _too_large(shown: str, max_bytes: int) -> EvidenceRefused:
    limit = (f"{max_bytes / 1048576:g} MB" if max_bytes >= 1048576 else f"{max_bytes / 1024:g} KB"
             if max_bytes >= 1024 else f"{max_bytes} B")
    return EvidenceRefused("evidence_size", f"文件“{shown}”超过了 {limit} 的大小上限。",
                           f"The file “{shown}” is larger than the limit of {limit}.")


def _storage_failed(error: OSError, shown: str) -> EvidenceRefused:
    logger.error("evidence storage: %s could not be written: %s", shown, error)
    return EvidenceRefused("evidence_storage",
                           f"文件“{shown}”无法保存：证据存储目录不可写或空间不足（{error.strerror or error}）。"
                           "未保存任何内容，请联系系统管理员。",
                           f"The file “{shown}” could not be saved: the evidence storage cannot be written "
                           f"or is full ({error.strerror or error}). Nothing was saved; tell your system "
                           "administrator.")


# -- what a file is ------------------------------------------------------------------------------

def sniff(path: Path, shown: str) -> FileKind:
    """The accepted type of the file at ``path``, judged by its content; raises
    :class:`EvidenceRefused` for any other type, and for a file that is two types at once."""
    with path.open("rb") as handle:
        head = handle.read(HEAD)
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(path, shown)
    else:
        found = filetype.guess(head)
        kind = _BY_SIGNATURE.get(found.mime) if found else None
        if kind is None or not _well_formed(kind, head):
            zh_all, en_all = _labels()
            what_zh = f"的内容是 {found.extension.upper()} 文件" if found else "的内容无法识别"
            what_en = f"a file of type {found.extension.upper()}" if found else "content of no recognised type"
            raise EvidenceRefused("evidence_type",
                                  f"文件“{shown}”{what_zh}，不是允许的类型（{zh_all}）。"
                                  "类型以文件内容为准，与文件名无关。",
                                  f"The file “{shown}” holds {what_en}, not one of the allowed types "
                                  f"({en_all}); the type is judged by the content, not by the name.")
    _refuse_polyglot(path, head, kind, shown)
    return kind


def _well_formed(kind: FileKind, head: bytes) -> bool:
    """The signature checks ``filetype`` leaves out: PNG's full signature and first chunk, PDF's
    version header."""
    if kind is PNG:
        return head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR"
    if kind is PDF:
        return head.startswith(b"%PDF-")
    return True


def _office_kind(path: Path, shown: str) -> FileKind:
    """DOCX or XLSX, by the main part ``[Content_Types].xml`` declares (and the zip holds)."""
    not_office = EvidenceRefused(
        "evidence_type", f"文件“{shown}”是压缩包，但不是 Word（DOCX）或 Excel（XLSX）文档；压缩格式的文件只接收这两种。",
        f"The file “{shown}” is a zip archive but not a Word (DOCX) or Excel (XLSX) document, the only "
        "zip-based files accepted.")
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise not_office
            with archive.open(info) as part:
                declared = part.read(MAX_CONTENT_TYPES_BYTES + 1)
            names = set(archive.namelist())
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, EOFError) as error:
        raise not_office from error
    if len(declared) > MAX_CONTENT_TYPES_BYTES or b"<!DOCTYPE" in declared.upper():
        raise not_office  # a real package never carries a DTD (nor entities to expand)
    try:
        root = ElementTree.fromstring(declared)
    except ElementTree.ParseError as error:
        raise not_office from error
    types = [(e.get("PartName") or "", e.get("ContentType") or "") for e in root
             if e.tag in (f"{_CONTENT_TYPES_NS}Override", f"{_CONTENT_TYPES_NS}Default")]
    if any("macroenabled" in t.lower() or "vbaproject" in t.lower() for _, t in types):
        raise EvidenceRefused("evidence_macros", f"文件“{shown}”含有宏，不予接收；请另存为不含宏的 DOCX 或 XLSX 文档。",
                              f"The file “{shown}” contains macros and is refused; save it as a DOCX or "
                              "XLSX document without macros.")
    for part_name, content_type in types:
        kind = _OOXML_MAIN.get(content_type)
        if kind is not None and part_name.lstrip("/") in names:
            return kind
    raise not_office


def _refuse_polyglot(path: Path, head: bytes, kind: FileKind, shown: str) -> None:
    window = head[:SNIFF_WINDOW].lower()
    also = None
    if any(marker in window for marker in _HTML_MARKERS):
        also = ("一个 HTML 网页或脚本", "an HTML page or script")
    elif kind not in (DOCX, XLSX) and zipfile.is_zipfile(path):
        also = ("一个压缩包", "a zip archive")
    elif kind is not PDF and b"%pdf-" in window:
        also = ("一个 PDF 文件", "a PDF file")
    if also is not None:
        raise EvidenceRefused("evidence_polyglot",
                              f"文件“{shown}”看似 {kind.label}，但同时是{also[0]}，不予接收。",
                              f"The file “{shown}” looks like a {kind.label} file but is also {also[1]}, "
                              "and is refused.")


def display_name(filename: str | None, kind: FileKind) -> str:
    """The name shown for an upload: its last path part, without control or direction-changing
    characters or characters file systems forbid, and with the extension of its real type."""
    name = _clean(filename)
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.strip(" .") or "evidence"  # nothing hidden (".pdf"), nothing empty
    return _clip(stem, extension if extension.lower() in kind.extensions else kind.extension)


def _clean(filename: str | None) -> str:
    """The last path part of ``filename``, without control or direction-changing characters
    (Unicode category C) and with the characters file systems forbid replaced."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    return _UNSAFE_IN_NAMES.sub("_", name).strip()


def _clip(stem: str, extension: str) -> str:
    return f"{stem[:150].rstrip()}.{extension}"


# -- reading back ----------------------------------------------------------------------------------

def open_verified(db_session: Session, evidence: Evidence, storage: Storage) -> BinaryIO:
    """The stored file of ``evidence``, open at its start, once its size and SHA-256 match the
    record; a missing or changed file raises :class:`EvidenceRefused`, logged and audited (the
    caller commits the audit record)."""
    try:
        handle = storage.path(evidence.storage_key).open("rb")
    except OSError as error:
        raise _stored_refused(db_session, evidence, "missing", str(error)) from error
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    if size != evidence.size or digest.hexdigest() != evidence.sha256:
        handle.close()
        raise _stored_refused(db_session, evidence, "changed", f"size {size}, sha256 {digest.hexdigest()}")
    handle.seek(0)
    return handle


def _stored_refused(db_session: Session, evidence: Evidence, problem: str, detail: str) -> EvidenceRefused:
    logger.error("evidence %s of task %s (%s): stored file %s: %s", evidence.id, evidence.task_id,
                 evidence.storage_key, problem, detail)
    audit.record(db_session, "evidence_tampered", "task_evidence", evidence.id,
                 {"task": evidence.task_id, "problem": problem, "sha256": evidence.sha256})
    return EvidenceRefused("evidence_tampered",
                           f"证据材料“{evidence.filename}”的存储文件{'已丢失' if problem == 'missing' else '与登记的 SHA-256 不符，可能被改动'}，"
                           "不予提供；已记录，请联系系统管理员从备份恢复。",
                           f"The stored file of the evidence “{evidence.filename}” is "
                           f"{'missing' if problem == 'missing' else 'not the one recorded (its SHA-256 differs)'}"
                           " and is not served; this was logged. Tell your system administrator to restore "
                           "it from the backup.")


def downloaded(db_session: Session, evidence: Evidence) -> None:
    """Audit that ``evidence`` was handed out (the caller commits)."""
    audit.record(db_session, "evidence_download", "task_evidence", evidence.id,
                 {"task": evidence.task_id, "sha256": evidence.sha256})
