"""`--proof-reuse` re-checks exactly what changed: each thing a verdict depends on, edited in turn,
makes its lemma (and the lemmas above it) run again, and nothing else does."""

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

MODULE = '''
from hypothesis import given, strategies as st
from proofs import lemma
from helpers import threshold

WAIVE = {"simulation": "demo"}
BASE = lemma("demo.base", title="base", statement="x² ≥ 0", waivers=WAIVE, expect="proved")

@BASE.check("z3")
def square(q):
    (x,) = q.reals("x")
    q.prove(x * x >= 0)

@BASE.check("hypothesis")
@given(x=st.floats(-10, 10))
def square_numerically(x):
    assert x * x >= threshold()

TOP = lemma("demo.top", title="top", statement="x² + 1 > 0", uses=["demo.base"], waivers=WAIVE, expect="proved")

@TOP.check("z3")
def square_plus_one(q):
    (x,) = q.reals("x")
    q.prove(x * x + 1 > 0)

@TOP.check("hypothesis")
@given(x=st.floats(-10, 10))
def square_plus_one_numerically(x):
    assert x * x + 1 > 0

ALONE = lemma("demo.alone", title="alone", statement="x + 1 > x", waivers=WAIVE, expect="proved")

@ALONE.check("z3")
def successor(q):
    (x,) = q.reals("x")
    q.prove(x + 1 > x)

@ALONE.check("hypothesis")
@given(x=st.integers())
def successor_numerically(x):
    assert x + 1 > x
'''

HELPERS = '''
def threshold():
    return 0
'''


@pytest.fixture(scope="module")
def checked_once(tmp_path_factory):
    """The project after one full run, made once per module: each test starts from a copy of it,
    in a folder of its own (so the reuse keys are seen not to depend on where the project lies)."""
    folder = tmp_path_factory.mktemp("reuse-baseline")
    (folder / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0"\n\n[tool.proofs]\ntitle = "demo"\n'
                                           '\n[tool.pytest.ini_options]\npythonpath = ["."]\n')
    (folder / "theorems").mkdir()
    (folder / "theorems" / "__init__.py").write_text("")
    (folder / "theorems" / "demo.py").write_text(textwrap.dedent(MODULE))
    (folder / "helpers.py").write_text(HELPERS)
    run = subprocess.run([sys.executable, "-m", "pytest", "theorems", "-p", "no:cacheprovider", "--proof-coq", "off"],
                         cwd=folder, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return folder


@pytest.fixture
def project(pytester, checked_once):
    shutil.copytree(checked_once, pytester.path, dirs_exist_ok=True)
    return pytester


def rechecked(pytester, *options):
    result = pytester.runpytest_subprocess("theorems", "--proof-reuse", *options)
    assert result.ret == 0, result.stdout.str()
    lemmas = json.loads((pytester.path / "reports" / "status.json").read_text())["lemmas"]
    return sorted(l["id"] for l in lemmas if not l["reused"])


def edit(pytester, path, old, new):
    file = pytester.path / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new))


def test_nothing_changed_nothing_is_checked_again(project):
    assert rechecked(project) == []
    report = json.loads((project.path / "reports" / "status.json").read_text())
    assert report["summary"]["reused"] == ["demo.alone", "demo.base", "demo.top"]


def test_editing_a_lemmas_words_re_checks_it_and_nothing_else(project):
    edit(project, "theorems/demo.py", 'statement="x + 1 > x"', 'statement="x + 1 exceeds x"')
    assert rechecked(project) == ["demo.alone"]


def test_editing_a_check_re_checks_its_lemma_and_the_lemmas_above_it(project):
    edit(project, "theorems/demo.py", "assert x * x >= threshold()", "assert x * x >= threshold() - 1")
    assert rechecked(project) == ["demo.base", "demo.top"]


def test_editing_a_project_module_the_theorems_import_re_checks_what_may_depend_on_it(project):
    edit(project, "helpers.py", "return 0", "return -1")
    assert rechecked(project) == ["demo.alone", "demo.base", "demo.top"]


@pytest.mark.parametrize("option", [["--proof-seed", "1"], ["--proof-scale", "full"], ["--proof-profile", "thorough"]])
def test_changing_the_seed_scale_or_profile_re_checks_everything(project, option):
    assert rechecked(project, *option) == ["demo.alone", "demo.base", "demo.top"]


def test_the_key_covers_the_engine_versions_and_the_kernel():
    from pathlib import Path

    from proofs import pins
    from proofs.records import Lemma

    lemma = Lemma("demo.x", "t", "s")
    key = pins.reuse_key(lemma, "pin", Path("."), {"seed": 0}, {"z3": "4.13"}, [])
    assert key != pins.reuse_key(lemma, "pin", Path("."), {"seed": 0}, {"z3": "4.14"}, [])
    assert key != pins.reuse_key(lemma, "pin", Path("."), {"seed": 0}, {"z3": "4.13"}, ["a used lemma's key"])
    assert len(pins.kernel_digest()) == 16


def test_a_partial_run_keeps_the_other_lemmas_marked_with_when_they_were_checked(project):
    before = {l["id"]: l for l in json.loads((project.path / "reports" / "status.json").read_text())["lemmas"]}
    result = project.runpytest_subprocess("theorems", "-k", "alone")
    assert result.ret == 0
    document = json.loads((project.path / "reports" / "status.json").read_text())
    after = {l["id"]: l for l in document["lemmas"]}
    assert set(after) == {"demo.alone", "demo.base", "demo.top"}
    assert document["run"]["partial"] and document["summary"]["carried_over"] == ["demo.base", "demo.top"]
    assert after["demo.base"]["checked_at"] == before["demo.base"]["checked_at"] and not after["demo.base"]["stale"]
    assert not after["demo.alone"]["carried_over"]


def test_a_lemma_carried_over_after_its_statement_changed_is_marked_stale(project):
    edit(project, "theorems/demo.py", 'statement="x² ≥ 0"', 'statement="squares are non-negative"')
    assert project.runpytest_subprocess("theorems", "-k", "alone").ret == 0
    document = json.loads((project.path / "reports" / "status.json").read_text())
    assert document["summary"]["stale"] == ["demo.base"]
    page = (project.path / "reports" / "index.html").read_text()
    assert "stale: its fingerprint changed since" in page


def test_a_full_run_replaces_everything_and_forgets_lemmas_that_no_longer_exist(project):
    edit(project, "theorems/demo.py", 'ALONE = lemma("demo.alone"', 'ALONE = lemma("demo.renamed"')
    assert project.runpytest_subprocess("theorems").ret == 0
    ids = {l["id"] for l in json.loads((project.path / "reports" / "status.json").read_text())["lemmas"]}
    assert ids == {"demo.base", "demo.renamed", "demo.top"}
