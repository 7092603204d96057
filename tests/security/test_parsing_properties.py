"""Hypothesis on the two parsers of untrusted input: the import's file reader and the checklist
form's validation. Whatever arrives, the answer is the data or a refusal that names the problem,
never another exception."""

from __future__ import annotations

import io
import json
import math
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings, strategies as st

from spotcheck.inspection.forms import RecordInvalid, validate_record
from spotcheck.registry.importing.readers import Limits, open_table
from spotcheck.registry.importing.report import FileProblem
from spotcheck.registry.importing.testing import csv_bytes

LIMITS = Limits(max_bytes=1 << 20, max_rows=200, xlsx_max_uncompressed=1 << 22, xlsx_max_ratio=100,
                xlsx_max_parts=50)
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
tables = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])


def read_all(data: bytes) -> list[tuple[int, list[str]]] | FileProblem:
    try:
        table = open_table(io.BytesIO(data), LIMITS)
        return list(table.rows)
    except FileProblem as problem:
        return problem


@SETTINGS
@given(st.binary(max_size=2048))
def test_any_bytes_are_read_or_refused_with_a_named_problem(app, data):
    with app.app_context():
        outcome = read_all(data)
    if isinstance(outcome, FileProblem):
        assert all(p.code and p.message_zh and p.message_en for p in outcome.problems)


@SETTINGS
@given(st.binary(max_size=512), st.binary(max_size=512))
def test_any_bytes_behind_a_zip_signature_are_refused_or_read(app, head, tail):
    with app.app_context():
        read_all(b"PK\x03\x04" + head + b"PK\x01\x02" + tail)


@SETTINGS
@given(tables, encodings)
def test_a_table_written_as_csv_reads_back_cell_for_cell(app, rows, encoding):
    header = [f"列{n}" for n in range(max(len(row) for row in rows))]
    try:
        data = csv_bytes(rows, header=header, encoding=encoding)
    except UnicodeEncodeError:
        return  # not representable in that encoding: no office tool would write it
    with app.app_context():
        outcome = read_all(data)
    if isinstance(outcome, FileProblem):
        # Text the detection cannot tell from another encoding is refused, never misread.
        assert {p.code for p in outcome.problems} <= {"encoding", "csv", "no_header"}, outcome
        return
    written = [row for row in rows if any(cell.strip() for cell in row)]
    read = [cells for _number, cells in outcome]
    assert read == written



def _form():
    from spotcheck.hooks.definitions import ChecklistFormDef

    return ChecklistFormDef.from_document({
        "code": "fuzz_record", "title_zh": "模糊", "title_en": "Fuzz", "version": 1,
        "fields": [
            {"name": "licence", "label_zh": "编号", "label_en": "Number", "type": "text", "pattern": "JY[0-9]{4}"},
            {"name": "staff", "label_zh": "人数", "label_en": "Staff", "type": "integer", "min": 0, "max": 1000},
            {"name": "area", "label_zh": "面积", "label_en": "Area", "type": "decimal", "min": 0.5},
            {"name": "licensed", "label_zh": "持证", "label_en": "Licensed", "type": "boolean", "required": True},
            {"name": "expires_on", "label_zh": "有效期", "label_en": "Valid until", "type": "date"},
            {"name": "matters", "label_zh": "事项", "label_en": "Matters", "type": "multichoice",
             "choices": [{"value": "a", "label_zh": "甲", "label_en": "A"}]},
        ]})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["licence", "staff", "area", "licensed", "expires_on", "matters", "x"]),
                       json_values, max_size=7),
       json_values, json_values)
def test_any_checklist_answers_are_stored_or_refused_field_by_field(app, answers, methods, findings):
    from spotcheck.inspection.forms import FindingChoice, ItemChoices

    choices = ItemChoices(methods=("onsite",), findings=(FindingChoice("no_licence", "无证", "No licence"),))
    payload = {"answers": answers, "methods": methods, "findings": findings}
    with app.test_request_context():
        try:
            record = validate_record(_form(), SimpleNamespace(online_fields=[]), choices, payload)
        except RecordInvalid as invalid:
            messages = invalid.bilingual()
            assert messages and all(m["zh"] and m["en"] for texts in messages.values() for m in texts)
            return
    stored = json.loads(json.dumps(record.answers))  # what is kept is plain JSON
    assert all(not (isinstance(v, float) and not math.isfinite(v)) for v in stored.values())
    assert record.methods == ["onsite"]
