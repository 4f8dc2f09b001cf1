"""Helpers shared by the kernel tests: a private registry, a place for artifacts, a sample report."""

import pytest

from proofs.registry import Registry
from proofs.report import build_status
from proofs.status import Status


@pytest.fixture
def registry():
    return Registry()


@pytest.fixture
def report_dir(tmp_path):
    return tmp_path / "reports"

pytest_plugins = ["pytester"]

# TeX in a lemma's text that tries to make the page fetch something (each names its own host, so a
# request shows which one got through): a style, a link, a class or id the page's CSS could use,
# a colour or background that is a url(…), a URL as text, a character by number, and HTML in \text.
SMUGGLING_TEX = {
    "style": r"$\style{background:url(https://style.example/x.png)}{x}$",
    "href": r"$\href{https://href.example/}{x}$",
    "class": r"$\class{card}{x}$",
    "cssId": r"$\cssId{graph}{x}$",
    "url": r"$\url{https://url.example/}$",
    "unicode": r"$\unicode{x1F600} \unicode{<img src=https://unicode.example/>}$",
    "mathrm": r"$\mathrm{url(https://mathrm.example/x.png)}$",
    "textcolor": r"$\textcolor{url(https://textcolor.example/x)}{x}$",
    "colorbox": r"$\colorbox{url(https://colorbox.example/x)}{x}$",
    "html": r"$\text{<img src=https://html.example/x.png>} \text{<svg><image href=https://svg.example/x/></svg>}$",
}


def lemma_record(id, status, *, uses=(), corrects=None, kind="lemma", statement="s", counterexample=None):
    """One lemma of status.json as a run records it (the fields the report reads)."""
    return {
        "id": id, "title": f"title of {id}", "kind": kind, "paper_ref": "§3", "claim_ref": "E-19",
        "source": "attested", "statement": statement, "formal": "f", "interpretation": ["a choice"],
        "uses": list(uses), "corrects": corrects, "expected": status, "waivers": {}, "module": "theorems.demo",
        "status": status, "problems": ["a problem"] if status == "error" else [],
        "evidence": [{"engine": "z3", "check": "c", "status": status, "detail": f"detail of {id}",
                      "counterexample": counterexample, "elapsed_s": 0.5, "artifacts": []}],
        "matches_expectation": True,
    }


@pytest.fixture
def every_status_document():
    """A report in which every status occurs once, with a correction and a hostile statement."""
    records = [lemma_record(f"demo.{s.value}", s.value) for s in Status if s is not Status.REFUTED]
    records.append(lemma_record("demo.refuted", "refuted", statement="<script>alert(1)</script>",
                                counterexample={"x": 1, "n": 2}))
    records.append(lemma_record("demo.fix", "proved", kind="correction", corrects="demo.refuted",
                                uses=["demo.tested"]))
    provenance = {"python": "3.11", "z3": "4", "sympy": "1", "hypothesis": "6", "numpy": "2", "git_commit": None,
                  "seed": 0, "scale": "default", "hypothesis_profile": "dev"}
    return build_status(records, provenance)


@pytest.fixture(autouse=True)
def _generated_projects_skip_the_coq_recheck(request, monkeypatch):
    """A project a test generates and runs with pytester is run with `--proof-coq off`: those tests
    are about the plugin, the report and the command line, and a coqc batch in each of their runs
    would cost seconds apiece. The re-check itself is tested in test_coq.py and test_recheck.py,
    whose runs say `--proof-coq on` (the last option given wins)."""
    if "pytester" in request.fixturenames:
        request.getfixturevalue("pytester")  # first: pytester clears PYTEST_ADDOPTS when it starts
        monkeypatch.setenv("PYTEST_ADDOPTS", "--proof-coq off")
