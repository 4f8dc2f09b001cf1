"""index.html, STATUS.md and the graph files, rendered for small reports in which every status occurs."""

import json
import re
import shutil
import subprocess
import sys
from xml.etree import ElementTree

import networkx as nx
import pytest

from proofs.report import build_status, graph, render_html, write_graph, write_report
from proofs.report.markup import with_math
from proofs.report.page import claim_rows, errata
from proofs.status import Status

from conftest import SMUGGLING_TEX, lemma_record

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


def markup_of(html):
    """Every element of an HTML fragment with its attributes, as the browser's parser sees them."""
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

        handle_startendtag = handle_starttag

    Collector().feed(html)
    return found


@pytest.mark.parametrize("payload", SMUGGLING_TEX, ids=str)
def test_mathml_keeps_only_the_elements_and_attributes_rendering_needs(payload):
    from proofs.report.markup import ATTRIBUTES, ELEMENTS

    elements = markup_of(str(with_math(SMUGGLING_TEX[payload])))
    assert elements and all(tag in ELEMENTS | {"span", "code"} for tag, _ in elements)
    for tag, attributes in elements:
        allowed = {"class"} if tag == "span" else {"xmlns", *ATTRIBUTES} if tag in ELEMENTS else set()
        assert set(attributes) <= allowed, (tag, attributes)
        assert not any("url" in value.lower() for value in attributes.values()), (tag, attributes)
    assert not {"style", "href", "src", "id"} & {a for _, attributes in elements for a in attributes}


def test_mathml_colours_and_sizes_that_rendering_needs_are_kept():
    html = str(with_math(r"$\color{red}{x} + \binom{n}{k} + \displaystyle \left(y\right) \hspace{1em}$"))
    for kept in ('mathcolor="red"', 'linethickness="0"', 'displaystyle="true"', 'form="prefix"', 'width="1em"'):
        assert kept in html


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


@pytest.fixture
def without_graphviz(monkeypatch, tmp_path):
    """A machine without Graphviz: `dot` is on no folder of PATH."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert shutil.which("dot") is None


def graph_section(page):
    return page[page.index('id="graph"'):page.index('id="family-')]


def test_without_graphviz_every_graph_is_drawn_in_python_with_links_arcs_and_axioms(every_status_document,
                                                                                  without_graphviz):
    page = render_html(every_status_document)
    graph = graph_section(page)
    assert "<ul class=\"compact\">" not in graph and "Drawn by a layered layout in Python" in graph
    nodes = re.findall(r'<g class="node" data-id="([^"]+)"><a href="#([^"]+)"><title>', graph)
    assert {i for i, _ in nodes} == {l["id"] for l in every_status_document["lemmas"]}
    assert all(target == "lemma-" + i.replace(".", "-") and f'id="{target}"' in page for i, target in nodes)
    assert graph.count('<g class="edge uses">') == 1 and graph.count('<g class="edge correction">') == 1
    correction = re.search(r'<g class="edge correction">.*?</g>', graph).group(0)
    assert "demo.fix → demo.refuted" in correction and "stroke-dasharray" in correction and "#c62828" in correction


def test_without_graphviz_the_whole_graph_has_a_box_per_family_and_an_axiom_is_a_hexagon(without_graphviz):
    records = [lemma_record("alpha.top", "proved", uses=["beta.cited"]),
               lemma_record("beta.cited", "proved", kind="axiom"), lemma_record("alpha.<b>odd</b>", "refuted")]
    document = build_status(records, {"seed": 0}, project={"families": {"alpha": "Alpha & co"}})
    svg, drawer = graph.whole_graph_svg(document["lemmas"], {"alpha": "Alpha & co"})
    assert drawer == "layered" and svg.startswith("<svg xmlns=")
    assert re.findall(r'<g class="cluster">.*?<text[^>]*>([^<]+)</text>', svg) == ["Alpha &amp; co", "beta"]
    assert '<g class="node" data-id="beta.cited"><a href="index.html#lemma-beta-cited"><title>' in svg
    assert re.search(r'data-id="beta.cited">.*?<polygon points="([\d., ]+)"', svg).group(1).count(",") == 6
    assert "<b>" not in svg and "alpha.&lt;b&gt;odd&lt;/b&gt;" in svg
    assert ElementTree.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"  # well formed, fit to be a file


def test_the_layered_drawing_is_the_same_in_every_process(every_status_document, tmp_path):
    source = tmp_path / "status.json"
    source.write_text(json.dumps(every_status_document))
    program = ("import json, sys; from proofs.report import layered, graph; d = json.load(open(sys.argv[1])); "
               "print(layered.svg(graph.whole_graph(d['lemmas'], {})))")
    drawings = {subprocess.run([sys.executable, "-c", program, str(source)], capture_output=True, text=True, check=True,
                               env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    assert len(drawings) == 1


def test_a_graph_no_layout_can_draw_is_listed_and_the_page_says_why(every_status_document, without_graphviz,
                                                                     monkeypatch):
    from proofs.report import layered

    def broken(diagram):
        raise RuntimeError("no layout")

    monkeypatch.setattr(layered, "svg", broken)
    page = render_html(every_status_document)
    assert "The graphs could not be drawn" in page
    assert '<ul class="compact"><li><a href="#lemma-demo' in page


def test_a_project_without_claims_has_no_claims_table_no_errata_and_says_when_a_source_is_unstated(tmp_path):
    records = [{**lemma_record("demo.refuted", "refuted", counterexample={"x": 1}), "claim_ref": None,
                "source": "unstated", "paper_ref": ""},
               {**lemma_record("demo.fix", "proved", kind="correction", corrects="demo.refuted"), "claim_ref": None,
                "paper_ref": ""}]
    document = build_status(records, {"seed": 0})
    write_report(document, tmp_path)
    page, status_md = (tmp_path / "index.html").read_text(), (tmp_path / "STATUS.md").read_text()
    assert 'id="claims"' not in page and 'id="errata"' not in page and "Errata" not in page
    assert "no claim" not in page and "headline reading" not in page and "source unstated" in page
    assert "| `demo.refuted` | source unstated | **refuted** |" in status_md
    with_claims = build_status([{**r, "claim_ref": "E-19"} for r in records], {"seed": 0})
    page = render_html(with_claims)
    assert 'id="claims"' in page and 'id="errata"' in page and "headline reading" in page


def test_without_cvc5_every_z3_card_the_summary_and_status_md_say_the_proofs_were_not_re_checked(tmp_path):
    record = lemma_record("demo.proved", "proved")  # its evidence is z3's
    without = build_status([record], {"seed": 0, "cvc5": None})
    write_report(without, tmp_path)
    page, status_md = (tmp_path / "index.html").read_text(), (tmp_path / "STATUS.md").read_text()
    card = page[page.index('id="lemma-demo-proved"'):]
    assert '<span class="badge idle">not re-checked by cvc5: not installed</span>' in card
    assert "none: not re-checked by cvc5: not installed" in page.split('id="graph"')[0]
    assert "**Proofs by z3 not re-checked by cvc5: not installed**" in status_md
    with_cvc5 = render_html(build_status([record], {"seed": 0, "cvc5": "1.2.1"}))
    assert "not re-checked" not in with_cvc5 and ">cvc5 1.2.1</td>" in with_cvc5
    no_z3 = {**record, "evidence": [{**record["evidence"][0], "engine": "sympy"}]}
    assert "cvc5" not in render_html(build_status([no_z3], {"seed": 0, "cvc5": None})).split('id="run"')[0]


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
    expected = {"status.json", "STATUS.md", "index.html", "graph.dot", "graph.graphml", "graph.svg", "graph.html"}
    assert {p.name for p in written} == expected
    graph = nx.read_graphml(tmp_path / "graph.graphml")
    assert graph.has_edge("demo.fix", "demo.refuted") and graph.nodes["demo.refuted"]["status"] == "refuted"
    dot = (tmp_path / "graph.dot").read_text()
    assert '"demo.fix" -> "demo.refuted" [style=dashed' in dot and 'subgraph "cluster_demo"' in dot
    assert "<script>alert(1)</script>" not in (tmp_path / "graph.svg").read_text()


def test_a_status_row_shows_every_status_in_the_legend(every_status_document):
    page = render_html(every_status_document)
    legend = page[page.index('class="legend"'):page.index("</div>", page.index('class="legend"'))]
    for status in Status:
        assert f"s-{status.value}" in legend
