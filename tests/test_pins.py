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


CACHED = '''
from proofs import lemma, sim

CACHE = {{}}

CLAIM = lemma("demo_{tag}.claim", title="t", statement="s", waivers={{"symbolic": "w", "property": "w"}})

@CLAIM.check("simulation")
def simulation(rng, scale):
    CACHE[scale] = float(rng.random())  # a cache the check fills at run time
    return sim.Observation(violation=None, detail=str(CACHE))
'''


def test_a_module_level_cache_a_check_fills_at_run_time_does_not_change_the_pin(tmp_path):
    import numpy as np

    (tmp_path / "a").mkdir()
    before = fingerprint_of(tmp_path / "a", "a", CACHED, HELPERS)
    (tmp_path / "b").mkdir()
    sys.path.insert(0, str(tmp_path / "b"))
    try:
        (tmp_path / "b" / "demo_a.py").write_text(textwrap.dedent(CACHED.format(tag="a")))
        (tmp_path / "b" / "helpers_a.py").write_text(HELPERS)
        sys.modules.pop("demo_a", None)
        importlib.invalidate_caches()
        module = importlib.import_module("demo_a")
        module.simulation(np.random.default_rng(0), "default")  # the cache now holds a value
        lemma = REGISTRY.get("demo_a.claim")
        after = pins.fingerprint(lemma, REGISTRY.checks(lemma.id), tmp_path / "b")
    finally:
        sys.path.remove(str(tmp_path / "b"))
        REGISTRY._lemmas.pop("demo_a.claim", None)
        REGISTRY._checks.pop("demo_a.claim", None)
    assert before == after


MOVED = MODULE.replace("from helpers_{tag} import scaled", "from helpers_{tag} import THRESHOLD, scaled").replace(
    "THRESHOLD = 0\n", "")


def test_moving_a_constant_to_another_module_unchanged_keeps_the_pin(tmp_path):
    """A pin fingerprints what the checks run, not where the code lives: moving a constant into a
    shared module (as a family split into one module per claim does) leaves it unchanged, and the
    constant is still pinned by its assignment, followed through the import."""
    for folder in "abc":
        (tmp_path / folder).mkdir()
    before = fingerprint_of(tmp_path / "a", "a", MODULE, HELPERS)
    moved = fingerprint_of(tmp_path / "b", "a", MOVED, HELPERS + "\nTHRESHOLD = 0\n")
    edited = fingerprint_of(tmp_path / "c", "a", MOVED, HELPERS + "\nTHRESHOLD = -1\n")
    assert moved == before
    assert edited != moved
