"""The Coq re-check of a run, end to end: Coq's answer lands on each proved goal's evidence, a
translation Coq contradicts makes its lemma a conflict, and without coqc every goal says why it
was not re-checked (the verdicts are unchanged)."""

import json
import shutil
import textwrap

import pytest

from proofs import recheck
from proofs.status import Status


def record_with_goal(label="demo.x/check", status="proved"):
    return {"id": label.partition("/")[0], "status": status, "matches_expectation": True,
            "evidence": [{"engine": "z3", "check": "check", "status": status, "detail": "unsat",
                          "facts": {"coq_goal": {"label": label}}}]}


def test_a_checked_answer_is_merged_and_the_goal_itself_dropped():
    record = record_with_goal()
    conflicts = recheck.merge([record], {"demo.x/check": {"outcome": "checked", "detail": "closed by: lra"}}, None)
    facts = record["evidence"][0]["facts"]
    assert conflicts == []
    assert facts == {"kernel": {"outcome": "checked", "detail": "closed by: lra"}}
    assert record["status"] == "proved"


def test_a_goal_coq_refutes_makes_the_lemma_a_conflict_and_says_why():
    record = record_with_goal()
    answer = {"outcome": "conflict", "detail": "Coq proves the negation of the translated goal"}
    assert recheck.merge([record], {"demo.x/check": answer}, None) == ["demo.x"]
    assert record["status"] == Status.CONFLICT.value
    assert record["matches_expectation"] is False
    assert record["evidence"][0]["status"] == Status.CONFLICT.value
    assert "negation" in record["evidence"][0]["detail"]


def test_a_goal_without_an_answer_says_why_it_was_not_rechecked_and_keeps_its_verdict():
    record = record_with_goal()
    assert recheck.merge([record], {}, recheck.NOT_INSTALLED) == []
    assert record["evidence"][0]["facts"]["kernel"] == {"outcome": "not re-checked",
                                                        "detail": recheck.NOT_INSTALLED}
    assert record["status"] == "proved"


def test_a_goal_the_exporter_could_not_translate_is_not_exportable_with_the_error():
    record = record_with_goal()
    record["evidence"][0]["facts"] = {"coq_goal": None, "coq_error": "the function erfc"}
    recheck.merge([record], {}, None)
    assert record["evidence"][0]["facts"]["kernel"]["outcome"] == "not exportable"
    assert "erfc" in record["evidence"][0]["facts"]["kernel"]["detail"]


def test_auto_wants_coq_exactly_when_coqc_is_on_the_path(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert not recheck.wanted("auto") and recheck.wanted("on") and not recheck.wanted("off")
    assert recheck.why_not("auto") == recheck.NOT_INSTALLED and recheck.why_not("off") == recheck.SWITCHED_OFF


LINEAR = """
from proofs import lemma
WAIVE = {"property": "demo", "simulation": "demo"}

SUM = lemma("demo.sum_bound", title="a sum of bounded terms", statement="a ≤ 1 and b ≤ 2 imply a + b ≤ 3",
            waivers=WAIVE, expect="proved")

@SUM.check("z3")
def add_the_bounds(q):
    a, b = q.reals("a b")
    q.given(a <= 1, b <= 2)
    q.prove(a + b <= 3)
"""


def run_project(pytester, *options):
    pytester.makepyfile(**{"theorems/demo": textwrap.dedent(LINEAR)})
    result = pytester.runpytest_subprocess("theorems", "-p", "no:cacheprovider", "-n", "0", *options)
    document = json.loads((pytester.path / "reports" / "status.json").read_text())
    return result, document


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("coqc") is None, reason="coqc is not installed (apt install coq libcoq-interval)")
def test_a_project_run_with_coqc_has_its_proved_goal_checked_by_coqs_kernel(pytester):
    result, document = run_project(pytester, "--proof-coq", "on")
    assert result.ret == 0, result.stdout.str()
    (evidence,) = document["lemmas"][0]["evidence"]
    assert evidence["facts"]["kernel"]["outcome"] == "checked", evidence["facts"]["kernel"]
    assert "a + b <= 3" in evidence["facts"]["kernel"]["statement"]
    assert document["summary"]["kernel"]["checked"] == 1
    assert document["summary"]["kernel"]["fully_kernel_checked"] == ["demo.sum_bound"]
    result.stdout.fnmatch_lines(["*kernel-checked by Coq*1 of 1*"])
    page = (pytester.path / "reports" / "index.html").read_text()
    assert "Coq: checked" in page and "the goal as Coq states it" in page


@pytest.mark.slow
def test_a_project_run_without_the_recheck_keeps_its_verdict_and_says_so(pytester):
    result, document = run_project(pytester, "--proof-coq", "off")
    assert result.ret == 0, result.stdout.str()
    lemma = document["lemmas"][0]
    assert lemma["status"] == "proved"
    assert "kernel" not in lemma["evidence"][0]["facts"]  # no goal was stated in Coq, so none carries an answer
    summary = document["summary"]["kernel"]
    assert (summary["ran"], summary["reason"], summary["checked"], summary["proved_goals"]) == (
        False, recheck.SWITCHED_OFF, 0, 1)
    page = (pytester.path / "reports" / "index.html").read_text()
    assert "re-checked by Coq" in page and recheck.SWITCHED_OFF in page
