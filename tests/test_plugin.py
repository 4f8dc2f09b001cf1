"""The living suite end to end: pytest on generated theorems modules, in a fresh process."""

import json
import textwrap

import pytest

pytestmark = pytest.mark.slow

HEADER = """
from hypothesis import given, strategies as st
from proofs import lemma, sim
WAIVE = {"property": "demo", "simulation": "demo"}
"""

DEMO = HEADER + """
TRUE = lemma("demo.square_non_negative", title="squares", statement="x² ≥ 0", waivers=WAIVE, expect="proved")

@TRUE.check("z3")
def square(q):
    (x,) = q.reals("x")
    q.prove(x * x >= 0)

FALSE = lemma("demo.threshold_twin", title="false twin", statement="forgets (1 − p)",
              uses=["demo.square_non_negative"], waivers=WAIVE)

@FALSE.check("z3")
def twin(q):
    x, n, p = q.reals("x n p")
    q.given(x > 0, n >= 1, p > 0, p < 1)
    q.prove((x / (x + n) >= p) == (x >= n * p))

CRASH = lemma("demo.crashes", title="crash", statement="raises", waivers=WAIVE)

@CRASH.check("z3")
def boom(q):
    raise RuntimeError("planted crash")

ORPHAN = lemma("demo.orphan", title="orphan", statement="uses a typo", uses=["demo.square_non_negativ"],
               waivers=WAIVE)

@ORPHAN.check("z3")
def fine(q):
    (x,) = q.reals("x")
    q.prove(x + 1 > x)

MOVED = lemma("demo.moved", title="moved", statement="expected proved", expect="proved", waivers=WAIVE)

@MOVED.check("z3")
def false_claim(q):
    (x,) = q.reals("x")
    q.prove(x > 0)
"""


@pytest.fixture
def suite(pytester):
    pytester.makepyfile(**{"theorems/demo": textwrap.dedent(DEMO)})
    return pytester


def read_report(pytester):
    return {l["id"]: l for l in json.loads((pytester.path / "reports" / "status.json").read_text())["lemmas"]}


def test_verdicts_are_shown_and_the_report_is_written_with_every_lemma(suite):
    result = suite.runpytest_subprocess("theorems", "-v")
    result.stdout.fnmatch_lines(["*demo.square_non_negative PROVED*", "*demo.threshold_twin REFUTED*",
                                 "*proof suite*", "*fully proved: 1 of 5*"])
    assert result.ret == 1
    report = read_report(suite)
    assert {k: v["status"] for k, v in report.items()} == {
        "demo.square_non_negative": "proved", "demo.threshold_twin": "refuted", "demo.crashes": "error",
        "demo.orphan": "error", "demo.moved": "refuted"}
    refuted = report["demo.threshold_twin"]["evidence"][0]
    assert set(refuted["counterexample"]) == {"x", "n", "p"}
    assert "planted crash" in report["demo.crashes"]["evidence"][0]["detail"]
    assert "did you mean 'demo.square_non_negative'" in report["demo.orphan"]["problems"][0]
    assert report["demo.threshold_twin"]["conditional_on"] == []
    assert (suite.path / "reports" / "STATUS.md").exists()
    assert (suite.path / "reports" / "smt2" / "demo.square_non_negative" / "square.negation.smt2").exists()


def test_only_the_broken_lemmas_fail_their_own_tests(suite):
    result = suite.runpytest_subprocess("theorems")
    assert result.parseoutcomes() == {"failed": 3, "proved": 1, "refuted": 1}
    result.stdout.fnmatch_lines(["*demo.moved: verdict moved from proved (expected) to refuted*"])


def test_a_module_that_fails_to_import_does_not_stop_the_others(suite):
    suite.makepyfile(**{"theorems/broken": "import nonexistent_module_for_the_test\n"})
    result = suite.runpytest_subprocess("theorems")
    assert result.ret == 1
    document = json.loads((suite.path / "reports" / "status.json").read_text())
    assert len(document["lemmas"]) == 5
    assert any("broken.py" in e for e in document["summary"]["collection_errors"])


def test_parallel_workers_give_the_same_verdicts(suite):
    suite.runpytest_subprocess("theorems")
    serial = {k: v["status"] for k, v in read_report(suite).items()}
    result = suite.runpytest_subprocess("theorems", "-n", "2")
    result.stdout.fnmatch_lines(["*proof suite*"])
    assert {k: v["status"] for k, v in read_report(suite).items()} == serial


PINNED = HEADER + """
CLAIM = lemma("demo.square_bound", title="squares", statement="x² ≥ x − 1", waivers=WAIVE, expect="proved")

@CLAIM.check("z3")
def square(q):
    (x,) = q.reals("x")
    q.prove(x * x >= x - 1)
"""


def test_a_statement_change_that_is_not_pinned_fails_and_names_the_lemma(pytester):
    import sys

    pytester.makepyfile(**{"theorems/demo": textwrap.dedent(PINNED)})
    assert pytester.run(sys.executable, "-m", "proofs", "pin", "--theorems-dir", "theorems").ret == 0
    assert pytester.runpytest_subprocess("theorems").ret == 0
    # a quiet weakening: the same words, an easier claim
    pytester.makepyfile(**{"theorems/demo": textwrap.dedent(PINNED).replace("x * x >= x - 1", "x * x >= x - 2")})
    result = pytester.runpytest_subprocess("theorems")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*a check, or a project function a check calls changed for demo.square_bound since it was pinned*"])
    assert json.loads((pytester.path / "reports" / "status.json").read_text())["summary"]["pins"]["changed"] == [
        "demo.square_bound"]
    assert pytester.run(sys.executable, "-m", "proofs", "pin", "demo.square_bound", "--theorems-dir", "theorems").ret == 0
    assert pytester.runpytest_subprocess("theorems").ret == 0
