"""A living proof suite for the formal claims of *On the Fundamental Limits of LLMs at Scale*.

The public surface: declare a lemma with `lemma(...)`, attach checks with `@LEMMA.check(engine)`,
state goals with the engine modules `smt` (z3), `cas` (sympy + mpmath) and `sim` (simulations),
and read what is known through `Status`, `Evidence` and `Verdict`.
"""

from proofs import cas, sim, smt
from proofs.lemma import Check, Lemma, lemma
from proofs.registry import REGISTRY, Registry
from proofs.sim import Observation
from proofs.status import STATUS_INFO, CheckKind, Evidence, Status, Verdict, combine

__all__ = [
    "REGISTRY",
    "STATUS_INFO",
    "Check",
    "CheckKind",
    "Evidence",
    "Lemma",
    "Observation",
    "Registry",
    "Status",
    "Verdict",
    "cas",
    "combine",
    "lemma",
    "sim",
    "smt",
]
