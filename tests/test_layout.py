"""Where lemmas live: a family is a module or a package of the theorems folder, one module per claim.

The first tests generate projects whose families are packages and run them in a fresh pytest
process; the last ones hold this repository's own layout to what the move to one module per claim
promised: every id and every pin unchanged, each claim's lemmas in the module named after it.
"""

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from proofs import pins
from proofs.layout import family_modules, module_names
from proofs.registry import REGISTRY, load_theorems

ROOT = Path(__file__).resolve().parent.parent

PYPROJECT = '''
[project]
name = "packaged"
version = "0.1"

[tool.proofs]
report = "out"
'''

BASE = '''
from proofs import lemma
WAIVE = {"property": "demo", "simulation": "demo"}
BASE = lemma("algebra.base", title="base", statement="x² ≥ 0", waivers=WAIVE, expect="proved")

@BASE.check("z3")
def square(q):
    (x,) = q.reals("x")
    q.prove(x * x >= 0)
'''

ABOVE = '''
from proofs import lemma
from .c1_base import BASE
WAIVE = {"property": "demo", "simulation": "demo"}
ABOVE = lemma("algebra.above", title="above", statement="x² + 1 > 0", uses=["algebra.base"], waivers=WAIVE,
              expect="proved")

@ABOVE.check("z3")
def shifted(q):
    (y,) = q.reals("y")
    q.use(BASE, x=y)
    q.prove(y * y + 1 > 0)
'''

MISNAMED = '''
from proofs import lemma
WRONG = lemma("geometry.misplaced", title="t", statement="s", waivers={"symbolic": "w", "property": "w",
              "simulation": "w"})
'''


def packaged(pytester, **modules):
    pytester.makefile(".toml", pyproject=PYPROJECT)
    pytester.makepyfile(**{"theorems/__init__": "", "theorems/algebra/__init__": '"""A family as a package."""'})
    for name, text in modules.items():
        pytester.makepyfile(**{f"theorems/algebra/{name}": textwrap.dedent(text)})
    return pytester


def records(pytester):
    return {l["id"]: l for l in json.loads((pytester.path / "out" / "status.json").read_text())["lemmas"]}


@pytest.mark.slow
def test_a_family_package_runs_whole_by_folder_and_one_claim_module_alone(pytester):
    packaged(pytester, c1_base=BASE, c2_above=ABOVE, _shared="HELPER = 1\n")
    whole = pytester.runpytest_subprocess("theorems/algebra/", "-p", "no:xdist")
    assert whole.parseoutcomes().get("proved") == 2, whole.stdout.str()
    alone = pytester.runpytest_subprocess("theorems/algebra/c2_above.py", "-p", "no:xdist")
    assert alone.parseoutcomes().get("proved") == 1, alone.stdout.str()
    found = records(pytester)
    assert found["algebra.above"]["module"] == "theorems.algebra.c2_above"
    assert found["algebra.above"]["status"] == "proved" and not found["algebra.above"]["problems"]


@pytest.mark.slow
def test_a_broken_claim_module_fails_alone_and_its_siblings_run(pytester):
    packaged(pytester, c1_base=BASE, c3_broken="import module_that_does_not_exist\n")
    result = pytester.runpytest_subprocess("theorems", "-p", "no:xdist")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1 and outcomes.get("proved") == 1, result.stdout.str()
    summary = json.loads((pytester.path / "out" / "status.json").read_text())["summary"]
    assert summary["collection_errors"] == [
        "c3_broken.py: ModuleNotFoundError: No module named 'module_that_does_not_exist' (at c3_broken.py:1)"]


def test_an_id_outside_its_family_package_is_an_error_naming_the_family(tmp_path, monkeypatch):
    # the folder has a name of its own: `theorems` may already be this repository's package here
    (tmp_path / "pyproject.toml").write_text(PYPROJECT + 'theorems = "misnamed_lemmas"\n')
    family = tmp_path / "misnamed_lemmas" / "algebra"
    family.mkdir(parents=True)
    (tmp_path / "misnamed_lemmas" / "__init__.py").write_text("")
    (family / "__init__.py").write_text("")
    (family / "c9_misnamed.py").write_text(textwrap.dedent(MISNAMED))
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        load_theorems(tmp_path / "misnamed_lemmas")
        problems = REGISTRY.problems("geometry.misplaced")
    finally:
        REGISTRY._lemmas.pop("geometry.misplaced", None)
        for name in ("misnamed_lemmas.algebra.c9_misnamed", "misnamed_lemmas.algebra", "misnamed_lemmas"):
            sys.modules.pop(name, None)
    assert any("its family must be 'algebra'" in p for p in problems), problems


def test_new_in_a_family_package_writes_a_module_of_its_own(tmp_path):
    from proofs.scaffold import new_lemma

    family = tmp_path / "theorems" / "algebra"
    family.mkdir(parents=True)
    (family / "__init__.py").write_text("")
    written = new_lemma(tmp_path / "theorems", "algebra", "my_claim")
    assert written == family / "my_claim.py"
    assert '"algebra.my_claim"' in written.read_text()


def test_families_are_modules_and_packages_and_private_files_hold_no_lemmas(tmp_path):
    (tmp_path / "solo.py").write_text("")
    (tmp_path / "_helpers.py").write_text("")
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "__init__.py").write_text("")
    (tmp_path / "pack" / "_shared.py").write_text("")
    (tmp_path / "pack" / "c1_one.py").write_text("")
    (tmp_path / "not_a_package").mkdir()
    (tmp_path / "not_a_package" / "x.py").write_text("")
    assert {f: [p.name for p in files] for f, files in family_modules(tmp_path).items()} == {
        "pack": ["c1_one.py"], "solo": ["solo.py"]}
    assert module_names(tmp_path) == ["pack.c1_one", "solo"]


# -- this repository's layout -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def suite():
    load_theorems(ROOT / "theorems")
    return [l for l in REGISTRY.lemmas() if l.module.startswith("theorems.")]


def test_every_family_is_a_package_with_one_module_per_claim(suite):
    """A claim's readings, variants and corrections live in the module named after it
    (theorems/<family>/e19_softmax_crowding.py holds every lemma with claim_ref E-19); cited axioms
    live in the family's axioms module."""
    assert all((ROOT / "theorems" / f / "__init__.py").is_file() for f in family_modules(ROOT / "theorems"))
    for lemma in suite:
        module = lemma.module.rpartition(".")[2]
        if lemma.is_axiom:
            assert module == "axioms", lemma.id
        else:
            match = re.fullmatch(r"e(\d\d)_[a-z0-9_]+", module)
            assert match and lemma.claim_ref == f"E-{match.group(1)}", (lemma.id, lemma.claim_ref, module)


def test_the_ids_and_pins_are_the_ones_the_project_stands_by(suite):
    """Moving code between modules changes no id and no pin: every declared lemma is in the
    manifest with the fingerprint it has now, and the manifest names no lemma that is gone."""
    manifest = pins.load_manifest(ROOT / "theorems" / pins.MANIFEST)
    current = {l.id: pins.fingerprint(l, REGISTRY.checks(l.id), ROOT) for l in suite}
    assert set(current) == set(manifest)
    assert {i: p for i, p in current.items() if manifest[i] != p} == {}


@pytest.mark.slow
def test_one_claim_module_runs_alone_from_the_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "theorems/context/e20_bounded_logit_cap.py", "-q", "-n", "0",
         "--proof-coq", "off", "--proof-report", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]
    document = json.loads((tmp_path / "status.json").read_text())
    (record,) = [l for l in document["lemmas"] if not l["carried_over"]]
    assert record["id"] == "context.bounded_logit_attention_cap"
    where = record["source_location"]
    assert where["path"] == "theorems/context/e20_bounded_logit_cap.py"
    declaration = (ROOT / where["path"]).read_text().splitlines()[where["line"] - 1:where["line"] + 1]
    assert "lemma(" in declaration[0] and '"context.bounded_logit_attention_cap"' in "".join(declaration)
    shown = subprocess.run([sys.executable, "-m", "proofs", "--report-dir", str(tmp_path), "status", record["id"]],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert f"declared at {where['path']}:{where['line']}" in shown.stdout
