"""E-35, CLIP semantic drift (§6 (bound)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import multimodal as toys

# ---------------------------------------------------------------------------------------------
# E-35: semantic drift ≥ σ_c·√KL(p_true ‖ p_data).
# ---------------------------------------------------------------------------------------------

DRIFT_STATEMENT = (r"CLIP-trained encoders exhibit semantic drift bounded below by "
                   r"$\sqrt{D_{\mathrm{KL}}(p_{\text{true}} \| p_{\text{data}})}\cdot\sigma_c$ (G1).")


def _explain_drift(cx):
    if "drift" in cx and "sigma_root_kl" in cx:
        return (f"under a {cx['shift']} shift (width {cx['width']}) the mean embedding moves by {float(cx['drift']):.3g}, "
                f"less than σ_c·√KL = {float(cx['sigma_root_kl']):.3g}")
    if "weights" in cx:
        return ("p and q (the first and last three weights, normalised) with this feature give a drift smaller than "
                "σ_c·√KL")
    return "p = (1/4, 1/2, 1/4) and q = (3/8, 1/4, 3/8) give φ = (−1, 0, 1) the same mean (drift 0) although KL(p‖q) > 0"


DRIFT = lemma(
    "multimodal.semantic_drift_lower_bound",
    title="Mean-embedding drift ≥ σ_c·√KL for every pair of distributions",
    kind="claim",
    paper_ref="§6 (CLIP semantic drift)",
    claim_ref="E-35",
    source="attested",
    statement=DRIFT_STATEMENT,
    formal=(
        r"drift $= \|\mathbb{E}_{p_{\text{true}}}\varphi - \mathbb{E}_{p_{\text{data}}}\varphi\|$, $\sigma_c$ = the standard "
        r"deviation of $\varphi$ under $p_{\text{data}}$; claim: $\forall p, q, \varphi$: drift $\ge \sigma_c\sqrt{\mathrm{KL}(p\|q)}$. "
        r"sympy, exactly: $p = (1/4, 1/2, 1/4)$, $q = (3/8, 1/4, 3/8)$, $\varphi = (-1, 0, 1)$ have equal means "
        r"(drift 0) and $\mathrm{KL} > 0$."
    ),
    interpretation=(
        "Drift and σ_c were not recovered: drift read as the shift of the mean embedding, σ_c as the "
        "feature's standard deviation under the training distribution, KL(p_true ‖ p_data).",
        "All distributions; the Gaussian location family is multimodal.semantic_drift_gaussian_location.",
        "Correction: multimodal.semantic_drift_pinsker (what holds in general is an upper bound).",
    ),
    variables={"gap": "drift − σ_c·√KL at the exact counterexample", "weights": "p (first three) and q (last three), "
               "before normalisation", "feature": "φ at the three support points", "drift": "the mean-embedding drift",
               "sigma_root_kl": "σ_c·√KL, the claimed lower bound", "shift": "location or scale shift of the input law",
               "width": "the shifted law's width (scale shifts)"},
    explain=_explain_drift,
    expect="refuted",
)


@DRIFT.check("sympy")
def same_mean_counterexample():
    p = [sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(1, 4)]
    q = [sp.Rational(3, 8), sp.Rational(1, 4), sp.Rational(3, 8)]
    feature = [-1, 0, 1]
    drift = sp.Abs(sum(pi * f for pi, f in zip(p, feature)) - sum(qi * f for qi, f in zip(q, feature)))
    spread = sp.sqrt(sum(qi * f ** 2 for qi, f in zip(q, feature)) - sum(qi * f for qi, f in zip(q, feature)) ** 2)
    kl = sum(pi * sp.log(pi / qi) for pi, qi in zip(p, q))
    return cas.Bound(drift - spread * sp.sqrt(kl), {}, name="equal_means_positive_kl")


@DRIFT.check("hypothesis")
@given(weights=st.lists(st.floats(0.01, 1.0), min_size=6, max_size=6),
       feature=st.lists(st.floats(-5.0, 5.0), min_size=3, max_size=3))
@example(weights=[0.25, 0.5, 0.25, 0.375, 0.25, 0.375], feature=[-1.0, 0.0, 1.0])
def drift_at_least_spread_times_root_kl(weights, feature):
    p, q = np.array(weights[:3]) / sum(weights[:3]), np.array(weights[3:]) / sum(weights[3:])
    phi = np.array(feature)[:, None]
    bound = toys.feature_spread(q, phi) * math.sqrt(toys.kl_divergence(p, q))
    assert toys.mean_drift(p, q, phi) >= bound - 1e-12, (toys.mean_drift(p, q, phi), bound)


@DRIFT.check("simulation")
def encoder_under_shift(rng, scale):
    grid = np.linspace(-8, 8, 4001)
    encoder = np.tanh(grid[:, None] * rng.uniform(0.2, 1.0, (1, 8)) + rng.normal(0, 0.5, (1, 8)))  # a frozen toy encoder
    base = np.exp(-grid ** 2 / 2)
    base /= base.sum()
    rows, violation = [], None
    for kind, widths in (("location", [0.0] * 6), ("scale", [0.5, 0.8, 1.2, 1.5, 2.0, 3.0])):
        for k, width in enumerate(widths):
            shifted = np.exp(-(grid - 0.4 * (k + 1)) ** 2 / 2) if kind == "location" else np.exp(-grid ** 2 / (2 * width ** 2))
            shifted /= shifted.sum()
            drift = toys.mean_drift(shifted, base, encoder)
            bound = toys.feature_spread(base, encoder) * math.sqrt(toys.kl_divergence(shifted, base))
            rows.append((kind, bound, drift))
            if drift < bound and violation is None:
                violation = {"shift": kind, "width": width, "drift": drift, "sigma_root_kl": bound}
    figure = sim.new_figure()
    ax = figure.subplots()
    for kind, marker in (("location", "o"), ("scale", "s")):
        points = [(b, d) for k, b, d in rows if k == kind]
        ax.plot(*zip(*points), marker, label=f"{kind} shifts")
    top = max(max(b, d) for _, b, d in rows)
    ax.plot([0, top], [0, top], "k--", label="drift = σ_c·√KL")
    ax.set_xlabel("σ_c·√KL(p_true ‖ p_data)")
    ax.set_ylabel("drift of the mean embedding")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           slack=sim.slack([d for _, _, d in rows], [b for _, b, _ in rows], side="lower"),
                           detail="a frozen 8-feature encoder under location and scale shifts of its input law "
                                  "(slack < 1: the lower bound fails under scale shifts)")


GAUSSIAN = lemma(
    "multimodal.semantic_drift_gaussian_location",
    title="In a Gaussian location family, drift = σ·√(2·KL) ≥ σ·√KL",
    kind="claim",
    paper_ref="§6 (CLIP semantic drift)",
    claim_ref="E-35",
    source="reconstructed",
    statement=DRIFT_STATEMENT,
    formal=(
        r"$p = \mathcal{N}(\mu_1, \sigma^2)$, $q = \mathcal{N}(\mu_2, \sigma^2)$, $\varphi(x) = x$. sympy, by integration: "
        r"$\mathbb{E}_p x = \mu_1$ and $\mathrm{KL}(p\|q) = (\mu_1-\mu_2)^2/(2\sigma^2)$, so drift "
        r"$= |\mu_1 - \mu_2| = \sigma\sqrt{2\,\mathrm{KL}} \ge \sigma\sqrt{\mathrm{KL}}$ (the last step a sympy bound)."
    ),
    interpretation=("Reading: distributions differing by a location shift, with a shared spread σ = σ_c.",),
    variables={"shift": "μ₁ − μ₂", "sigma": "the shared standard deviation", "drift": "the sampled drift",
               "bound": "σ·√KL"},
    explain=lambda cx: (f"a location shift of {float(cx['shift']):.3g} with σ = {float(cx['sigma']):.3g} gave a sampled "
                        f"drift {float(cx['drift']):.3g} below σ·√KL = {float(cx['bound']):.3g}")
    if {"shift", "sigma", "drift", "bound"} <= set(cx) else f"the location family breaks the bound here: {cx}",
    expect="proved",
)


@GAUSSIAN.check("sympy")
def gaussian_kl():
    x = sp.Symbol("x", real=True)
    mu1, mu2 = sp.symbols("mu1 mu2", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    density = lambda mu: sp.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / sp.sqrt(2 * sp.pi * sigma ** 2)  # noqa: E731
    kl = sp.integrate(sp.expand(density(mu1) * sp.expand_log(sp.log(density(mu1) / density(mu2)), force=True)),
                      (x, -sp.oo, sp.oo))
    closed = (mu1 - mu2) ** 2 / (2 * sigma ** 2)
    domain = {mu1: (-5, 5), mu2: (-5, 5), sigma: (0.1, 5)}
    drift = sp.Abs(sp.integrate(x * density(mu1), (x, -sp.oo, sp.oo)) - sp.integrate(x * density(mu2), (x, -sp.oo, sp.oo)))
    return [cas.Identity(kl, closed, domain, name="kl_of_a_location_shift"),
            cas.Identity(drift, sp.Abs(mu1 - mu2), domain, name="drift_of_the_means"),
            cas.Identity(sigma * sp.sqrt(2 * closed), sp.Abs(mu1 - mu2), domain, name="drift_is_sigma_root_two_kl"),
            cas.Bound(sigma * sp.sqrt(2 * closed) - sigma * sp.sqrt(closed), domain, name="root_two_kl_at_least_root_kl")]


@GAUSSIAN.check("hypothesis")
@given(mu1=st.floats(-5, 5), mu2=st.floats(-5, 5), sigma=st.floats(0.2, 3.0))
def location_drift_numerically(mu1, mu2, sigma):
    grid = np.linspace(-40, 40, 40001)
    log_p = -(grid - mu1) ** 2 / (2 * sigma ** 2)
    log_q = -(grid - mu2) ** 2 / (2 * sigma ** 2)
    log_p -= np.logaddexp.reduce(log_p)  # in log space: the tails of q underflow to 0 otherwise
    log_q -= np.logaddexp.reduce(log_q)
    p, q = np.exp(log_p), np.exp(log_q)
    kl = float(p @ (log_p - log_q))
    assert math.isclose(kl, (mu1 - mu2) ** 2 / (2 * sigma ** 2), rel_tol=1e-6, abs_tol=1e-9)
    # drift = σ·√(2·KL), which is ≥ σ·√KL: the equality is the sharper statement, so it is the one tested
    assert math.isclose(abs(p @ grid - q @ grid), sigma * math.sqrt(2 * kl), rel_tol=1e-6, abs_tol=1e-9)


def _streamed_mean(rng, mean, sigma, samples, chunk=1_000_000):
    """The mean of `samples` normal draws, drawn in chunks so that memory stays bounded."""
    total = 0.0
    for start in range(0, samples, chunk):
        total += float(rng.normal(mean, sigma, min(chunk, samples - start)).sum())
    return total / samples


@GAUSSIAN.check("simulation")
def location_family_ratio(rng, scale):
    samples = 200_000 if scale == "default" else 20_000_000
    drifts, bounds, violation = [], [], None
    for shift in np.linspace(0.1, 3.0, 12):
        sigma = rng.uniform(0.5, 2.0)
        drift = abs(_streamed_mean(rng, shift, sigma, samples) - _streamed_mean(rng, 0.0, sigma, samples))
        bound = sigma * math.sqrt(shift ** 2 / (2 * sigma ** 2))
        drifts.append(drift)
        bounds.append(bound)
        if drift < bound * 0.98 and violation is None:  # sampling error is well under 2 % here
            violation = {"shift": float(shift), "sigma": sigma, "drift": float(drift), "bound": bound}
    return sim.Observation(violation=violation, figures={"drift_over_bound_mean": float(np.mean(np.divide(drifts, bounds)))},
                           slack=sim.slack(drifts, bounds, side="lower"),
                           detail="sampled location shifts: drift / (σ·√KL) ≈ √2, as the closed form says")


PINSKER = lemma(
    "multimodal.semantic_drift_pinsker",
    title="What does hold in general is an upper bound: drift ≤ M·√(2·KL) for |φ| ≤ M",
    kind="correction",
    corrects="multimodal.semantic_drift_lower_bound",
    paper_ref="§6 (CLIP semantic drift)",
    claim_ref="E-35",
    source="reconstructed",
    statement=(
        r"For any two distributions on a finite support and a feature bounded by $M$, the drift of the mean "
        r"embedding is at most $M\sqrt{2\,\mathrm{KL}(p_{\text{true}}\|p_{\text{data}})}$ (Pinsker); a lower bound "
        "holds only within structured families such as location shifts "
        "(multimodal.semantic_drift_gaussian_location)."
    ),
    formal=(
        r"z3, by induction on the support size $n$ (for every $p, q$ and every $\varphi$ with $|\varphi_k| \le M$, "
        r"given as $M$ times an arbitrary function clipped to $[-1, 1]$): $|\sum_{k\le n}(p_k - q_k)\varphi_k| \le "
        r"M\sum_{k\le n}|p_k - q_k| = 2M\,\mathrm{TV}$. z3 again: from that bound and $\mathrm{TV}^2 \le K/2$ "
        r"(Pinsker, the cited axiom, for $K = \mathrm{KL}(p\|q)$), with $r = \sqrt{2K}$: drift $\le M r$. A vector-valued "
        r"$\varphi$ with $\|\varphi\| \le M$ reduces to this: the drift's norm is the scalar drift of "
        r"$\langle u, \varphi\rangle$ for the unit vector $u$ along it, and $|\langle u, \varphi\rangle| \le M$."
    ),
    uses=("multimodal.pinsker_inequality",),
    variables={"n": "the last index of the support", "M": "the bound on the feature", "KL": "a value of KL(p‖q) "
               "allowed by Pinsker's inequality", "r": "√(2·KL)", "T": "Σ|p − q| = 2·TV", "drift": "the drift",
               "bound": "M·√(2·KL)"},
    explain=lambda cx: (f"a pair of distributions whose drift {float(cx['drift']):.3g} exceeds M·√(2·KL) = "
                        f"{float(cx['bound']):.3g}") if {"drift", "bound"} <= set(cx)
    else f"the induction fails at this point: {cx}",
    expect="proved",
)


@PINSKER.check("z3")
def drift_within_total_variation(q):
    (n,) = q.ints("n")
    (bound,) = q.reals("M")
    p, reference, raw = (q.function(name, "Int", "Real") for name in ("p", "q", "raw"))

    def feature(k):  # any feature with |φ| ≤ M: M times an arbitrary function clipped to [−1, 1]
        return bound * smt.If(raw(k) > 1, 1, smt.If(raw(k) < -1, -1, raw(k)))

    def gap(k):
        return smt.If(p(k) >= reference(k), p(k) - reference(k), reference(k) - p(k))

    drift = q.recursive_function("D", base=(p(0) - reference(0)) * feature(0),
                                 step=lambda k, previous: previous + (p(k) - reference(k)) * feature(k))
    variation = q.recursive_function("T", base=gap(0), step=lambda k, previous: previous + gap(k))  # = 2·TV
    q.domain(bound >= 0)
    q.induction(n, start=0)
    q.prove(smt.And(drift(n) <= bound * variation(n), -drift(n) <= bound * variation(n)))


@PINSKER.check("z3", name="pinsker_closes_the_chain")
def pinsker_closes_the_chain(q):
    # the two premises: |drift| ≤ M·T (T = Σ|p − q| = 2·TV), proved by induction just above for every support
    # size, and (T/2)² ≤ KL/2, the cited axiom multimodal.pinsker_inequality; r = √(2·KL)
    drift, variation, kl, root, bound = q.reals("drift T KL r M")
    q.domain(bound >= 0, kl >= 0, root >= 0, root * root == 2 * kl)  # T ≥ 0 follows from |drift| ≤ M·T
    q.given(drift <= bound * variation, -drift <= bound * variation, variation * variation <= 2 * kl)
    q.prove(smt.And(drift <= bound * root, -drift <= bound * root))


@PINSKER.check("hypothesis")
@given(weights=st.lists(st.floats(1e-3, 1.0), min_size=8, max_size=8),
       feature=st.lists(st.floats(-1.0, 1.0), min_size=4, max_size=4))
@example(weights=[0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4], feature=[1.0, -1.0, 0.5, 0.0])  # p = q: attained, 0 = 0
def drift_at_most_pinsker(weights, feature):
    p, q = np.array(weights[:4]) / sum(weights[:4]), np.array(weights[4:]) / sum(weights[4:])
    phi = np.array(feature)[:, None]
    bound = np.abs(phi).max() * math.sqrt(2 * toys.kl_divergence(p, q))
    assert toys.mean_drift(p, q, phi) <= bound * (1 + 1e-9)  # a relative rounding margin: equality stays equality


@PINSKER.check("simulation")
def pinsker_on_random_pairs(rng, scale):
    pairs = 20_000 if scale == "default" else 2_000_000
    support = 6
    p = rng.dirichlet(np.ones(support) * 0.5, pairs)
    q = rng.dirichlet(np.ones(support) * 0.5, pairs)
    q[0] = p[0]  # one pair of identical distributions, where the bound is attained (0 = 0)
    feature = rng.uniform(-1, 1, (pairs, support))
    drift = np.abs(np.sum((p - q) * feature, axis=1))
    kl = np.sum(np.where(p > 0, p * np.log(np.maximum(p, 1e-300) / np.maximum(q, 1e-300)), 0.0), axis=1)
    bound = np.abs(feature).max(axis=1) * np.sqrt(2 * kl)
    worst = int(np.argmax(drift - bound))
    violation = (None if drift[worst] <= bound[worst] * (1 + 1e-9)
                 else {"drift": float(drift[worst]), "bound": float(bound[worst])})
    largest = float(np.max(drift[1:] / bound[1:]))  # row 0 is p = q, where both are 0
    return sim.Observation(violation=violation, figures={"largest_drift_over_bound": largest},
                           slack=sim.slack(drift, bound, side="upper"),
                           detail=f"{pairs} random pairs on {support} points with features in [−1, 1]")
