"""E-08, Coverage ratio ρ_cov → 0 (§2.2): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import cas, lemma, sim

# ---------------------------------------------------------------------------------------------
# E-08: the coverage ratio.
# ---------------------------------------------------------------------------------------------

COVERAGE_STATEMENT = r"Coverage ratio $\rho_{cov} = |K_{train}| / |K| \to 0$ as the knowledge base $\to \infty$ (G3)."
K_sym = sp.Symbol("K", positive=True)

COVERAGE_SUBLINEAR = lemma(
    "hallucination.coverage_sublinear",
    title="If training covers |K|^a facts (a < 1) or a bounded number, ρ_cov → 0",
    kind="equation",
    paper_ref="§2.2",
    claim_ref="E-08",
    source="reconstructed",
    statement=COVERAGE_STATEMENT,
    formal=(r"sympy, for every exponent $a = 1 - b < 1$ ($b > 0$ a symbol): $|K|^a/|K| = |K|^{-b} \to 0$; and for "
            r"every bound $B > 0$ (a symbol): $B/|K| \to 0$."),
    interpretation=("Facts counted, not weighted by query frequency (see the simulation's mass coverage).",),
    variables={"K": "the size of the knowledge base", "b": "1 − a, the gap of the coverage exponent below 1",
               "B": "a bound on the covered facts"},
    explain=lambda cx: f"the coverage ratio would not vanish: {cx}",
    survivors={
        'base ** a / base > (100 * base) ** a / (100 * base)': 'the ratio falls strictly for every a < 1, so ≥ and > agree on every input: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
        'count[-1] < count[0]': 'the count ratio falls strictly: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="proved",
)


@COVERAGE_SUBLINEAR.check("sympy")
def sublinear_limits():
    gap, bound = sp.symbols("b B", positive=True)
    return [cas.Identity(K_sym ** (1 - gap) / K_sym, K_sym ** (-gap), {K_sym: (1, 1e6), gap: (0.01, 1)},
                         name="ratio_is_a_negative_power"),
            cas.Limit(K_sym ** (-gap), K_sym, expected=0, samples={gap: (sp.Rational(1, 20), sp.Rational(1, 2), 1)},
                      name="power_coverage"),
            cas.Limit(bound / K_sym, K_sym, expected=0, samples={bound: (1, 10 ** 6)}, name="bounded_coverage")]


@COVERAGE_SUBLINEAR.check("hypothesis")
@given(a=st.floats(0.1, 0.95), base=st.floats(1e3, 1e6))
def ratio_falls(a, base):
    assert base ** a / base > (100 * base) ** a / (100 * base)


@COVERAGE_SUBLINEAR.check("simulation")
def count_and_mass_coverage(rng, scale):
    sizes = np.logspace(3, 7, 9).astype(int)
    count, mass = [], []
    for size in sizes:
        covered = int(size ** 0.7)
        weights = 1.0 / np.arange(1, size + 1) ** 1.1  # Zipf query frequencies
        count.append(covered / size)
        mass.append(float(weights[:covered].sum() / weights.sum()))
    violation = None if count[-1] < count[0] else {"count_ratio": count}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(sizes, count, "o-", label="ρ_cov by count (coverage |K|^0.7)")
    ax.semilogx(sizes, mass, "s-", label="covered query mass (Zipf 1.1, top facts trained)")
    ax.set_xlabel("|K|")
    ax.set_ylabel("fraction covered")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={"count_ratio_at_1e7": count[-1], "mass_at_1e7": mass[-1]},
                           detail="the count ratio vanishes while the covered query mass stays high")


COVERAGE_FRACTION = lemma(
    "hallucination.coverage_constant_fraction",
    title="If training covers a constant fraction of K, ρ_cov does not tend to 0",
    kind="equation",
    paper_ref="§2.2",
    claim_ref="E-08",
    source="reconstructed",
    statement=COVERAGE_STATEMENT,
    formal=r"$|K_{train}| = \kappa |K|$: $\rho_{cov} = \kappa$ for every $|K|$; claim $\rho_{cov} \to 0$ (sympy: the limit is $\kappa = 3/10$).",
    interpretation=(
        "Training data that grows in proportion to the knowledge base.",
        "No correction: the claim holds exactly when |K_train| = o(|K|) (hallucination.coverage_sublinear, proved); "
        "with proportional coverage ρ_cov is the constant κ and there is nothing weaker to repair it to.",
    ),
    variables={"K": "the size of the knowledge base"},
    explain=lambda cx: f"with a constant fraction covered, ρ_cov tends to {cx.get('sympy_limit')}, not 0",
    waivers={"property": "one limit; nothing to sample", "simulation": "one limit; nothing to simulate"},
    expect="refuted",
)


@COVERAGE_FRACTION.check("sympy")
def constant_fraction_limit():
    return cas.Limit(sp.Rational(3, 10) * K_sym / K_sym, K_sym, expected=0, name="constant_fraction")
