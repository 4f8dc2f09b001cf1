"""The published theorems the context family cites: each declared once with its reference and the form applied, never proved; lemmas use them through `uses=`.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import axiom

EXPECTATION = axiom(
    "context.expectation_is_linear_and_monotone",
    title="Expectation is linear and monotone, and $|\\mathbb{E}X| \\le \\mathbb{E}|X|$",
    statement=(
        r"For integrable random variables $X, Y$ and reals $a, b$: $\mathbb{E}[aX + bY] = a\mathbb{E}X + "
        r"b\mathbb{E}Y$; $X \le Y$ almost surely implies $\mathbb{E}X \le \mathbb{E}Y$; and "
        r"$|\mathbb{E}X| \le \mathbb{E}|X|$."
    ),
    reference=(
        "Billingsley, P. (1995). Probability and Measure, 3rd ed., Wiley: §16 'Properties of the Integral' "
        "(linearity, monotonicity and |∫f dμ| ≤ ∫|f| dμ of the integral) applied through §21 'Expected "
        "Values' (E X = ∫X dP)."
    ),
    formal=(
        r"Applied to $X = \Delta a_{i,j}$ and $Y = L_a \eta C K_d$, with $K_d$ the number of the $T$ steps whose "
        r"sequence contains $d$ and $|X| \le Y$ on every sample path: $|\mathbb{E}X| \le \mathbb{E}|X| \le "
        r"L_a\eta C\,\mathbb{E}K_d$, and $\mathbb{E}K_d = \sum_t P(d \text{ occurs in step } t) = T p(d)$."
    ),
    claim_ref="E-16",
    expect="tested",
)


@EXPECTATION.check("hypothesis")
@given(weights=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=20), seed=st.integers(0, 2**32 - 1),
       a=st.floats(-5.0, 5.0), b=st.floats(-5.0, 5.0))
def expectation_on_finite_spaces(weights, seed, a, b):
    """A sanity check on finite probability spaces, where the expectation is a weighted sum."""
    rng = np.random.default_rng(seed)
    probability = np.asarray(weights) / np.sum(weights)
    x, gap = rng.normal(size=probability.size), rng.exponential(size=probability.size)
    y = x + gap  # X ≤ Y on every outcome
    mean = lambda v: float(probability @ v)  # noqa: E731
    assert math.isclose(mean(a * x + b * y), a * mean(x) + b * mean(y), rel_tol=1e-9, abs_tol=1e-9)
    assert mean(x) <= mean(y) + 1e-12
    assert abs(mean(x)) <= mean(np.abs(x)) + 1e-12
