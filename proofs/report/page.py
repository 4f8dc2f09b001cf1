"""What the HTML page shows, computed from a status.json document.

The page template only lays out what this module computes: the claims table, the errata, the
per-family graphs and tables, readable counterexamples. Nothing here edits a status; every
colour comes from `STATUS_INFO` (through `graph.fill_of`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping

import networkx as nx

from proofs.registry import dependency_graph
from proofs.report.graph import anchor, claim_graphs, drawn
from proofs.status import Status

ARTIFACT_KIND = {".smt2": "smt2", ".txt": "goal", ".png": "plot"}
NO_CORRECTION = "No correction:"


LEMMA_DEFAULTS = {"variables": {}, "mutants": None, "reused": False, "stale": False, "carried_over": False,
                  "undecided_goals": [], "reference": "", "checked_at": "", "checked_commit": None, "survivors": {},
                  "waivers": {}, "interpretation": [], "uses": [], "corrects": None, "problems": [],
                  "conditional_on": [], "fully_proved": False, "matches_expectation": True, "expected": None}
AUDIT_KEYS = ("axioms", "assumed", "undecided_goals", "tested_only", "undecided", "refuted")
SUMMARY_DEFAULTS = {"axioms": 0, "failures_without_expectation": [], "assumed_steps": [], "loose_bounds": [],
                    "mutation": None, "fully_proved_modulo_axioms_only": 0, "collection_errors": [],
                    "expectation_mismatches": [], "proofs": {"proved_goals": 0, "cross_checked": 0, "never_evaluated": []},
                    "hypotheses": {"total": 0, "premises_without_teeth": [], "undetermined": []}, "claims": {},
                    "wall_time_s": None}


def normalised(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with every field the page reads present, so that a report written by an older
    version of the kernel still renders."""
    lemmas = []
    for lemma in document["lemmas"]:
        lemma = {**LEMMA_DEFAULTS, **lemma}
        lemma["audit"] = {**dict.fromkeys(AUDIT_KEYS, []), **(lemma.get("audit") or {})}
        lemma["evidence"] = [{"facts": {}, "kind": None, "hypotheses": [], "artifacts": [], **e}
                             for e in lemma.get("evidence", [])]
        lemmas.append(lemma)
    return {**document, "lemmas": lemmas, "claims": document.get("claims") or [], "run": document.get("run") or {},
            "project": document.get("project") or {}, "summary": {**SUMMARY_DEFAULTS, **document["summary"]}}


def claim_ids(document: Mapping[str, Any]) -> list[str]:
    """The claims of the project: from its claims file when it has one, else those its lemmas name."""
    if document.get("claims"):
        return [c["id"] for c in document["claims"]]
    return sorted({l["claim_ref"] for l in document["lemmas"] if l.get("claim_ref")}, key=claim_order)


def has_claims(document: Mapping[str, Any]) -> bool:
    """Whether the project has claims (a claims file, or lemmas that name one): without any, the
    page has no claims table and no errata by claim, and speaks of lemmas only."""
    return bool(claim_ids(document))


SECOND_SOLVER = "cvc5"
SECOND_SOLVER_MISSING = "not re-checked by cvc5: not installed"


def second_solver(document: Mapping[str, Any]) -> str | None:
    """What re-solved the run's z3 queries: "cvc5 <version>", SECOND_SOLVER_MISSING when cvc5 was
    not installed in the run (its provenance has no version), or None when no lemma used z3."""
    if not any(e.get("engine") == "z3" for l in document["lemmas"] for e in l.get("evidence", ())):
        return None
    version = (document.get("provenance") or {}).get(SECOND_SOLVER)
    return f"{SECOND_SOLVER} {version}" if version else SECOND_SOLVER_MISSING


SOURCE_LABELS = {"attested": "attested", "reconstructed": "reconstructed", "unstated": "source unstated"}


def source_label(source: str | None) -> str:
    """How a lemma's `source` reads on the page: a statement no declaration vouches for says so."""
    return SOURCE_LABELS.get(source or "unstated", str(source))


def claim_order(claim: str | None) -> tuple:
    """E-2 before E-10: the number, not the text."""
    if not claim:
        return (1, "")
    prefix, _, number = claim.rpartition("-")
    return (0, prefix, int(number) if number.isdigit() else number)


def corrections_of(lemmas: list[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    fixes: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for lemma in lemmas:
        if lemma.get("corrects"):
            fixes[lemma["corrects"]].append(lemma)
    return fixes


def no_correction_reason(lemma: Mapping[str, Any], claim: Mapping[str, Any] | None = None) -> str | None:
    """Why a refuted reading needs no correction: its interpretation says "No correction: …", or
    the claims file's `correction_note` does."""
    for choice in lemma.get("interpretation", ()):
        if choice.strip().startswith(NO_CORRECTION):
            return choice.strip()[len(NO_CORRECTION):].strip()
    if claim and claim.get("correction_note") and claim.get("headline") == lemma["id"]:
        return claim["correction_note"]
    return None


CLAIM_DEFAULTS = {"wording": "", "section": "", "kind": "", "location": "", "name": "", "provenance": "",
                  "sources": [], "headline": None, "headline_why": "", "verdict": None, "correction": None,
                  "correction_note": "", "readings": [], "problems": [], "nature": None, "verdict_reason": "",
                  "model": None, "model_verdict": None, "corrections": [], "choices": [], "clauses": [],
                  "literal": True, "literal_missing": None, "headline_status": None}


@dataclass(frozen=True)
class ClaimRow:
    claim: Mapping[str, Any]
    headline: Mapping[str, Any] | None
    verdict: str | None  # the claim's verdict (proofs.claims.VERDICTS), None without a claims file
    corrections: list[Mapping[str, Any]]
    readings: list[Mapping[str, Any]]  # every lemma that encodes the claim, corrections last
    no_correction: str | None
    model: Mapping[str, Any] | None = None  # an empirical claim's model lemma


def claim_rows(document: Mapping[str, Any]) -> list[ClaimRow]:
    lemmas = document["lemmas"]
    by_id = {l["id"]: l for l in lemmas}
    claims = document.get("claims") or [{"id": c} for c in claim_ids(document)]
    rows = []
    for claim in claims:
        claim = {**CLAIM_DEFAULTS, **claim}
        encoding = sorted((l for l in lemmas if l.get("claim_ref") == claim["id"]),
                          key=lambda l: (l["kind"] == "correction", l["id"] != claim.get("headline"), l["id"]))
        headline = by_id.get(claim.get("headline") or "")
        corrections = [by_id[c] for c in claim["corrections"] if c in by_id]
        failing = next((by_id[r["id"]] for r in claim["readings"] if r.get("verdict") == "fails" and r["id"] in by_id), None)
        reason = no_correction_reason(failing, {**claim, "headline": failing["id"]}) if failing else None
        rows.append(ClaimRow(claim, headline, claim["verdict"], corrections, encoding, reason,
                             by_id.get(claim.get("model") or "")))
    return rows


def claims_headline(document: Mapping[str, Any]) -> str | None:
    """The page's first line: how many theorem-like claims hold as stated, fail, or depend on the
    reading, each with its denominator; None for a project without a claims file."""
    summary = (document.get("summary") or {}).get("claims") or {}
    if not document.get("claims") or "by_verdict" not in summary:
        return None
    verdicts, natures = summary["by_verdict"], summary["by_nature"]
    total = summary["theorem_like"]

    def told(verdict: str, singular: str, plural: str) -> str:
        return f"{verdicts[verdict]} of {total} {singular if verdicts[verdict] == 1 else plural}"

    items = [told("holds", "holds as stated", "hold as stated"), told("fails", "fails", "fail"),
             told("depends", "depends on the reading", "depend on the reading")]
    items += [told(v, f"is {word}", f"are {word}") for v, word in (("tested", "only tested"), ("undecided", "undecided"))
              if verdicts[v]]
    line = f"Of the {total} theorem-like claims, " + ", ".join(items[:-1]) + f" and {items[-1]}."
    others = [f"{natures[n]} {word if natures[n] == 1 else plural}"
              for n, word, plural in (("empirical", "empirical (not for mathematics to decide)",
                                       "empirical (not for mathematics to decide)"),
                                      ("definition", "definition", "definitions")) if natures[n]]
    if others:
        rest_total = summary["total"] - total
        line += (f" The other {rest_total} of {summary['total']} claims {'is' if rest_total == 1 else 'are'} "
                 + " and ".join(others) + ".")
    return line


@dataclass(frozen=True)
class CounterexampleRow:
    name: str
    value: str
    meaning: str


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 160 else text[:157] + "…"
    return str(value)


def counterexample_rows(counterexample: Mapping[str, Any] | None,
                        variables: Mapping[str, str] | None) -> list[CounterexampleRow]:
    if not counterexample:
        return []
    variables = variables or {}
    return [CounterexampleRow(str(name), _shown(value), variables.get(str(name), ""))
            for name, value in counterexample.items()]


@dataclass(frozen=True)
class Erratum:
    lemma: Mapping[str, Any]
    claim: Mapping[str, Any] | None
    witness: Mapping[str, Any] | None  # the first refuting evidence with a counterexample
    rows: list[CounterexampleRow]
    corrections: list[Mapping[str, Any]]
    readings_that_hold: list[Mapping[str, Any]]
    no_correction: str | None
    headline: bool = False


def errata(document: Mapping[str, Any]) -> list[Erratum]:
    """Every reading refuted as stated, by claim number: the paper's words, the counterexample,
    the correction (or why none is needed), and the readings of the same claim that hold."""
    lemmas = document["lemmas"]
    claims = {c["id"]: c for c in document.get("claims") or []}
    fixes = corrections_of(lemmas)
    entries = []
    for lemma in lemmas:
        if lemma["status"] != Status.REFUTED or lemma["kind"] in ("correction", "axiom"):
            continue
        witness = next((e for e in lemma["evidence"] if e["status"] == Status.REFUTED and e["counterexample"]), None)
        claim = claims.get(lemma.get("claim_ref") or "")
        claim = {**CLAIM_DEFAULTS, **claim} if claim else None
        holding = [o for o in lemmas if lemma["claim_ref"] and o["claim_ref"] == lemma["claim_ref"]
                   and o["kind"] != "correction" and o["status"] in (Status.PROVED, Status.TESTED)]
        entries.append(Erratum(lemma, claim, witness,
                               counterexample_rows(witness["counterexample"] if witness else None, lemma.get("variables")),
                               fixes.get(lemma["id"], []), holding, no_correction_reason(lemma, claim),
                               headline=bool(claim and claim.get("headline") == lemma["id"])))
    return sorted(entries, key=lambda e: (claim_order(e.lemma.get("claim_ref")), not e.headline, e.lemma["id"]))


@dataclass(frozen=True)
class Family:
    name: str
    heading: str
    lemmas: list[Mapping[str, Any]]
    graphs: list[Any] = field(default_factory=list)


def families(document: Mapping[str, Any]) -> list[Family]:
    """The theorems modules in the order of [tool.proofs.families] (then by name), with their graphs."""
    headings = (document.get("project") or {}).get("families") or {}
    grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for lemma in document["lemmas"]:
        grouped[lemma["id"].partition(".")[0]].append(lemma)
    order = [f for f in headings if f in grouped] + sorted(f for f in grouped if f not in headings)
    graphs = {f: claim_graphs(document["lemmas"], f) for f in order}
    everything = drawn([g for f in order for g in graphs[f]])  # one call of dot for the whole page
    drawn_by_family: dict[str, list[Any]] = defaultdict(list)
    for graph in everything:
        drawn_by_family[graph.lemma_ids[0].partition(".")[0]].append(graph)
    return [Family(f, headings.get(f, f), grouped[f], drawn_by_family[f]) for f in order]


def used_by(lemmas: list[Mapping[str, Any]]) -> dict[str, list[str]]:
    users: dict[str, list[str]] = defaultdict(list)
    for lemma in lemmas:
        for used in lemma["uses"]:
            users[used].append(lemma["id"])
    return users


def graph_of(lemmas: list[Mapping[str, Any]]) -> nx.DiGraph:
    graph = dependency_graph({l["id"]: l["uses"] for l in lemmas}, {l["id"]: l["corrects"] for l in lemmas if l["corrects"]})
    by_id = {l["id"]: l for l in lemmas}
    for node in graph.nodes:
        lemma = by_id.get(node)
        graph.nodes[node]["status"] = lemma["status"] if lemma else "not run"
        graph.nodes[node]["title"] = lemma["title"] if lemma else node
    return graph


def split_step(entry: str) -> tuple[str, str]:
    """'family.name: a step' into the lemma id and the step, for linking the id."""
    lemma_id, _, rest = entry.partition(": ")
    return (lemma_id, rest) if re.match(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", lemma_id) else ("", entry)


def artifact_kind(path: str) -> str:
    return next((kind for suffix, kind in ARTIFACT_KIND.items() if path.endswith(suffix)), "file")


__all__ = ["anchor", "artifact_kind", "claim_ids", "claim_rows", "claims_headline", "errata", "families", "graph_of",
           "has_claims", "second_solver", "source_label", "split_step", "used_by"]
