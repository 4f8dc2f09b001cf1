"""The public facade lists exactly what it exports, and importing it (or the pytest plugin) is light."""

import subprocess
import sys

import proofs


def test_every_listed_name_resolves_and_nothing_else_is_offered():
    assert sorted(proofs.__all__) == sorted(set(proofs.__all__))
    for name in proofs.__all__:
        assert getattr(proofs, name) is not None
    assert dir(proofs) == proofs.__all__


def test_an_unknown_name_is_a_clear_attribute_error():
    try:
        proofs.no_such_name
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown attribute must raise")


def test_importing_the_package_or_its_pytest_plugin_imports_no_solver_and_no_hypothesis():
    heavy = ("z3", "sympy", "cvc5", "hypothesis", "numpy", "networkx", "matplotlib", "flint")
    code = ("import sys, proofs, proofs.pytest_plugin; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
