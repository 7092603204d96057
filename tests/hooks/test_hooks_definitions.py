"""The definition dataclasses, their documents, the schemas and the YAML loader agree."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from spotcheck.hooks import build_plugin_manager
from spotcheck.hooks.definitions import (
    ACTION_KINDS,
    FIELD_TYPES,
    LEVELS,
    METHODS,
    TARGET_KINDS,
    CheckItemDef,
    ChecklistFormDef,
    FollowUpRuleDef,
    FormFieldDef,
    to_document,
)
from spotcheck.hooks.validation import SCHEMA_FILES, schema_validator
from spotcheck.plugin_api import DefinitionFileError, load_yaml_definitions


def schema(kind: str) -> dict[str, Any]:
    return json.loads((files("spotcheck") / "contracts" / SCHEMA_FILES[kind]).read_text("utf-8"))


def test_schemas_are_valid_draft_2020_12() -> None:
    for kind in SCHEMA_FILES:
        assert schema_validator(kind).schema["$schema"] == \
            "https://json-schema.org/draft/2020-12/schema"


def test_schema_vocabularies_match_the_dataclasses() -> None:
    item = schema("item")["properties"]
    form_field = schema("form")["$defs"]["field"]["properties"]
    assert item["target_kinds"]["items"]["enum"] == list(TARGET_KINDS)
    assert item["methods"]["items"]["enum"] == list(METHODS)
    assert schema("department")["properties"]["level"]["enum"] == list(LEVELS)
    assert form_field["type"]["enum"] == list(FIELD_TYPES)
    assert schema("rule")["$defs"]["action"]["properties"]["kind"]["enum"] == list(ACTION_KINDS)


@pytest.mark.parametrize(("kind", "cls"), [("item", CheckItemDef), ("form", ChecklistFormDef),
                                           ("rule", FollowUpRuleDef)])
def test_schema_properties_match_the_dataclass_fields(kind: str, cls: type) -> None:
    assert set(schema(kind)["properties"]) == set(cls.__dataclass_fields__)


def test_form_field_schema_matches_the_dataclass() -> None:
    properties = schema("form")["$defs"]["field"]["properties"]
    assert set(properties) == set(FormFieldDef.__dataclass_fields__)


def test_documents_round_trip_through_the_dataclasses() -> None:
    scjg = build_plugin_manager(["scjg"]).loaded["SCJG"]
    definitions = [*scjg.items.values(), *scjg.forms.values(), *scjg.rules.values()]
    assert len(definitions) > 10

    for definition in definitions:
        document = to_document(definition)
        assert type(definition).from_document(document) == definition
        json.dumps(document)  # plain JSON data, nothing else


def test_to_document_leaves_out_defaults_and_keeps_mapping_nulls() -> None:
    field = FormFieldDef(name="count", label_zh="数量", label_en="Count", type="integer", max=9)

    assert to_document(field) == {"name": "count", "label_zh": "数量", "label_en": "Count",
                                  "type": "integer", "max": 9}
    assert to_document({"name": None, "choices": ("a",)}) == {"name": None, "choices": ["a"]}


@pytest.fixture
def data_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """``data_package({"items.yaml": "..."})``: an importable package holding those files."""

    def make(contents: dict[str, str]) -> str:
        name = f"yaml_package_{uuid.uuid4().hex}"
        root = tmp_path / name
        root.mkdir()
        (root / "__init__.py").write_text("")
        for filename, text in contents.items():
            (root / filename).parent.mkdir(parents=True, exist_ok=True)
            (root / filename).write_text(text, encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        return name

    return make


def test_yaml_list_file(data_package: Callable[..., str]) -> None:
    package = data_package({"items.yaml": "- {code: a1}\n- {code: b2, name_zh: 乙}\n"})

    assert load_yaml_definitions(package, "items.yaml") == [{"code": "a1"},
                                                            {"code": "b2", "name_zh": "乙"}]


def test_yaml_folder_is_read_in_name_order(data_package: Callable[..., str]) -> None:
    package = data_package({"forms/b.yaml": "code: second\n", "forms/a.yaml": "code: first\n",
                            "forms/notes.txt": "not a form\n"})

    assert load_yaml_definitions(package, "forms") == [{"code": "first"}, {"code": "second"}]


def test_broken_yaml_names_the_file(data_package: Callable[..., str]) -> None:
    package = data_package({"forms/bad.yaml": "code: [unclosed\n"})

    with pytest.raises(DefinitionFileError,
                       match=rf"(?s)^{package}/forms/bad.yaml: .*line 1, column 7"):
        load_yaml_definitions(package, "forms")


def test_yaml_scalar_is_refused(data_package: Callable[..., str]) -> None:
    package = data_package({"items.yaml": "just text\n"})

    with pytest.raises(DefinitionFileError, match="holds str, expected a mapping or a list"):
        load_yaml_definitions(package, "items.yaml")
