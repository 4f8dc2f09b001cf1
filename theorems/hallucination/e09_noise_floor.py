"""E-09, Irreducible noise floor (§2.2): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import cas, lemma, sim
from simulations import hallucination as toys

# ---------------------------------------------------------------------------------------------
# E-09: the irreducible noise floor.
# ---------------------------------------------------------------------------------------------

NOISE_STATEMENT = r"With training noise $\eta$ = 2–3 %, even as $n \to \infty$, hallucination rate $\ge \eta$ (G2); a non-zero floor (G1)."

NOISE_SAMPLING = lemma(
    "hallucination.noise_floor_sampling",
    title="A calibrated model sampled at temperature 1 reproduces the noise: error rate = η",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-09",
    source="attested",
    statement=NOISE_STATEMENT,
    formal=r"Each mention is false with probability $\eta$; the model samples from the learned conditional: $P(\text{error}) = \eta \ge \eta$.",
    interpretation=("Independent noise, calibrated learner, sampling decoder.",),
    variables={"noise": "η, the rate of false mentions", "mentions": "k, the mentions per fact"},
    explain=lambda cx: f"the error rate of the calibrated sampler departs from η = {cx.get('noise')}",
    waivers={"symbolic": "P(error) = E[learned frequency] = η by linearity of expectation; the engines add nothing to "
                         "that one line (sympy cannot sum the binomial mean for symbolic k); the checks measure it"},
    survivors={
        'gaps <= tolerance': 'a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="tested",
)


@NOISE_SAMPLING.check("hypothesis")
@given(noise=st.floats(0.0, 0.5), mentions=st.integers(1, 200))
def exact_error_rate_is_the_noise(noise, mentions):
    # P(error) = Σ_j P(j of the k mentions false) · j/k, summed exactly over the binomial law
    false = np.arange(mentions + 1)
    law = np.array([math.comb(mentions, j) * noise ** j * (1 - noise) ** (mentions - j) for j in false])
    error = float(np.sum(law * false / mentions))
    assert abs(error - noise) <= 1e-12 * mentions * noise  # exact at η = 0


@NOISE_SAMPLING.check("simulation")
def sampling_rate_against_noise(rng, scale):
    noises = np.linspace(0.01, 0.3, 8)
    facts = 20_000 if scale == "default" else 400_000
    rates = []
    for noise in noises:
        learned = rng.binomial(101, noise, facts) / 101  # the frequency of false mentions among 101, per fact
        rates.append(float((rng.random(facts) < learned).mean()))
    gaps = np.abs(np.array(rates) - noises)
    tolerance = 5 * np.sqrt(noises * (1 - noises) / facts)  # the errors are i.i.d. Bernoulli(η) across facts
    violation = None if np.all(gaps <= tolerance) else {"eta": noises.tolist(), "rate": rates}
    return sim.Observation(violation=violation, figures={"largest_gap": float(gaps.max())},
                           detail=f"{facts} facts per noise level: sampling from the learned conditional reproduces "
                                  f"the noise rate within 5 standard errors")


NOISE_MAJORITY = lemma(
    "hallucination.noise_floor_majority",
    title="With independent noise, a majority over k mentions drives the error to 0",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-09",
    source="attested",
    statement=NOISE_STATEMENT,
    formal=(
        r"Independent noise $\eta < 1/2$, decoder = majority of $k$ mentions. z3 at $k = 3$: error "
        r"$3\eta^2(1-\eta) + \eta^3$; claim error $\ge \eta$ fails (e.g. $\eta = 1/4$: $10/64 < 1/4$)."
    ),
    interpretation=("Greedy / majority decoding; the noise independent across mentions.",),
    variables={"eta": "the noise rate η", "noise": "the noise rate η", "mentions": "k, the mentions per fact"},
    explain=lambda cx: (f"with noise η = {cx.get('eta', cx.get('noise'))} a majority over "
                        f"{cx.get('mentions', 3)} independent mentions errs less often than η"),
    expect="refuted",
)


@NOISE_MAJORITY.check("z3")
def three_mentions(q):
    (noise,) = q.reals("eta")
    q.domain(noise > 0, noise < 0.5)
    q.prove(3 * noise ** 2 * (1 - noise) + noise ** 3 >= noise)


@NOISE_MAJORITY.check("hypothesis")
@given(noise=st.floats(0.01, 0.45), mentions=st.integers(3, 61).filter(lambda k: k % 2 == 1))
def majority_beats_noise(noise, mentions):
    assert toys.majority_error(noise, mentions) >= noise


@NOISE_MAJORITY.check("simulation")
def majority_error_against_mentions(rng, scale):
    mentions = np.arange(1, 42, 4)
    figure = sim.new_figure()
    ax = figure.subplots()
    violation = None
    for noise in (0.03, 0.1, 0.3):
        errors = [toys.majority_error(noise, int(k)) for k in mentions]
        if violation is None and min(errors) < noise:
            violation = {"eta": noise, "mentions": int(mentions[int(np.argmin(errors))]), "error": float(min(errors))}
        ax.semilogy(mentions, errors, "o-", label=f"η = {noise}")
    ax.set_xlabel("mentions per fact k")
    ax.set_ylabel("error rate of the decoded fact")
    ax.set_ylabel("majority error")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, detail="independent noise is averaged away by the majority")


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
        r"a decoder that follows the corpus's majority errs on all of those facts, so its error rate is $\ge \eta$ "
        r"however many mentions there are; the independent noise on the other facts is averaged away (its "
        r"share tends to 0), so the rate tends to the floor $\eta$ and no lower."
    ),
    formal=(
        r"A fraction $\eta$ of facts has every mention false; the others have each mention false with probability "
        r"$\nu < 1/2$. The majority decoder (ties wrong) errs on all of the first and on a share $q_k \in [0, 1]$ of "
        r"the rest: error $= \eta + (1-\eta) q_k \ge \eta$ for every $k$ (z3, for every probability $q$). "
        r"$q_k \le e^{-2k(1/2-\nu)^2}$ (hallucination.hoeffding, cited), which tends to 0 as $k \to \infty$ (sympy, "
        r"with $g = 1/2 - \nu > 0$)."
    ),
    uses=("hallucination.hoeffding",),
    variables={"eta": "η, the systematically false fraction", "q": "q_k, the majority's error on the clean facts",
               "systematic": "η", "noise": "ν", "mentions": "k", "seed": "the seed"},
    explain=lambda cx: f"the majority decoder's error falls below the systematic fraction: {cx}",
    expect="proved",
)


def _decoded_error(rng, facts, systematic, noise, mentions):
    """Error rate of the majority decoder (ties wrong) on sampled mentions: a fraction `systematic`
    of facts has every mention false; the others have each mention false with probability `noise`.
    Returns the error rate, the realised corrupted fraction and the number of clean facts."""
    corrupted = rng.random(facts) < systematic
    false = np.where(corrupted, mentions, rng.binomial(mentions, noise, facts))  # false mentions per fact: O(facts) memory
    return float((2 * false >= mentions).mean()), float(corrupted.mean()), int((~corrupted).sum())


@NOISE_SYSTEMATIC.check("z3")
def systematic_floor(q):
    systematic, clean_error = q.reals("eta q")
    q.domain(systematic <= 1, clean_error >= 0)  # all the algebra needs; η, q ∈ [0, 1] is a special case
    q.prove(systematic + (1 - systematic) * clean_error >= systematic)


@NOISE_SYSTEMATIC.check("sympy")
def clean_share_vanishes():
    mentions, gap = sp.symbols("k g", positive=True)  # g = 1/2 − ν > 0
    return cas.Limit(sp.exp(-2 * mentions * gap ** 2), mentions, expected=0,
                     samples={gap: (sp.Rational(1, 20), sp.Rational(1, 4), sp.Rational(1, 2))},
                     at=(10, 100, 10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6), name="hoeffding_share")


@NOISE_SYSTEMATIC.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), systematic=st.floats(0.01, 0.4), noise=st.floats(0.0, 0.45),
       mentions=st.integers(1, 51))
def decoded_error_matches_the_floor_formula(seed, systematic, noise, mentions):
    error, corrupted, clean = _decoded_error(np.random.default_rng(seed), 2000, systematic, noise, mentions)
    share = toys.majority_error(noise, mentions)  # q_k, exactly
    expected = corrupted + (1 - corrupted) * share
    assert abs(error - expected) <= 5 * math.sqrt(share * (1 - share) / max(clean, 1)) * (1 - corrupted)  # = at ν = 0
    assert expected >= corrupted


@NOISE_SYSTEMATIC.check("simulation")
def systematic_against_mentions(rng, scale):
    facts = 100_000 if scale == "default" else 2_000_000
    systematic, noise, counts = 0.03, 0.1, (1, 5, 25, 125)
    rows = []
    for k in counts:
        error, corrupted, clean = _decoded_error(rng, facts, systematic, noise, k)
        share = toys.majority_error(noise, k)
        rows.append((k, error, systematic + (1 - systematic) * share, share, corrupted))
    violation = next(({"mentions": k, "measured": e, "formula": f} for k, e, f, s, c in rows
                      if abs(e - (c + (1 - c) * s)) > 5 * math.sqrt(max(s * (1 - s), 1e-12) / facts) + 5 / facts
                      or f < systematic), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(counts, [e for _, e, *_ in rows], "o-", label="majority error (3 % systematic, 10 % independent)")
    ax.semilogx(counts, [f for _, _, f, *_ in rows], "k+", label="η + (1 − η)·q_k")
    ax.axhline(systematic, color="k", ls=":", label="systematic fraction η")
    ax.set_xlabel("mentions per fact k")
    ax.set_ylabel("error rate of the decoded fact")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, slack=sim.slack([f for _, _, f, *_ in rows], systematic,
                                                                               side="lower"),
                           figures={f"error[k={k}]": e for k, e, *_ in rows},
                           detail="more mentions average the independent noise away, down to the systematic floor and no further")
