"""Every hookspec is documented in docs/plugins.md, with the signature it has in the code."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest

from spotcheck.hooks import specs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
HEADING = re.compile(r"^### `(spotcheck_\w+)\((.*)\)(?: -> (.+))?`$", re.MULTILINE)


def hookspecs() -> dict[str, Any]:
    return {name: getattr(specs, name) for name in specs.__all__
            if hasattr(getattr(specs, name), f"{specs.PROJECT_NAME}_spec")}


def signature(function: Any) -> str:
    """The signature as written in the source (annotations are strings: postponed evaluation)."""
    annotations = function.__annotations__
    params = ", ".join(f"{name}: {annotations[name]}"
                       for name in inspect.signature(function).parameters)
    return f"{function.__name__}({params}) -> {annotations['return']}"


def documented() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    return {m[1]: f"{m[1]}({m[2]}) -> {m[3]}" for m in HEADING.finditer(text)}


def test_specs_define_the_hooks() -> None:
    assert set(hookspecs()) == {
        "spotcheck_department", "spotcheck_check_items", "spotcheck_checklist_forms",
        "spotcheck_followup_rules", "spotcheck_credit_rules", "spotcheck_online_precheck",
        "spotcheck_target_sync_source"}


@pytest.mark.parametrize("name", sorted(hookspecs()))
def test_hook_is_documented_with_its_signature(name: str) -> None:
    assert documented().get(name) == signature(hookspecs()[name])


@pytest.mark.parametrize("name", sorted(hookspecs()))
def test_hookspec_docstring_says_when_and_what(name: str) -> None:
    doc = " ".join((inspect.getdoc(hookspecs()[name]) or "").split())
    assert "Called" in doc and ":return:" in doc and "First result wins." in doc
    for param in inspect.signature(hookspecs()[name]).parameters:
        assert f":param {param}:" in doc


def test_docs_describe_no_hook_that_does_not_exist() -> None:
    assert set(documented()) <= set(hookspecs())
