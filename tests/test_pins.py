"""Every check is pinned: editing any check, or a project function a check calls, changes the pin."""

import importlib
import sys
import textwrap

import pytest

from proofs import pins
from proofs.registry import REGISTRY

MODULE = '''
from hypothesis import given, strategies as st
from proofs import lemma, sim
from helpers_{tag} import scaled

CLAIM = lemma("demo_{tag}.claim", title="t", statement="x² ≥ 0")

@CLAIM.check("z3")
def symbolic(q):
    (x,) = q.reals("x")
    q.prove(x * x >= 0)

@CLAIM.check("hypothesis")
@given(x=st.floats(-10, 10))
def property_test(x):
    assert scaled(x) * x >= 0

@CLAIM.check("simulation")
def simulation(rng, scale):
    draws = rng.standard_normal(100)
    return sim.Observation(violation=None if (draws * draws).min() >= THRESHOLD else {{}}, detail="d")

THRESHOLD = 0
'''

HELPERS = '''
def scaled(x):
    return 2 * x
'''


def fingerprint_of(tmp_path, tag, module, helpers):
    (tmp_path / f"demo_{tag}.py").write_text(textwrap.dedent(module.format(tag=tag)))
    (tmp_path / f"helpers_{tag}.py").write_text(textwrap.dedent(helpers))
    sys.path.insert(0, str(tmp_path))
    try:
        for name in (f"demo_{tag}", f"helpers_{tag}"):
            sys.modules.pop(name, None)
        importlib.invalidate_caches()
        importlib.import_module(f"demo_{tag}")
        lemma = REGISTRY.get(f"demo_{tag}.claim")
        return pins.fingerprint(lemma, REGISTRY.checks(lemma.id), tmp_path)
    finally:
        sys.path.remove(str(tmp_path))
        REGISTRY._lemmas.pop(f"demo_{tag}.claim", None)  # the next import declares it afresh
        REGISTRY._checks.pop(f"demo_{tag}.claim", None)


@pytest.mark.parametrize(("what", "module", "helpers"), [
    ("the property test's assertion", MODULE.replace("scaled(x) * x >= 0", "scaled(x) * x >= -1"), HELPERS),
    ("the property test's strategy", MODULE.replace("st.floats(-10, 10)", "st.floats(-1, 1)"), HELPERS),
    ("the simulation", MODULE.replace("standard_normal(100)", "standard_normal(10)"), HELPERS),
    ("a constant the simulation reads", MODULE.replace("THRESHOLD = 0", "THRESHOLD = -1"), HELPERS),
    ("a helper in another project module", MODULE, HELPERS.replace("2 * x", "abs(x)")),
    ("the symbolic check", MODULE.replace("x * x >= 0", "x * x >= -1"), HELPERS),
])
def test_editing_any_check_or_what_it_calls_changes_the_pin(tmp_path, what, module, helpers):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = fingerprint_of(tmp_path / "a", "a", MODULE, HELPERS)
    after = fingerprint_of(tmp_path / "b", "a", module, helpers)
    assert before != after, f"editing {what} left the pin unchanged"


def test_the_same_code_gives_the_same_pin(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert fingerprint_of(tmp_path / "a", "a", MODULE, HELPERS) == fingerprint_of(tmp_path / "b", "a", MODULE, HELPERS)
