"""What the HTML page and the graph files show, computed from a status.json document.

The page template only lays out what this module computes: the claim-level outcomes, the
errata, the graph geometry and the per-family tables. Nothing here edits a status; every
colour comes from `STATUS_INFO`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping

import networkx as nx

from proofs.registry import dependency_graph
from proofs.status import STATUS_INFO, Status

ARTIFACT_KIND = {".smt2": "smt2", ".txt": "sympy goal", ".png": "plot"}


class ClaimOutcome:
    """How a claim of the paper fares, from the lemmas that encode it as stated (not corrections)."""

    PROVED = "proved in every reading"
    REFUTED = "refuted in at least one reading"
    TESTED = "only tested"
    UNDECIDED = "undecided"
    NOT_ENCODED = "not yet encoded"
    ORDER = (PROVED, REFUTED, TESTED, UNDECIDED, NOT_ENCODED)


def claim_ids(document: Mapping[str, Any]) -> list[str]:
    """The claims of the project: from its claims file when it has one, else those its lemmas name."""
    if document.get("claims"):
        return [c["id"] for c in document["claims"]]
    return sorted({l["claim_ref"] for l in document["lemmas"] if l.get("claim_ref")})


def claim_outcomes(lemmas: list[Mapping[str, Any]], claims: list[str] | None = None) -> dict[str, str]:
    readings: dict[str, list[str]] = defaultdict(list)
    for lemma in lemmas:
        if lemma["claim_ref"] and lemma["kind"] != "correction":
            readings[lemma["claim_ref"]].append(lemma["status"])
    outcomes = {}
    for claim in claims if claims is not None else sorted(readings):
        statuses = readings.get(claim, [])
        if not statuses:
            outcomes[claim] = ClaimOutcome.NOT_ENCODED
        elif Status.REFUTED in statuses:
            outcomes[claim] = ClaimOutcome.REFUTED
        elif all(s == Status.PROVED for s in statuses):
            outcomes[claim] = ClaimOutcome.PROVED
        elif all(s in (Status.PROVED, Status.TESTED) for s in statuses):
            outcomes[claim] = ClaimOutcome.TESTED
        else:
            outcomes[claim] = ClaimOutcome.UNDECIDED
    return outcomes


def errata(lemmas: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every lemma refuted as stated, with its first counterexample, its corrections, and the other
    readings of the same claim that hold."""
    corrections = defaultdict(list)
    for lemma in lemmas:
        if lemma["corrects"]:
            corrections[lemma["corrects"]].append(lemma)
    entries = []
    for lemma in lemmas:
        if lemma["status"] != Status.REFUTED or lemma["kind"] == "correction":
            continue
        witness = next((e for e in lemma["evidence"] if e["status"] == Status.REFUTED and e["counterexample"]), None)
        holding = [other for other in lemmas if lemma["claim_ref"] and other["claim_ref"] == lemma["claim_ref"]
                   and other["kind"] != "correction" and other["status"] in (Status.PROVED, Status.TESTED)]
        entries.append({"lemma": lemma, "witness": witness, "corrections": corrections.get(lemma["id"], []),
                        "readings_that_hold": holding})
    return entries


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    x: float
    y: float
    colour: str
    status: str
    label: str


@dataclass(frozen=True, slots=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    relation: str  # "uses" or "corrects"


@dataclass(frozen=True, slots=True)
class GraphPicture:
    width: int
    height: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def graph_of(lemmas: list[Mapping[str, Any]]) -> nx.DiGraph:
    graph = dependency_graph({l["id"]: l["uses"] for l in lemmas}, {l["id"]: l["corrects"] for l in lemmas if l["corrects"]})
    by_id = {l["id"]: l for l in lemmas}
    for node in graph.nodes:
        lemma = by_id.get(node)
        graph.nodes[node]["status"] = lemma["status"] if lemma else "not run"
        graph.nodes[node]["title"] = lemma["title"] if lemma else node
    return graph


def picture(lemmas: list[Mapping[str, Any]], column_width: int = 260, row_height: int = 46) -> GraphPicture:
    """Layered layout: what a lemma rests on sits to its left. `uses` edges are transitively
    reduced for reading (an edge implied by a longer path is not drawn)."""
    graph = graph_of(lemmas)
    uses = nx.DiGraph((u, v) for u, v, d in graph.edges(data=True) if d["relation"] == "uses")
    uses.add_nodes_from(graph.nodes)
    drawn_uses = nx.transitive_reduction(uses) if nx.is_directed_acyclic_graph(uses) else uses
    layers = {}
    if nx.is_directed_acyclic_graph(uses):
        for depth, generation in enumerate(nx.topological_generations(uses.reverse())):
            for node in generation:
                layers[node] = depth
    rows: dict[int, list[str]] = defaultdict(list)
    for node in sorted(graph.nodes):
        rows[layers.get(node, 0)].append(node)
    positions = {}
    for layer, members in rows.items():
        for row, node in enumerate(members):
            positions[node] = (50 + layer * column_width, 24 + row * row_height)
    nodes = tuple(
        Node(n, *positions[n], STATUS_INFO[Status(graph.nodes[n]["status"])].colour
             if graph.nodes[n]["status"] in Status._value2member_map_ else "#ffffff",
             graph.nodes[n]["status"], n.partition(".")[2])
        for n in sorted(graph.nodes)
    )
    edges = [Edge(*positions[u], *positions[v], "uses") for u, v in drawn_uses.edges]
    edges += [Edge(*positions[u], *positions[v], "corrects") for u, v, d in graph.edges(data=True)
              if d["relation"] == "corrects"]
    width = 60 + (max(rows) + 1) * column_width if rows else 200
    height = 40 + max((len(m) for m in rows.values()), default=1) * row_height
    return GraphPicture(width, height, nodes, tuple(edges))


def families(lemmas: list[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for lemma in lemmas:
        grouped[lemma["id"].partition(".")[0]].append(lemma)
    return dict(sorted(grouped.items()))


def used_by(lemmas: list[Mapping[str, Any]]) -> dict[str, list[str]]:
    users: dict[str, list[str]] = defaultdict(list)
    for lemma in lemmas:
        for used in lemma["uses"]:
            users[used].append(lemma["id"])
    return users


def anchor(lemma_id: str) -> str:
    return "lemma-" + re.sub(r"[^a-z0-9_]", "-", lemma_id)


def artifact_kind(path: str) -> str:
    return next((kind for suffix, kind in ARTIFACT_KIND.items() if path.endswith(suffix)), "file")
