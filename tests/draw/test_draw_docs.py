"""docs/draw.md is held to the shared specification, the reason codes and the proof schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spotcheck.draw.models import MATCH_REASONS, REPLACEMENT_GROUNDS
from spotcheck.planning.dryrun import REASONS

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "draw.md"
SHARED_SPEC = ROOT.parent / "shared" / "specs" / "draw-v1.md"
SPEC_HEADING = "## The specification: spotcheck-draw-v1"
ADAPTED_PATHS = [
    ("`draw-v1-vectors/`", "`tests/draw/data/draw-v1-vectors/`"),
    ("`schemas/draw-proof.schema.json` in the project",
     "[`schemas/draw-proof.schema.json`](../schemas/draw-proof.schema.json) in the project"),
]


def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def adapted(spec: str) -> list[str]:
    """The shared spec as the page carries it: paths into this repository, headings one level
    down, its title replaced by the section's heading."""
    for shared, here in ADAPTED_PATHS:
        spec = spec.replace(shared, here)
    lines = ["#" + line if line.startswith("#") else line for line in spec.splitlines()]
    return lines[1:]


def test_the_page_carries_the_shared_specification():
    if not SHARED_SPEC.is_file():
        pytest.skip("../shared is not next to this checkout: nothing to compare with")
    section = page().split(SPEC_HEADING, 1)[1].splitlines()
    body = adapted(SHARED_SPEC.read_text(encoding="utf-8"))
    start = section.index(body[1])  # after the section's own introduction
    assert section[start - 1:] == body


def test_the_page_shows_both_ways_to_verify():
    text = page()
    assert "    spotcheck verify-draw PROOF.json\n" in text
    assert "    python3 verify_draw.py PROOF.json\n" in text


@pytest.mark.parametrize("code", sorted({*REASONS, *MATCH_REASONS, *REPLACEMENT_GROUNDS}))
def test_every_reason_code_is_explained(code):
    assert f"| `{code}` |" in page()


def test_every_field_of_the_proof_is_in_the_table():
    schema = json.loads((ROOT / "schemas" / "draw-proof.schema.json").read_text(encoding="utf-8"))
    rows = [line for line in page().splitlines() if line.startswith("| `")]
    missing = [name for name in schema["properties"] if not any(f"`{name}`" in row.split("|")[1]
                                                                for row in rows)]
    assert missing == []
