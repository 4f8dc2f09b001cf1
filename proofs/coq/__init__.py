"""Proved goals re-checked by a proof assistant's kernel: Coq (optional).

Each goal an engine proved is stated as a Coq `Lemma` by a translator and closed by a small
portfolio of tactics (`lra`, `nra`, `lia`, `field`, `interval`, an induction), and `coqc` checks
the proof term with `Qed`. The translation is untrusted, like every engine: the statement Coq
checked is written out so it can be read next to the lemma's words, and closed instances of it at
points where the suite's exact evaluation says it holds are handed to Coq to refute: a statement
Coq refutes there, or one that does not type-check, is a conflict of the translation.

    from proofs import coq
    goal = coq.from_z3.from_query("mine.half/algebra", query, points=[...])
    [result] = coq.recheck([goal], report_dir / "coq", cache=coq.Cache(report_dir / "coq" / "cache.json"))
    result.outcome    # Outcome.CHECKED, NOT_CHECKED, NOT_EXPORTABLE, CONFLICT or NOT_RECHECKED

Without coqc every goal that translates is `not re-checked` ("not re-checked: coqc not
installed") and nothing else changes. See `proofs.coq.prelude` for the axioms Coq's reals rest on.
"""

from __future__ import annotations

from proofs.coq.goals import CitedAxiom, CoqGoal, KernelResult, Outcome
from proofs.coq.prelude import LOGIC_AXIOMS, PRELUDE, STANDARD_AXIOMS, kinds_of_assumptions
from proofs.coq.run import NOT_INSTALLED, Cache, assumptions, coqc, parse_assumptions, recheck, salt, version

__all__ = ["Cache", "CitedAxiom", "CoqGoal", "KernelResult", "LOGIC_AXIOMS", "NOT_INSTALLED", "Outcome", "PRELUDE",
           "STANDARD_AXIOMS", "assumptions", "available", "coqc", "kinds_of_assumptions", "parse_assumptions",
           "recheck", "salt", "version"]


def available() -> bool:
    """Whether coqc is installed (the re-check runs only then)."""
    from proofs.coq import run

    return run.coqc() is not None
