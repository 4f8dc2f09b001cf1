"""E-09, Irreducible noise floor (§2.2): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim
from proofs.statement import And
from simulations import hallucination as toys

from ._shared import proportion_compare

# ---------------------------------------------------------------------------------------------
# E-09: the irreducible noise floor.
# ---------------------------------------------------------------------------------------------

SAMPLING_POWER = 0.02  # two points of error rate, absolute


NOISE_SAMPLING = lemma(
    "hallucination.noise_floor_sampling",
    title="A calibrated model sampled at temperature 1 reproduces the noise: error rate = η",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-09",
    source="attested",
    statement=(r"A variant with a decoder the words do not name: when each of a fact's $k$ mentions is false "
               r"independently with probability $\eta$ and the model samples at temperature 1 from the frequencies it "
               r"learned (a calibrated sampler), its error rate per fact is exactly $\eta$, so the floor $\ge \eta$ holds "
               r"with equality."),
    formal=(r"$P(\text{error}) = \sum_j \binom{k}{j}\eta^j(1-\eta)^{k-j} \cdot j/k = \eta$ (the mean of the learned "
            r"frequency). The declared claim, error = η, is evaluated by the property test at the exact binomial sum and "
            r"by the simulation at the error rate of sampled corpora and sampled answers, within four standard errors "
            r"(power: two points)."),
    interpretation=("Independent noise, calibrated learner, sampling decoder.",),
    claim=Claim(lambda error, noise: error == noise, where=lambda error, noise: And(noise >= 0, noise <= 0.5)),
    variables={"noise": "η, the rate of false mentions", "mentions": "k, the mentions per fact",
               "error": "the error rate of the sampler"},
    explain=lambda cx: f"the error rate of the calibrated sampler departs from η = {cx.get('noise')}",
    waivers={"symbolic": "P(error) = E[learned frequency] = η by linearity of expectation; sympy cannot sum the "
                         "binomial mean for symbolic k, and z3 has no binomial coefficients; the checks measure it"},
    expect="tested",
)


@NOISE_SAMPLING.check("hypothesis")
@given(noise=st.floats(0.0, 0.5), mentions=st.integers(1, 200))
def exact_error_rate_is_the_noise(noise, mentions):
    # P(error) = Σ_j P(j of the k mentions false) · j/k, summed over the binomial law of independent mentions
    false = np.arange(mentions + 1)
    law = np.array([math.comb(mentions, j) * noise ** j * (1 - noise) ** (mentions - j) for j in false])
    error = float(np.sum(law * false / mentions))
    NOISE_SAMPLING.claim.require(error=error, noise=noise, tolerance=1e-12 * mentions)


@NOISE_SAMPLING.check("simulation")
def sampling_rate_against_noise(rng, scale):
    noises = np.linspace(0.01, 0.3, 8)
    facts = 100_000 if scale == "default" else 1_000_000
    estimates, rates = [], []
    for noise in noises:
        learned = rng.binomial(101, noise, facts) / 101  # the frequency of false mentions among 101 independent ones
        rate = float((rng.random(facts) < learned).mean())  # one sampled answer per fact
        rates.append(rate)  # the errors are i.i.d. Bernoulli(η) across facts
        estimate = proportion_compare(f"error[η={noise:.3f}]", rate, noise, facts, SAMPLING_POWER)
        estimates.append(estimate)
        NOISE_SAMPLING.claim.require(error=rate, noise=noise, tolerance=estimate.tolerance)
    return sim.Observation(violation=None, estimates=tuple(estimates),
                           figures={"largest_gap": float(np.max(np.abs(np.array(rates) - noises)))},
                           detail=f"{facts} facts per noise level: sampling from the learned conditional reproduces "
                                  f"the noise rate within four standard errors")


NOISE_MAJORITY = lemma(
    "hallucination.noise_floor_majority",
    title="With independent noise at 2–3 %, a majority over k mentions errs far less than η",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-09",
    source="attested",
    statement=(r"Read literally, for every model with the stated noise $\eta \in [2\,\%, 3\,\%]$, the untrue "
               r"statements falling on mentions independently: 'hallucination rate $\ge \eta$' is false for a model that "
               r"decodes by majority over a fact's $k$ mentions; at $k = 3$ its error is "
               r"$3\eta^2(1-\eta) + \eta^3$, about $0.0018 < \eta = 0.025$."),
    formal=(
        r"z3 at $k = 3$ on $\eta \in [1/50, 3/100]$: the claim error $\ge \eta$ with error $= 3\eta^2(1-\eta) + \eta^3$ "
        r"fails. The property test and the simulation evaluate the same claim at the exact majority error (binomial "
        r"tail) for odd $k$ and $\eta$ in the stated range."
    ),
    interpretation=("Greedy / majority decoding; the noise independent across mentions; η in the stated 2–3 %.",),
    claim=Claim(lambda eta, error: error >= eta,
                where=lambda eta, error: And(eta >= 0.02, eta <= 0.03, error >= 0, error <= 1)),
    variables={"eta": "the noise rate η", "error": "the majority's error rate", "noise": "the noise rate η",
               "mentions": "k, the mentions per fact"},
    explain=lambda cx: (f"with noise η = {cx.get('eta', cx.get('noise'))} a majority over "
                        f"{cx.get('mentions', 3)} independent mentions errs less often than η"),
    expect="refuted",
)


@NOISE_MAJORITY.check("z3")
def three_mentions(q):
    (noise,) = q.reals("eta")
    q.prove_claim(eta=noise, error=3 * noise ** 2 * (1 - noise) + noise ** 3)  # the majority of 3 independent mentions


@NOISE_MAJORITY.check("hypothesis")
@given(noise=st.floats(0.02, 0.03), mentions=st.integers(3, 61).filter(lambda k: k % 2 == 1))
def majority_beats_noise(noise, mentions):
    NOISE_MAJORITY.claim.require(eta=noise, error=toys.majority_error(noise, mentions))


@NOISE_MAJORITY.check("simulation")
def majority_error_against_mentions(rng, scale):
    mentions = np.arange(1, 42, 4)
    figure = sim.new_figure()
    ax = figure.subplots()
    violation = None
    for noise in (0.02, 0.025, 0.03, 0.1, 0.3):
        errors = [toys.majority_error(noise, int(k)) for k in mentions]
        if noise <= 0.03:
            failure = NOISE_MAJORITY.claim.first_failure(eta=noise, error=errors)
            violation = violation or (failure and {**failure, "mentions": int(mentions[errors.index(failure["error"])])})
        ax.semilogy(mentions, errors, "o-", label=f"η = {noise}")
    ax.set_xlabel("mentions per fact k")
    ax.set_ylabel("majority error (independent mentions)")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           detail="independent noise at 2–3 % is averaged away by the majority")


SYSTEMATIC_POWER = 0.01  # one point of error rate, absolute


NOISE_SYSTEMATIC = lemma(
    "hallucination.noise_floor_systematic",
    title="With systematic noise (the same falsehood repeated), the floor persists for every decoder",
    kind="correction",
    corrects="hallucination.noise_floor_majority",
    paper_ref="§2.2",
    claim_ref="E-09",
    source="reconstructed",
    statement=(
        r"The floor is real when the corpus repeats the same false statement for a fraction $\eta$ of facts: "
        r"a decoder that follows the corpus's majority (ties wrong) errs on all of those facts, so its error rate is "
        r"$\eta + (1 - \eta) q \ge \eta$ whatever its share $q$ of errors on the other facts, however many mentions "
        r"there are (proved). When the other facts' mentions are false independently with probability $\nu < 1/2$, "
        r"$q = q_k \to 0$ as $k \to \infty$, so the rate tends to the floor $\eta$ and no lower (assumed step: "
        r"Hoeffding needs that independence)."
    ),
    formal=(
        r"The declared claim (z3): error $= \eta + (1-\eta) q$ with $\eta \le 1$, $q \ge 0$ implies error $\ge \eta$. "
        r"The property test and the simulation evaluate it on sampled corpora, with $\eta$ the realised corrupted "
        r"fraction, $q$ the majority's realised error share on the clean facts and the error rate counted; the "
        r"simulation also compares the rate with the exact $\eta + (1-\eta) q_k$ (power: one point). "
        r"$q_k \le e^{-2k(1/2-\nu)^2}$ (hallucination.hoeffding, cited; independent mentions), which tends to 0 as "
        r"$k \to \infty$ (sympy, with $g = 1/2 - \nu > 0$)."
    ),
    uses=("hallucination.hoeffding",),
    assumes=("the majority's error share on the clean facts is q_k ≤ e^(−2k(1/2 − ν)²): Hoeffding (hallucination.hoeffding, "
             "cited) applied in prose to k independent mentions, because e^(−2kt²) has no z3 form for q.use",),
    claim=Claim(lambda eta, q, error: error >= eta,
                where=lambda eta, q, error: And(eta <= 1, q >= 0, error == eta + (1 - eta) * q)),
    variables={"eta": "η, the systematically false fraction", "q": "q_k, the majority's error on the clean facts",
               "error": "the decoder's error rate", "systematic": "η", "noise": "ν", "mentions": "k", "seed": "the seed"},
    explain=lambda cx: f"the majority decoder's error falls below the systematic fraction: {cx}",
    expect="proved",
)


def _decoded(rng, facts, systematic, noise, mentions):
    """The majority decoder (ties wrong) on a sampled corpus: a fraction `systematic` of facts has every mention false;
    the others have each mention false independently with probability `noise`. Returns the claim's point as measured
    (η the realised corrupted fraction, q the error share on the clean facts, the error rate) and the clean count."""
    corrupted = rng.random(facts) < systematic
    false = np.where(corrupted, mentions, rng.binomial(mentions, noise, facts))  # false mentions per fact: O(facts)
    wrong = 2 * false >= mentions
    clean = int((~corrupted).sum())
    return dict(eta=Fraction(int(corrupted.sum()), facts), q=Fraction(int(wrong[~corrupted].sum()), max(clean, 1)),
                error=Fraction(int(wrong.sum()), facts)), clean  # counted exactly


@NOISE_SYSTEMATIC.check("z3")
def systematic_floor(q):
    q.prove_claim()


@NOISE_SYSTEMATIC.check("sympy")
def clean_share_vanishes():
    mentions, gap = sp.symbols("k g", positive=True)  # g = 1/2 − ν > 0
    return cas.Limit(sp.exp(-2 * mentions * gap ** 2), mentions, expected=0,
                     samples={gap: (sp.Rational(1, 20), sp.Rational(1, 4), sp.Rational(1, 2))},
                     at=(10, 100, 10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6), name="hoeffding_share")


@NOISE_SYSTEMATIC.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), systematic=st.floats(0.01, 0.4), noise=st.floats(0.0, 0.45),
       mentions=st.integers(1, 51))
def decoded_error_meets_the_floor(seed, systematic, noise, mentions):
    point, _ = _decoded(np.random.default_rng(seed), 2000, systematic, noise, mentions)
    assert NOISE_SYSTEMATIC.claim.applies(**point), f"some corrupted fact was decoded right: {point}"
    NOISE_SYSTEMATIC.claim.require(**point)


@NOISE_SYSTEMATIC.check("simulation")
def systematic_against_mentions(rng, scale):
    facts = 100_000 if scale == "default" else 2_000_000
    systematic, noise, counts = 0.03, 0.1, (1, 5, 25, 125)
    rows, estimates = [], []
    for k in counts:
        point, clean = _decoded(rng, facts, systematic, noise, k)
        assert NOISE_SYSTEMATIC.claim.applies(**point), f"some corrupted fact was decoded right at k = {k}"
        NOISE_SYSTEMATIC.claim.require(**point)
        share = toys.majority_error(noise, k)  # q_k, exactly
        eta, error = float(point["eta"]), float(point["error"])
        tolerance = 4 * (1 - eta) * math.sqrt(max(share * (1 - share), 1 / clean) / clean)
        estimates.append(sim.compare(f"error[k={k}]", error, eta + (1 - eta) * share, tolerance=tolerance,
                                     power=SYSTEMATIC_POWER))
        rows.append((k, error, systematic + (1 - systematic) * share))
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(counts, [e for _, e, _ in rows], "o-", label="majority error (3 % systematic, 10 % independent)")
    ax.semilogx(counts, [f for *_, f in rows], "k+", label="η + (1 − η)·q_k")
    ax.axhline(systematic, color="k", ls=":", label="systematic fraction η")
    ax.set_xlabel("mentions per fact k")
    ax.set_ylabel("error rate of the decoded fact")
    ax.legend(fontsize=8)
    return sim.Observation(violation=None, plot=figure, estimates=tuple(estimates),
                           slack=sim.slack([f for *_, f in rows], systematic, side="lower"),
                           figures={f"error[k={k}]": e for k, e, _ in rows},
                           detail="more mentions average the independent noise away, down to the systematic floor and "
                                  "no further; the measured rate matches η + (1 − η)·q_k")
