"""The kernel as a library: another project's lemmas, checked the same way, and nobody else touched.

Each test here stands for a way the kernel once assumed it was this repository (issue 13). The
projects are generated with pytester and run in a fresh pytest process.
"""

import json
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

PROVED = '''
from proofs import lemma
WAIVE = {{"property": "demo", "simulation": "demo"}}
SQUARES = lemma("{family}.squares", title="squares", statement="x² ≥ 0", waivers=WAIVE, expect="proved")

@SQUARES.check("z3")
def square(q):
    (x,) = q.reals("x")
    q.prove(x * x >= 0)
'''

PYPROJECT = '''
[project]
name = "their-project"
version = "0.1"

[tool.proofs]
title = "Their own claims, checked"
report = "out/report"
'''


def project(pytester, **modules):
    pytester.makefile(".toml", pyproject=PYPROJECT)
    for name, text in modules.items():
        pytester.makepyfile(**{f"theorems/{name}": textwrap.dedent(text)})
    return pytester


def report_of(path):
    return json.loads((path / "status.json").read_text())


def test_a_module_named_on_the_command_line_that_fails_to_import_is_one_failing_item(pytester):
    project(pytester, good=PROVED.format(family="good"), broken="import module_that_does_not_exist\n")
    result = pytester.runpytest_subprocess("theorems/broken.py", "theorems/good.py")
    assert result.ret == 1
    assert "Interrupted" not in result.stdout.str()
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1 and outcomes.get("proved") == 1
    document = report_of(pytester.path / "out" / "report")
    assert [l["id"] for l in document["lemmas"]] == ["good.squares"]
    assert document["summary"]["collection_errors"] == [
        "broken.py: ModuleNotFoundError: No module named 'module_that_does_not_exist' (at broken.py:1)"]


def test_a_module_that_raises_at_import_is_listed_once_at_the_authors_line(pytester):
    project(pytester, raising='x = 1\nraise RuntimeError("planted")\n')
    result = pytester.runpytest_subprocess("theorems")
    assert result.ret == 1
    errors = report_of(pytester.path / "out" / "report")["summary"]["collection_errors"]
    assert errors == ["raising.py: RuntimeError: planted (at raising.py:2)"]


UNRELATED_TEST = '''
import time
from hypothesis import Phase, given, settings, strategies as st

def test_the_default_profile_is_hypothesis_own():
    assert settings.get_current_profile_name() == "default"
    assert settings.default.deadline is not None and settings.default.database is not None

# only the number of examples and no shrinking (each call sleeps): the deadline stays Hypothesis' default
@settings(max_examples=2, phases=[Phase.generate])
@given(st.integers())
def test_too_slow_for_the_default_deadline(n):
    time.sleep(0.25)
'''


def test_an_unrelated_project_is_untouched_by_the_plugin(pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)  # under CI=true Hypothesis itself loads its own `ci` profile
    pytester.makepyfile(test_unrelated=textwrap.dedent(UNRELATED_TEST))
    pytester.makeconftest('''
import sys
def pytest_sessionfinish(session):
    heavy = [m for m in ("z3", "sympy", "cvc5", "networkx", "matplotlib", "flint") if m in sys.modules]
    print("HEAVY MODULES:", heavy)
''')
    result = pytester.runpytest_subprocess("-s")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*HEAVY MODULES: []*"])
    result.stdout.fnmatch_lines(["*DeadlineExceeded*"])
    assert "proofs:" not in result.stdout.str() and "proof suite" not in result.stdout.str()
    assert not (pytester.path / "reports").exists()


def test_hypothesis_own_ci_profile_is_never_overwritten(pytester):
    pytester.makepyfile(test_profile='''
from hypothesis import settings
def test_ci_is_hypothesis_own():
    assert settings.get_profile("ci").max_examples == settings.get_profile("default").max_examples
''')
    project(pytester, good=PROVED.format(family="good"))
    outcomes = pytester.runpytest_subprocess("theorems", "test_profile.py").parseoutcomes()
    assert outcomes == {"passed": 1, "proved": 1}


def test_the_report_uses_the_projects_title_and_folder_from_anywhere_in_it(pytester):
    project(pytester, good=PROVED.format(family="good"))
    pytester.chdir()
    (pytester.path / "theorems").mkdir(exist_ok=True)
    import os

    os.chdir(pytester.path / "theorems")
    result = pytester.runpytest_subprocess(".")
    assert result.ret == 0
    assert not (pytester.path / "theorems" / "reports").exists() and not (pytester.path / "reports").exists()
    report = pytester.path / "out" / "report"
    page = (report / "index.html").read_text()
    assert "<title>Their own claims, checked</title>" in page
    assert "Fundamental Limits" not in page and "2511.12869" not in (report / "STATUS.md").read_text()
    assert "outside git" in (report / "STATUS.md").read_text() and "commit None" not in page


def test_moved_verdicts_name_only_lemmas_with_an_expectation(pytester):
    project(pytester, mixed='''
from proofs import lemma
WAIVE = {"property": "demo", "simulation": "demo"}
NO_EXPECTATION = lemma("mixed.crashes", title="t", statement="s", waivers=WAIVE)

@NO_EXPECTATION.check("z3")
def boom(q):
    raise RuntimeError("planted")

MOVED = lemma("mixed.moved", title="t", statement="s", waivers=WAIVE, expect="proved")

@MOVED.check("z3")
def false_claim(q):
    (x,) = q.reals("x")
    q.prove(x > 0)
''')
    result = pytester.runpytest_subprocess("theorems")
    result.stdout.fnmatch_lines(["*verdicts that moved: mixed.moved", "*errors and conflicts: mixed.crashes"])
    summary = report_of(pytester.path / "out" / "report")["summary"]
    assert summary["expectation_mismatches"] == ["mixed.moved"]
    assert summary["failures_without_expectation"] == ["mixed.crashes"]


def test_a_missing_check_is_reported_with_the_lemmas_own_name(pytester):
    project(pytester, bare='''
from proofs import lemma
MY_CLAIM = lemma("bare.claim", title="t", statement="s", waivers={"property": "p", "simulation": "s"})
''')
    pytester.runpytest_subprocess("theorems")
    (lemma,) = report_of(pytester.path / "out" / "report")["lemmas"]
    assert any("add @MY_CLAIM.check(...)" in p for p in lemma["problems"])


def test_a_time_limit_is_printed_as_the_author_stated_it(pytester):
    project(pytester, slow='''
from proofs import lemma
WAIVE = {"property": "p", "simulation": "s"}
HARD = lemma("slow.cubes", title="t", statement="s", waivers=WAIVE)

@HARD.check("z3", timeout_s=2)
def cubes(q):
    x, y, z = q.ints("x y z")
    q.prove(x * x * x + y * y * y + z * z * z != 33)
''')
    pytester.runpytest_subprocess("theorems")
    (lemma,) = report_of(pytester.path / "out" / "report")["lemmas"]
    assert lemma["status"] == "timeout"
    assert "limit of 2 s hit" in lemma["evidence"][0]["detail"]


def test_check_shows_the_import_error_of_a_module_and_its_line(pytester):
    project(pytester, broken="import json\nimport module_that_does_not_exist\n")
    result = pytester.run(sys.executable, "-m", "proofs", "check", "broken.anything")
    assert result.ret == 1
    result.stderr.fnmatch_lines(["*broken.py failed to import: ModuleNotFoundError: No module named "
                                 "'module_that_does_not_exist' (at broken.py:2)*"])


def test_pin_with_a_broken_module_is_a_tool_error_without_a_traceback(pytester):
    project(pytester, broken="raise ValueError('planted')\n")
    result = pytester.run(sys.executable, "-m", "proofs", "pin")
    assert result.ret == 2
    assert "Traceback" not in result.stderr.str()
    result.stderr.fnmatch_lines(["*cannot pin: theorems module * failed to import: ValueError: planted*"])


def test_new_adds_to_an_existing_module_the_imports_its_lemma_needs(pytester):
    from test_readme import example_code

    project(pytester, mine=example_code())
    assert pytester.run(sys.executable, "-m", "proofs", "new", "mine", "my_claim").ret == 0
    text = (pytester.path / "theorems" / "mine.py").read_text()
    assert "from proofs import sim" in text or "import sim" in text
    result = pytester.runpytest_subprocess("theorems", "-v")
    result.stdout.fnmatch_lines(["*mine.log_margin_gives_half PROVED*", "*mine.my_claim PROVED*"])


def test_init_sets_up_a_project_whose_example_is_proved(pytester):
    assert pytester.run(sys.executable, "-m", "proofs", "init").ret == 0
    assert "[tool.proofs]" in (pytester.path / "pyproject.toml").read_text()
    assert "## Proofs" in (pytester.path / "README.md").read_text()
    result = pytester.runpytest_subprocess()
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*1 proved*"])
    assert (pytester.path / "reports" / "index.html").exists()
    assert pytester.run(sys.executable, "-m", "proofs", "status").ret == 0


def test_simulate_help_states_its_real_default():
    from proofs.__main__ import _parser

    simulate = _parser()._subparsers._group_actions[0].choices["simulate"]
    text = simulate.format_help()
    assert "default: full" in text and "default: default" not in text


def test_nothing_in_the_kernel_names_this_paper_or_its_families():
    from pathlib import Path

    repository = Path(__file__).resolve().parents[1]
    families = [p.stem for p in (repository / "theorems").glob("*.py") if not p.name.startswith("_")]
    # a lemma id appears in quotes ("context.softmax_crowding"); a variable named context does not
    markers = ["2511.12869", "Fundamental Limits", "LLM", "simulations."] + [
        f"{quote}{family}." for family in families for quote in "\"'`"]
    kernel = [p for p in (repository / "proofs").rglob("*") if p.suffix in (".py", ".j2")]
    found = {str(p.relative_to(repository)): m for p in kernel for m in markers if m in p.read_text()}
    assert found == {}


OWN_LEMMAS = '''
from hypothesis import given, strategies as st
from proofs import lemma

CUBES = lemma("mine.cubes", title="Cubes are non-negative", statement="$x^3 \\\\ge 0$ for every real x",
              waivers={"simulation": "a one-line fact"})


@CUBES.check("z3")
def cube(q):
    (x,) = q.reals("x")
    q.prove(x * x * x >= 0)


@CUBES.check("hypothesis")
@given(x=st.floats(-1e3, 1e3))
def cube_numerically(x):
    assert x * x * x >= 0
'''


def test_an_init_project_without_claims_reads_as_its_own_and_names_a_module_that_does_not_import(pytester):
    import jsonschema

    from test_docs import SCHEMA

    assert pytester.run(sys.executable, "-m", "proofs", "init").ret == 0
    assert "the paper's" not in (pytester.path / "theorems" / "example.py").read_text()
    pytester.makepyfile(**{"theorems/mine": OWN_LEMMAS,
                           "theorems/broken": "from proofs import lemma\nraise ValueError('a typo')\n"})
    result = pytester.runpytest_subprocess("theorems")
    result.stdout.fnmatch_lines(["*1 failed, 1 proved, 1 refuted*"])  # the broken module is its one failing item
    document = report_of(pytester.path / "reports")
    jsonschema.validate(document, SCHEMA)
    assert {l["id"]: l["source"] for l in document["lemmas"]} == {
        "example.squares_are_non_negative": "reconstructed", "mine.cubes": "unstated"}
    page = (pytester.path / "reports" / "index.html").read_text()
    assert "source unstated" in page and "attested" not in page.split('id="glossary"')[0]
    assert '<table class="claims">' not in page and 'id="errata"' not in page and 'href="#claims"' not in page
    assert "Errata" not in page and "no claim" not in page and "paper" not in page.lower()
    assert "a lemma of another family" in page and "<figcaption>other</figcaption>" not in page
    status_md = (pytester.path / "reports" / "STATUS.md").read_text()
    assert "| `mine.cubes` | source unstated | **refuted** |" in status_md and "paper" not in status_md.lower()
    example = next(l for l in document["lemmas"] if l["id"] == "example.squares_are_non_negative")
    assert all("without a label" not in e["detail"] for e in example["evidence"])  # the example teaches labels

    status = pytester.run(sys.executable, "-m", "proofs", "status")
    assert status.ret == 1
    status.stderr.fnmatch_lines(["*failed to import in the last run*",
                                 "*broken.py: ValueError: a typo (at broken.py:2)*"])
    status.stdout.fnmatch_lines(["*example.squares_are_non_negative*proved*"])
    mutate = pytester.run(sys.executable, "-m", "proofs", "mutate")
    assert mutate.ret == 1 and "Traceback" not in mutate.stderr.str()
    mutate.stderr.fnmatch_lines(["*broken.py failed to import: ValueError: a typo (at broken.py:2)*"])
