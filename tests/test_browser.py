"""The report page in a real browser (headless Chromium, Debian's package, driven by Playwright).

Checked: no console error, no network request, no horizontal overflow at 390 px (a phone), every
in-page link resolves, a graph node click lands on its lemma's card, the claims table has one row
per claim. Screenshots of the top of the page, the graph and a phone view are kept as artefacts
(`test-artifacts/browser/`, or the folder in PROOFS_SCREENSHOTS).

By default the page is built from a report with every status and this project's 39 claims; set
PROOFS_BROWSER_REPORT=reports to check the report of a real run instead (`.ci/run` does both).
Skipped, with the reason, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import SMUGGLING_TEX
from proofs import claims as claim_data
from proofs.report import build_status, write_report

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _record(lemma_id, status, claim, **extra):
    evidence = {"engine": "z3", "check": "c", "kind": "symbolic", "status": status, "detail": f"detail of {lemma_id}",
                "counterexample": {"n": 1, "margin": 0.313, "attention": 0.5} if status == "refuted" else None,
                "elapsed_s": 0.1, "artifacts": [], "hypotheses": [], "facts": {"points_evaluated": 12}}
    if status == "refuted":
        evidence["facts"]["sentence"] = "with 1 distractor and margin 0.313 the attention is 0.5 < 1/2 + ε"
    return {"id": lemma_id, "title": f"title of {lemma_id} with $e^{{2B}}/(e^{{2B}}+N')$", "kind": "lemma",
            "paper_ref": "§3", "claim_ref": claim, "source": "reconstructed",
            "statement": "With $N'$ distractors, $\\alpha = \\frac{e^{\\Delta}}{e^{\\Delta}+N'}$ <script>x</script>",
            "formal": "$\\sum_{j \\le m} x_j$", "interpretation": ["a choice"], "uses": [], "corrects": None,
            "expected": status, "waivers": {}, "module": "theorems.demo", "status": status, "problems": [],
            "evidence": [evidence], "matches_expectation": True,
            "variables": {"n": "distractors", "margin": "logit margin Δ"}, **extra}


def synthetic_document():
    claims = claim_data.load(REPOSITORY / "claims" / "claims.toml")
    statuses = ["proved", "tested", "refuted", "unknown", "timeout", "vacuous", "error", "conflict"]
    records, fixed = [], []
    for number, claim in enumerate(claims):
        family = ("alpha", "beta", "gamma")[number % 3]
        status = statuses[number % len(statuses)]
        lemma_id = f"{family}.claim_{number:02d}"
        records.append(_record(lemma_id, status, claim.id))
        if status == "refuted":
            fixed.append(_record(f"{family}.claim_{number:02d}_fixed", "proved", claim.id, kind="correction",
                                 corrects=lemma_id, uses=[f"{family}.claim_{max(0, number - 3):02d}"]))
    document = build_status(records + fixed, {"seed": 0, "git_commit": None, "scale": "default"}, claims=[
        claim.__class__(**{**{f: getattr(claim, f) for f in claim.__slots__}, "headline": None}) for claim in claims],
        project={"title": "A synthetic report", "subtitle": "every status, 39 claims"})
    return document


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    real = os.environ.get("PROOFS_BROWSER_REPORT")
    if real:
        path = Path(real).resolve() / "index.html"
        if not path.exists():
            pytest.skip(f"PROOFS_BROWSER_REPORT={real}: no index.html there")
        return path
    folder = tmp_path_factory.mktemp("report")
    write_report(synthetic_document(), folder)
    return folder / "index.html"


@pytest.fixture(scope="module")
def page_without_graphviz(tmp_path_factory):
    """The synthetic report written on a machine without Graphviz (no `dot` on PATH): its graphs are
    drawn by the layered layout in Python."""
    folder = tmp_path_factory.mktemp("report-without-dot")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", str(folder / "no-programs-here"))
        assert shutil.which("dot") is None
        write_report(synthetic_document(), folder)
    return folder / "index.html"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt install chromium)")
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    with playwright.sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def shots():
    folder = Path(os.environ.get("PROOFS_SCREENSHOTS", REPOSITORY / "test-artifacts" / "browser"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser, path, width, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = {"console": [], "requests": []}
    page.on("console", lambda message: problems["console"].append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems["console"].append(str(error)))

    def request(route):
        url = route.request.url
        if not url.startswith("file://"):
            problems["requests"].append(url)
            return route.abort()
        return route.continue_()

    page.route("**/*", request)
    page.goto(path.as_uri(), wait_until="load")
    return context, page, problems


def test_no_console_error_no_network_request_and_first_render_timed(browser, page_path, shots):
    context, page, problems = open_page(browser, page_path, 1366)
    paint = page.evaluate("""() => {
        const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
        const navigation = performance.getEntriesByType('navigation')[0];
        return paint ? paint.startTime : (navigation ? navigation.domContentLoadedEventEnd : null); }""")
    page.screenshot(path=str(shots / "top.png"))
    context.close()
    assert problems["console"] == [] and problems["requests"] == []
    weight = sum(p.stat().st_size for p in page_path.parent.rglob("*") if p.is_file() and p.suffix in (".html", ".png"))
    (shots / "timing.txt").write_text(f"first contentful paint: {paint} ms\nhtml: {page_path.stat().st_size} bytes\n"
                                      f"html + plots: {weight} bytes\n")
    assert paint is not None


def test_a_phone_sees_no_horizontal_overflow(browser, page_path, shots):
    context, page, _ = open_page(browser, page_path, 390, 844)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=str(shots / "phone.png"))
    page.locator("#claims").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "phone-claims.png"))
    context.close()
    assert overflow <= 0


def test_every_in_page_link_resolves(browser, page_path):
    context, page, _ = open_page(browser, page_path, 1366)
    broken = page.evaluate("""() => [...document.querySelectorAll('a[href^="#"], a[*|href^="#"]')]
        .map(a => a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))
        .filter(h => h && h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1))))""")
    context.close()
    assert broken == []


@pytest.mark.parametrize("report", ["page_path", "page_without_graphviz"])
def test_a_graph_node_click_lands_on_its_card(browser, report, shots, request):
    path = request.getfixturevalue(report)
    context, page, problems = open_page(browser, path, 1366)
    graph = page.locator("#graph")
    graph.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"graph-{report}.png"))
    drawn = page.evaluate("""() => [...document.querySelectorAll('#graph svg a')].filter(a => {
        const r = a.getBoundingClientRect(); return r.width > 20 && r.height > 8; }).length""")
    node = page.locator("#graph svg a").nth(2)
    href = node.get_attribute("xlink:href") or node.get_attribute("href")
    node.click()
    page.wait_for_timeout(300)
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    in_view = page.evaluate("""id => { const r = document.getElementById(id).getBoundingClientRect();
                                      return r.top >= 0 && r.top < window.innerHeight; }""", target)
    context.close()
    assert drawn >= 39  # a drawn node per lemma (and stubs), each visibly sized, none a list item
    assert target == href.lstrip("#") and target.startswith("lemma-") and in_view
    assert problems["console"] == [] and problems["requests"] == []


def test_without_graphviz_the_graph_draws_arcs_and_families_and_says_who_drew_it(browser, page_without_graphviz):
    context, page, _ = open_page(browser, page_without_graphviz, 1366)
    figures = page.evaluate("""() => [...document.querySelectorAll('#graph figure.claim-graph')].map(f => {
        const svg = f.querySelector('svg'); const r = svg ? svg.getBoundingClientRect() : null;
        return {drawn: !!svg && r.width > 0 && r.height > 0, nodes: f.querySelectorAll('g.node').length,
                uses: f.querySelectorAll('g.edge.uses path').length,
                corrections: f.querySelectorAll('g.edge.correction path[stroke-dasharray]').length}; })""")
    families = page.locator("#graph .family-graph").count()
    note = page.locator("#graph p.meta").first.inner_text()
    context.close()
    assert families == 3 and figures and all(f["drawn"] and f["nodes"] for f in figures)
    assert sum(f["corrections"] for f in figures) == 5 and sum(f["uses"] for f in figures) == 5
    assert "layered layout in Python" in note


def test_tex_that_smuggles_a_url_makes_the_page_request_nothing(browser, tmp_path):
    records = [_record(f"demo.payload_{name}", "proved", None, statement=f"the {name} payload: {tex}",
                       formal=tex, title=f"title with {tex}") for name, tex in SMUGGLING_TEX.items()]
    write_report(build_status(records, {"seed": 0, "git_commit": None, "scale": "default"}), tmp_path)
    context, page, problems = open_page(browser, tmp_path / "index.html", 1366)
    page.wait_for_timeout(500)  # time for any background image or font to be asked for
    rendered = page.locator("main span.math math").count()
    context.close()
    assert problems["requests"] == [] and problems["console"] == []
    assert rendered >= len(SMUGGLING_TEX)  # the formulas are shown as MathML, without what they smuggled


def test_the_claims_table_has_one_row_per_claim(browser, page_path):
    context, page, _ = open_page(browser, page_path, 1366)
    rows = page.locator("table.claims tr[id^='claim-']").count()
    maths = page.locator("math").count()
    context.close()
    expected = len(claim_data.load(REPOSITORY / "claims" / "claims.toml"))
    assert rows == expected == 39
    assert maths > 0  # TeX between $…$ became MathML
