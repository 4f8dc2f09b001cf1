"""Helpers shared by several claims of the context family: symbols, strategies and functions.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from proofs import smt

# Symbols shared by the sympy checks of this family.
N, p, delta, B = sp.symbols("N p Delta B", positive=True)
MARGIN = sp.Symbol("Delta", real=True)  # a margin may be negative: the monotonicity goals range over all of ℝ


def _every(q, name, fact, start=0):
    """A Boolean recursion: every(n) holds when fact(k) holds for every k = start … n. It carries the
    per-term hypotheses of a z3 induction (a sum of termwise bounds) without a quantifier."""
    return q.recursive_function(name, start=start, base=fact(start), step=lambda k, prev: smt.And(prev, fact(k)),
                                sort="Bool")


def _running_sum(q, name, term, start=0):
    """S(n) = Σ_{k=start}^{n} term(k), as a recursion the induction and the exact evaluator share."""
    return q.recursive_function(name, start=start, base=term(start), step=lambda k, prev: prev + term(k))


def _number(value, digits=4):
    """A counterexample value as text, whatever shape the engine gave it in."""
    if isinstance(value, (list, tuple)) and value:
        value = value[0]
    if isinstance(value, dict):
        return "…"
    try:
        return f"{float(value):.{digits}g}"
    except (TypeError, ValueError):
        return str(value)
TRAIN_LENGTH, MAX_DISTANCE, TARGET, STEP_SIZE = 16, 64, 3, 0.5


def _training_runs(rng, kind, runs, steps):
    from simulations import attention_training as training

    model = training.Model(kind, MAX_DISTANCE)
    lengths = np.arange(TARGET + 1, TRAIN_LENGTH + 1)
    return model, [training.train(rng, model, lengths, steps, STEP_SIZE, TARGET) for _ in range(runs)]
CUTS = (0.5, 0.9, 0.95)
LONGEST = 131_072  # a 128K window
