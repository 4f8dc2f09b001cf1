"""A kernel for living proof suites: claims as lemmas, checked by z3, sympy, interval arithmetic,
property tests and simulations, with verdicts derived from the evidence.

The public surface: declare a lemma with `lemma(...)` (or a cited theorem with `axiom(...)`),
declare its formal claim once with `Claim(...)` (connectives in `statement`), attach checks with
`@LEMMA.check(engine)`, state goals with the engine modules `smt` (z3), `cas`
(sympy, cross-checked in Arb balls), `interval` (Arb) and `sim` (simulations), and read what is known through
`Status`, `Evidence` and `Verdict`. Errors the kernel raises on purpose derive from `ProofsError`.

Names are imported on first use (PEP 562), so that the pytest plugin, which every environment
with this package loads, imports nothing heavy: `import proofs` alone imports no solver.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "REGISTRY": "proofs.registry",
    "Registry": "proofs.registry",
    "lemma": "proofs.registry",
    "axiom": "proofs.registry",
    "Claim": "proofs.statement",
    "Check": "proofs.records",
    "Lemma": "proofs.records",
    "Observation": "proofs.sim",
    "STATUS_INFO": "proofs.status",
    "CheckKind": "proofs.status",
    "Evidence": "proofs.status",
    "Status": "proofs.status",
    "Verdict": "proofs.status",
    "combine": "proofs.status",
    "ProofsError": "proofs.errors",
    "InvalidArgument": "proofs.errors",
    "InvalidCheck": "proofs.errors",
}
_SUBMODULES = ("cas", "interval", "sim", "smt", "statement")

__all__ = sorted([*_EXPORTS, *_SUBMODULES])


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"proofs.{name}")
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'proofs' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
