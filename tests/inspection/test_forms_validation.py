"""A checklist form's answers are validated by a marshmallow schema built from the plugin's
definition: every question type, required questions, choices, bounds and patterns, each error
named by its question in Chinese and English."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from spotcheck.hooks.definitions import ChecklistFormDef
from spotcheck.inspection.forms import FindingChoice, ItemChoices, RecordInvalid, validate_record

FORM = ChecklistFormDef.from_document({
    "code": "every_type_record", "title_zh": "全部题型", "title_en": "Every type", "version": 3,
    "fields": [
        {"name": "licence_number", "label_zh": "许可证编号", "label_en": "Licence number", "type": "text",
         "required": True, "pattern": "JY[0-9]{14}"},
        {"name": "remarks", "label_zh": "备注", "label_en": "Remarks", "type": "textarea"},
        {"name": "staff", "label_zh": "人数", "label_en": "Staff", "type": "integer", "min": 0, "max": 1000},
        {"name": "area", "label_zh": "面积", "label_en": "Area", "type": "decimal", "min": 0.5},
        {"name": "licensed", "label_zh": "是否持证", "label_en": "Licensed?", "type": "boolean", "required": True},
        {"name": "expires_on", "label_zh": "有效期至", "label_en": "Valid until", "type": "date"},
        {"name": "storage", "label_zh": "贮存", "label_en": "Storage", "type": "choice", "choices": [
            {"value": "ok", "label_zh": "符合", "label_en": "Compliant"},
            {"value": "bad", "label_zh": "不符合", "label_en": "Non-compliant"}]},
        {"name": "matters", "label_zh": "事项", "label_en": "Matters", "type": "multichoice", "required": True,
         "choices": [{"value": "contact", "label_zh": "联系方式", "label_en": "Contact"},
                     {"value": "status", "label_zh": "存续状态", "label_en": "Status"}]},
    ]})

CHOICES = ItemChoices(methods=("onsite", "documentary"),
                      findings=(FindingChoice("no_licence", "无证经营", "No licence"), FindingChoice("refused_entry")))

VALID = {"licence_number": "JY16301020012345", "staff": "12", "area": "35.5", "licensed": "true",
         "expires_on": "2027-06-30", "storage": "ok", "matters": ["contact"]}


def item(online_fields=()):
    return SimpleNamespace(online_fields=list(online_fields))


def errors_of(answers, methods=("onsite",), findings=(), online_fields=()) -> dict:
    with pytest.raises(RecordInvalid) as invalid:
        validate_record(FORM, item(online_fields), CHOICES,
                        {"answers": answers, "methods": list(methods), "findings": list(findings)})
    return invalid.value.bilingual()


def test_valid_answers_are_stored_as_json(app):
    with app.test_request_context():
        record = validate_record(FORM, item(), CHOICES, {"answers": {**VALID, "remarks": "无"},
                                                         "methods": ["documentary", "onsite"],
                                                         "findings": ["refused_entry", "no_licence"]})
    assert record.answers == {"licence_number": "JY16301020012345", "remarks": "无", "staff": 12, "area": "35.5",
                              "licensed": True, "expires_on": "2027-06-30", "storage": "ok", "matters": ["contact"]}
    # Methods and findings come back in the order the item offers them.
    assert record.methods == ["onsite", "documentary"]
    assert record.findings == ["no_licence", "refused_entry"]


@pytest.mark.parametrize(("answers", "question", "zh", "en"), [
    ({"licence_number": None}, "licence_number", "必须回答", "must be answered"),
    ({"licence_number": "   "}, "licence_number", "必须回答", "must be answered"),
    ({"licence_number": "JY123"}, "licence_number", "格式", "form"),
    ({"licence_number": "xJY16301020012345"}, "licence_number", "格式", "form"),
    ({"staff": "12.5"}, "staff", "整数", "whole number"),
    ({"staff": "1001"}, "staff", "1000", "between 0 and 1000"),
    ({"area": "0.2"}, "area", "0.5", "at least 0.5"),
    ({"area": "NaN"}, "area", "数", "number"),
    ({"licensed": "perhaps"}, "licensed", "是或否", "yes or no"),
    ({"expires_on": "30/06/2027"}, "expires_on", "YYYY-MM-DD", "YYYY-MM-DD"),
    ({"storage": "fine"}, "storage", "选项", "answers offered"),
    ({"matters": ["contact", "weather"]}, "matters", "选项", "answers offered"),
    ({"matters": []}, "matters", "必须回答", "must be answered"),
    ({"remarks": "长" * 5001}, "remarks", "5000", "5000"),
    ({"surprise": "x"}, "surprise", "没有", "no such question"),
])
def test_each_bad_answer_is_named_by_its_question_in_both_languages(app, answers, question, zh, en):
    with app.test_request_context():
        errors = errors_of({**VALID, **answers})
    [message] = errors.pop(f"answers.{question}")
    assert errors == {}
    assert en in message["en"]
    # The Chinese catalog fills the same placeholders; before it is merged the message is English.
    assert zh in message["zh"] or message["zh"] == message["en"]


def test_every_bad_answer_is_reported_at_once(app):
    with app.test_request_context():
        errors = errors_of({"staff": "many"}, methods=(), findings=("on_fire",))
    assert set(errors) == {"answers.licence_number", "answers.licensed", "answers.matters", "answers.staff",
                           "methods", "findings"}


def test_a_question_settled_online_is_not_asked_and_an_answer_to_it_is_refused(app):
    settled = {k: v for k, v in VALID.items() if k != "licence_number"}
    with app.test_request_context():
        record = validate_record(FORM, item(["licence_number"]), CHOICES, {"answers": settled, "methods": ["onsite"]})
        assert "licence_number" not in record.answers
        errors = errors_of(VALID, online_fields=["licence_number"])
    assert list(errors) == ["answers.licence_number"]
    assert "online" in errors["answers.licence_number"][0]["en"]


@pytest.mark.parametrize(("payload", "key"), [
    ({"methods": []}, "methods"),
    ({"methods": ["sampling"]}, "methods"),
    ({"methods": "onsite"}, "methods"),
    ({"findings": ["not_a_finding"]}, "findings"),
    ({"answers": ["not", "a", "mapping"]}, "answers"),
])
def test_methods_come_from_the_item_and_findings_from_its_list(app, payload, key):
    with app.test_request_context(), pytest.raises(RecordInvalid) as invalid:
        validate_record(FORM, item(), CHOICES, {"answers": VALID, "methods": ["onsite"], **payload})
    assert key in invalid.value.errors
