"""The published theorems the context family cites: each declared once with its reference and the form applied, never proved; lemmas use them through `uses=`.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, axiom
from proofs.statement import And, Implies

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
        r"The declared claim, over the expectations of one experiment: $X$ integrable, $K = \sum_{t=1}^{T}\chi_t$ "
        r"a count of $T$ indicators with mean probability $p = \frac{1}{T}\sum_t P(\chi_t = 1)$, reals $a \ge 0$, "
        r"$b$: (1) $|\mathbb{E}X| \le \mathbb{E}|X|$; (2) if $|X| \le aK + b$ almost surely ('dominated') then "
        r"$\mathbb{E}|X| \le a\,\mathbb{E}K + b$ (monotone and linear); (3) $\mathbb{E}K = Tp$ (linear). "
        r"Applied in E-16 to $X = \Delta a_{i,j}$, $K = K_d$ the number of steps whose sequence contains $d$."
    ),
    claim=Claim(
        lambda mean, mean_abs, mean_count, scale, offset, steps, prob, dominated: And(
            mean <= mean_abs, -mean <= mean_abs,  # |E X| ≤ E|X|
            Implies(dominated, mean_abs <= scale * mean_count + offset),  # |X| ≤ aK + b a.s. ⟹ E|X| ≤ a E K + b
            mean_count == steps * prob),  # E K = Σ_t P(χ_t = 1) = T·p
        where=lambda mean, mean_abs, mean_count, scale, offset, steps, prob, dominated: And(
            steps >= 0, prob >= 0, prob <= 1, scale >= 0),
        sorts={"dominated": "Bool"}),
    claim_ref="E-16",
    expect="tested",
)


@EXPECTATION.check("hypothesis")
@given(weights=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=20), seed=st.integers(0, 2**32 - 1),
       steps=st.integers(0, 12), scale=st.floats(0.0, 5.0), offset=st.floats(-1.0, 1.0))
def expectation_on_finite_spaces(weights, seed, steps, scale, offset):
    """The declared claim on finite probability spaces, where every expectation is a weighted sum: X is
    drawn under aK + b on most outcomes (so both values of 'dominated' occur), K counts T indicators."""
    rng = np.random.default_rng(seed)
    probability = np.asarray(weights) / np.sum(weights)
    indicators = rng.random((steps, probability.size)) < rng.random((steps, 1))  # χ_t(ω), each with its own rate
    count = indicators.sum(axis=0)  # K(ω)
    ceiling = scale * count + offset
    x = rng.uniform(-1.1, 1.1, probability.size) * np.abs(ceiling)
    mean = lambda v: float(probability @ v)  # noqa: E731
    per_step = [mean(row) for row in indicators]
    EXPECTATION.claim.require(mean=mean(x), mean_abs=mean(np.abs(x)), mean_count=mean(count), scale=scale,
                              offset=offset, steps=steps, prob=float(np.mean(per_step)) if steps else 0.0,
                              dominated=bool(np.all(np.abs(x) <= ceiling)), tolerance=1e-9)
