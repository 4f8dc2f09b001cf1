"""E-11, Exposure bias / compounding drift (§2.2): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, lemma, sim, smt
from proofs.statement import And, Sum

from .axioms import GIBBS, KL_CHAIN_RULE
from simulations import hallucination as toys

from ._shared import _chains

# ---------------------------------------------------------------------------------------------
# E-11: exposure bias.
# ---------------------------------------------------------------------------------------------

EXPOSURE_KL = lemma(
    "hallucination.exposure_kl_grows",
    title="The KL between the model's and the data's laws of the first T tokens never decreases with T",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-11",
    source="attested",
    statement=(r"For any two laws of token sequences, the free-running model's $P$ and the data's $Q$ (finite "
               r"divergences), $\mathrm{KL}(P^{(T)} \| Q^{(T)})$ between the laws of the first $T$ tokens is "
               r"non-decreasing in $T$: the KL drift grows with the generation length."),
    formal=(
        r"z3, the declared claim $\mathrm{kl}(T+1) \ge \mathrm{kl}(T)$ for every $T$ (lengths from 0), drawing on the chain rule "
        r"(hallucination.kl_chain_rule: $\mathrm{kl}(T+1) = \mathrm{kl}(T) + $ the expected next-token KL) and on "
        r"Gibbs' inequality (hallucination.gibbs_inequality: that expectation is $\ge 0$), both by q.use. The property "
        r"test and the simulation evaluate the same claim on Markov chains and perturbed copies with the same start "
        r"law, the KL computed from the joint laws of the whole paths (every path enumerated). Stationary chains make "
        r"it grow linearly."
    ),
    interpretation=("KL(model ‖ data) of the laws of the first T tokens; 'grows' as non-decreasing.",
                    "The checks on numbers use Markov chains; the proof holds for any two sequence laws."),
    uses=("hallucination.kl_chain_rule", "hallucination.gibbs_inequality"),
    claim=Claim(lambda kl, T: kl(T + 1) >= kl(T), sorts={"kl": ("Int", "Real"), "T": "Int"}),
    variables={"seed": "the seed of the random chains", "vocabulary": "the number of tokens",
               "perturbation": "ε, how far the model kernel is from the data kernel", "T": "the length",
               "kl": "the KL of the laws of the first T tokens"},
    explain=lambda cx: f"the path KL of the drawn chains decreases at some length: {cx}",
    expect="proved",
)


@EXPOSURE_KL.check("z3")
def chain_rule_and_gibbs(q):
    kl, increment = q.function("kl", "Int", "Real"), q.function("increment", "Int", "Real")
    (length,) = q.ints("T")
    q.prove_claim(kl=kl, T=length)
    q.use(KL_CHAIN_RULE, kl_next=kl(length + 1), kl_now=kl(length), increment=increment(length))
    q.use(GIBBS, divergence=increment(length))


def _path_kls(model, data, start, horizon):
    """KL of the laws of the first T tokens, T = 0 … horizon, from the joint laws of whole paths (T = 0: the start
    token, drawn from one law)."""
    kls, _ = toys.path_divergences(model, data, start, horizon)
    return [0.0, *kls.tolist()]  # plain floats: a claim reads a numpy scalar in a sequence as a written literal


@EXPOSURE_KL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 4), perturbation=st.floats(0.01, 0.9))
def path_kl_non_decreasing(seed, vocabulary, perturbation):
    model, data, start = _chains(np.random.default_rng(seed), vocabulary, perturbation)
    kls = _path_kls(model, data, start, 6)
    for length in range(6):
        EXPOSURE_KL.claim.require(kl=kls, T=length, tolerance=1e-12)


@EXPOSURE_KL.check("simulation")
def kl_and_tv_against_length(rng, scale):
    horizon = 8 if scale == "default" else 11
    figure = sim.new_figure()
    ax = figure.subplots()
    violation, figures = None, {}
    for perturbation in (0.05, 0.2, 0.6):
        model, data, start = _chains(rng, 3, perturbation)
        kls = _path_kls(model, data, start, horizon)
        _, tvs = toys.path_divergences(model, data, start, horizon)
        # the sequence as a function, so that first_failure does not read it as a column of points
        failure = EXPOSURE_KL.claim.first_failure(kl=kls.__getitem__, T=np.arange(horizon), tolerance=1e-12)
        violation = violation or (failure and {**failure, "perturbation": perturbation, "kl": kls})
        figures[f"kl_T{horizon}[ε={perturbation}]"] = float(kls[-1])
        figures[f"tv_T{horizon}[ε={perturbation}]"] = float(tvs[-1])
        ax.plot(range(1, horizon + 1), kls[1:], "o-", label=f"KL, ε = {perturbation}")
        ax.plot(range(1, horizon + 1), tvs, "s--", label=f"TV, ε = {perturbation}")
    ax.set_xlabel("generation length T")
    ax.set_ylabel("divergence of the path laws (nats for KL)")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures=figures,
                           detail="path divergences of a 3-token chain and its perturbed copy, from the path laws: the "
                                  "KL never decreases with T")


EXPOSURE_TV = lemma(
    "hallucination.exposure_tv_unbounded",
    title="Read in total variation, the drift cannot grow without bound",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-11",
    source="attested",
    statement=(r"A variant reading the divergence as total variation (the words name the KL) and 'grows' as growing "
               r"without bound: false, since $\mathrm{TV}(P^{(T)}, Q^{(T)}) \le 1$ for every $T$."),
    formal=(r"'Grows' read as unbounded growth of $\mathrm{TV}(P_{model}^{(T)}, P_{data}^{(T)})$; but TV $\le 1$ for "
            r"every $T$ (z3: no event has masses $p, q \in [0, 1]$ with $p - q > 1$)."),
    interpretation=("A variant: the divergence read as total variation, which the words do not name.",),
    claim_note="the refutation is an existential with no witness (no event has masses differing by more than 1)",
    variables={"p": "an event's mass under the model", "q": "the same event's mass under the data"},
    explain=lambda cx: "TV is a difference of two probabilities of one event, so it never exceeds 1",
    waivers={"property": "one bound, proved for every event",
             "simulation": "the refutation is TV ≤ 1, proved for every T; a finite run cannot show boundedness, and "
                           "the correction hallucination.exposure_tv_saturates simulates the saturation"},
    expect="refuted",
)


@EXPOSURE_TV.check("z3")
def tv_bounded(q):
    p, r = q.reals("p q")
    q.domain(p >= 0, p <= 1, r >= 0, r <= 1)
    q.exists(p - r > 1)


def _sum_bounds(d, p, q, n):
    """|Σ_{k≤n} d_k| ≤ Σ_{k≤n} |d_k| (marginalising cannot raise TV) and Σ|p_k − q_k| ≤ Σ|p_k| + Σ|q_k| (TV ≤ 1)."""
    return And(abs(Sum(lambda k: d(k), n)) <= Sum(lambda k: abs(d(k)), n),
               Sum(lambda k: abs(p(k) - q(k)), n) <= Sum(lambda k: abs(p(k)), n) + Sum(lambda k: abs(q(k)), n))


TV_SATURATES = lemma(
    "hallucination.exposure_tv_saturates",
    title="The TV drift is non-decreasing in the length and bounded by 1: it saturates",
    kind="correction",
    corrects="hallucination.exposure_tv_unbounded",
    paper_ref="§2.2",
    claim_ref="E-11",
    source="reconstructed",
    statement=(r"$\mathrm{TV}(P_{model}^{(T)}, P_{data}^{(T)})$ never decreases as $T$ grows and never exceeds 1: the "
               r"drift in total variation grows, but towards a ceiling, not without bound. Checked: the two sum "
               r"inequalities it rests on, for every number of terms; summing them over the prefixes is the assumed step."),
    formal=(
        r"The declared claim (z3, by induction on $n$): $|\sum_{k \le n} d_k| \le \sum_{k \le n} |d_k|$ and "
        r"$\sum_{k \le n} |p_k - q_k| \le \sum_{k \le n} |p_k| + \sum_{k \le n} |q_k|$ for every $n$ and all reals. "
        r"The property test and the simulation evaluate it on path laws of random Markov chains ($d$ the differences "
        r"of the masses of one prefix's continuations, $p, q$ the two path laws) and measure TV itself."
    ),
    assumes=("non-decreasing: P^(T)(x) = Σ_y P^(T+1)(x, y), so 2·TV_T = Σ_x |Σ_y d(x, y)| ≤ Σ_x Σ_y |d(x, y)| = 2·TV_{T+1} "
             "with d = P^(T+1) − Q^(T+1), the claim's first part summed over the prefixes x; bounded: 2·TV ≤ Σ p + Σ q = 2, "
             "its second part for probability vectors; the summation over prefixes is argued, not checked",),
    claim=Claim(_sum_bounds, where=lambda n: n >= 0,
                sorts={"d": ("Int", "Real"), "p": ("Int", "Real"), "q": ("Int", "Real"), "n": "Int"}),
    variables={"n": "the number of terms summed, minus one", "d": "the differences of path masses",
               "p": "a path law", "q": "the other path law", "seed": "the seed of the random chains"},
    explain=lambda cx: f"the TV of the drawn chains decreases at some length or exceeds 1: {cx}",
    survivors={
        "path_tv_rises_to_at_most_one | boundary | tvs.max() <= 1 + 1e-12 | LtE → Lt": (
            "TV = 1 + 1e-12 would need two path laws with disjoint supports plus a rounding error of exactly 1e-12; the "
            "Dirichlet kernels have full support, so TV stays below 1 and ≤ and < agree on every drawn chain"),
        "path_tv_rises_to_at_most_one | boundary | np.diff(tvs) >= -1e-12 | GtE → Gt": (
            "an increment of exactly −1e-12 never occurs: increments are zero only for identical kernels (never drawn) "
            "and otherwise positive far above rounding, so ≥ and > agree on every drawn chain"),
    },
    expect="proved",
)


@TV_SATURATES.check("z3")
def sums_of_absolute_values(q):
    (n,) = q.ints("n")
    q.prove_claim(n=n)
    q.induction(n, start=0)


def _tv_points(model, data, start, horizon, rng):
    """The claim's points on the path laws (one random prefix's continuations for d; the whole laws for p and q) at
    each length, and the TV measured at each length."""
    points, tvs = [], []
    p_model, p_data = start.copy(), start.copy()
    for _ in range(horizon):
        p_model = np.einsum("...i,ij->...ij", p_model, model)
        p_data = np.einsum("...i,ij->...ij", p_data, data)
        prefix = tuple(int(rng.integers(size)) for size in p_model.shape[:-1])
        d = (p_model[prefix] - p_data[prefix]).tolist()
        p, q = p_model.ravel().tolist(), p_data.ravel().tolist()
        points.append((dict(d=d + [0.0] * (len(p) - len(d)), p=p, q=q, n=len(p) - 1)))
        tvs.append(0.5 * float(np.abs(p_model - p_data).sum()))
    return points, np.array(tvs)


@TV_SATURATES.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 3), perturbation=st.floats(0.01, 0.9))
def path_tv_rises_to_at_most_one(seed, vocabulary, perturbation):
    rng = np.random.default_rng(seed)
    model, data, start = _chains(rng, vocabulary, perturbation)
    points, tvs = _tv_points(model, data, start, 4, rng)
    for point in points:
        TV_SATURATES.claim.require(**point, tolerance=1e-12)
    assert np.all(np.diff(tvs) >= -1e-12) and tvs.max() <= 1 + 1e-12, f"TV by length: {tvs.tolist()}"


@TV_SATURATES.check("simulation")
def tv_saturates(rng, scale):
    horizon = 9 if scale == "default" else 12
    figure = sim.new_figure()
    ax = figure.subplots()
    violation, figures, peaks = None, {}, []
    for perturbation in (0.1, 0.3, 0.6):
        model, data, start = _chains(rng, 3, perturbation)
        points, _ = _tv_points(model, data, start, 5, rng)  # the claim on the first five lengths' path laws
        for point in points:
            violation = violation or (None if TV_SATURATES.claim(**point, tolerance=1e-12) else {"perturbation": perturbation})
        _, tvs = toys.path_divergences(model, data, start, horizon)
        if violation is None and (np.any(np.diff(tvs) < -1e-12) or tvs.max() > 1 + 1e-12):
            violation = {"perturbation": perturbation, "tv": tvs.tolist()}
        figures[f"tv_T{horizon}[ε={perturbation}]"] = float(tvs[-1])
        peaks.append(float(tvs.max()))
        ax.plot(range(1, horizon + 1), tvs, "o-", label=f"ε = {perturbation}")
    ax.axhline(1, color="k", ls=":", label="the ceiling 1")
    ax.set_xlabel("generation length T")
    ax.set_ylabel("TV of the path laws")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures=figures, slack=sim.slack(peaks, 1.0),
                           detail="TV of the path laws rises with T and levels off below 1; the sum inequalities hold on "
                                  "the path laws")
