"""A layered drawing of a small directed graph as SVG, computed in Python: the page's dependency
graph on a machine without Graphviz.

grandalf (pure Python, installed with the kernel) does the layout: a Sugiyama layered layout, as
Graphviz's dot does it (ranks, crossings reduced by barycentre sweeps, coordinates by Brandes and
Köpf, dummy points along the edges that skip a layer). This module sizes each node from its label
(Helvetica's advance widths, which Arial and Liberation Sans share), lays out each connected
component and places them side by side, boxes the clusters (one per family in the whole graph),
and writes the SVG: every node a link to its card with its tooltip as `<title>`, every edge a
curve through its dummy points with a drawn arrowhead (no `<defs>`, no ids, so many drawings can
share one page), and correction arcs dashed red and bowed aside so that they never hide a `uses`
edge between the same two lemmas.

What it does not do that dot does: route edges around nodes (an edge that skips a layer bends
through its dummy points, which the layout keeps clear of nodes, but arcs between clusters are
plain curves), and measure text with the browser's own font (a label in a much wider font than
Helvetica can touch its box's border).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Iterable, Sequence

FONT_SIZE = 12.0  # px: dot's 10 pt at the page's 1.2 px per pt
FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', sans-serif"
NODE_HEIGHT = 22.0
NODE_PADDING = 8.0  # left and right of the label
LAYER_GAP = 26.0  # between ranks
NODE_GAP = 14.0  # between neighbours in a rank
COMPONENT_GAP = 22.0
MARGIN = 4.0
CLUSTER_PADDING = 10.0
CLUSTER_LABEL = 18.0  # the height of a cluster's label line
ARROW = 7.0  # the arrowhead's length
BOW = 16.0  # how far a correction arc bows aside from the straight line

# Helvetica's advance widths (Adobe's core-font metrics, in thousandths of the font size) for
# ASCII 32..126; anything else counts as a wide letter.
_WIDTHS = (278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
           556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
           500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
           556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
           278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)
WIDE = 667
FONT_SLACK = 1.08  # room for a fallback font a little wider than Helvetica


def text_width(text: str, size: float = FONT_SIZE) -> float:
    units = sum(_WIDTHS[ord(c) - 32] if 32 <= ord(c) <= 126 else WIDE for c in text)
    return units / 1000 * size * FONT_SLACK


@dataclass(frozen=True, slots=True)
class Node:
    """A node as the page draws it; the same record becomes a DOT node or an SVG one."""

    id: str
    label: str
    fill: str
    text: str  # the label's colour
    shape: str = "box"  # or "hexagon" (a cited axiom)
    dashed: bool = False  # proved, but conditional on unproved lemmas beneath it
    url: str | None = None
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class Arc:
    """`tail` uses `head`, or (`correction`) `tail` corrects the reading `head`."""

    tail: str
    head: str
    correction: bool = False


@dataclass(frozen=True, slots=True)
class Cluster:
    """A labelled box around some nodes (a family of the whole graph)."""

    name: str
    label: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Diagram:
    """A graph to draw: its nodes in order, its arcs, its clusters (none: one drawing), and the
    direction of its ranks, "TB" (top to bottom) or "LR" (left to right)."""

    nodes: tuple[Node, ...]
    arcs: tuple[Arc, ...]
    clusters: tuple[Cluster, ...] = ()
    direction: str = "TB"
    name: str = "dependency graph"


# -- layout ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Box:
    """A node's size and (after layout) its centre, in the drawing's own coordinates."""

    w: float
    h: float
    xy: tuple[float, float] = (0.0, 0.0)


class _View:  # what grandalf reads (w, h) and writes (xy) on each vertex
    __slots__ = ("w", "h", "xy")

    def __init__(self, w: float, h: float) -> None:
        self.w, self.h, self.xy = w, h, None


class _EdgeView:
    __slots__ = ("points",)

    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def setpath(self, points: list[tuple[float, float]]) -> None:
        self.points = [tuple(p) for p in points]


def _size(node: Node) -> _Box:
    width = text_width(node.label) + 2 * NODE_PADDING + (NODE_HEIGHT * 0.6 if node.shape == "hexagon" else 0)
    return _Box(round(width, 1), NODE_HEIGHT)


def _layout(ids: Sequence[str], boxes: dict[str, _Box], arcs: Iterable[Arc],
            direction: str) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Place `ids` (centres into `boxes`, from (0, 0)) and return each edge's route through its dummy
    points, keyed by (tail, head). Components sit side by side across the ranks, in input order."""
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import SugiyamaLayout

    across = direction == "LR"  # grandalf ranks top to bottom: swap the axes for left to right
    vertices = {}
    for node_id in ids:
        vertex = Vertex(node_id)
        box = boxes[node_id]
        vertex.view = _View(box.h, box.w) if across else _View(box.w, box.h)
        vertices[node_id] = vertex
    edges = {}
    for arc in arcs:
        key = (arc.tail, arc.head)
        if arc.tail != arc.head and arc.tail in vertices and arc.head in vertices and key not in edges:
            edge = Edge(vertices[arc.tail], vertices[arc.head])
            edge.view = _EdgeView()
            edges[key] = edge
    graph = Graph(list(vertices.values()), list(edges.values()))
    position = {node_id: i for i, node_id in enumerate(ids)}
    components = sorted(graph.C, key=lambda c: min(position[v.data] for v in c.sV))
    offset = 0.0
    for component in components:
        members = list(component.sV)
        if len(members) == 1:
            members[0].view.xy = (members[0].view.w / 2, members[0].view.h / 2)
        else:
            layout = SugiyamaLayout(component)
            layout.xspace, layout.yspace = NODE_GAP, LAYER_GAP
            if across:
                layout.xspace, layout.yspace = NODE_GAP / 2, LAYER_GAP * 1.6
            roots = sorted((v for v in component.sV if not v.e_in()), key=lambda v: position[v.data])
            layout.init_all(roots=roots or None)
            layout.draw(N=3.5)
        bends = [p for edge in component.sE for p in edge.view.points[1:-1]]  # dummy points of long edges
        left = min([v.view.xy[0] - v.view.w / 2 for v in members] + [x - BOW for x, _ in bends])
        top = min([v.view.xy[1] - v.view.h / 2 for v in members] + [y for _, y in bends])
        shift = (offset - left, -top)
        for vertex in members:
            x, y = vertex.view.xy
            vertex.view.xy = (x + shift[0], y + shift[1])
        for edge in component.sE:
            edge.view.points = [(x + shift[0], y + shift[1]) for x, y in edge.view.points]
        offset = max([v.view.xy[0] + v.view.w / 2 for v in members]
                     + [x + shift[0] + BOW for x, _ in bends]) + COMPONENT_GAP
    for node_id, vertex in vertices.items():
        x, y = vertex.view.xy
        boxes[node_id].xy = (y, x) if across else (x, y)
    routes = {}
    for key, edge in edges.items():
        points = edge.view.points or [vertices[key[0]].view.xy, vertices[key[1]].view.xy]
        routes[key] = [(y, x) if across else (x, y) for x, y in points]
    return routes


# -- geometry -------------------------------------------------------------------------------------


def _border(box: _Box, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the segment from the box's centre towards a point leaves the box."""
    (x, y), (tx, ty) = box.xy, towards
    dx, dy = tx - x, ty - y
    if dx == 0 and dy == 0:
        return box.xy
    scale = min(box.w / 2 / abs(dx) if dx else math.inf, box.h / 2 / abs(dy) if dy else math.inf)
    scale = min(scale, 1.0)
    return (x + dx * scale, y + dy * scale)


def _smooth(points: list[tuple[float, float]]) -> str:
    """An SVG path through the points: straight for two, a Catmull-Rom curve (as cubic Béziers) for more."""
    if len(points) == 2:
        return f"M{_p(points[0])}L{_p(points[1])}"
    path = f"M{_p(points[0])}"
    for i in range(len(points) - 1):
        p0, p1, p2 = points[max(i - 1, 0)], points[i], points[i + 1]
        p3 = points[min(i + 2, len(points) - 1)]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        path += f"C{_p(c1)} {_p(c2)} {_p(p2)}"
    return path


def _p(point: tuple[float, float]) -> str:
    return f"{point[0]:.1f},{point[1]:.1f}"


def _arrowhead(tip: tuple[float, float], before: tuple[float, float], colour: str) -> str:
    dx, dy = tip[0] - before[0], tip[1] - before[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    base = (tip[0] - ux * ARROW, tip[1] - uy * ARROW)
    left = (base[0] - uy * ARROW * 0.45, base[1] + ux * ARROW * 0.45)
    right = (base[0] + uy * ARROW * 0.45, base[1] - ux * ARROW * 0.45)
    return f'<polygon points="{_p(tip)} {_p(left)} {_p(right)}" fill="{colour}" stroke="none"/>'


def _shortened(points: list[tuple[float, float]], by: float) -> list[tuple[float, float]]:
    """The route with its last point moved back by `by` (where the arrowhead begins)."""
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = math.hypot(x1 - x0, y1 - y0)
    if length <= by:
        return points
    return points[:-1] + [(x1 - (x1 - x0) / length * by, y1 - (y1 - y0) / length * by)]


def _edge(arc: Arc, route: list[tuple[float, float]], tail: _Box, head: _Box) -> str:
    points = list(route) if len(route) >= 2 else [tail.xy, head.xy]
    points[0], points[-1] = _border(tail, points[1]), _border(head, points[-2])
    if arc.correction:  # bowed aside: a dashed red curve, distinct from a `uses` edge on the same pair
        (x0, y0), (x1, y1) = points[0], points[-1]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        nx, ny = -(y1 - y0) / length * BOW, (x1 - x0) / length * BOW
        middle = ((x0 + x1) / 2 + nx, (y0 + y1) / 2 + ny)
        points = [points[0], middle, points[-1]] if len(points) == 2 else points
        points[0], points[-1] = _border(tail, points[1]), _border(head, points[-2])
        colour, style = "#c62828", ' stroke-dasharray="5,3" stroke-width="1.4"'
    else:
        colour, style = "#777777", ""
    shaft = _shortened(points, ARROW * 0.8)
    kind = "correction" if arc.correction else "uses"
    return (f'<g class="edge {kind}"><title>{escape(arc.tail)} → {escape(arc.head)}</title>'
            f'<path d="{_smooth(shaft)}" fill="none" stroke="{colour}"{style}/>'
            f'{_arrowhead(points[-1], shaft[-2] if len(shaft) > 2 else points[-2], colour)}</g>')


def _node(node: Node, box: _Box) -> str:
    (x, y), hw, hh = box.xy, box.w / 2, box.h / 2
    stroke = f'stroke="#333333" stroke-width="{2.2 if node.dashed else 1}"' + (
        ' stroke-dasharray="4,2"' if node.dashed else "")
    if node.shape == "hexagon":
        s = hh * 0.6
        corners = [(x - hw, y), (x - hw + s, y - hh), (x + hw - s, y - hh), (x + hw, y), (x + hw - s, y + hh),
                   (x - hw + s, y + hh)]
        outline = f'<polygon points="{" ".join(_p(c) for c in corners)}" fill="{node.fill}" {stroke}/>'
    else:
        outline = (f'<rect x="{x - hw:.1f}" y="{y - hh:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="5" '
                   f'fill="{node.fill}" {stroke}/>')
    label = (f'<text x="{x:.1f}" y="{y + FONT_SIZE * 0.35:.1f}" text-anchor="middle" fill="{node.text}">'
             f'{escape(node.label)}</text>')
    body = f"<title>{escape(node.tooltip or node.id)}</title>{outline}{label}"
    if node.url:
        body = f'<a href="{escape(node.url)}">{body}</a>'
    return f'<g class="node" data-id="{escape(node.id)}">{body}</g>'


# -- the drawing ----------------------------------------------------------------------------------


def svg(diagram: Diagram) -> str:
    """The diagram as an SVG element sized to its natural width (it scales down, never up, with
    its box), fit to be inlined in HTML or written as a file."""
    boxes = {n.id: _size(n) for n in diagram.nodes}
    by_id = {n.id: n for n in diagram.nodes}
    clusters = diagram.clusters or (Cluster("", "", tuple(n.id for n in diagram.nodes)),)
    routes: dict[tuple[str, str], list[tuple[float, float]]] = {}
    frames = []
    top = MARGIN
    for cluster in clusters:
        members = [m for m in cluster.members if m in boxes]
        if not members:
            continue
        inside = set(members)
        local = _layout(members, boxes, (a for a in diagram.arcs if a.tail in inside and a.head in inside),
                        diagram.direction)
        pad = CLUSTER_PADDING if diagram.clusters else 0.0
        head = CLUSTER_LABEL if diagram.clusters else 0.0
        dx, dy = MARGIN + pad, top + head + pad
        for member in members:
            x, y = boxes[member].xy
            boxes[member].xy = (x + dx, y + dy)
        for key, route in local.items():
            routes[key] = [(x + dx, y + dy) for x, y in route]
        bends = [p for route in local.values() for p in route[1:-1]]
        right = max([boxes[m].xy[0] + boxes[m].w / 2 for m in members] + [x + dx + BOW for x, _ in bends]) + pad
        bottom = max([boxes[m].xy[1] + boxes[m].h / 2 for m in members] + [y + dy + BOW for _, y in bends]) + pad
        if diagram.clusters:
            frames.append((cluster.label, MARGIN, top, right - MARGIN, bottom - top))
        top = bottom + (COMPONENT_GAP if diagram.clusters else 0.0)
    bends = [p for route in routes.values() for p in route[1:-1]]
    width = max([b.xy[0] + b.w / 2 for b in boxes.values()] + [x + BOW for x, _ in bends]
                + [x + w for _, x, _, w, _ in frames], default=0.0) + MARGIN
    height = max([b.xy[1] + b.h / 2 for b in boxes.values()] + [y + BOW for _, y in bends]
                 + [y + h for _, _, y, h, _ in frames], default=0.0) + MARGIN
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="group" aria-label="{escape(diagram.name)}" '
             f'viewBox="0 0 {width:.1f} {height:.1f}" width="{width:.0f}" height="{height:.0f}" '
             f'style="width:{width:.0f}px;max-width:100%;height:auto" font-family="{escape(FONT_FAMILY)}" '
             f'font-size="{FONT_SIZE:g}">']
    for label, x, y, w, h in frames:
        parts.append(f'<g class="cluster"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="8" '
                     f'fill="none" stroke="#999999"/><text x="{x + CLUSTER_PADDING:.1f}" y="{y + 14:.1f}" '
                     f'font-weight="bold" fill="#333333">{escape(label)}</text></g>')
    for arc in diagram.arcs:
        if arc.tail in boxes and arc.head in boxes and arc.tail != arc.head:
            route = routes.get((arc.tail, arc.head)) or _between(boxes[arc.tail], boxes[arc.head], diagram.direction)
            parts.append(_edge(arc, route, boxes[arc.tail], boxes[arc.head]))
    parts += [_node(by_id[node_id], box) for node_id, box in boxes.items()]
    parts.append("</svg>")
    return "".join(parts)


def _between(tail: _Box, head: _Box, direction: str) -> list[tuple[float, float]]:
    """A route between two clusters: out of the tail along the ranks' direction, into the head."""
    (x0, y0), (x1, y1) = tail.xy, head.xy
    if direction == "LR":
        reach = max(40.0, abs(x1 - x0) / 2)
        return [(x0, y0), (x0 + tail.w / 2 + reach, y0 + (y1 - y0) * 0.25),
                (x1 - head.w / 2 - reach, y1 - (y1 - y0) * 0.25), (x1, y1)]
    reach = max(30.0, abs(y1 - y0) / 2)
    return [(x0, y0), (x0 + (x1 - x0) * 0.25, y0 + tail.h / 2 + reach),
            (x1 - (x1 - x0) * 0.25, y1 - head.h / 2 - reach), (x1, y1)]
