"""E-10, Temporal staleness τ(f) (§2.2, Fig. 3(b)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from proofs import cas, lemma, sim

from ._shared import proportion_compare

# ---------------------------------------------------------------------------------------------
# E-10: temporal staleness.
# ---------------------------------------------------------------------------------------------

STALENESS_POWER = 0.02  # two points of the outdated fraction, absolute


STALENESS = lemma(
    "hallucination.staleness_model",
    title="A model of staleness: under exponential change, 'more than half outdated at 6 months' is a statement about the rates",
    kind="claim",
    paper_ref="§2.2, Fig. 3(b)",
    claim_ref="E-10",
    source="reconstructed",
    statement=(r"A model of the mechanism, not the figure: if each time-sensitive fact changes at the first event of a "
               r"Poisson process of rate $\lambda$, the fraction outdated $t$ months after the data's end is "
               r"$1 - \mathbb{E}[e^{-\lambda t}]$, so in this model '$\tau > 1/2$ at 6 months' holds exactly when "
               r"$\mathbb{E}[e^{-6\lambda}] < 1/2$, which depends on the law of the rates. The quoted figure (more than "
               r"50 % outdated within 6 months) is an empirical measurement and is not tested."),
    formal=(
        r"sympy: $1 - \int_t^\infty \lambda e^{-\lambda u}\,du = 1 - e^{-\lambda t}$ for one rate (the fraction over "
        r"facts is the average). The simulation samples change times under two laws of half-lives and compares the "
        r"outdated fraction at 6 months with $1 - \mathbb{E}[e^{-6\lambda}]$ within four standard errors (power: two "
        r"points); one law puts it above 1/2, the other below."
    ),
    claim_note=("the model's identity is an integral of the exponential density, which the claim connectives cannot "
                "state; the simulation compares sampled change times with its closed form"),
    variables={"lambda": "a change rate per month", "t": "months since the data's end"},
    explain=lambda cx: f"the outdated fraction differs from 1 − e^(−λt): {cx}",
    waivers={"property": "the identity is exact; the simulation evaluates it for two laws of the rates"},
    expect="proved",
)


@STALENESS.check("sympy")
def outdated_fraction():
    rate, t = sp.symbols("lambda t", positive=True)
    survival = sp.integrate(rate * sp.exp(-rate * sp.Symbol("u", positive=True)), (sp.Symbol("u", positive=True), t, sp.oo))
    return cas.Identity(1 - survival, 1 - sp.exp(-rate * t), {rate: (0.01, 5.0), t: (0.1, 24.0)}, name="outdated_by_t")


@STALENESS.check("simulation")
def rate_laws(rng, scale):
    facts = 100_000 if scale == "default" else 2_000_000
    laws = {"half-lives log-uniform 1 week – 10 years": np.exp(rng.uniform(np.log(0.25), np.log(120), facts)),
            "half-lives log-uniform 6 months – 5 years": np.exp(rng.uniform(np.log(6), np.log(60), facts))}
    figures, estimates = {}, []
    for name, half_life in laws.items():
        rate = np.log(2) / half_life
        outdated = float((rng.exponential(1 / rate) < 6).mean())  # one change time per fact
        formula = float(1 - np.exp(-6 * rate).mean())
        figures[f"outdated_at_6_months[{name}]"] = outdated
        estimates.append(proportion_compare(f"outdated[{name}]", outdated, formula, facts, STALENESS_POWER))
    return sim.Observation(violation=None, figures=figures, estimates=tuple(estimates),
                           detail="sampled change times agree with 1 − E[e^(−λt)]; whether τ > 0.5 at 6 months depends "
                                  "on the law of the rates (one law above, one below)")
