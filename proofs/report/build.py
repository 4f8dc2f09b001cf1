"""From lemma results to the `status.json` document (DESIGN.md, "The report")."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

from proofs.lemma import Lemma
from proofs.registry import derive
from proofs.status import Status, Verdict

SCHEMA_VERSION = 1
PROVENANCE_PACKAGES = {
    "z3": "z3-solver", "sympy": "sympy", "mpmath": "mpmath", "hypothesis": "hypothesis",
    "numpy": "numpy", "networkx": "networkx", "matplotlib": "matplotlib", "cvc5": "cvc5",
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


def result_record(lemma: Lemma, verdict: Verdict) -> dict[str, Any]:
    """One lemma's entry in status.json, before the graph-derived fields are added."""
    record = lemma.to_json()
    status = verdict.status.value
    record.update(
        status=status,
        problems=list(verdict.problems),
        evidence=[e.to_json() for e in verdict.evidence],
        matches_expectation=expectation_message(record["expected"], status) is None,
        fingerprint=None,  # filled in by the plugin, which knows the manifest
        pin=None,
    )
    return record


def _git_commit(root: Path) -> str | None:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if commit.returncode != 0:
        return None
    return commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def provenance(root: Path, seed: int, scale: str, hypothesis_profile: str) -> dict[str, Any]:
    versions = {"python": platform.python_version()}
    for name, distribution in PROVENANCE_PACKAGES.items():
        try:
            versions[name] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {**versions, "git_commit": _git_commit(root), "seed": seed, "scale": scale,
            "hypothesis_profile": hypothesis_profile, "machine": platform.machine()}


def build_status(records: Iterable[Mapping[str, Any]], provenance: Mapping[str, Any],
                 collection_errors: Iterable[str] = (), wall_time_s: float | None = None) -> dict[str, Any]:
    """The whole status.json document: records sorted by id, derived states, summary."""
    lemmas = sorted((dict(r) for r in records), key=lambda r: r["id"])
    derived = derive({r["id"]: Status(r["status"]) for r in lemmas}, {r["id"]: r["uses"] for r in lemmas},
                     {r["id"]: r.get("assumes", ()) for r in lemmas})
    for record in lemmas:
        state = derived[record["id"]]
        record["fully_proved"] = state.fully_proved
        record["conditional_on"] = list(state.conditional_on)
        record["audit"] = {kind: list(items) for kind, items in state.audit.items()}
    counts = {status.value: 0 for status in Status}
    for record in lemmas:
        counts[record["status"]] += 1
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "provenance": dict(provenance),
        "summary": {
            "total": len(lemmas),
            "by_status": counts,
            "fully_proved": sum(r["fully_proved"] for r in lemmas),
            "expectation_mismatches": sorted(r["id"] for r in lemmas if not r["matches_expectation"]),
            "collection_errors": list(collection_errors),
            "hypotheses": _hypothesis_summary(lemmas),
            "pins": {state: sorted(r["id"] for r in lemmas if r.get("pin") == state)
                     for state in ("changed", "unpinned")},
            "wall_time_s": round(wall_time_s, 2) if wall_time_s is not None else None,
        },
        "lemmas": lemmas,
    }


def _hypothesis_summary(lemmas: list[dict[str, Any]]) -> dict[str, Any]:
    """Across every z3 proof: how many premises were dropped in turn, which have no teeth."""
    entries = [(l["id"], h) for l in lemmas for e in l["evidence"] for h in e.get("hypotheses", ())]
    return {
        "total": len(entries),
        "premises_without_teeth": sorted(f"{i}: {h['hypothesis']}" for i, h in entries
                                         if h["role"] == "premise" and h["needed"] is False),
        "undetermined": sorted(f"{i}: {h['hypothesis']}" for i, h in entries if h["needed"] is None),
    }
