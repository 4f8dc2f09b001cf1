"""The wheel, installed into a fresh virtual environment without this repository on the path, is a
library another project uses: `init`, a proved lemma, a refuted one, one that does not import.

Slow (it installs the dependencies into a new environment), so the default test run deselects it;
`.ci/run` runs it with `pytest -m wheel tests/test_wheel.py -n 0` (one process: one build, shared).
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

REPOSITORY = Path(__file__).resolve().parents[1]

LEMMAS = '''
from hypothesis import given, strategies as st
from proofs import lemma
WAIVE = {"simulation": "a one-line fact"}

TRUE = lemma("extra.squares", title="squares", statement="x² ≥ 0", waivers=WAIVE, expect="proved")

@TRUE.check("z3")
def square(q):
    (x,) = q.reals("x")
    q.prove(x * x >= 0)

@TRUE.check("hypothesis")
@given(x=st.floats(-1e3, 1e3))
def numerically(x):
    assert x * x >= 0

FALSE = lemma("extra.cubes", title="cubes", statement="x³ ≥ 0", waivers=WAIVE, expect="refuted")

@FALSE.check("z3")
def cube(q):
    (x,) = q.reals("x")
    q.prove(x * x * x >= 0)

@FALSE.check("hypothesis")
@given(x=st.floats(-1e3, 1e3))
def cube_numerically(x):
    assert x * x * x >= 0
'''


def run(command, cwd, env):
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist),
                 str(REPOSITORY)], root, os.environ)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("*.whl")
    venv = root / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], root, os.environ).returncode == 0
    python = venv / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    clean["PATH"] = f"{venv / 'bin'}{os.pathsep}{clean['PATH']}"
    installed = run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], root, clean)
    assert installed.returncode == 0, installed.stderr
    return python, clean, wheel


def test_the_wheel_ships_only_the_kernel(environment):
    python, env, wheel = environment
    import zipfile

    top_level = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert "proofs" in top_level and "theorems" not in top_level and "simulations" not in top_level
    probe = run([str(python), "-c", "import proofs, sys; print(proofs.__file__)"], Path("/"), env)
    assert "site-packages" in probe.stdout


def test_another_project_is_set_up_checked_and_reported(environment, tmp_path):
    python, env, _ = environment
    project = tmp_path / "their-project"
    project.mkdir()
    assert run([str(python), "-m", "proofs", "init"], project, env).returncode == 0
    (project / "theorems" / "extra.py").write_text(textwrap.dedent(LEMMAS))
    (project / "theorems" / "broken.py").write_text("import module_that_does_not_exist\n")

    suite = run([str(python), "-m", "pytest", "theorems"], project, env)
    assert suite.returncode == 1, suite.stdout  # the broken module fails its own item, nothing else does
    document = json.loads((project / "reports" / "status.json").read_text())
    verdicts = {l["id"]: l["status"] for l in document["lemmas"]}
    assert verdicts == {"example.squares_are_non_negative": "proved", "extra.squares": "proved",
                        "extra.cubes": "refuted"}
    assert document["summary"]["collection_errors"][0].startswith("broken.py: ModuleNotFoundError")
    assert document["project"]["title"] == "their project: what is proved"
    assert (project / "reports" / "index.html").exists()
    squares = next(l for l in document["lemmas"] if l["id"] == "extra.squares")
    z3 = next(e for e in squares["evidence"] if e["engine"] == "z3")
    assert document["provenance"]["cvc5"] and "negation: unsat" in z3["detail"]  # pip install brings cvc5 too

    status = run([str(python), "-m", "proofs", "status"], project, env)
    assert status.returncode == 1 and "broken.py: ModuleNotFoundError" in status.stderr
    assert run([str(python), "-m", "proofs", "why", "extra.squares"], project, env).returncode == 0
    checked = run([str(python), "-m", "proofs", "check", "extra.cubes"], project, env)
    assert checked.returncode == 0 and "refuted" in checked.stdout
    broken = run([str(python), "-m", "proofs", "check", "broken.anything"], project, env)
    assert broken.returncode == 1 and "ModuleNotFoundError" in broken.stderr
    pinned = run([str(python), "-m", "proofs", "pin"], project, env)
    assert pinned.returncode == 2 and "cannot pin" in pinned.stderr
