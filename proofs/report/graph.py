"""The dependency graph as the page draws it: one labelled box per family, and in it one small
layered graph per claim, laid out by Graphviz's `dot`.

A claim's graph holds its readings, their corrections (a dashed red arc from the correction to the
reading it repairs, routed by dot around the nodes) and what they use; a lemma of another claim
that one of them uses appears as a grey stub labelled with its claim, linked to its card. Claim
graphs wrap like words on a narrow screen. Every node links to its lemma's card; its fill is its
status (the colours of `STATUS_INFO`), a proof that is conditional on unproved lemmas beneath it
has a dashed border, and a cited axiom is a hexagon.

Graphviz is an external program (Debian: `apt install graphviz`). Without it the page lists each
claim's lemmas with their statuses instead of drawing them, and says so.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from proofs.status import STATUS_INFO, Status

LIGHT_FILLS = (Status.TESTED.value, Status.VACUOUS.value)  # need dark text
AXIOM_COLOUR = "#1565c0"
STUB_COLOUR = "#eeeeee"
DOT_SECONDS = 30


def anchor(lemma_id: str) -> str:
    return "lemma-" + re.sub(r"[^a-z0-9_]", "-", lemma_id)


def fill_of(lemma: Mapping[str, Any]) -> str:
    if lemma.get("kind") == "axiom":
        return AXIOM_COLOUR
    status = lemma.get("status")
    return STATUS_INFO[Status(status)].colour if status in Status._value2member_map_ else "#ffffff"


def _quoted(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


@dataclass(frozen=True, slots=True)
class ClaimGraph:
    claim: str  # "E-05", or "other" for lemmas that encode no claim
    lemma_ids: tuple[str, ...]
    dot: str
    svg: str | None = None  # filled in when Graphviz is installed


def _node(lemma: Mapping[str, Any], label: str | None = None, page: str = "") -> str:
    status = lemma.get("status", "not run")
    conditional = status == Status.PROVED and not lemma.get("fully_proved", False)
    style = "rounded,filled" + (",dashed" if conditional else "")
    shape = "hexagon" if lemma.get("kind") == "axiom" else "box"
    dark_text = status in LIGHT_FILLS and lemma.get("kind") != "axiom"
    tooltip = f"{lemma['id']}: {status}" + (", proved but conditional on unproved lemmas" if conditional else "") \
        + f" — {lemma.get('title', '')}"
    return (f"{_quoted(lemma['id'])} [label={_quoted(label or lemma['id'].partition('.')[2])}, shape={shape}, "
            f"style={_quoted(style)}, penwidth={2.2 if conditional else 1}, fillcolor={_quoted(fill_of(lemma))}, "
            f"fontcolor={_quoted('#222222' if dark_text else '#ffffff')}, URL={_quoted(page + '#' + anchor(lemma['id']))}, "
            f"tooltip={_quoted(tooltip)}];")


def claim_graphs(lemmas: Sequence[Mapping[str, Any]], family: str) -> list[ClaimGraph]:
    """One small graph per claim of `family`, in claim order."""
    by_id = {l["id"]: l for l in lemmas}
    members = [l for l in lemmas if l["id"].partition(".")[0] == family]
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for lemma in members:
        groups[lemma.get("claim_ref") or ("axioms" if lemma.get("kind") == "axiom" else "other")].append(lemma)
    graphs = []
    for claim in sorted(groups, key=lambda c: (c in ("other", "axioms"), c)):
        group = sorted(groups[claim], key=lambda l: (l["kind"] == "correction", l["id"]))
        inside = {l["id"] for l in group}
        lines = ["digraph claim {",
                 'graph [rankdir=TB, nodesep=0.18, ranksep=0.32, margin=0.04, fontname="Helvetica", bgcolor="transparent"];',
                 'node [fontname="Helvetica", fontsize=10, height=0.28, margin="0.08,0.03"];',
                 'edge [arrowsize=0.6, color="#777777"];']
        lines += [_node(l) for l in group]
        stubs = set()
        for lemma in group:
            for used in lemma.get("uses", ()):
                if used not in inside and used not in stubs:
                    stubs.add(used)
                    target = by_id.get(used, {"id": used, "status": "not run", "title": "not in this report"})
                    label = f"{target.get('claim_ref') or target['id'].partition('.')[0]}: {used.partition('.')[2]}"
                    node = _node({**target, "id": used}, label)
                    if used not in by_id:  # nothing to link to
                        node = re.sub(r", URL=\"[^\"]*\"", "", node)
                    lines.append(node.replace(
                        f"fillcolor={_quoted(fill_of(target))}", f"fillcolor={_quoted(STUB_COLOUR)}").replace(
                        'fontcolor="#ffffff"', 'fontcolor="#222222"'))
                lines.append(f"{_quoted(lemma['id'])} -> {_quoted(used)};")
            if lemma.get("corrects") and lemma["corrects"] in inside:
                lines.append(f"{_quoted(lemma['id'])} -> {_quoted(lemma['corrects'])} "
                             f"[style=dashed, color=\"#c62828\", penwidth=1.4, arrowhead=vee];")
        lines.append("}")
        graphs.append(ClaimGraph(claim, tuple(l["id"] for l in group), "\n".join(lines)))
    return graphs


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


@functools.lru_cache(maxsize=8)
def _render(dots: tuple[str, ...]) -> tuple[str, ...]:
    """Every DOT graph to SVG in one call of `dot`; the SVGs come back in order."""
    result = subprocess.run(["dot", "-Tsvg"], input="\n".join(dots), capture_output=True, text=True,
                            timeout=DOT_SECONDS, check=True)
    svgs = [part for part in re.split(r"(?=<\?xml)", result.stdout) if part.strip()]
    if len(svgs) != len(dots):
        raise RuntimeError(f"dot returned {len(svgs)} drawings for {len(dots)} graphs")
    return tuple(_inline(svg) for svg in svgs)


def _inline(svg: str) -> str:
    """dot's standalone SVG made fit for inlining: no XML prologue or comments, a fixed aspect
    ratio that scales down (never up) with its box, and an accessible name."""
    svg = re.sub(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", "", svg, flags=re.S).strip()
    width = re.search(r'<svg width="([\d.]+)pt"', svg)
    natural = float(width.group(1)) * 1.2 if width else 600  # its size at a readable 12 px label
    svg = re.sub(r'<svg width="[\d.]+pt" height="[\d.]+pt"',
                 f'<svg role="img" style="width:{natural:.0f}px;max-width:100%;height:auto"', svg)
    return svg.replace("<title>claim</title>", "")


def drawn(graphs: list[ClaimGraph]) -> list[ClaimGraph]:
    """The graphs with their SVG when Graphviz is installed (and the graphs unchanged when not)."""
    if not graphs or not graphviz_available():
        return graphs
    try:
        svgs = _render(tuple(g.dot for g in graphs))
    except (subprocess.SubprocessError, RuntimeError, OSError):
        return graphs
    return [ClaimGraph(g.claim, g.lemma_ids, g.dot, svg) for g, svg in zip(graphs, svgs)]


def whole_graph_dot(lemmas: Sequence[Mapping[str, Any]], headings: Mapping[str, str], page: str = "index.html") -> str:
    """Every lemma in one DOT graph, one cluster per family, nodes linking to their cards on `page`:
    graph.html (with pan and zoom), and the files `python -m proofs graph` writes."""
    families: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for lemma in lemmas:
        families[lemma["id"].partition(".")[0]].append(lemma)
    lines = ["// The dependency graph of the proof suite; generated, do not edit.",
             "// Solid edges point from a lemma to what it uses; dashed red ones from a correction to the claim it repairs.",
             "digraph lemmas {",
             'graph [rankdir=LR, compound=true, fontname="Helvetica", nodesep=0.15, ranksep=0.4];',
             'node [fontname="Helvetica", fontsize=10, height=0.28];', 'edge [arrowsize=0.6];']
    for family in sorted(families):
        lines.append(f"subgraph {_quoted('cluster_' + family)} {{ label={_quoted(headings.get(family, family))}; "
                     f'style="rounded"; color="#999999";')
        lines += ["  " + _node(l, l["id"], page) for l in sorted(families[family], key=lambda l: l["id"])]
        lines.append("}")
    for lemma in lemmas:
        for used in lemma.get("uses", ()):
            lines.append(f"{_quoted(lemma['id'])} -> {_quoted(used)};")
        if lemma.get("corrects"):
            lines.append(f"{_quoted(lemma['id'])} -> {_quoted(lemma['corrects'])} [style=dashed, color=\"#c62828\"];")
    lines.append("}")
    return "\n".join(lines)


def whole_graph_svg(dot: str) -> str | None:
    if not graphviz_available():
        return None
    try:
        return _render((dot,))[0]
    except (subprocess.SubprocessError, RuntimeError, OSError):
        return None
