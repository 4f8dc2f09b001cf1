"""Writing and reading the report directory."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined

from proofs.claims import VERDICT_INFO
from proofs.errors import ProofsError
from proofs.report import graph, markup, page  # modules of the package, not its facade
from proofs.status import STATUS_INFO, Status

ARTIFACT_DIRS = ("smt2", "sympy", "interval", "plots")


def _environment(html: bool) -> Environment:
    environment = Environment(loader=PackageLoader("proofs.report", "templates"), undefined=StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=html)
    # Markdown: text from lemmas is HTML-escaped too (a <script> in a statement must not pass through
    # to a Markdown renderer), and kept on one table row
    environment.filters["cell"] = lambda text: _escape_md(text).replace("|", "\\|").replace("\n", " ")
    environment.filters["md"] = _escape_md
    # plain JSON text; in HTML it is then autoescaped like any other text from a lemma
    environment.filters["json"] = lambda value, indent=None: json.dumps(value, ensure_ascii=False, indent=indent)
    environment.filters["math"] = markup.with_math
    environment.filters["breakable"] = markup.breakable
    environment.filters["source"] = page.source_label
    environment.tests["plot_path"] = lambda path: page.artifact_kind(path) == "plot"
    return environment


def _escape_md(text: Any) -> str:
    return html.escape(str(text), quote=False)


PROVENANCE_FIELDS = ("python", "z3", "sympy", "hypothesis", "numpy", "cvc5", "python_flint", "machine", "git_commit", "seed", "scale",
                     "hypothesis_profile")


def _provenance(document: Mapping[str, Any]) -> dict[str, Any]:
    """Provenance with every field the pages show, None where a report does not say."""
    return {**dict.fromkeys(PROVENANCE_FIELDS), **document["provenance"]}


def _titles(document: Mapping[str, Any]) -> dict[str, str]:
    """The project's own title (from [tool.proofs]); a neutral one for a report that has none."""
    project = document.get("project") or {}
    return {"title": project.get("title") or "Proof status", "subtitle": project.get("subtitle") or ""}


def render_html(document: Mapping[str, Any]) -> str:
    """index.html: autoescaped, so text from lemmas (a statement with <script>) shows as text."""
    document = page.normalised(document)
    lemmas = document["lemmas"]
    rows = page.claim_rows(document)
    families = page.families(document)
    drawers = {g.drawer for f in families for g in f.graphs if g.drawer}
    drawer = "dot" if "dot" in drawers else next(iter(drawers), None)  # who drew the claim graphs, if anyone
    return _environment(html=True).get_template("index.html.j2").render(
        doc=document, prov=_provenance(document), statuses=list(Status), info=STATUS_INFO,
        axiom_colour=graph.AXIOM_COLOUR, claim_rows=rows, claims_line=page.claims_headline(document),
        claim_summary=document["summary"].get("claims") if document.get("claims") else None,
        verdict_info=VERDICT_INFO, has_claims=bool(rows), second_solver=page.second_solver(document),
        missing=page.SECOND_SOLVER_MISSING, errata=page.errata(document), families=families,
        users=page.used_by(lemmas), corrections=page.corrections_of(lemmas), known={l["id"] for l in lemmas},
        by_id={l["id"]: l for l in lemmas}, axioms=[l for l in lemmas if l["kind"] == "axiom"],
        drawer=drawer, anchor=page.anchor, artifact_kind=page.artifact_kind,
        split_step=page.split_step, counterexample_rows=page.counterexample_rows, **_titles(document),
    )


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _prune_stale_artifacts(directory: Path, document: Mapping[str, Any]) -> None:
    """Delete artifacts that no evidence of this run refers to, so the report never shows old files."""
    referenced = {a for lemma in document["lemmas"] for e in lemma["evidence"] for a in e["artifacts"]}
    for name in ARTIFACT_DIRS:
        for path in sorted((directory / name).rglob("*"), reverse=True) if (directory / name).exists() else ():
            if path.is_file() and path.relative_to(directory).as_posix() not in referenced:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def write_report(document: Mapping[str, Any], directory: Path) -> list[Path]:
    """Write status.json, STATUS.md and index.html into `directory`; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    status_json = directory / "status.json"
    _atomic_write(status_json, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    status_md = directory / "STATUS.md"
    template = _environment(html=False).get_template("STATUS.md.j2")
    _atomic_write(status_md, template.render(doc=document, prov=_provenance(document), statuses=list(Status),
                                             info=STATUS_INFO, claims_line=page.claims_headline(document),
                                             has_claims=page.has_claims(document),
                                             second_solver=page.second_solver(document),
                                             missing=page.SECOND_SOLVER_MISSING,
                                             has_references=any(l.get("paper_ref") for l in document["lemmas"]),
                                             **_titles(document)))
    index_html = directory / "index.html"
    _atomic_write(index_html, render_html(document))
    written_graph = _write_graph_page(document, directory)
    _prune_stale_artifacts(directory, document)
    return [status_json, status_md, index_html, *written_graph]


def _write_graph_page(document: Mapping[str, Any], directory: Path) -> list[Path]:
    """graph.html: the whole graph in one drawing, with pan and zoom."""
    headings = (document.get("project") or {}).get("families") or {}
    svg, _ = graph.whole_graph_svg(document["lemmas"], headings)
    path = directory / "graph.html"
    if svg is None:
        path.unlink(missing_ok=True)
        return []
    _atomic_write(path, _environment(html=True).get_template("graph.html.j2").render(svg=svg, **_titles(document)))
    return [path]


def write_graph(document: Mapping[str, Any], directory: Path) -> list[Path]:
    """The whole dependency graph, one cluster per family, next to status.json: graph.dot and
    graph.graphml, and graph.svg drawn by Graphviz when it is installed, else by the layered layout."""
    import networkx as nx

    lemmas = document["lemmas"]
    headings = (document.get("project") or {}).get("families") or {}
    written = []
    dot_path, graphml = directory / "graph.dot", directory / "graph.graphml"
    _atomic_write(dot_path, graph.whole_graph_dot(lemmas, headings, page="index.html") + "\n")
    nx.write_graphml(page.graph_of(lemmas), graphml)
    written += [dot_path, graphml]
    svg, _ = graph.whole_graph_svg(lemmas, headings, page="index.html")
    if svg is not None:
        svg_path = directory / "graph.svg"
        _atomic_write(svg_path, svg + "\n")
        written.append(svg_path)
    return written


class ReportMissing(ProofsError, FileNotFoundError):
    """No status.json where the command looked; the message says how to make one."""


def load_status(directory: Path) -> dict[str, Any]:
    path = directory / "status.json"
    if not path.exists():
        raise ReportMissing(f"no report at {path}: run `pytest theorems/` first (or pass --report-dir DIR)")
    return json.loads(path.read_text())
