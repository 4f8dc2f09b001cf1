"""The SMT engine: z3, with cvc5 as a second opinion; the only package that imports either.

A check states its goal on a `Query`:

    @LEMMA.check("z3")
    def threshold(q):
        x, n, p = q.reals("x n p")
        q.domain(x > 0, n >= 1, p > 0, p < 1)
        q.prove((x / (x + n) >= p) == (x * (1 - p) >= n * p))

This module is an untrusted helper: it gathers answers and the kernel (`proofs.kernel`) decides.
For a universal claim it (1) asks z3 and cvc5 whether the hypotheses are satisfiable, (2) asks
both for a model of hypotheses ∧ ¬claim, (3) replays every such model in exact rational
arithmetic, independently of z3 (z3 defines x/0, for instance, and a model that divides by zero
is an artefact of the encoding, not a counterexample), (4) evaluates the claim exactly at points
that meet the hypotheses: random points, random interpretations of the uninterpreted functions,
and models of the hypotheses z3 draws under varied random bounds (so that equalities and narrow
regions are met too), and (5) after a proof drops each premise (`q.given`) in turn to record
whether the claim then fails: a premise without teeth is flagged in the report. Domain
constraints (`q.domain`) are the statement's setting and are not dropped.
Every query is written as `.smt2` and solved in the solver worker (`proofs.deadline`), which is
killed at the wall-clock limit, because z3 does not always honour its own timeout.

The package is split by job, the way Knuckledragger keeps its kernel, tactics and solvers apart:

    query.py    building a goal: what a check calls (the only part an author sees)
    solver.py   solving in the worker: z3, cvc5, models as plain values
    replay.py   exact evaluation independent of z3: replaying models, cross-checking at points
    teeth.py    dropping each premise in turn after a proof
    engine.py   one check from start to end, handing raw answers to `proofs.kernel`

None of them decides a verdict: only `proofs.kernel` turns the answers into `proved`.
"""

from __future__ import annotations

from proofs.smt.engine import ENGINE, run
from proofs.smt.query import Query, Recursive, loosened, version, z3
from proofs.smt.replay import ReplayUnsupported, compile_expression, cross_check, evaluate, replay
from proofs.smt.solver import Answer, ask, benchmark, cvc5_answer, cvc5_version

# The z3 vocabulary a check needs, re-exported so that lemma modules never import z3 themselves.
if z3 is not None:
    And, Or, Not, Implies, If, Sum, Product = z3.And, z3.Or, z3.Not, z3.Implies, z3.If, z3.Sum, z3.Product
    Distinct, ForAll, Exists = z3.Distinct, z3.ForAll, z3.Exists

__all__ = [
    "ENGINE", "Answer", "Query", "Recursive", "ReplayUnsupported", "ask", "benchmark", "compile_expression",
    "cross_check", "cvc5_answer", "cvc5_version", "evaluate", "loosened", "replay", "run", "version",
    "And", "Or", "Not", "Implies", "If", "Sum", "Product", "Distinct", "ForAll", "Exists",
]
