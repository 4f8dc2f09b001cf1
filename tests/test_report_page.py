"""index.html and the graph files, rendered for a small report in which every status occurs."""

import re

import networkx as nx

from proofs.report import render_html, write_graph, write_report
from proofs.report.page import ClaimOutcome, claim_outcomes
from proofs.status import Status


def test_the_headline_counts_state_their_denominators(every_status_document):
    page = render_html(every_status_document)
    for status in Status:
        assert f"s-{status.value}" in page
    total = every_status_document["summary"]["total"]
    assert f"{every_status_document['summary']['by_status']['proved']} of {total}" in page
    assert "of 1</td>" in page  # the claims its lemmas name, when the project has no claims file


def test_errata_show_the_counterexample_beside_the_correction(every_status_document):
    page = render_html(every_status_document)
    errata = page[page.index('id="errata"'):page.index('id="graph"')]
    assert "demo.refuted" in errata and "demo.fix" in errata
    assert "{&#34;x&#34;: 1, &#34;n&#34;: 2}" in errata or '{"x": 1, "n": 2}' in errata


def test_text_from_lemmas_is_escaped(every_status_document):
    page = render_html(every_status_document)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_makes_no_network_request(every_status_document):
    page = render_html(every_status_document)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<link" not in page and "@import" not in page


def test_every_graph_node_links_to_its_section_and_the_legend_lists_every_status(every_status_document):
    page = render_html(every_status_document)
    svg = page[page.index("<svg"):page.index("</svg>")]
    for lemma in every_status_document["lemmas"]:
        anchor = "lemma-" + lemma["id"].replace(".", "-")
        assert f'href="#{anchor}"' in svg and f'id="{anchor}"' in page
    assert 'stroke-dasharray="5,4"' in svg  # the correction's edge is drawn apart from uses


def test_claim_outcomes_follow_their_definitions():
    def lemma(claim, status, kind="lemma"):
        return {"claim_ref": claim, "status": status, "kind": kind}

    outcomes = claim_outcomes([lemma("E-01", "proved"), lemma("E-01", "refuted"), lemma("E-02", "proved"),
                               lemma("E-03", "tested"), lemma("E-03", "proved"), lemma("E-04", "timeout"),
                               lemma("E-05", "refuted", kind="correction")],
                              [f"E-{n:02d}" for n in range(1, 40)])
    assert outcomes["E-01"] == ClaimOutcome.REFUTED and outcomes["E-02"] == ClaimOutcome.PROVED
    assert outcomes["E-03"] == ClaimOutcome.TESTED and outcomes["E-04"] == ClaimOutcome.UNDECIDED
    assert outcomes["E-05"] == ClaimOutcome.NOT_ENCODED and outcomes["E-39"] == ClaimOutcome.NOT_ENCODED


def test_write_report_and_graph_produce_every_file(every_status_document, tmp_path):
    written = write_report(every_status_document, tmp_path) + write_graph(every_status_document, tmp_path)
    assert {p.name for p in written} == {"status.json", "STATUS.md", "index.html", "graph.svg", "graph.dot",
                                         "graph.graphml"}
    graph = nx.read_graphml(tmp_path / "graph.graphml")
    assert graph.has_edge("demo.fix", "demo.refuted") and graph.nodes["demo.refuted"]["status"] == "refuted"
    assert '"demo.fix" -> "demo.refuted" [style=dashed' in (tmp_path / "graph.dot").read_text()
    assert "<script>alert(1)</script>" not in (tmp_path / "graph.svg").read_text()
