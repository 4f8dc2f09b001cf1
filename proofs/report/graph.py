"""The dependency graph as the page draws it: one labelled box per family, and in it one small
layered graph per claim.

A claim's graph holds its readings, their corrections (a dashed red arc from the correction to the
reading it repairs) and what they use; a lemma of another claim that one of them uses appears as a
grey stub labelled with its claim, linked to its card. Claim graphs wrap like words on a narrow
screen. Every node links to its lemma's card; its fill is its status (the colours of
`STATUS_INFO`), a proof that is conditional on unproved lemmas beneath it has a dashed border, and
a cited axiom is a hexagon.

Each graph is built once as a `layered.Diagram` and drawn by Graphviz's `dot` when it is
installed (Debian: `apt install graphviz`; it routes the arcs around the nodes), else by the
layered layout of `proofs.report.layered` (grandalf, pure Python): the same nodes, links, colours,
arcs and family clusters on a machine with Python and nothing else. Only if both fail does the
page list each claim's lemmas instead.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from proofs.report import layered
from proofs.report.layered import Arc, Cluster, Diagram, Node
from proofs.status import STATUS_INFO, Status

LIGHT_FILLS = (Status.TESTED.value, Status.VACUOUS.value)  # need dark text
AXIOM_COLOUR = "#1565c0"
STUB_COLOUR = "#eeeeee"
DARK_TEXT, LIGHT_TEXT = "#222222", "#ffffff"
DOT_SECONDS = 30
DRAWERS = ("dot", "layered")  # who drew a graph: Graphviz, or the Python layout


def anchor(lemma_id: str) -> str:
    return "lemma-" + re.sub(r"[^a-z0-9_]", "-", lemma_id)


def fill_of(lemma: Mapping[str, Any]) -> str:
    if lemma.get("kind") == "axiom":
        return AXIOM_COLOUR
    status = lemma.get("status")
    return STATUS_INFO[Status(status)].colour if status in Status._value2member_map_ else "#ffffff"


def node_of(lemma: Mapping[str, Any], label: str | None = None, page: str = "", stub: bool = False,
            linked: bool = True) -> Node:
    """A lemma as a node: its fill, shape, border and tooltip say its status; a stub (a lemma of
    another claim) is grey."""
    status = lemma.get("status", "not run")
    conditional = status == Status.PROVED and not lemma.get("fully_proved", False)
    dark_text = stub or (status in LIGHT_FILLS and lemma.get("kind") != "axiom")
    tooltip = f"{lemma['id']}: {status}" + (", proved but conditional on unproved lemmas" if conditional else "") \
        + f" — {lemma.get('title', '')}"
    return Node(lemma["id"], label or lemma["id"].partition(".")[2], STUB_COLOUR if stub else fill_of(lemma),
                DARK_TEXT if dark_text else LIGHT_TEXT, "hexagon" if lemma.get("kind") == "axiom" else "box",
                conditional, page + "#" + anchor(lemma["id"]) if linked else None, tooltip)


# -- DOT ------------------------------------------------------------------------------------------


def _quoted(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _dot_node(node: Node) -> str:
    style = "rounded,filled" + (",dashed" if node.dashed else "")
    url = f", URL={_quoted(node.url)}" if node.url else ""
    return (f"{_quoted(node.id)} [label={_quoted(node.label)}, shape={node.shape}, style={_quoted(style)}, "
            f"penwidth={2.2 if node.dashed else 1}, fillcolor={_quoted(node.fill)}, fontcolor={_quoted(node.text)}"
            f"{url}, tooltip={_quoted(node.tooltip)}];")


CLAIM_GRAPH_ATTRIBUTES = (
    'graph [rankdir=TB, nodesep=0.18, ranksep=0.32, margin=0.04, fontname="Helvetica", bgcolor="transparent"];',
    'node [fontname="Helvetica", fontsize=10, height=0.28, margin="0.08,0.03"];',
    'edge [arrowsize=0.6, color="#777777"];')
WHOLE_GRAPH_ATTRIBUTES = (
    'graph [rankdir=LR, compound=true, fontname="Helvetica", nodesep=0.15, ranksep=0.4];',
    'node [fontname="Helvetica", fontsize=10, height=0.28];', 'edge [arrowsize=0.6];')


def dot_source(diagram: Diagram, name: str, attributes: Sequence[str], comments: Sequence[str] = (),
               correction_style: str = 'style=dashed, color="#c62828"') -> str:
    """The diagram in Graphviz's DOT language, its clusters as `cluster_<name>` subgraphs."""
    lines = [*comments, f"digraph {name} {{", *attributes]
    clustered = set()
    for cluster in diagram.clusters:
        members = set(cluster.members)
        lines.append(f"subgraph {_quoted('cluster_' + cluster.name)} {{ label={_quoted(cluster.label)}; "
                     'style="rounded"; color="#999999";')
        lines += ["  " + _dot_node(n) for n in diagram.nodes if n.id in members]
        lines.append("}")
        clustered |= members
    lines += [_dot_node(n) for n in diagram.nodes if n.id not in clustered]
    for arc in diagram.arcs:
        style = f" [{correction_style}]" if arc.correction else ""
        lines.append(f"{_quoted(arc.tail)} -> {_quoted(arc.head)}{style};")
    lines.append("}")
    return "\n".join(lines)


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


def _drawings(diagrams: Sequence[Diagram], dots: Sequence[str]) -> tuple[list[str | None], str | None]:
    """Each diagram as SVG, and who drew them: one call of dot for all when it is installed, else
    the layered layout; None for a diagram neither could draw."""
    if graphviz_available():
        try:
            return list(_render(tuple(dots))), "dot"
        except (subprocess.SubprocessError, RuntimeError, OSError):
            pass
    svgs: list[str | None] = []
    for diagram in diagrams:
        try:
            svgs.append(layered.svg(diagram))
        except Exception:  # noqa: BLE001 - a layout that fails leaves that graph as a list, never the page unwritten
            svgs.append(None)
    return svgs, ("layered" if any(s is not None for s in svgs) else None)


# -- the page's claim graphs ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimGraph:
    claim: str  # "E-05", or "other" for lemmas that encode no claim, "axioms" for cited axioms
    lemma_ids: tuple[str, ...]
    diagram: Diagram
    svg: str | None = None  # filled in by `drawn`
    drawer: str | None = None  # "dot" or "layered": who drew it

    @property
    def dot(self) -> str:
        return dot_source(self.diagram, "claim", CLAIM_GRAPH_ATTRIBUTES,
                          correction_style='style=dashed, color="#c62828", penwidth=1.4, arrowhead=vee')


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
        nodes = [node_of(l) for l in group]
        arcs = []
        stubs: set[str] = set()
        for lemma in group:
            for used in lemma.get("uses", ()):
                if used not in inside and used not in stubs:
                    stubs.add(used)
                    target = by_id.get(used, {"id": used, "status": "not run", "title": "not in this report"})
                    label = f"{target.get('claim_ref') or target['id'].partition('.')[0]}: {used.partition('.')[2]}"
                    nodes.append(node_of({**target, "id": used}, label, stub=True, linked=used in by_id))
                arcs.append(Arc(lemma["id"], used))
            if lemma.get("corrects") and lemma["corrects"] in inside:
                arcs.append(Arc(lemma["id"], lemma["corrects"], correction=True))
        diagram = Diagram(tuple(nodes), tuple(arcs), name=f"the lemmas of {claim}")
        graphs.append(ClaimGraph(claim, tuple(l["id"] for l in group), diagram))
    return graphs


def drawn(graphs: list[ClaimGraph]) -> list[ClaimGraph]:
    """The graphs with their SVG: all by one call of dot when Graphviz is installed, else each by
    the layered layout (a graph neither could draw keeps svg=None and is listed)."""
    if not graphs:
        return graphs
    svgs, drawer = _drawings([g.diagram for g in graphs], [g.dot for g in graphs])
    return [ClaimGraph(g.claim, g.lemma_ids, g.diagram, svg, drawer if svg else None) for g, svg in zip(graphs, svgs)]


# -- the whole graph ------------------------------------------------------------------------------


def whole_graph(lemmas: Sequence[Mapping[str, Any]], headings: Mapping[str, str], page: str = "index.html") -> Diagram:
    """Every lemma in one diagram, one cluster per family, nodes linking to their cards on `page`:
    graph.html (with pan and zoom), and the files `python -m proofs graph` writes."""
    families: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for lemma in lemmas:
        families[lemma["id"].partition(".")[0]].append(lemma)
    nodes, clusters = [], []
    for family in sorted(families):
        members = sorted(families[family], key=lambda l: l["id"])
        nodes += [node_of(l, l["id"], page) for l in members]
        clusters.append(Cluster(family, headings.get(family, family), tuple(l["id"] for l in members)))
    arcs = []
    for lemma in lemmas:
        arcs += [Arc(lemma["id"], used) for used in lemma.get("uses", ())]
        if lemma.get("corrects"):
            arcs.append(Arc(lemma["id"], lemma["corrects"], correction=True))
    return Diagram(tuple(nodes), tuple(arcs), tuple(clusters), "LR", name="the whole dependency graph")


def whole_graph_dot(lemmas: Sequence[Mapping[str, Any]], headings: Mapping[str, str],
                    page: str = "index.html") -> str:
    """The whole graph in DOT (written as graph.dot whether or not Graphviz is installed)."""
    return dot_source(whole_graph(lemmas, headings, page), "lemmas", WHOLE_GRAPH_ATTRIBUTES, comments=(
        "// The dependency graph of the proof suite; generated, do not edit.",
        "// Solid edges point from a lemma to what it uses; dashed red ones from a correction to the claim it repairs."))


def whole_graph_svg(lemmas: Sequence[Mapping[str, Any]], headings: Mapping[str, str],
                    page: str = "index.html") -> tuple[str | None, str | None]:
    """The whole graph as SVG and who drew it ("dot" or "layered"); (None, None) if neither could."""
    (svg,), drawer = _drawings([whole_graph(lemmas, headings, page)], [whole_graph_dot(lemmas, headings, page)])
    return svg, drawer
