"""Helpers shared by several claims of the context family: symbols, strategies and functions.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from proofs import Claim, smt

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


# -- a declared claim at a point measured from the model ------------------------------------------------
#
# The softmax claims are stated in the substituted variables (x = e^Δ, y = e^{2B}) with the model in
# their `where`: "α is the weight of the relevant key in a row whose distractors have mass S". A
# property test or a simulation passes the values it *measured* on a materialised row (α from the
# softmax itself, S summed over the row's keys, N' = the number of keys it holds minus one). A
# point outside `where` would make the claim hold vacuously, so a `where` that mis-describes the
# model (N' for N' − 1) would pass unseen; these helpers therefore require the measured point to
# be inside the domain first, then the claim there.


def _outside(lemma, tolerance, values):
    where = lemma.claim.where
    if where is None:
        return False
    domain = Claim(where)  # the domain alone, evaluated like the claim (exactly, within the tolerance)
    return not domain(tolerance=tolerance, **{name: values[name] for name in domain.parameters})


def require_measured(lemma, *, tolerance=0.0, **values):
    """Assert that a point measured from the model lies in `lemma`'s claim domain and that the claim
    holds there (evaluated exactly, comparisons relaxed by `tolerance` for float measurements)."""
    if _outside(lemma, tolerance, values):
        shown = ", ".join(f"{k}={_number(v, 8)}" for k, v in values.items())
        raise AssertionError(f"the measured point {shown} is outside the domain of {lemma.id}'s declared claim: "
                             f"its model does not describe what was measured")
    lemma.claim.require(tolerance=tolerance, **values)


def first_measured_failure(lemma, *, tolerance=0.0, **columns):
    """The first row of measured columns (equal lengths; a scalar is broadcast) that lies outside the
    claim's domain or where the claim fails, as plain values with the reason; None when every row passes."""
    length = max(len(c) for c in columns.values() if np.ndim(c))
    for row in range(length):
        point = {k: (c[row] if np.ndim(c) else c) for k, c in columns.items()}
        reason = ("outside the claim's domain" if _outside(lemma, tolerance, point) else
                  None if lemma.claim(tolerance=tolerance, **point) else "the claim fails")
        if reason:
            return {**{k: (v.item() if hasattr(v, "item") else v) for k, v in point.items()}, "reason": reason}
    return None


def exact_rational(value):
    """An mpmath number as the exact rational it stores (mantissa · 2^exponent), whatever its size: a claim
    evaluated at 50-digit values, or at values beyond float64's range."""
    from fractions import Fraction

    mantissa, exponent = value.man_exp
    return Fraction(mantissa) * Fraction(2) ** exponent


# -- the toy of E-16 and E-21 -----------------------------------------------------------------------------

TRAIN_LENGTH, MAX_DISTANCE, TARGET, STEP_SIZE = 16, 64, 3, 0.5


def _training_runs(rng, kind, runs, steps, max_distance=MAX_DISTANCE, train_length=TRAIN_LENGTH,
                   step_size=STEP_SIZE):
    from simulations import attention_training as training

    model = training.Model(kind, max_distance)
    lengths = np.arange(TARGET + 1, train_length + 1)
    return model, [training.train(rng, model, lengths, steps, step_size, TARGET) for _ in range(runs)]


CUTS = (0.5, 0.9, 0.95)
LONGEST = 131_072  # a 128K window
