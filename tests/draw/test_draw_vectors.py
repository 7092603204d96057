"""The draw-v1 vectors both ways: the verifier accepts each one, the draw functions given a
vector's inputs emit exactly its results, and any single changed character in a vector is caught."""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from spotcheck.draw.verify_draw import (
    Department,
    Matching,
    Mismatch,
    candidates_digest,
    commitment,
    draw_seed,
    matching_order,
    quota,
    replacement,
    select,
    stratum_digest,
    verify,
)

ROOT = Path(__file__).resolve().parents[2]
VECTORS = Path(__file__).resolve().parent / "data" / "draw-v1-vectors"
SHARED = ROOT.parent / "shared" / "specs" / "draw-v1-vectors"
NAMES = sorted(path.name for path in VECTORS.glob("*.json"))

JsonPath = tuple[str | int, ...]


def load(name: str) -> dict[str, Any]:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def test_both_vectors_are_here():
    assert NAMES == ["basic.json", "edges.json"]


def test_the_copies_are_byte_identical_to_the_shared_vectors():
    if not SHARED.is_dir():
        pytest.skip("../shared is not next to this checkout: nothing to compare with")
    assert sorted(path.name for path in SHARED.glob("*.json")) == NAMES
    for name in NAMES:
        assert (VECTORS / name).read_bytes() == (SHARED / name).read_bytes(), name


@pytest.mark.parametrize("name", NAMES)
def test_the_verifier_accepts_every_vector(name):
    proof = load(name)
    summary = verify(proof)
    assert summary.draw_id == proof["draw_id"]
    assert summary.seed == proof["seed"]
    assert summary.strata == len(proof["strata"])
    assert summary.candidates == sum(len(s["candidates"]) for s in proof["strata"])
    assert summary.selected == sum(len(s["selected"]) for s in proof["strata"])
    assert summary.assignments == len(proof.get("assignments", []))
    assert summary.replacements == len(proof.get("replacements", []))


@pytest.mark.parametrize("name", NAMES)
def test_the_draw_emits_every_vector_from_its_inputs(name):
    proof = load(name)
    secret, entropy = proof["server_secret"], proof["public_entropy"]
    inputs = [(s["key"], s["candidates"], s["quota"]) for s in proof["strata"]]

    assert commitment(secret) == proof["server_secret_commitment"]
    digests = [(key, stratum_digest(candidates)) for key, candidates, _ in inputs]
    assert [d for _, d in digests] == [s["digest"] for s in proof["strata"]]
    digest = candidates_digest(digests)
    assert digest == proof["candidates_digest"]
    seed = draw_seed(secret, entropy, digest)
    assert seed == proof["seed"]
    selected = [{"key": key, "selected": select(seed, key, candidates, quota(len(candidates), rule))}
                for key, candidates, rule in inputs]
    assert [s["selected"] for s in selected] == [s["selected"] for s in proof["strata"]]

    if "matching" not in proof:
        assert not proof.get("assignments") and not proof.get("replacements")
        return
    block = proof["matching"]
    matching = Matching(
        initiator=block["initiator"],
        departments=[Department(d["code"], d["per_target"], tuple(d["pool"])) for d in block["departments"]],
        required=block["required"],
        exclusions={(e["target"], e["inspector"]) for e in block["exclusions"]},
        max_load=block["max_load"])
    assignments = matching.assign(seed, matching_order(selected))
    assert assignments == proof["assignments"]
    assert replay_replacements(seed, block, assignments, proof["replacements"]) == \
        [{k: r[k] for k in ("target", "department", "out", "in")} for r in proof["replacements"]]


def replay_replacements(seed: str, block: dict[str, Any], assignments: list[dict[str, Any]],
                        requests: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each replacement of ``requests`` (its target, department and who leaves) made again by
    :func:`replacement`, barring everyone ever assigned to the target, the replaced included."""
    pools = {d["code"]: d["pool"] for d in block["departments"]}
    barred: dict[str, set[str]] = defaultdict(set)
    for exclusion in block["exclusions"]:
        barred[exclusion["target"]].add(exclusion["inspector"])
    ever: dict[str, set[str]] = defaultdict(set)
    for assignment in assignments:
        ever[assignment["target"]].update(assignment["inspectors"])
    made = []
    for request in requests:
        target, department = request["target"], request["department"]
        incoming = replacement(seed, target, pools[department], barred[target], ever[target], department)
        ever[target].add(incoming)
        made.append({"target": target, "department": department, "out": request["out"], "in": incoming})
    return made


def test_the_basic_vector_replaces_with_someone_never_on_the_team():
    proof = load("basic.json")
    [made] = proof["replacements"]
    team = [a for a in proof["assignments"] if a["target"] == made["target"]]
    assert made["out"] in team[0]["inspectors"]
    assert made["in"] not in {i for a in team for i in a["inspectors"]}


# --- single-character changes ---------------------------------------------------------------

def mutable_fields(proof: dict[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """Every text of ``proof`` the verifier recomputes, with where the first mismatch must show."""
    yield ("server_secret",), "server_secret_commitment"
    yield ("server_secret_commitment",), "server_secret_commitment"
    yield ("public_entropy",), "seed"
    yield ("candidates_digest",), "candidates_digest"
    yield ("seed",), "seed"
    for n, stratum in enumerate(proof["strata"]):
        yield ("strata", n, "key"), "candidates_digest"
        yield ("strata", n, "digest"), f"strata[{n}].digest"
        for m in range(len(stratum["candidates"])):
            yield ("strata", n, "candidates", m), "candidates_digest"
        for m in range(len(stratum["selected"])):
            yield ("strata", n, "selected", m), f"strata[{n}].selected"
    for n, assignment in enumerate(proof.get("assignments", [])):
        yield ("assignments", n, "target"), f"assignments[{n}]"
        yield ("assignments", n, "department"), f"assignments[{n}]"
        for m in range(len(assignment["inspectors"])):
            yield ("assignments", n, "inspectors", m), f"assignments[{n}]"
    for n in range(len(proof.get("replacements", []))):
        for name in ("target", "department", "out"):
            yield ("replacements", n, name), f"replacements[{n}].out"
        yield ("replacements", n, "in"), f"replacements[{n}].in"


def label(path: JsonPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


FIELDS = [pytest.param(name, path, where, id=f"{name[:-5]}:{label(path)}")
          for name in NAMES for path, where in mutable_fields(load(name))]


def single_changes(text: str) -> Iterator[str]:
    """The text with one character changed in every way tried here: at each position a flipped
    low bit (one changed byte for ASCII) and the next code point; one character appended; the last
    one dropped. Never a line feed, which the verifier refuses for another reason."""
    for n, char in enumerate(text):
        for changed in (chr(ord(char) ^ 1), chr(ord(char) + 1)):
            if changed != "\n":
                yield text[:n] + changed + text[n + 1:]
    yield text + "0"
    if text:
        yield text[:-1]


def with_value(proof: dict[str, Any], path: JsonPath, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(proof)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return changed


def value_at(proof: dict[str, Any], path: JsonPath) -> Any:
    for step in path:
        proof = proof[step]
    return proof


@pytest.mark.parametrize(("name", "path", "where"), FIELDS)
def test_any_single_changed_character_is_rejected_where_it_is(name, path, where):
    proof = load(name)
    missed = []
    for changed in single_changes(value_at(proof, path)):
        try:
            verify(with_value(proof, path, changed))
        except Mismatch as mismatch:
            if mismatch.where != where:
                missed.append(f"{changed!r}: mismatch at {mismatch.where}, not {where}")
        else:
            missed.append(f"{changed!r}: accepted")
    assert missed == []


def test_the_changes_tried_reach_every_kind_of_field():
    kinds = {(param.values[0], tuple(p for p in param.values[1] if isinstance(p, str))) for param in FIELDS}
    assert {("basic.json", ("server_secret",)), ("basic.json", ("public_entropy",)),
            ("basic.json", ("strata", "candidates")), ("basic.json", ("strata", "selected")),
            ("basic.json", ("assignments", "inspectors")), ("basic.json", ("replacements", "out")),
            ("basic.json", ("replacements", "in")), ("edges.json", ("public_entropy",))} <= kinds


# --- what a proof may leave out, and what it may not hold ------------------------------------

def test_a_proof_without_excluded_or_matching_is_valid():
    proof = load("edges.json")
    assert "excluded" not in proof and "matching" not in proof
    assert verify(proof).excluded == 0


def test_listed_exclusions_are_accepted_unless_the_id_is_also_a_candidate():
    proof = load("edges.json")
    proof["excluded"] = [{"id": "91630102ZZZZZZZZZZ", "reason": "year_cap"}]
    assert verify(proof).excluded == 1
    proof["excluded"].append({"id": proof["strata"][0]["candidates"][0], "reason": "deregistered"})
    with pytest.raises(Mismatch) as caught:
        verify(proof)
    assert caught.value.where == "excluded[1]"


def test_assignments_without_a_matching_block_are_rejected():
    proof = load("basic.json")
    del proof["matching"]
    with pytest.raises(Mismatch) as caught:
        verify(proof)
    assert caught.value.where == "matching"


def test_extra_fields_in_a_replacement_are_allowed():
    proof = load("basic.json")
    proof["replacements"][0].update(reason="post_change", approved_by="head-scjg",
                                    at="2025-03-02T08:00:00Z")
    assert verify(proof).replacements == 1


def test_departments_listed_out_of_the_spec_order_are_rejected():
    # The order decides the inspectors' loads, and so the picks: a proof cannot choose it.
    proof = load("basic.json")
    departments = proof["matching"]["departments"]
    departments[1], departments[2] = departments[2], departments[1]
    with pytest.raises(Mismatch) as caught:
        verify(proof)
    assert caught.value.where.startswith("matching.departments")


def test_a_missing_assignment_is_rejected():
    proof = load("basic.json")
    proof["assignments"].pop()
    with pytest.raises(Mismatch) as caught:
        verify(proof)
    assert caught.value.where == f"assignments[{len(proof['assignments'])}]"


def test_a_replacement_of_someone_not_on_the_team_is_rejected():
    proof = load("basic.json")
    proof["replacements"].append(dict(proof["replacements"][0]))  # SCJG-006 has already left
    with pytest.raises(Mismatch) as caught:
        verify(proof)
    assert caught.value.where == "replacements[1].out"


ODD_VALUES: list[Callable[[], Any]] = [
    lambda: None, lambda: 0, lambda: -1, lambda: True, lambda: 2.5, lambda: "x", lambda: "a\nb",
    lambda: [], lambda: {}, lambda: ["x"], lambda: [{}], lambda: {"a": 1}]


def every_path(value: Any, path: JsonPath = ()) -> Iterator[JsonPath]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from every_path(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from every_path(item, (*path, n))


@pytest.mark.parametrize("name", NAMES)
def test_a_malformed_proof_is_a_mismatch_never_a_crash(name):
    proof = load(name)
    proof["excluded"] = [{"id": "91630102ZZZZZZZZZZ", "reason": "year_cap"}]
    crashes = []
    for path in every_path(proof):
        for make in ODD_VALUES:
            try:
                verify(with_value(proof, path, make()))
            except Mismatch:
                pass
            except Exception as error:  # anything but a Mismatch is the failure
                crashes.append(f"{label(path)} = {make()!r}: {error!r}")
    assert crashes == []


@pytest.mark.parametrize("document", [None, [], "proof", 7])
def test_a_document_that_is_not_an_object_is_a_mismatch(document):
    with pytest.raises(Mismatch):
        verify(document)
