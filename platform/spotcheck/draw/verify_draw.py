#!/usr/bin/env python3
"""spotcheck-draw-v1: the draw's arithmetic, and a verifier for its proofs.

This one file needs nothing but the Python standard library (3.9 or newer), so that anyone can
check a draw without installing the platform: download a draw's proof and run

    python3 verify_draw.py PROOF.json

It exits 0 and prints a summary when every figure in the proof recomputes, and 1 naming the
first mismatch otherwise (2 when the file cannot be read as JSON). The platform draws with the
very same functions (``spotcheck.draw.verify_draw``), so what it does and what anyone checks are
one text: the specification is in ``docs/draw.md`` (``shared/specs/draw-v1.md`` upstream).

Every hash is SHA-256 over UTF-8 bytes; every ordering is by UTF-8 bytes, never a locale.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

ALGORITHM = "spotcheck-draw-v1"
SEED_PREFIX = "spotcheck-seed-v1\n"
DRAW_PREFIX = "spotcheck-draw-v1\n"
MATCH_PREFIX = "spotcheck-match-v1\n"
REPLACE_PREFIX = "spotcheck-replace-v1\n"


class DrawError(ValueError):
    """Input the draw refuses (a line feed in an identifier, a pool too small to staff a target)."""


class StaffingError(DrawError):
    """Fewer eligible inspectors than a department must send to a target (spec §4, §5)."""

    def __init__(self, target: str, department: str, needed: int, eligible: int) -> None:
        super().__init__(f"target {target}: department {department} needs {needed} inspector(s), "
                         f"{eligible} eligible")
        self.target = target
        self.department = department
        self.needed = needed
        self.eligible = eligible


def sha256_hex(text: str) -> str:
    """``H(text)``: the lowercase hex SHA-256 of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def byte_order(value: str) -> bytes:
    """The sort key of identifiers and stratum keys: their UTF-8 bytes."""
    return value.encode("utf-8")


def check_line(value: str, what: str) -> str:
    """``value`` itself, or :class:`DrawError` when it holds a line feed (the hash separator)."""
    if "\n" in value:
        raise DrawError(f"{what} {value!r} contains a line feed")
    return value


def quota(candidates: int, rule: Mapping[str, int]) -> int:
    """How many of ``candidates`` a stratum draws (spec §1), in integer arithmetic only."""
    if "count" in rule:
        return min(candidates, int(rule["count"]))
    ratio_bp, minimum = int(rule["ratio_bp"]), int(rule["min"])
    return min(candidates, max(minimum, -(-candidates * ratio_bp // 10000)))


def stratum_digest(ids: Iterable[str]) -> str:
    """``H`` of every id followed by a line feed, the ids sorted by their bytes."""
    digest = hashlib.sha256()
    for value in sorted((check_line(i, "target id").encode("utf-8") for i in ids)):
        digest.update(value + b"\n")
    return digest.hexdigest()


def candidates_digest(strata: Iterable[Tuple[str, str]]) -> str:
    """``H`` over ``key, stratum digest`` pairs, each followed by a line feed, keys by bytes."""
    text = "".join(f"{check_line(key, 'stratum key')}\n{digest}\n"
                   for key, digest in sorted(strata, key=lambda pair: byte_order(pair[0])))
    return sha256_hex(text)


def commitment(server_secret: str) -> str:
    """The commitment recorded when a draw is prepared: ``H(server_secret)``."""
    return sha256_hex(server_secret)


def draw_seed(server_secret: str, public_entropy: str, digest_of_candidates: str) -> str:
    """The seed every ranking of the draw derives from (spec §2)."""
    check_line(public_entropy, "public entropy")
    return sha256_hex(f"{SEED_PREFIX}{server_secret}\n{public_entropy}\n{digest_of_candidates}")


def rank_prefix(seed: str, key: str) -> bytes:
    """The bytes every candidate id of stratum ``key`` is appended to before hashing (spec §3)."""
    return f"{DRAW_PREFIX}{seed}\n{key}\n".encode("utf-8")


def select(seed: str, key: str, candidates: Iterable[str], count: int) -> List[str]:
    """The first ``count`` candidates of stratum ``key`` by their rank digest, ties by id bytes.

    Ties compare the ids as texts: code point order is UTF-8 byte order. A draw of a million
    candidates spends its selection here: the digests are made by one comprehension and paired
    with their ids by ``zip``, a quarter faster than a generator of tuples."""
    prefix = rank_prefix(seed, key)
    ids = candidates if isinstance(candidates, (list, tuple)) else list(candidates)
    sha256 = hashlib.sha256
    digests = [sha256(prefix + c.encode("utf-8")).digest() for c in ids]
    return [c for _, c in heapq.nsmallest(count, zip(digests, ids))]


def _digest_of(prefix: str, seed: str, target: str, inspector: str) -> bytes:
    return hashlib.sha256(f"{prefix}{seed}\n{target}\n{inspector}".encode("utf-8")).digest()


@dataclass(frozen=True)
class Department:
    """A department of the matching block: its code, how many it sends, its qualified pool."""

    code: str
    per_target: int
    pool: Tuple[str, ...]

    def __post_init__(self) -> None:
        check_line(self.code, "department code")
        # An inspector listed twice would be eligible twice and could be picked twice for one target.
        seen: Set[str] = set()
        for inspector in self.pool:
            if check_line(inspector, "inspector id") in seen:
                raise DrawError(f"department {self.code}: inspector {inspector} is in the pool twice")
            seen.add(inspector)


@dataclass
class Matching:
    """The inputs of inspector matching (spec §4) and the running load of each inspector."""

    initiator: str
    departments: Sequence[Department]
    required: Mapping[str, Sequence[str]]
    exclusions: Set[Tuple[str, str]]
    max_load: Optional[int] = None
    load: Dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_proof(cls, block: Mapping[str, Any]) -> "Matching":
        return cls(
            initiator=block["initiator"],
            departments=[Department(d["code"], int(d["per_target"]), tuple(d["pool"]))
                         for d in block["departments"]],
            required={t: list(codes) for t, codes in block["required"].items()},
            exclusions={(e["target"], e["inspector"]) for e in block.get("exclusions", [])},
            max_load=block.get("max_load"))

    def assign(self, seed: str, targets: Iterable[str]) -> List[Dict[str, Any]]:
        """Every assignment for ``targets`` in matching order; :class:`StaffingError` when a
        department cannot send enough inspectors to a target."""
        barred: Dict[str, Set[str]] = {}
        for target, inspector in self.exclusions:
            barred.setdefault(target, set()).add(inspector)
        encoded = {i: i.encode("utf-8") for department in self.departments for i in department.pool}
        assignments = []
        for target in targets:
            picked: Set[str] = set()
            required = set(self.required.get(target, ())) | {self.initiator}
            for department in self.departments:
                if department.code not in required:
                    continue
                chosen = self._pick(seed, target, department, picked | barred.get(target, set()), encoded)
                picked.update(chosen)
                assignments.append({"target": target, "department": department.code,
                                    "inspectors": chosen})
        return assignments

    def _pick(self, seed: str, target: str, department: Department, barred: Set[str],
              encoded: Mapping[str, bytes]) -> List[str]:
        load = self.load.get
        eligible = [i for i in department.pool if i not in barred]
        if self.max_load is not None:
            eligible = [i for i in eligible if load(i, 0) < self.max_load]
        wanted = department.per_target
        if len(eligible) < wanted:
            raise StaffingError(target, department.code, wanted, len(eligible))
        # Ranked by (load, digest): nobody loaded more than the wanted-th smallest load can be
        # picked, so only those at or under it are hashed (the same picks, in the same order;
        # a proof's odd per_target below 1 ranks everyone, as the spec's sort would).
        loads = [load(i, 0) for i in eligible]
        bound = sorted(loads)[wanted - 1] if wanted > 0 else max(loads, default=0)
        prefix = f"{MATCH_PREFIX}{seed}\n{target}\n".encode("utf-8")
        sha256 = hashlib.sha256
        ranked = sorted((n, sha256(prefix + encoded[i]).digest(), i)
                        for n, i in zip(loads, eligible) if n <= bound)
        chosen = [i for _, _, i in ranked[:wanted]]
        for inspector in chosen:
            self.load[inspector] = load(inspector, 0) + 1
        return chosen


def replacement(seed: str, target: str, pool: Iterable[str], excluded: Iterable[str],
                ever_assigned: Iterable[str], department: str = "") -> str:
    """The inspector replacing one of ``department`` on ``target`` (spec §5): among the pool minus
    the target's exclusions minus everyone ever assigned to it, the smallest replace digest."""
    barred = set(excluded) | set(ever_assigned)
    eligible = [i for i in pool if i not in barred]
    if not eligible:
        raise StaffingError(target, department, 1, 0)
    return min(eligible, key=lambda i: _digest_of(REPLACE_PREFIX, seed, target, i))


def matching_order(strata: Sequence[Mapping[str, Any]]) -> List[str]:
    """Targets in matching order: strata by key bytes, each stratum's selection in rank order."""
    order: List[str] = []
    for stratum in sorted(strata, key=lambda s: byte_order(s["key"])):
        order.extend(stratum["selected"])
    return order


# --- the verifier -------------------------------------------------------------------------------

class Mismatch(Exception):
    """The first place where a proof does not recompute: a JSON path and what differs."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")
        self.where = where
        self.detail = detail


@dataclass(frozen=True)
class Summary:
    """What a proof that recomputes establishes."""

    draw_id: Any
    strata: int
    candidates: int
    excluded: int
    selected: int
    assignments: int
    replacements: int
    seed: str

    def lines(self) -> List[str]:
        return [f"draw {self.draw_id}: the proof recomputes ({ALGORITHM})",
                f"  seed         {self.seed}",
                f"  strata       {self.strata}",
                f"  candidates   {self.candidates} (excluded {self.excluded})",
                f"  selected     {self.selected}",
                f"  assignments  {self.assignments}",
                f"  replacements {self.replacements}"]


def _expect(where: str, expected: Any, found: Any) -> None:
    if expected != found:
        raise Mismatch(where, f"expected {json.dumps(expected, ensure_ascii=False)}, "
                              f"found {json.dumps(found, ensure_ascii=False)}")


def _field(document: Mapping[str, Any], name: str, where: str = "") -> Any:
    if not isinstance(document, Mapping) or name not in document:
        raise Mismatch(f"{where}{name}", "missing")
    return document[name]


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise Mismatch(where, "not a text")
    if "\n" in value:
        raise Mismatch(where, "contains a line feed")
    return value


def _check_rule(rule: Any, where: str) -> Dict[str, int]:
    def whole(name: str, low: int, high: Optional[int]) -> int:
        value = rule.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
            raise Mismatch(f"{where}.{name}", f"not a whole number from {low}" + (f" to {high}" if high else ""))
        return value
    if isinstance(rule, Mapping) and set(rule) == {"count"}:
        return {"count": whole("count", 0, None)}
    if isinstance(rule, Mapping) and set(rule) == {"ratio_bp", "min"}:
        return {"ratio_bp": whole("ratio_bp", 0, 10000), "min": whole("min", 0, None)}
    raise Mismatch(where, 'neither {"ratio_bp", "min"} nor {"count"}')


def _verify_strata(proof: Mapping[str, Any], seed: str) -> Tuple[int, int]:
    strata = _field(proof, "strata")
    keys = [_text(_field(s, "key", f"strata[{n}]."), f"strata[{n}].key") for n, s in enumerate(strata)]
    _expect("strata (order by key bytes)", sorted(keys, key=byte_order), keys)
    if len(set(keys)) != len(keys):
        raise Mismatch("strata", "a key appears twice")
    seen: Set[str] = set()
    candidates = selected = 0
    for n, stratum in enumerate(strata):
        where = f"strata[{n}]"
        ids = [_text(c, f"{where}.candidates[{m}]") for m, c in enumerate(_field(stratum, "candidates", f"{where}."))]
        twice = seen.intersection(ids) or (len(set(ids)) != len(ids) and {i for i in ids if ids.count(i) > 1})
        if twice:
            raise Mismatch(f"{where}.candidates", f"{sorted(twice)[0]} is a candidate twice")
        seen.update(ids)
        _expect(f"{where}.digest", stratum_digest(ids), _field(stratum, "digest", f"{where}."))
        rule = _check_rule(_field(stratum, "quota", f"{where}."), f"{where}.quota")
        expected = select(seed, stratum["key"], ids, quota(len(ids), rule))
        _expect(f"{where}.selected", expected, _field(stratum, "selected", f"{where}."))
        candidates += len(ids)
        selected += len(expected)
    excluded_list = proof.get("excluded", [])
    if not isinstance(excluded_list, list):
        raise Mismatch("excluded", "not a list")
    for m, excluded in enumerate(excluded_list):
        identifier = _text(_field(excluded, "id", f"excluded[{m}]."), f"excluded[{m}].id")
        _text(_field(excluded, "reason", f"excluded[{m}]."), f"excluded[{m}].reason")
        if identifier in seen:
            raise Mismatch(f"excluded[{m}]", f"{identifier} is excluded and a candidate")
    return candidates, selected


def _verify_matching(proof: Mapping[str, Any], seed: str) -> Tuple[int, int]:
    block = proof.get("matching")
    assignments = proof.get("assignments", [])
    replacements = proof.get("replacements", [])
    if block is None:
        if assignments or replacements:
            raise Mismatch("matching", "missing, yet the proof has assignments or replacements")
        return 0, 0
    if not isinstance(assignments, list) or not isinstance(replacements, list):
        raise Mismatch("assignments" if not isinstance(assignments, list) else "replacements", "not a list")
    try:
        matching = Matching.from_proof(block)
        # The order of the departments decides the loads, and so the picks: the spec fixes it.
        codes = [d.code for d in matching.departments]
        others = sorted({c for c in codes if c != matching.initiator}, key=byte_order)
        _expect("matching.departments (the initiator first, then the others by code bytes)",
                [matching.initiator, *others], codes)
        expected = matching.assign(seed, matching_order(proof["strata"]))
    except StaffingError as error:
        raise Mismatch("matching", f"the draw could not have been staffed: {error}") from None
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise Mismatch("matching", f"malformed: {error!r}") from None
    for n, assignment in enumerate(expected):
        found = assignments[n] if n < len(assignments) else None
        _expect(f"assignments[{n}]", assignment,
                {k: found.get(k) for k in ("target", "department", "inspectors")} if isinstance(found, Mapping) else found)
    if len(assignments) != len(expected):
        raise Mismatch("assignments", f"expected {len(expected)} entries, found {len(assignments)}")
    _verify_replacements(matching, expected, replacements, seed)
    return len(expected), len(replacements)


def _verify_replacements(matching: Matching, assignments: Sequence[Mapping[str, Any]],
                         replacements: Sequence[Mapping[str, Any]], seed: str) -> None:
    current = {(a["target"], a["department"]): list(a["inspectors"]) for a in assignments}
    ever: Dict[str, Set[str]] = {}
    for a in assignments:
        ever.setdefault(a["target"], set()).update(a["inspectors"])
    pools = {d.code: d.pool for d in matching.departments}
    barred: Dict[str, Set[str]] = {}
    for target, inspector in matching.exclusions:
        barred.setdefault(target, set()).add(inspector)
    for n, made in enumerate(replacements):
        where = f"replacements[{n}]"
        target, department, out = (_text(_field(made, name, f"{where}."), f"{where}.{name}")
                                   for name in ("target", "department", "out"))
        team = current.get((target, department))
        if team is None or out not in team:
            raise Mismatch(f"{where}.out", f"{out} is not assigned to {target} for {department}")
        try:
            chosen = replacement(seed, target, pools.get(department, ()), barred.get(target, ()),
                                 ever.get(target, ()), department)
        except StaffingError:
            raise Mismatch(where, "no inspector was eligible to replace") from None
        _expect(f"{where}.in", chosen, _field(made, "in", f"{where}."))
        team[team.index(out)] = chosen
        ever[target].add(chosen)


def verify(proof: Mapping[str, Any]) -> Summary:
    """The :class:`Summary` of a proof that recomputes; :class:`Mismatch` at the first place
    that does not (spec §2–§5, in the order a reader would check them)."""
    _expect("algorithm", ALGORITHM, _field(proof, "algorithm"))
    secret = _text(_field(proof, "server_secret"), "server_secret")
    _expect("server_secret_commitment", commitment(secret), _field(proof, "server_secret_commitment"))
    entropy = _text(_field(proof, "public_entropy"), "public_entropy")
    strata = _field(proof, "strata")
    if not isinstance(strata, list):
        raise Mismatch("strata", "not a list")
    pairs = []
    for n, s in enumerate(strata):
        ids = _field(s, "candidates", f"strata[{n}].")
        if not isinstance(ids, list):
            raise Mismatch(f"strata[{n}].candidates", "not a list")
        pairs.append((_text(_field(s, "key", f"strata[{n}]."), f"strata[{n}].key"),
                      stratum_digest(_text(c, f"strata[{n}].candidates[{m}]") for m, c in enumerate(ids))))
    digest = candidates_digest(pairs)
    _expect("candidates_digest", digest, _field(proof, "candidates_digest"))
    seed = draw_seed(secret, entropy, digest)
    _expect("seed", seed, _field(proof, "seed"))
    candidates, selected = _verify_strata(proof, seed)
    assignments, replacements = _verify_matching(proof, seed)
    return Summary(proof.get("draw_id"), len(strata), candidates, len(proof.get("excluded", [])),
                   selected, assignments, replacements, seed)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``verify_draw.py PROOF.json``: 0 when the proof recomputes, 1 at a mismatch, 2 unreadable."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: verify_draw.py PROOF.json   (- reads standard input)", file=sys.stderr)
        return 2
    try:
        if args[0] == "-":
            proof = json.load(sys.stdin)
        else:
            with open(args[0], encoding="utf-8") as handle:
                proof = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"cannot read {args[0]}: {error}", file=sys.stderr)
        return 2
    try:
        summary = verify(proof)
    except Mismatch as mismatch:
        print(f"MISMATCH at {mismatch.where}: {mismatch.detail}")
        return 1
    print("\n".join(summary.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
