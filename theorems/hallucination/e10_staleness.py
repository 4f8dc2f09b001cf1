"""E-10, Temporal staleness τ(f) (§2.2, Fig. 3(b)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from proofs import cas, lemma, sim

# ---------------------------------------------------------------------------------------------
# E-10: temporal staleness.
# ---------------------------------------------------------------------------------------------

STALENESS = lemma(
    "hallucination.staleness_model",
    title="Under exponential change, 'more than half outdated at 6 months' is a statement about the rates",
    kind="claim",
    paper_ref="§2.2, Fig. 3(b)",
    claim_ref="E-10",
    source="reconstructed",
    statement="Temporal staleness: more than 50 % of time-sensitive facts are outdated within 6 months (G2, G3).",
    formal=(
        r"If fact $i$ changes at the first event of a Poisson process of rate $\lambda_i$, the outdated fraction at "
        r"time $t$ is $1 - \mathbb{E}[e^{-\lambda t}]$ (sympy, for one rate; the fraction over facts is the average); "
        r"$\tau(6 \text{ months}) > 1/2 \iff \mathbb{E}[e^{-6\lambda}] < 1/2$ ($\lambda$ per month). The quoted figure "
        r"itself is empirical (a cited study) and is not tested."
    ),
    variables={"lambda": "a change rate per month", "t": "months since the data's end"},
    explain=lambda cx: f"the outdated fraction differs from 1 − e^(−λt): {cx}",
    waivers={"property": "the equivalence is exact; the simulation evaluates it for several rate laws"},
    survivors={
        'gap < 0.01': 'a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
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
            "half-lives log-uniform 1 month – 2 years": np.exp(rng.uniform(0, np.log(24), facts))}
    figures = {}
    for name, half_life in laws.items():
        rate = np.log(2) / half_life
        changes = rng.exponential(1 / rate)
        figures[f"outdated_at_6_months[{name}]"] = float((changes < 6).mean())
        figures[f"formula[{name}]"] = float(1 - np.exp(-6 * rate).mean())
    gap = max(abs(figures[f"outdated_at_6_months[{n}]"] - figures[f"formula[{n}]"]) for n in laws)
    violation = None if gap < 0.01 else {"gap": gap}
    return sim.Observation(violation=violation, figures=figures,
                           detail="sampled change times agree with 1 − E[e^(−λt)]; whether τ > 0.5 depends on the law")
