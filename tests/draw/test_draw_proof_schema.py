"""schemas/draw-proof.schema.json: the shape of a draw's proof (draw-v1 §6). The vectors fit it;
broken documents do not."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from spotcheck.draw.proof import proof_chunks
from spotcheck.draw.testing import make_draw, make_setup
from spotcheck.tenancy.scope import Scope, scoped

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "draw-proof.schema.json"
VECTORS = Path(__file__).resolve().parent / "data" / "draw-v1-vectors"

Proof = dict[str, Any]


@cache
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def vector(name: str) -> Proof:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def errors(document: Any) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator().iter_errors(document)]


def test_the_schema_is_draft_2020_12_and_ships_with_the_package():
    assert validator().schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    shipped = (files("spotcheck") / "contracts" / "draw-proof.schema.json").read_text(encoding="utf-8")
    assert shipped == SCHEMA.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["basic.json", "edges.json"])
def test_both_vectors_fit_the_schema(name):
    assert errors(vector(name)) == []


def set_metadata(proof: Proof) -> None:
    proof.update(draw_id=17, plan={"id": 3, "name": "2025年城东区食品安全联合抽查"}, batch=1, year=2025,
                 prepared_at="2025-03-01T02:00:00Z", drawn_at="2025-03-01T02:30:00Z", prepared_by="demo-office")


def extra_replacement_fields(proof: Proof) -> None:
    proof["replacements"][0].update(reason="post_change", note="调岗", approved_by="demo-head",
                                    approved_at="2025-03-05T01:00:00Z")


def no_limit_becomes_a_limit(proof: Proof) -> None:
    proof["matching"]["max_load"] = 3


@pytest.mark.parametrize("change", [set_metadata, extra_replacement_fields, no_limit_becomes_a_limit])
def test_metadata_and_replacement_details_are_allowed(change: Callable[[Proof], None]):
    proof = vector("basic.json")
    change(proof)
    assert errors(proof) == []


def test_a_targets_only_proof_may_list_excluded_targets():
    proof = vector("edges.json")
    proof["excluded"] = [{"id": "91630102ZZZZZZZZZZ", "reason": "year_cap"}]
    assert errors(proof) == []


BROKEN: dict[str, Callable[[Proof], Any]] = {
    "seed missing": lambda p: p.pop("seed"),
    "strata missing": lambda p: p.pop("strata"),
    "another algorithm": lambda p: p.update(algorithm="spotcheck-draw-v2"),
    "an unknown field": lambda p: p.update(winner="91630102MTED6UGL1T"),
    "secret in upper case": lambda p: p.update(server_secret=p["server_secret"].upper()),
    "secret one character short": lambda p: p.update(server_secret=p["server_secret"][:-1]),
    "secret with a trailing line feed": lambda p: p.update(server_secret=p["server_secret"] + "\n"),
    "commitment not hex": lambda p: p.update(server_secret_commitment="z" * 64),
    "digest not hex": lambda p: p.update(candidates_digest="g" * 64),
    "stratum digest short": lambda p: p["strata"][0].update(digest="ab" * 16),
    "entropy with a line feed": lambda p: p.update(public_entropy="3-1\n4"),
    "entropy not a text": lambda p: p.update(public_entropy=31415),
    "quota with both shapes": lambda p: p["strata"][0]["quota"].update(count=3),
    "ratio above 10000 bp": lambda p: p["strata"][0]["quota"].update(ratio_bp=10001),
    "ratio without min": lambda p: p["strata"][0]["quota"].pop("min"),
    "negative count": lambda p: p["strata"][0].update(quota={"count": -1}),
    "count as text": lambda p: p["strata"][0].update(quota={"count": "3"}),
    "candidate with a line feed": lambda p: p["strata"][0]["candidates"].append("9163\n0102"),
    "empty candidate id": lambda p: p["strata"][0]["candidates"].append(""),
    "candidate twice": lambda p: p["strata"][0]["candidates"].append(p["strata"][0]["candidates"][0]),
    "stratum without selected": lambda p: p["strata"][0].pop("selected"),
    "matching without assignments": lambda p: p.pop("assignments"),
    "matching without max_load": lambda p: p["matching"].pop("max_load"),
    "max_load zero": lambda p: p["matching"].update(max_load=0),
    "per_target zero": lambda p: p["matching"]["departments"][0].update(per_target=0),
    "inspector twice in a pool": lambda p: p["matching"]["departments"][0]["pool"].append("SCJG-001"),
    "lower-case department code": lambda p: p["matching"].update(initiator="scjg"),
    "required with no department": lambda p: p["matching"]["required"].update({"91630102MTED6UGL1T": []}),
    "exclusion without reason": lambda p: p["matching"]["exclusions"][0].pop("reason"),
    "assignment without inspectors": lambda p: p["assignments"][0].update(inspectors=[]),
    "assignment with a note": lambda p: p["assignments"][0].update(note="x"),
    "replacement without in": lambda p: p["replacements"][0].pop("in"),
    "year as text": lambda p: p.update(year="2025"),
    "excluded without reason": lambda p: p.update(excluded=[{"id": "91630102ZZZZZZZZZZ"}]),
}


@pytest.mark.parametrize("what", BROKEN)
def test_a_broken_document_is_rejected(what):
    proof = vector("basic.json")
    BROKEN[what](proof)
    assert errors(proof) != []


@pytest.mark.parametrize("document", [None, [], "proof", {}])
def test_a_document_that_is_not_a_proof_object_is_rejected(document):
    assert errors(document) != []


def test_a_proof_the_platform_writes_fits_the_schema(factories, db_session):
    initiator, participant = factories.department("AAA"), factories.department("BBB")
    setup = make_setup(db_session, initiator, [participant], targets=6, inspectors=4)
    draw = make_draw(db_session, setup.batch, entropy="dice:3-1-4")
    with scoped(db_session, Scope.system()):
        proof = json.loads("".join(proof_chunks(db_session, draw)))
    assert errors(proof) == []
