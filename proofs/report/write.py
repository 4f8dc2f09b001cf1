"""Writing and reading the report directory."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined

from proofs.errors import ProofsError
from proofs.report import page
from proofs.status import STATUS_INFO, Status

ARTIFACT_DIRS = ("smt2", "sympy", "interval", "plots")


def _environment(html: bool) -> Environment:
    environment = Environment(loader=PackageLoader("proofs.report", "templates"), undefined=StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=html)
    environment.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    # plain JSON text; in HTML it is then autoescaped like any other text from a lemma
    environment.filters["json"] = lambda value, indent=None: json.dumps(value, ensure_ascii=False, indent=indent)
    return environment


PROVENANCE_FIELDS = ("python", "z3", "sympy", "hypothesis", "numpy", "cvc5", "git_commit", "seed", "scale",
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
    lemmas = document["lemmas"]
    claims = page.claim_ids(document)
    outcomes = page.claim_outcomes(lemmas, claims)
    counts = {outcome: sum(1 for o in outcomes.values() if o == outcome) for outcome in page.ClaimOutcome.ORDER}
    return _environment(html=True).get_template("index.html.j2").render(
        doc=document, prov=_provenance(document), statuses=list(Status), info=STATUS_INFO,
        claim_order=page.ClaimOutcome.ORDER,
        claim_counts=counts, claim_total=len(claims), errata=page.errata(lemmas),
        graph=page.picture(lemmas), families=page.families(lemmas), users=page.used_by(lemmas),
        anchor=page.anchor, artifact_kind=page.artifact_kind, **_titles(document),
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
                                             info=STATUS_INFO, **_titles(document)))
    index_html = directory / "index.html"
    _atomic_write(index_html, render_html(document))
    _prune_stale_artifacts(directory, document)
    return [status_json, status_md, index_html]


def write_graph(document: Mapping[str, Any], directory: Path) -> list[Path]:
    """The dependency graph as SVG (as on the page), DOT and GraphML, next to status.json."""
    import networkx as nx

    lemmas = document["lemmas"]
    graph = page.graph_of(lemmas)
    picture = page.picture(lemmas)
    svg, dot, graphml = directory / "graph.svg", directory / "graph.dot", directory / "graph.graphml"
    environment = _environment(html=True)
    _atomic_write(svg, environment.get_template("graph.svg.j2").render(graph=picture, anchor=page.anchor))
    edges = [(u, v, d["relation"]) for u, v, d in graph.edges(data=True)]
    _atomic_write(dot, _environment(html=False).get_template("graph.dot.j2").render(graph=picture, edges=edges))
    nx.write_graphml(graph, graphml)
    return [svg, dot, graphml]


class ReportMissing(ProofsError, FileNotFoundError):
    """No status.json where the command looked; the message says how to make one."""


def load_status(directory: Path) -> dict[str, Any]:
    path = directory / "status.json"
    if not path.exists():
        raise ReportMissing(f"no report at {path}: run `pytest theorems/` first (or pass --report-dir DIR)")
    return json.loads(path.read_text())
