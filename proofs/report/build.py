"""From lemma results to the `status.json` document (DESIGN.md, "The report")."""

from __future__ import annotations

import datetime as dt
import functools
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

from proofs.records import Lemma
from proofs.registry import derive
from proofs.report import mutation
from proofs.status import Status, Verdict

SCHEMA_VERSION = 2
PROVENANCE_PACKAGES = {
    "z3": "z3-solver", "sympy": "sympy", "mpmath": "mpmath", "hypothesis": "hypothesis",
    "numpy": "numpy", "networkx": "networkx", "matplotlib": "matplotlib", "cvc5": "cvc5",
    "python_flint": "python-flint", "proofs": "llm-limits-proofs",
}


def expectation_message(expected: str | None, status: str) -> str | None:
    """Why a result does not match what the project stands by, or None when it does."""
    if status == Status.CONFLICT:
        return "conflict: the evidence disagrees, so an encoding or an engine is wrong; read the evidence"
    if status == Status.ERROR and expected != status:
        return "error: a check crashed or the declaration is ill-formed; read the problems and the evidence"
    if expected is None or expected == status:
        return None
    return (f"verdict moved from {expected} (expected) to {status}; if this move is intended, "
            f"set expect={status!r} on the lemma, otherwise read the evidence")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def result_record(lemma: Lemma, verdict: Verdict, commit: str | None = None) -> dict[str, Any]:
    """One lemma's entry in status.json, before the graph-derived fields are added."""
    record = lemma.to_json()
    status = verdict.status.value
    record.update(
        status=status,
        problems=list(verdict.problems),
        undecided_goals=list(verdict.undecided_goals),
        evidence=[e.to_json() for e in verdict.evidence],
        matches_expectation=expectation_message(record["expected"], status) is None,
        fingerprint=None,  # filled in by the suite, which knows the manifest
        pin=None,
        checked_at=now(),
        checked_commit=commit,
        reused=False,
        stale=False,
    )
    return record


def git_commit(root: Path) -> str | None:
    """The commit of the project at `root` (with '+dirty' for uncommitted changes), or None outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if commit.returncode != 0:
        return None
    return commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[tuple[str, Any], ...]:
    versions: dict[str, Any] = {"python": platform.python_version()}
    for name, distribution in PROVENANCE_PACKAGES.items():
        try:
            versions[name] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return tuple(versions.items())


def engine_versions() -> dict[str, Any]:
    """Python's and every engine's version (read once per process: importlib.metadata is slow)."""
    return dict(_versions())


def provenance(root: Path, seed: int, scale: str, hypothesis_profile: str) -> dict[str, Any]:
    return {**engine_versions(), "git_commit": git_commit(root), "seed": seed, "scale": scale,
            "hypothesis_profile": hypothesis_profile, "machine": platform.machine()}


def _proof_numbers(lemmas: list[dict[str, Any]]) -> dict[str, Any]:
    """Across every proved symbolic goal: how many were cross-checked at one point or more."""
    proved = [(l["id"], e) for l in lemmas for e in l["evidence"]
              if e["status"] == Status.PROVED and e.get("kind") == "symbolic"]
    unevaluated = sorted(f"{i}: {e['check']}" for i, e in proved if not e.get("facts", {}).get("points_evaluated"))
    return {"proved_goals": len(proved), "cross_checked": len(proved) - len(unevaluated),
            "never_evaluated": unevaluated}


def _one_statement(lemmas: list[dict[str, Any]]) -> dict[str, Any]:
    """Of the proved and tested lemmas: those that declare their claim once and have their checks
    evaluate it (a symbolic goal built from it, for a proved lemma, and every property test and
    simulation evaluating it at one point or more; symbolic goals of their own beside it are
    listed), those with a check that does not, and those that declare none, with a reason and
    without one."""
    def links(lemma: dict[str, Any], kind: str) -> list[str | None]:
        return [(e.get("facts") or {}).get("claim", {}).get("link") for e in lemma["evidence"] if e.get("kind") == kind]

    def shares(lemma: dict[str, Any]) -> bool:
        symbolic = links(lemma, "symbolic")
        tests = links(lemma, "property") + links(lemma, "simulation")
        built = "built" in symbolic or (lemma["status"] != Status.PROVED and not symbolic)
        return built and all(link == "evaluated" for link in tests)

    judged = [l for l in lemmas if l.get("kind") != "axiom" and l["status"] in (Status.PROVED, Status.TESTED)]
    declared = [l for l in judged if l.get("claim")]
    undeclared = [l for l in judged if not l.get("claim")]
    return {
        "lemmas": len(judged),
        "declared": len(declared),
        "every_check_evaluates_it": sorted(l["id"] for l in declared if shares(l)),
        "some_check_does_not": sorted(l["id"] for l in declared if not shares(l)),
        "with_goals_of_their_own": sorted(l["id"] for l in declared if "own" in links(l, "symbolic")),
        "no_claim_with_reason": sorted(l["id"] for l in undeclared if l.get("claim_note")),
        "no_claim_without_reason": sorted(l["id"] for l in undeclared if not l.get("claim_note")),
    }


def _kernel_summary(lemmas: list[dict[str, Any]], run: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the Coq re-check made of the proved symbolic goals: counts by engine and outcome, the
    features that block the rest (ranked by how many goals each blocks), the conflicts, and the
    fully proved lemmas that are fully kernel-checked (every proved goal of theirs and of every
    lemma beneath them checked by Coq, modulo cited axioms)."""
    ran = dict((run or {}).get("kernel_recheck") or {})
    by_id = {l["id"]: l for l in lemmas}
    goals = [(l["id"], e) for l in lemmas for e in l["evidence"]
             if e.get("kind") == "symbolic" and "kernel" in (e.get("facts") or {})]
    by_engine: dict[str, dict[str, int]] = {}
    blocked: dict[str, int] = {}
    for _, e in goals:
        engine = e["engine"].split("+")[0]
        outcome = e["facts"]["kernel"]["outcome"]
        by_engine.setdefault(engine, {}).setdefault(outcome, 0)
        by_engine[engine][outcome] += 1
        if outcome == "not exportable":
            for feature in str(e["facts"]["kernel"]["detail"]).split("; "):
                blocked[feature] = blocked.get(feature, 0) + 1
        elif outcome == "not checked":
            blocked["no tactic of the portfolio closed it"] = blocked.get("no tactic of the portfolio closed it", 0) + 1
    proved_goals = [(i, e) for i, e in lemmas_goals(lemmas)]
    memo: dict[str, bool] = {}

    def all_checked(lemma_id: str, trail: frozenset = frozenset()) -> bool:
        if lemma_id in memo:
            return memo[lemma_id]
        lemma = by_id.get(lemma_id)
        if lemma is None or lemma_id in trail:
            return False
        if lemma.get("kind") == "axiom":
            return True
        own = [e for e in lemma["evidence"] if e.get("kind") == "symbolic" and e["status"] == Status.PROVED]
        result = bool(own) and all((e.get("facts") or {}).get("kernel", {}).get("outcome") == "checked" for e in own)
        result = result and all(all_checked(u, trail | {lemma_id}) for u in lemma["uses"])
        memo[lemma_id] = result
        return result

    fully_proved = [l["id"] for l in lemmas if l.get("fully_proved") and l.get("kind") != "axiom"]
    return {
        "ran": bool(ran.get("ran")),
        "reason": ran.get("reason"),
        "coq": ran.get("coq"),
        "proved_goals": len(proved_goals),
        "checked": sum(1 for _, e in goals if e["facts"]["kernel"]["outcome"] == "checked"),
        "by_engine": by_engine,
        "blocked_by": dict(sorted(blocked.items(), key=lambda item: (-item[1], item[0]))),
        "conflicts": sorted({i for i, e in goals if e["facts"]["kernel"]["outcome"] == "conflict"}),
        "fully_proved": len(fully_proved),
        "fully_kernel_checked": sorted(i for i in fully_proved if all_checked(i)),
    }


def lemmas_goals(lemmas: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Every proved symbolic goal of the report, with its lemma's id."""
    return [(l["id"], e) for l in lemmas for e in l["evidence"]
            if e.get("kind") == "symbolic" and e["status"] == Status.PROVED]


def _loose(lemmas: list[dict[str, Any]]) -> list[str]:
    return sorted(f"{l['id']}: {e['check']} ({e['facts']['slack']:.3g}×)" for l in lemmas for e in l["evidence"]
                  if e.get("facts", {}).get("loose"))


def build_status(records: Iterable[Mapping[str, Any]], provenance: Mapping[str, Any],
                 collection_errors: Iterable[str] = (), wall_time_s: float | None = None,
                 claims: list[dict[str, Any]] | None = None, project: Mapping[str, Any] | None = None,
                 run: Mapping[str, Any] | None = None, mutation: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The whole status.json document: records sorted by id, derived states, summary, claims."""
    from proofs import claims as claim_data

    generated = now()
    lemmas = sorted((dict(r) for r in records), key=lambda r: r["id"])
    for record in lemmas:  # records from an older report, or built by hand, get the newer fields
        for key, default in (("undecided_goals", []), ("checked_at", generated), ("checked_commit", None),
                             ("reused", False), ("stale", False), ("carried_over", False)):
            record.setdefault(key, default)
    axioms = {r["id"] for r in lemmas if r["kind"] == "axiom"}
    derived = derive({r["id"]: Status(r["status"]) for r in lemmas}, {r["id"]: r["uses"] for r in lemmas},
                     {r["id"]: r.get("assumes", ()) for r in lemmas}, axioms,
                     {r["id"]: r.get("undecided_goals", ()) for r in lemmas})
    for record in lemmas:
        state = derived[record["id"]]
        record["fully_proved"] = state.fully_proved
        record["conditional_on"] = list(state.conditional_on)
        record["audit"] = {kind: list(items) for kind, items in state.audit.items()}
        record.setdefault("mutants", None)
    counted = [r for r in lemmas if r["id"] not in axioms]
    counts = {status.value: 0 for status in Status}
    for record in counted:
        counts[record["status"]] += 1
    joined = claim_data.join(claims, lemmas) if claims is not None else []
    moved = sorted(r["id"] for r in lemmas if r["expected"] and not r["matches_expectation"])
    failing = sorted(r["id"] for r in lemmas if not r["expected"] and not r["matches_expectation"])
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated,
        "project": dict(project or {}),
        "provenance": dict(provenance),
        "run": dict(run or {}),
        "summary": {
            "total": len(counted),
            "axioms": len(axioms),
            "by_status": counts,
            "fully_proved": sum(r["fully_proved"] for r in counted),
            "fully_proved_modulo_axioms_only": sum(r["fully_proved"] and not r["audit"]["axioms"] for r in counted),
            "expectation_mismatches": moved,
            "failures_without_expectation": failing,
            "collection_errors": sorted(set(collection_errors)),
            "hypotheses": _hypothesis_summary(lemmas),
            "proofs": _proof_numbers(lemmas),
            "one_statement": _one_statement(lemmas),
            "kernel": _kernel_summary(lemmas, run),
            "assumed_steps": sorted({s for r in counted for s in r["audit"]["assumed"] if s.startswith(r["id"] + ":")}),
            "loose_bounds": _loose(lemmas),
            "pins": {state: sorted(r["id"] for r in lemmas if r.get("pin") == state)
                     for state in ("changed", "unpinned")},
            "reused": sorted(r["id"] for r in lemmas if r.get("reused")),
            "carried_over": sorted(r["id"] for r in lemmas if r.get("carried_over")),
            "stale": sorted(r["id"] for r in lemmas if r.get("stale")),
            "claims": claim_data.summary(joined),
            "mutation": dict(mutation) if mutation else _mutation_score(lemmas),
            "wall_time_s": round(wall_time_s, 2) if wall_time_s is not None else None,
        },
        "claims": joined,
        "lemmas": lemmas,
    }


def _mutation_score(lemmas: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not any(l.get("mutants") for l in lemmas):
        return None
    return mutation.score(lemmas)


def _hypothesis_summary(lemmas: list[dict[str, Any]]) -> dict[str, Any]:
    """Across every z3 proof: how many premises were dropped in turn, which have no teeth."""
    entries = [(l["id"], h) for l in lemmas for e in l["evidence"] for h in e.get("hypotheses", ())]
    return {
        "total": len(entries),
        "premises_without_teeth": sorted(f"{i}: {h['hypothesis']}" for i, h in entries
                                         if h["role"] == "premise" and h["needed"] is False),
        "undetermined": sorted(f"{i}: {h['hypothesis']}" for i, h in entries if h["needed"] is None),
    }
