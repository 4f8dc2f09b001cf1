"""E-08, Coverage ratio ρ_cov → 0 (§2.2): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim
from proofs.statement import And, Implies

# ---------------------------------------------------------------------------------------------
# E-08: the coverage ratio.
# ---------------------------------------------------------------------------------------------

K_sym = sp.Symbol("K", positive=True)


def _training_set_coverage(rng, sizes, trained):
    """A knowledge base grown one block of new facts at a time, with a training set fixed at `trained` facts
    drawn once from the first block: (|K|, |K_train ∩ K|) measured by set membership at each size."""
    first = rng.choice(sizes[0], size=trained, replace=False)  # fact ids of the fixed training set
    # K = {0, …, size − 1}: a fact id is in K exactly when it is below the size (no arange of 10⁷ ids to test against)
    covered = [int((first < size).sum()) for size in sizes]  # all of it stays inside K
    return np.asarray(sizes), np.asarray(covered)


COVERAGE_BOUNDED = lemma(
    "hallucination.coverage_bounded_training",
    title="With the training coverage bounded while the knowledge base grows, ρ_cov → 0",
    kind="equation",
    paper_ref="§2.2",
    claim_ref="E-08",
    source="reconstructed",
    statement=(r"If the covered facts stay bounded, $|K_{train}| \le B$, as $|K| \to \infty$, then "
               r"$\rho_{cov} = |K_{train}|/|K| \to 0$, in the $\varepsilon$ form of the limit: for every "
               r"$\varepsilon > 0$, $|K| > B/\varepsilon$ implies $\rho_{cov} < \varepsilon$."),
    formal=(r"z3, the declared claim over the reals: $|K_{train}| \le B$, $|K| > 0$, $\varepsilon > 0$ and "
            r"$|K| > B/\varepsilon$ imply $|K_{train}|/|K| < \varepsilon$. The property test and the simulation evaluate "
            r"it on knowledge bases grown around a fixed training set, with the coverage counted by set membership."),
    interpretation=("Facts counted, not weighted by query frequency; the training coverage held fixed (bounded) while "
                    "the knowledge base grows, the limit's other quantity held.",),
    claim=Claim(lambda covered, K, B, eps: Implies(K > B / eps, covered / K < eps),
                where=lambda covered, K, B, eps: And(covered <= B, K > 0, eps > 0)),
    variables={"covered": "|K_train|", "K": "|K|", "B": "the bound on the covered facts", "eps": "ε"},
    explain=lambda cx: f"the coverage ratio would not fall below ε at this size: {cx}",
    expect="proved",
)


@COVERAGE_BOUNDED.check("z3")
def epsilon_form(q):
    q.prove_claim()


@COVERAGE_BOUNDED.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), trained=st.integers(0, 500), eps=st.floats(1e-4, 0.5))
def fixed_training_set(seed, trained, eps):
    first = max(trained, 1)
    sizes = [first, int(first / eps) + 1, int(4 * first / eps) + 1]
    knowledge, covered = _training_set_coverage(np.random.default_rng(seed), sizes, trained)
    for size, count in zip(knowledge, covered):
        COVERAGE_BOUNDED.claim.require(covered=int(count), K=int(size), B=trained, eps=eps)


@COVERAGE_BOUNDED.check("simulation")
def coverage_of_a_fixed_training_set(rng, scale):
    trained = 1000
    sizes = np.unique(np.logspace(3, 7 if scale == "default" else 8, 12).astype(int))
    knowledge, covered = _training_set_coverage(rng, list(sizes), trained)
    ratios = covered / knowledge
    eps = np.maximum(2 * trained / knowledge, 1e-12)  # each size is past B/ε for this ε
    failure = COVERAGE_BOUNDED.claim.first_failure(covered=covered, K=knowledge, B=trained, eps=eps)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog(knowledge, ratios, "o-", label=f"ρ_cov, a fixed training set of {trained} facts")
    ax.set_xlabel("|K|")
    ax.set_ylabel("ρ_cov = |K_train| / |K|")
    ax.legend()
    return sim.Observation(violation=failure, plot=figure, figures={"ratio_at_largest": float(ratios[-1])},
                           detail=f"a fixed training set of {trained} facts in knowledge bases of {sizes[0]} … "
                                  f"{sizes[-1]} facts: ρ_cov falls below ε = 2B/|K| at every size")


COVERAGE_SUBLINEAR = lemma(
    "hallucination.coverage_sublinear",
    title="If training covers |K|^a facts (a < 1), ρ_cov → 0",
    kind="equation",
    paper_ref="§2.2",
    claim_ref="E-08",
    source="reconstructed",
    statement=(r"A variant with the training coverage growing, but sublinearly: if $|K_{train}| = |K|^a$ with $a < 1$, "
               r"then $\rho_{cov} = |K|^{a-1} \to 0$ as $|K| \to \infty$ (the hypothesis $|K_{train}| = o(|K|)$ is "
               r"what makes the limit 0; the bounded case is hallucination.coverage_bounded_training)."),
    formal=(r"sympy, for every exponent $a = 1 - b < 1$ ($b > 0$ a symbol): $|K|^a/|K| = |K|^{-b} \to 0$. The "
            r"simulation measures, for Zipf query frequencies with the top $|K|^{0.7}$ facts trained, the count ratio "
            r"(which vanishes) and the covered query mass (which does not)."),
    interpretation=("Facts counted, not weighted by query frequency (see the simulation's mass coverage).",
                    "A variant: the growth law |K|^a of the training coverage is a hypothesis the words do not state.",),
    claim_note=("the statement is a limit as |K| → ∞; sympy proves it, and the property test and the simulation "
                "measure finite ratios that fall, which is not the limit"),
    variables={"K": "the size of the knowledge base", "b": "1 − a, the gap of the coverage exponent below 1"},
    explain=lambda cx: f"the coverage ratio would not vanish: {cx}",
    expect="proved",
)


@COVERAGE_SUBLINEAR.check("sympy")
def sublinear_limits():
    gap = sp.Symbol("b", positive=True)
    return [cas.Identity(K_sym ** (1 - gap) / K_sym, K_sym ** (-gap), {K_sym: (1, 1e6), gap: (0.01, 1)},
                         name="ratio_is_a_negative_power"),
            cas.Limit(K_sym ** (-gap), K_sym, expected=0, samples={gap: (sp.Rational(1, 20), sp.Rational(1, 2), 1)},
                      name="power_coverage")]


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
    statement=(r"Read with the words' generality, however the training coverage grows with the knowledge base: if it "
               r"covers a constant fraction, $|K_{train}| = \kappa |K|$, then $\rho_{cov} = \kappa$ for every $|K|$ "
               r"and does not tend to 0 (at $\kappa = 3/10$)."),
    formal=r"$|K_{train}| = \kappa |K|$: $\rho_{cov} = \kappa$ for every $|K|$; claim $\rho_{cov} \to 0$ (sympy: the limit is $\kappa = 3/10$).",
    interpretation=(
        "Training data that grows in proportion to the knowledge base.",
        "No correction: the claim holds exactly when |K_train| = o(|K|) (hallucination.coverage_bounded_training and "
        "hallucination.coverage_sublinear, proved); with proportional coverage ρ_cov is the constant κ and there is "
        "nothing weaker to repair it to.",
    ),
    claim_note="the statement is a limit as |K| → ∞, which sympy computes; no finite point evaluates it",
    variables={"K": "the size of the knowledge base"},
    explain=lambda cx: f"with a constant fraction covered, ρ_cov tends to {cx.get('sympy_limit')}, not 0",
    waivers={"property": "one limit; nothing to sample", "simulation": "one limit; nothing to simulate"},
    expect="refuted",
)


@COVERAGE_FRACTION.check("sympy")
def constant_fraction_limit():
    return cas.Limit(sp.Rational(3, 10) * K_sym / K_sym, K_sym, expected=0, name="constant_fraction")
