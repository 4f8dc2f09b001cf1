"""The API reference is generated from the installed package's docstrings by pdoc, with the goals
page (`docs/goals.md`, one example per kind of goal) inside it: built here, every internal link
followed, and every example run as written."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.slow

pytest.importorskip("pdoc", reason="pdoc builds the API reference: pip install -e '.[docs]' (in the test extra)")

REPOSITORY = Path(__file__).resolve().parents[1]
GOALS = REPOSITORY / "docs" / "goals.md"


class Page(HTMLParser):
    """The ids of an HTML page and the links it makes (href and src, outside scripts)."""

    def __init__(self, text):
        super().__init__()
        self.ids, self.links = set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(name):
                self.ids.add(attributes[name])
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The reference as a user builds it: from another folder, importing the installed `proofs`."""
    output = tmp_path_factory.mktemp("api")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    built = subprocess.run([sys.executable, str(REPOSITORY / "docs" / "api" / "build.py"), str(output / "site")],
                           cwd=elsewhere, env=environment, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    return output / "site"


def broken_links(site):
    """Every internal link of the site that leads to no file or no anchor, and how many were followed."""
    pages = {path: Page(path.read_text()) for path in site.rglob("*.html")}
    followed, broken = 0, []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("${", "//")):
                continue  # outside the site (pdoc's own home page), or a template inside a script
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                broken.append(f"{path.relative_to(site)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{path.relative_to(site)}: {link} (no such anchor)")
            followed += 1
    return broken, followed


def test_the_reference_builds_every_internal_link_resolves_and_every_page_links_the_goals(site, tmp_path):
    assert {"index.html", "goals.html", "proofs.html", "proofs/cas.html", "proofs/interval.html", "proofs/smt.html",
            "proofs/sim.html", "proofs/registry.html"} <= {str(p.relative_to(site)) for p in site.rglob("*.html")}
    broken, followed = broken_links(site)
    assert broken == [] and followed > 500
    goals = Page((site / "goals.html").read_text()).links
    for entry in ("proofs/cas.html#Identity", "proofs/cas.html#Limit", "proofs/cas.html#Bound",
                  "proofs/cas.html#Induction", "proofs/interval.html#Bound", "proofs/smt.html#Query.recursive_function",
                  "proofs/smt.html#Query.induction", "proofs/smt.html#Query.use"):
        assert entry in goals, entry
    for path in (site / "proofs").rglob("*.html"):
        prefix = "../" * (len(path.relative_to(site).parts) - 1)
        assert f"{prefix}goals.html" in Page(path.read_text()).links, path
    # the checker sees a page that went missing, and an anchor that did
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(site, damaged)
    (damaged / "proofs" / "interval.html").unlink()
    cas = damaged / "proofs" / "cas.html"
    cas.write_text(cas.read_text().replace('id="Induction"', 'id="Renamed"'))
    broken, _ = broken_links(damaged)
    assert "goals.html: proofs/interval.html#Bound (no such file)" in broken
    assert "goals.html: proofs/cas.html#Induction (no such anchor)" in broken


def goal_examples() -> str:
    blocks = re.findall(r"<!-- goals-code -->\n```python\n(.*?)```", GOALS.read_text(), re.S)
    assert len(blocks) == 8, "docs/goals.md lost an example"
    return "\n\n".join(blocks)


def test_every_goal_example_runs_as_written_and_is_proved(pytester):
    pytester.makepyfile(**{"theorems/goals": goal_examples()})
    result = pytester.runpytest_subprocess("theorems")
    assert result.ret == 0, result.stdout.str()
    document = json.loads((pytester.path / "reports" / "status.json").read_text())
    statuses = {l["id"]: l["status"] for l in document["lemmas"]}
    assert len(statuses) == 8 and set(statuses.values()) == {"proved"}, statuses
    kinds = {e["engine"] for l in document["lemmas"] for e in l["evidence"]}
    assert kinds == {"sympy", "interval", "z3"}
