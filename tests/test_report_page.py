"""index.html, STATUS.md and the graph files, rendered for small reports in which every status occurs."""

import re
import shutil

import networkx as nx
import pytest

from proofs.report import build_status, render_html, write_graph, write_report
from proofs.report.markup import with_math
from proofs.report.page import claim_rows, errata
from proofs.status import Status

from conftest import lemma_record

GRAPHVIZ = shutil.which("dot") is not None


def test_the_headline_counts_state_their_denominators_and_hide_empty_rows(every_status_document):
    page = render_html(every_status_document)
    total = every_status_document["summary"]["total"]
    assert f"{every_status_document['summary']['by_status']['proved']} of {total}" in page
    assert "Claims (" not in page.split('id="claims"')[0]  # no claims summary without a claims file
    empty = {**every_status_document, "summary": {**every_status_document["summary"],
                                                   "by_status": {**every_status_document["summary"]["by_status"],
                                                                 "timeout": 0}}}
    counts = render_html(empty).split('id="claims"')[0]
    assert 's-timeout">timeout</span></td><td class="num">0 of' not in counts


def test_errata_show_the_claim_the_counterexample_and_the_correction(every_status_document):
    page = render_html(every_status_document)
    section = page[page.index('id="errata"'):page.index('id="graph"')]
    assert 'id="erratum-lemma-demo-refuted"' in section and 'href="#lemma-demo-fix"' in section
    assert "<td><code>x</code></td><td class=\"num\">1</td>" in section  # the counterexample as a table
    assert "raw counterexample (JSON)" in section


def test_a_counterexample_reads_as_a_sentence_with_its_variables_explained():
    record = lemma_record("demo.refuted", "refuted", counterexample={"n": 1, "margin": 0.313})
    record["variables"] = {"n": "distractors", "margin": "logit margin Δ"}
    record["evidence"][0]["facts"] = {"sentence": "with 1 distractor and margin 0.313, attention is 0.5 < 1/2 + ε"}
    page = render_html(build_status([record], {"seed": 0}))
    assert "with 1 distractor and margin 0.313, attention is 0.5 &lt; 1/2 + ε" in page
    assert "<td>logit margin Δ</td>" in page and "<td>distractors</td>" in page


def test_errata_are_sorted_by_claim_number_and_say_why_when_no_correction_is_needed():
    records = [lemma_record("demo.late", "refuted", counterexample={"x": 1}),
               lemma_record("demo.early", "refuted", counterexample={"x": 2})]
    records[0]["claim_ref"], records[1]["claim_ref"] = "E-10", "E-2"
    records[1]["interpretation"] = ["No correction: the paper never makes this reading."]
    document = build_status(records, {"seed": 0})
    entries = errata(document)
    assert [e.lemma["id"] for e in entries] == ["demo.early", "demo.late"]  # 2 before 10
    assert entries[0].no_correction == "the paper never makes this reading."
    page = render_html(document)
    assert "No correction: the paper never makes this reading." in page
    assert "No correction is registered yet." in page


def test_tex_between_dollars_becomes_mathml_and_the_rest_is_escaped():
    html = str(with_math("margin $\\ln N$ and <b>bold</b>, a $ sign alone"))
    assert "<math" in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "$ sign alone" in html
    assert "<script" not in str(with_math("$\\text{<script>}$"))


def test_text_from_lemmas_is_escaped_in_the_page_and_in_status_md(every_status_document, tmp_path):
    page = render_html(every_status_document)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    write_report(every_status_document, tmp_path)
    markdown = (tmp_path / "STATUS.md").read_text()
    assert "<script>" not in markdown and "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown


def test_the_page_makes_no_network_request(every_status_document):
    page = render_html(every_status_document)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<link" not in page and "@import" not in page and "<script" not in page


def test_every_lemma_mention_is_a_link_and_refuted_cards_point_to_their_correction(every_status_document):
    page = render_html(every_status_document)
    card = page[page.index('id="lemma-demo-fix"'):]
    card = card[:card.index("</article>")]
    assert 'Uses: <a href="#lemma-demo-tested">' in card
    assert 'Conditional on: <a href="#lemma-demo-tested">' in card
    refuted = page[page.index('id="lemma-demo-refuted"'):]
    assert "Corrected by →" in refuted[:refuted.index("</article>")]


def test_plots_load_lazily_and_the_phone_viewport_is_declared():
    record = lemma_record("demo.simulated", "tested")
    record["evidence"][0]["artifacts"] = ["plots/demo.simulated.sim.png"]
    page = render_html(build_status([record], {"seed": 0}))
    assert 'loading="lazy"' in page and 'name="viewport"' in page


@pytest.mark.skipif(not GRAPHVIZ, reason="Graphviz (dot) is not installed")
def test_every_graph_node_links_to_its_card_and_corrections_are_dashed_arcs(every_status_document):
    page = render_html(every_status_document)
    graph = page[page.index('id="graph"'):page.index('id="family-')]
    for lemma in every_status_document["lemmas"]:
        anchor = "lemma-" + lemma["id"].replace(".", "-")
        assert f'href="#{anchor}"' in graph and f'id="{anchor}"' in page
    assert "stroke-dasharray" in graph  # the correction's arc is drawn apart from uses


def test_without_graphviz_the_graph_is_a_list_and_the_page_says_why(every_status_document, monkeypatch):
    from proofs.report import graph

    monkeypatch.setattr(graph, "graphviz_available", lambda: False)
    page = render_html(every_status_document)
    assert "Graphviz (the <code>dot</code> program) is not installed" in page
    assert '<ul class="compact"><li><a href="#lemma-demo' in page


def test_a_claims_verdict_comes_from_its_headline_reading_and_its_correction_is_what_fixes_that_reading():
    refuted = lemma_record("demo.refuted", "refuted")
    other = lemma_record("demo.other", "proved")
    fix = lemma_record("demo.fix", "proved", kind="correction", corrects="demo.refuted")
    from proofs.claims import ClaimEntry as Claim

    claim = Claim("E-19", "§3", "the words", "[S]", headline="demo.refuted")
    (row,) = claim_rows(build_status([refuted, other, fix], {"seed": 0}, claims=[claim]))
    assert row.verdict == "fails" and row.headline["status"] == "refuted" and [c["id"] for c in row.corrections] == ["demo.fix"]
    assert [l["id"] for l in row.readings] == ["demo.refuted", "demo.other", "demo.fix"]


def test_write_report_and_graph_produce_every_file(every_status_document, tmp_path):
    written = write_report(every_status_document, tmp_path) + write_graph(every_status_document, tmp_path)
    expected = {"status.json", "STATUS.md", "index.html", "graph.dot", "graph.graphml"} | (
        {"graph.svg", "graph.html"} if GRAPHVIZ else set())
    assert {p.name for p in written} == expected
    graph = nx.read_graphml(tmp_path / "graph.graphml")
    assert graph.has_edge("demo.fix", "demo.refuted") and graph.nodes["demo.refuted"]["status"] == "refuted"
    dot = (tmp_path / "graph.dot").read_text()
    assert '"demo.fix" -> "demo.refuted" [style=dashed' in dot and 'subgraph "cluster_demo"' in dot
    if GRAPHVIZ:
        assert "<script>alert(1)</script>" not in (tmp_path / "graph.svg").read_text()


def test_a_status_row_shows_every_status_in_the_legend(every_status_document):
    page = render_html(every_status_document)
    legend = page[page.index('class="legend"'):page.index("</div>", page.index('class="legend"'))]
    for status in Status:
        assert f"s-{status.value}" in legend
