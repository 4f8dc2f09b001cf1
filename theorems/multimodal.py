"""§6 of the paper, multimodal misalignment: claims E-33 … E-38.

Each lemma reads top-down: the declaration, then its symbolic check, property test and
simulation. The two-modality loss law along a fixed data mixture ρ is
L(N) = A(ρN)^(−α_t) + B((1−ρ)N)^(−α_v) [+ E] [+ c·N_v/N_t], and α_eff = −d ln L/d ln N.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import multimodal as toys

A, B, ALPHA_T, ALPHA_V, RHO, FLOOR = sp.symbols("A B alpha_t alpha_v rho E", positive=True)
N = sp.Symbol("N", positive=True)
U = sp.Symbol("u", real=True)  # ln N
EXPONENT_SAMPLES = {A: (1,), B: (2,), ALPHA_T: (sp.Rational(3, 10),), ALPHA_V: (sp.Rational(1, 10),), RHO: (sp.Rational(1, 2),)}
exponents = st.floats(0.05, 1.0)
scales = st.floats(0.1, 10.0)


def _terms(n):
    return A * (RHO * n) ** (-ALPHA_T), B * ((1 - RHO) * n) ** (-ALPHA_V)


def _law_strategy(with_floor):
    return st.builds(toys.ScalingLaw, scales, scales, exponents, exponents, st.floats(0.05, 0.95),
                     st.floats(0.01, 1.0) if with_floor else st.just(0.0))


def _plot_exponents(laws, n, title):
    figure = sim.new_figure()
    ax = figure.subplots()
    for law in laws:
        line, = ax.plot(n, law.effective_exponent(n), label=f"α_t={law.alpha_text:g}, α_v={law.alpha_vision:g}, "
                                                           f"E={law.floor:g}")
        low, high = sorted((law.alpha_text, law.alpha_vision))
        ax.fill_between(n, low, high, color=line.get_color(), alpha=0.12)
    ax.set_xscale("log")
    ax.set_xlabel("scale N")
    ax.set_ylabel("α_eff(N) = −d ln L / d ln N (band: [min α, max α])")
    ax.set_title(title)
    ax.legend(fontsize=7)
    return figure


# ---------------------------------------------------------------------------------------------
# E-33 (i, iii): α_eff ∈ [min(α_t, α_v), max(α_t, α_v)], and the slower modality wins.
# ---------------------------------------------------------------------------------------------

FRACTURED_STATEMENT = (
    "Cross-modal scaling laws are fractured: the effective scaling exponent α_eff is bounded within "
    "[min(α_text, α_vision), max(α_text, α_vision)], so the slower-scaling modality constrains "
    "aggregate gain (G1, G2)."
)

BRACKET = lemma(
    "multimodal.fractured_scaling_bracket",
    title="α_eff is a loss-weighted average of α_t and α_v, and tends to the smaller",
    kind="proposition",
    paper_ref="§6, Proposition (Fractured Multimodal Scaling)",
    claim_ref="E-33",
    source="attested",
    statement=FRACTURED_STATEMENT,
    formal=(
        "L = a + b with a = A(ρN)^(−α_t), b = B((1−ρ)N)^(−α_v), no floor, no interaction. sympy: "
        "−d ln L/d ln N = (α_t·a + α_v·b)/(a + b), and it tends to min(α_t, α_v) as N → ∞. z3: for "
        "a, b > 0 that average lies in [min, max]."
    ),
    interpretation=(
        "Law of claims.md E-33 [R] with Δ_interaction ≡ 0 and E = 0; α_eff the local log-derivative "
        "along a fixed mixture ρ.",
    ),
    expect="proved",
)


@BRACKET.check("z3")
def weighted_average_in_bracket(q):
    a, b, alpha_t, alpha_v = q.reals("a b alpha_t alpha_v")
    q.domain(a > 0, b > 0, alpha_t > 0, alpha_v > 0)
    average = (alpha_t * a + alpha_v * b) / (a + b)
    low, high = smt.If(alpha_t <= alpha_v, alpha_t, alpha_v), smt.If(alpha_t <= alpha_v, alpha_v, alpha_t)
    q.prove(smt.And(low <= average, average <= high))


@BRACKET.check("sympy")
def exponent_closed_form():
    text, vision = _terms(sp.exp(U))
    exponent = -sp.diff(sp.log(text + vision), U)
    text_n, vision_n = _terms(N)
    average = (ALPHA_T * text_n + ALPHA_V * vision_n) / (text_n + vision_n)
    domain = {U: (0.0, 40.0), A: (0.1, 10.0), B: (0.1, 10.0), ALPHA_T: (0.05, 1.0), ALPHA_V: (0.05, 1.0), RHO: (0.05, 0.95)}
    return [
        cas.Identity(exponent, ((ALPHA_T * text + ALPHA_V * vision) / (text + vision)), domain, name="weighted_average"),
        cas.Limit(average.subs({A: 1, B: 2, ALPHA_T: sp.Rational(3, 10), ALPHA_V: sp.Rational(1, 10), RHO: sp.Rational(1, 2)}),
                  N, expected=sp.Rational(1, 10), name="tends_to_the_slower_exponent"),
    ]


@BRACKET.check("hypothesis")
@given(law=_law_strategy(with_floor=False), log_n=st.floats(0.0, 60.0))
def bracket_holds(law, log_n):
    exponent = float(law.effective_exponent(np.array([math.exp(log_n)]))[0])
    low, high = sorted((law.alpha_text, law.alpha_vision))
    assert low - 1e-9 <= exponent <= high + 1e-9


@BRACKET.check("simulation")
def exponents_of_many_laws(rng, scale):
    count = 2000 if scale == "default" else 200_000
    n = np.logspace(0, 24, 200)
    worst, violation = 0.0, None
    for _ in range(count // 200):
        laws = [toys.ScalingLaw(*rng.uniform(0.1, 10, 2), *rng.uniform(0.05, 1.0, 2), rng.uniform(0.05, 0.95))
                for _ in range(200)]
        for law in laws:
            exponent = law.effective_exponent(n)
            low, high = sorted((law.alpha_text, law.alpha_vision))
            outside = max(low - exponent.min(), exponent.max() - high)
            worst = max(worst, float(outside))
            if outside > 1e-9 and violation is None:
                violation = {"law": repr(law), "outside_by": float(outside)}
    shown = [toys.ScalingLaw(1, 2, 0.3, 0.1), toys.ScalingLaw(5, 0.5, 0.15, 0.6, 0.3)]
    fitted = toys.fitted_exponents(rng, shown[0], n, noise=0.002)
    figure = _plot_exponents(shown, n, "α_eff stays in the bracket (no floor)")
    figure.axes[0].plot(n, fitted, ".", ms=2, color="gray", label="fitted from noisy losses")
    return sim.Observation(violation=violation, plot=figure, figures={"largest_excursion": worst},
                           detail=f"{count} random laws × 200 scales from 1 to 10^24: α_eff never left its bracket")


FLOOR_LAW = lemma(
    "multimodal.fractured_scaling_with_floor",
    title="With an irreducible loss E > 0, α_eff leaves the bracket and tends to 0",
    kind="proposition",
    paper_ref="§6, Proposition (Fractured Multimodal Scaling)",
    claim_ref="E-33",
    source="attested",
    statement=FRACTURED_STATEMENT,
    formal=(
        "L = a + b + E with E > 0: α_eff = (α_t·a + α_v·b)/(a + b + E). Claim read as: α_eff ≥ "
        "min(α_t, α_v). z3 finds a, b, E where it is not; sympy: α_eff → 0 as N → ∞."
    ),
    interpretation=(
        "The same law with the irreducible constant E that real scaling laws carry; a constant "
        "interaction term along the mixture path acts the same way.",
    ),
    expect="refuted",
)


@FLOOR_LAW.check("z3")
def floor_pulls_below(q):
    a, b, alpha_t, alpha_v, floor = q.reals("a b alpha_t alpha_v E")
    q.domain(a > 0, b > 0, alpha_t > 0, alpha_v > 0)
    q.given(floor > 0)
    average = (alpha_t * a + alpha_v * b) / (a + b + floor)
    q.prove(average >= smt.If(alpha_t <= alpha_v, alpha_t, alpha_v))


@FLOOR_LAW.check("sympy")
def floor_limit():
    text, vision = _terms(N)
    exponent = (ALPHA_T * text + ALPHA_V * vision) / (text + vision + FLOOR)
    values = {A: 1, B: 2, ALPHA_T: sp.Rational(3, 10), ALPHA_V: sp.Rational(1, 10), RHO: sp.Rational(1, 2)}
    return cas.Limit(exponent.subs(values), N, expected=sp.Rational(1, 10), relation=">=",
                     samples={FLOOR: (sp.Rational(1, 100), sp.Rational(1, 2))}, name="limit_with_floor")


@FLOOR_LAW.check("hypothesis")
@given(law=_law_strategy(with_floor=True))
def floor_bracket(law):
    exponent = float(law.effective_exponent(np.array([1e30]))[0])
    assert exponent >= min(law.alpha_text, law.alpha_vision) - 1e-9, f"α_eff = {exponent:.3g} at N = 1e30"


@FLOOR_LAW.check("simulation")
def exponents_with_floor(rng, scale):
    n = np.logspace(0, 24, 300)
    laws = [toys.ScalingLaw(1, 2, 0.3, 0.1, floor=floor) for floor in (0.0, 0.05, 0.3)]
    violation = None
    for law in laws:
        exponent = law.effective_exponent(n)
        below = np.flatnonzero(exponent < min(law.alpha_text, law.alpha_vision) - 1e-9)
        if below.size and violation is None:
            violation = {"E": law.floor, "N": float(n[below[0]]), "alpha_eff": float(exponent[below[0]]),
                         "bracket_low": min(law.alpha_text, law.alpha_vision)}
    return sim.Observation(violation=violation, plot=_plot_exponents(laws, n, "With a floor E, α_eff falls out"),
                           detail="laws with E > 0 drop below min(α_t, α_v) once the reducible loss nears E")


REDUCIBLE = lemma(
    "multimodal.fractured_scaling_reducible",
    title="The bracket holds for the reducible loss; the total loss's α_eff is scaled by (L−E)/L",
    kind="correction",
    corrects="multimodal.fractured_scaling_with_floor",
    paper_ref="§6, Proposition (Fractured Multimodal Scaling)",
    claim_ref="E-33",
    source="reconstructed",
    statement=(
        "With an irreducible floor E, the bracket [min α, max α] holds for the exponent of the "
        "reducible loss L − E, and the total loss's exponent is that one times (L − E)/L, which "
        "tends to 0: a floor, not the slower modality, caps the aggregate gain at scale."
    ),
    formal=(
        "z3: for a, b, E > 0, (α_t a + α_v b)/(a + b + E) = [(α_t a + α_v b)/(a + b)]·(a + b)/(a + b + E), "
        "and the bracketed factor lies in [min α, max α]."
    ),
    expect="proved",
)


@REDUCIBLE.check("z3")
def reducible_factorisation(q):
    a, b, alpha_t, alpha_v, floor = q.reals("a b alpha_t alpha_v E")
    q.domain(a > 0, b > 0, alpha_t > 0, alpha_v > 0, floor > 0)
    reducible = (alpha_t * a + alpha_v * b) / (a + b)
    low, high = smt.If(alpha_t <= alpha_v, alpha_t, alpha_v), smt.If(alpha_t <= alpha_v, alpha_v, alpha_t)
    q.prove(smt.And((alpha_t * a + alpha_v * b) / (a + b + floor) == reducible * (a + b) / (a + b + floor),
                    low <= reducible, reducible <= high))


@REDUCIBLE.check("hypothesis")
@given(law=_law_strategy(with_floor=True), log_n=st.floats(0.0, 60.0))
def reducible_exponent_in_bracket(law, log_n):
    n = np.array([math.exp(log_n)])
    text, vision = law.terms(n)
    reducible = float((law.alpha_text * text + law.alpha_vision * vision)[0] / (text + vision)[0])
    low, high = sorted((law.alpha_text, law.alpha_vision))
    assert low - 1e-9 <= reducible <= high + 1e-9
    total = float(law.effective_exponent(n)[0])
    assert math.isclose(total, reducible * float((text + vision)[0] / law.loss(n)[0]), rel_tol=1e-9)


@REDUCIBLE.check("simulation")
def reducible_exponents(rng, scale):
    n = np.logspace(0, 24, 300)
    worst, violation = 0.0, None
    for _ in range(500 if scale == "default" else 50_000):
        law = toys.ScalingLaw(*rng.uniform(0.1, 10, 2), *rng.uniform(0.05, 1.0, 2), rng.uniform(0.05, 0.95),
                              rng.uniform(0.01, 1.0))
        text, vision = law.terms(n)
        reducible = (law.alpha_text * text + law.alpha_vision * vision) / (text + vision)
        low, high = sorted((law.alpha_text, law.alpha_vision))
        outside = max(low - reducible.min(), reducible.max() - high)
        worst = max(worst, float(outside))
        if outside > 1e-9 and violation is None:
            violation = {"law": repr(law), "outside_by": float(outside)}
    return sim.Observation(violation=violation, figures={"largest_excursion": worst},
                           detail="random laws with floors: the reducible loss's exponent stayed in its bracket")


# ---------------------------------------------------------------------------------------------
# E-33 (ii): an interaction term can cause reverse scaling.
# ---------------------------------------------------------------------------------------------

REVERSE = lemma(
    "multimodal.reverse_scaling_exists",
    title="An interference term c·N_v/N_t makes more vision data raise the loss",
    kind="proposition",
    paper_ref="§6, Proposition (Fractured Multimodal Scaling)",
    claim_ref="E-33",
    source="attested",
    statement=(
        "There is an interaction term that can cause reverse scaling: adding data of one modality "
        "worsens overall performance (G2; B: Δ_interaction)."
    ),
    formal=(
        "Witness law L = A·N_t^(−α_t) + B·N_v^(−α_v) + c·N_v/N_t, c > 0: ∂L/∂N_v = −α_v B N_v^(−α_v−1) + c/N_t "
        "vanishes at N_v* = (α_v B N_t/c)^(1/(α_v+1)) and is > 0 beyond it. sympy, at α_v = 1/2, "
        "B = c = N_t = 1: at N_v = N_v*(1+s), ∂L/∂N_v = 1 − (1+s)^(−3/2) > 0 for every s > 0."
    ),
    interpretation=(
        "Existential, as G2 states it: one interaction family suffices. Its sign is chosen as "
        "interference that grows with the vision share; the paper's Δ was not recovered.",
    ),
    expect="proved",
)


@REVERSE.check("sympy")
def derivative_past_threshold():
    s = sp.Symbol("s", positive=True)
    return cas.Bound(1 - (1 + s) ** sp.Rational(-3, 2), {s: (1e-6, 1e6)}, strict=True, name="positive_beyond_threshold")


@REVERSE.check("hypothesis")
@given(scale=scales, alpha_v=exponents, interference=st.floats(1e-3, 10.0), text_data=st.floats(1.0, 1e6))
def derivative_changes_sign(scale, alpha_v, interference, text_data):
    threshold = (alpha_v * scale * text_data / interference) ** (1 / (alpha_v + 1))

    def slope(vision_data):
        return -alpha_v * scale * vision_data ** (-alpha_v - 1) + interference / text_data

    assert slope(0.5 * threshold) < 0 < slope(2 * threshold)


@REVERSE.check("simulation")
def loss_against_vision_data(rng, scale):
    vision = np.logspace(0, 8, 400)
    figure = sim.new_figure()
    ax = figure.subplots()
    minima, violation = {}, None
    for interference in (0.0, 1e-4, 1e-2):
        law = toys.ScalingLaw(1.0, 2.0, 0.3, 0.5, interaction=interference)
        loss = law.loss_at(np.full_like(vision, 1e3), vision)
        rises = np.flatnonzero(np.diff(loss) > 0)
        minima[f"argmin_N_v[c={interference:g}]"] = float(vision[loss.argmin()])
        if interference > 0 and not rises.size and violation is None:
            violation = {"c": interference, "detail": "the loss never rose on the swept range"}
        ax.plot(vision, loss, label=f"c = {interference:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("vision data N_v (N_t = 1000)")
    ax.set_ylabel("loss")
    ax.legend()
    return sim.Observation(violation=violation, figures=minima, plot=figure,
                           detail="with interference c > 0 the loss has a minimum in N_v and rises past it")


# ---------------------------------------------------------------------------------------------
# E-34: representational dominance of the language channel.
# ---------------------------------------------------------------------------------------------

DOMINANCE_STATEMENT = (
    "E‖∇_v L‖₂ ≪ E‖∇_t L‖₂: visual gradients are much smaller than text gradients, so the "
    "language channel dominates optimisation (G2); VideoLLaMA-7B attends 157× more to text tokens "
    "than to visual tokens per token (G1, P1)."
)
VISION_COUNTS = (4, 8, 16)


def _dominance_sweep(rng, steps):
    return {(task, count): toys.train_two_stream(rng, count, 16, task, steps, step_size=0.1)
            for task in ("language_prior", "grounded") for count in VISION_COUNTS}


def _plot_dominance(runs):
    figure = sim.new_figure(10, 4)
    left, right = figure.subplots(1, 2)
    for task in ("language_prior", "grounded"):
        gradient = [runs[(task, c)].text_gradient / runs[(task, c)].vision_gradient for c in VISION_COUNTS]
        attention = [runs[(task, c)].text_attention / runs[(task, c)].vision_attention for c in VISION_COUNTS]
        left.plot(VISION_COUNTS, gradient, "o-", label=task)
        right.plot(VISION_COUNTS, attention, "o-", label=task)
    for ax, what in ((left, "‖∇ text embeddings‖ / ‖∇ vision projector‖"), (right, "attention per text token / per vision token")):
        ax.axhline(10, color="k", ls=":", label="10× (≪)")
        ax.set_yscale("log")
        ax.set_xlabel("vision tokens (16 text tokens)")
        ax.set_ylabel(what)
        ax.legend(fontsize=7)
    return figure


DOMINANCE = lemma(
    "multimodal.language_gradient_dominance",
    title="A text-only loss makes language gradients dominate by 10× or more, whatever the data",
    kind="proposition",
    paper_ref="§6, Proposition (Representational Dominance)",
    claim_ref="E-34",
    source="attested",
    statement=DOMINANCE_STATEMENT,
    formal=(
        "Necessity reading, on an attention-pooled two-stream toy trained on a text-only next-token "
        "loss: mean ‖∂L/∂E_text‖ ≥ 10 · mean ‖∂L/∂P_vision‖ for every task and every vision:text "
        "token ratio in {4, 8, 16}:16."
    ),
    interpretation=(
        "'≪' read as a factor of at least 10; gradients taken per parameter group (text embeddings, "
        "vision projector); the 157× figure is an attention ratio per token, logged beside it.",
        "The toy is not VideoLLaMA: it can show that dominance is not forced by a text-only loss, "
        "not what a particular model does.",
    ),
    waivers={"symbolic": "an empirical proposition about trained models; the toy's gradients are checked "
                         "against finite differences in tests/test_simulations.py"},
    expect="refuted",
)


@DOMINANCE.check("hypothesis")
@settings(max_examples=8)
@given(seed=st.integers(0, 2**32 - 1), vision_tokens=st.sampled_from(VISION_COUNTS),
       task=st.sampled_from(["language_prior", "grounded"]))
def text_gradients_dominate(seed, vision_tokens, task):
    run = toys.train_two_stream(np.random.default_rng(seed), vision_tokens, 16, task, 300, step_size=0.1)
    assert run.text_gradient >= 10 * run.vision_gradient, (
        f"{task}: text/vision gradient ratio {run.text_gradient / run.vision_gradient:.3g}")


@DOMINANCE.check("simulation")
def gradient_and_attention_shares(rng, scale):
    runs = _dominance_sweep(rng, 600 if scale == "default" else 6000)
    violation = None
    for (task, count), run in runs.items():
        if run.text_gradient < 10 * run.vision_gradient:
            violation = {"task": task, "vision_tokens": count, "text_tokens": 16,
                         "text_over_vision_gradient": run.text_gradient / run.vision_gradient}
            break
    figures = {f"grad_ratio[{t}, {c}]": r.text_gradient / r.vision_gradient for (t, c), r in runs.items()}
    return sim.Observation(violation=violation, figures=figures, plot=_plot_dominance(runs),
                           detail="no task reaches 10×; in the grounded task the vision projector's gradient is larger")


INFORMATION = lemma(
    "multimodal.gradient_share_follows_information",
    title="Gradient and attention shares follow the modality that carries the answer",
    kind="correction",
    corrects="multimodal.language_gradient_dominance",
    paper_ref="§6, Proposition (Representational Dominance)",
    claim_ref="E-34",
    source="reconstructed",
    statement=(
        "Under a text-only loss, which channel dominates depends on the data: when the text already "
        "determines the answer (a language prior) the text embeddings get the larger gradient; when "
        "the image determines it, the vision projector gets the larger gradient and vision tokens "
        "the larger attention per token."
    ),
    formal=(
        "On the toy of multimodal.language_gradient_dominance, for vision:text ratios ≤ 1: language "
        "prior ⟹ ‖∇_text‖ > ‖∇_vision‖; grounded ⟹ ‖∇_vision‖ > ‖∇_text‖ and attention per vision "
        "token > per text token."
    ),
    waivers={"symbolic": "an empirical statement about the toy's training dynamics"},
    expect="tested",
)


@INFORMATION.check("hypothesis")
@settings(max_examples=8)
@given(seed=st.integers(0, 2**32 - 1), vision_tokens=st.sampled_from(VISION_COUNTS))
def share_follows_information(seed, vision_tokens):
    prior = toys.train_two_stream(np.random.default_rng(seed), vision_tokens, 16, "language_prior", 300, step_size=0.1)
    grounded = toys.train_two_stream(np.random.default_rng(seed), vision_tokens, 16, "grounded", 300, step_size=0.1)
    assert prior.text_gradient > prior.vision_gradient
    assert grounded.vision_gradient > grounded.text_gradient
    assert grounded.vision_attention > grounded.text_attention


@INFORMATION.check("simulation")
def shares_by_task(rng, scale):
    runs = _dominance_sweep(rng, 600 if scale == "default" else 6000)
    violation = None
    for count in VISION_COUNTS:
        prior, grounded = runs[("language_prior", count)], runs[("grounded", count)]
        if not (prior.text_gradient > prior.vision_gradient and grounded.vision_gradient > grounded.text_gradient
                and grounded.vision_attention > grounded.text_attention):
            violation = {"vision_tokens": count, "prior": repr(prior), "grounded": repr(grounded)}
    figures = {f"attention_ratio[{t}, {c}]": r.text_attention / r.vision_attention for (t, c), r in runs.items()}
    return sim.Observation(violation=violation, figures=figures, plot=_plot_dominance(runs),
                           detail="the larger gradient goes to the modality that determines the answer")


# ---------------------------------------------------------------------------------------------
# E-35: semantic drift ≥ σ_c·√KL(p_true ‖ p_data).
# ---------------------------------------------------------------------------------------------

DRIFT_STATEMENT = ("CLIP-trained encoders exhibit semantic drift bounded below by √D_KL(p_true‖p_data) · σ_c (G1).")
SAME_MEAN = (np.array([0.25, 0.5, 0.25]), np.array([0.375, 0.25, 0.375]), np.array([[-1.0], [0.0], [1.0]]))

DRIFT = lemma(
    "multimodal.semantic_drift_lower_bound",
    title="Mean-embedding drift ≥ σ_c·√KL for every pair of distributions",
    kind="claim",
    paper_ref="§6 (CLIP semantic drift)",
    claim_ref="E-35",
    source="attested",
    statement=DRIFT_STATEMENT,
    formal=(
        "drift = ‖E_{p_true} φ − E_{p_data} φ‖, σ_c = the standard deviation of φ under p_data; claim: "
        "∀ p, q, φ: drift ≥ σ_c·√KL(p‖q). sympy, exactly: p = (1/4, 1/2, 1/4), q = (3/8, 1/4, 3/8), "
        "φ = (−1, 0, 1) have equal means (drift 0) and KL > 0."
    ),
    interpretation=(
        "Drift and σ_c were not recovered: drift read as the shift of the mean embedding, σ_c as the "
        "feature's standard deviation under the training distribution, KL(p_true ‖ p_data).",
        "All distributions; the Gaussian location family is multimodal.semantic_drift_gaussian_location.",
    ),
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
                           detail="a frozen 8-feature encoder under location and scale shifts of its input law")


GAUSSIAN = lemma(
    "multimodal.semantic_drift_gaussian_location",
    title="In a Gaussian location family, drift = σ·√(2·KL) ≥ σ·√KL",
    kind="claim",
    paper_ref="§6 (CLIP semantic drift)",
    claim_ref="E-35",
    source="reconstructed",
    statement=DRIFT_STATEMENT,
    formal=(
        "p = N(μ₁, σ²), q = N(μ₂, σ²), φ(x) = x: sympy: KL(p‖q) = (μ₁−μ₂)²/(2σ²) by integration, so "
        "drift = |μ₁−μ₂| = σ·√(2·KL) ≥ σ·√KL."
    ),
    interpretation=("Reading: distributions differing by a location shift, with a shared spread σ = σ_c.",),
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
    return [cas.Identity(kl, closed, {mu1: (-5, 5), mu2: (-5, 5), sigma: (0.1, 5)}, name="kl_of_a_location_shift"),
            cas.Identity(sigma * sp.sqrt(2 * closed), sp.Abs(mu1 - mu2), {mu1: (-5, 5), mu2: (-5, 5), sigma: (0.1, 5)},
                         name="drift_is_sigma_root_two_kl")]


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
    assert abs(p @ grid - q @ grid) >= sigma * math.sqrt(kl) - 1e-6


@GAUSSIAN.check("simulation")
def location_family_ratio(rng, scale):
    samples = 200_000 if scale == "default" else 20_000_000
    ratios, violation = [], None
    for shift in np.linspace(0.1, 3.0, 12):
        sigma = rng.uniform(0.5, 2.0)
        drift = abs((rng.normal(shift, sigma, samples)).mean() - rng.normal(0, sigma, samples).mean())
        bound = sigma * math.sqrt(shift ** 2 / (2 * sigma ** 2))
        ratios.append(drift / bound)
        if drift < bound * 0.98 and violation is None:  # sampling error is well under 2 % here
            violation = {"shift": float(shift), "sigma": sigma, "drift": float(drift), "bound": bound}
    return sim.Observation(violation=violation, figures={"drift_over_bound_mean": float(np.mean(ratios))},
                           detail="sampled location shifts: drift / (σ·√KL) ≈ √2")


PINSKER = lemma(
    "multimodal.semantic_drift_pinsker",
    title="What does hold in general is an upper bound: drift ≤ M·√(2·KL) for ‖φ‖ ≤ M",
    kind="correction",
    corrects="multimodal.semantic_drift_lower_bound",
    paper_ref="§6 (CLIP semantic drift)",
    claim_ref="E-35",
    source="reconstructed",
    statement=(
        "For any two distributions and a feature map bounded by M, the drift of the mean embedding "
        "is at most M·√(2·KL(p_true‖p_data)) (Pinsker); a lower bound holds only within structured "
        "families such as location shifts (multimodal.semantic_drift_gaussian_location)."
    ),
    formal="∀ p, q, ‖φ‖ ≤ M: ‖E_p φ − E_q φ‖ ≤ 2M·TV(p, q) ≤ M·√(2·KL(p‖q)).",
    assumes=("Pinsker's inequality TV ≤ √(KL/2) (Pinsker 1964; Kullback, Csiszár, Kemperman)",),
    waivers={"symbolic": "Pinsker's inequality is assumed, not re-proved here; the property test and the "
                         "simulation look for a violation"},
    expect="tested",
)


@PINSKER.check("hypothesis")
@given(weights=st.lists(st.floats(1e-3, 1.0), min_size=8, max_size=8),
       feature=st.lists(st.floats(-1.0, 1.0), min_size=4, max_size=4))
def drift_at_most_pinsker(weights, feature):
    p, q = np.array(weights[:4]) / sum(weights[:4]), np.array(weights[4:]) / sum(weights[4:])
    phi = np.array(feature)[:, None]
    bound = np.abs(phi).max() * math.sqrt(2 * toys.kl_divergence(p, q))
    assert toys.mean_drift(p, q, phi) <= bound + 1e-12


@PINSKER.check("simulation")
def pinsker_on_random_pairs(rng, scale):
    pairs = 20_000 if scale == "default" else 2_000_000
    support = 6
    p = rng.dirichlet(np.ones(support) * 0.5, pairs)
    q = rng.dirichlet(np.ones(support) * 0.5, pairs)
    feature = rng.uniform(-1, 1, (pairs, support))
    drift = np.abs(np.sum((p - q) * feature, axis=1))
    kl = np.sum(np.where(p > 0, p * np.log(np.maximum(p, 1e-300) / np.maximum(q, 1e-300)), 0.0), axis=1)
    bound = np.abs(feature).max(axis=1) * np.sqrt(2 * kl)
    worst = int(np.argmax(drift - bound))
    violation = None if drift[worst] <= bound[worst] + 1e-12 else {"drift": float(drift[worst]), "bound": float(bound[worst])}
    return sim.Observation(violation=violation, figures={"largest_drift_over_bound": float(np.max(drift / bound))},
                           detail=f"{pairs} random pairs on {support} points with features in [−1, 1]")


# ---------------------------------------------------------------------------------------------
# E-36: co-occurrence shortcuts; degradation grows with the co-occurrence shift.
# ---------------------------------------------------------------------------------------------

COOCCURRENCE = lemma(
    "multimodal.cooccurrence_degradation_grows_with_kl",
    title="A co-occurrence classifier degrades as the test co-occurrences move away (in KL)",
    kind="claim",
    paper_ref="§6 (spatial reasoning, ψ(S) ≈ Σ w_ij·1[co-occur])",
    claim_ref="E-36",
    source="attested",
    statement=(
        "MLLMs learn spurious spatial associations from co-occurrence frequencies, ψ(S) ≈ Σ w_ij·1[co-occur(o_i, o_j)], "
        "and performance degradation scales with the KL divergence between training and test "
        "co-occurrence distributions (G1)."
    ),
    formal=(
        "Scenes of two objects whose identity order predicts 'left of' with correlation c. The "
        "co-occurrence rule ψ learned at c₀ = 0.9 has test accuracy (1 + c)/2, so its drop (c₀ − c)/2 "
        "grows as c falls; sympy: KL(test‖train) also grows as c falls below c₀ (−dKL/dc > 0 on "
        "(−0.99, 0.89)), so the drop is an increasing function of the KL."
    ),
    interpretation=(
        "'Scales with' read as monotone increasing; the drop is linear in the total variation "
        "(c₀ − c)/2, not in the KL. A geometry classifier is the control.",
    ),
    expect="proved",
)
TRAIN_CORRELATION = 0.9


@COOCCURRENCE.check("sympy")
def kl_falls_with_correlation():
    c = sp.Symbol("c", real=True)
    c0 = sp.Rational(9, 10)
    kl = (1 + c) / 2 * sp.log((1 + c) / (1 + c0)) + (1 - c) / 2 * sp.log((1 - c) / (1 - c0))
    return cas.Bound(-sp.diff(kl, c), {c: (-0.99, 0.89)}, strict=True, name="kl_grows_as_correlation_falls")


@COOCCURRENCE.check("hypothesis")
@given(first=st.floats(-0.99, 0.89), second=st.floats(-0.99, 0.89))
def drop_increases_with_kl(first, second):
    low, high = sorted((first, second))  # the lower correlation is further from training
    drop = lambda c: (TRAIN_CORRELATION - c) / 2  # noqa: E731
    assert (toys.label_kl(TRAIN_CORRELATION, low) >= toys.label_kl(TRAIN_CORRELATION, high)) == (drop(low) >= drop(high))


@COOCCURRENCE.check("simulation")
def shortcut_against_geometry(rng, scale):
    count, objects = (20_000 if scale == "default" else 2_000_000), 10
    a, b, _, _, label = toys.scenes(rng, count, objects, TRAIN_CORRELATION)
    rule = toys.cooccurrence_classifier(a, b, label, objects)
    rows = []
    for test_correlation in (0.9, 0.6, 0.3, 0.0, -0.3, -0.6, -0.9):
        ta, tb, txa, txb, tlabel = toys.scenes(rng, count, objects, abs(test_correlation))
        if test_correlation < 0:  # identity order now predicts the opposite relation
            tlabel, txa, txb = 1 - tlabel, txb, txa
        rows.append((toys.label_kl(TRAIN_CORRELATION, test_correlation), float((rule[ta, tb] == tlabel).mean()),
                     float(((txa < txb).astype(int) == tlabel).mean())))
    kls, shortcut, geometry = map(np.array, zip(*rows))
    order = np.argsort(kls)
    violation = None
    if np.any(np.diff(shortcut[order]) > 0.02):  # accuracy must not rise with KL beyond sampling noise
        violation = {"kl": kls[order].tolist(), "accuracy": shortcut[order].tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(kls[order], shortcut[order], "o-", label="co-occurrence rule ψ")
    ax.plot(kls[order], geometry[order], "s-", label="geometry")
    ax.set_xlabel("KL(test ‖ train) of (pair, relation)")
    ax.set_ylabel("accuracy")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           figures={"shortcut_accuracy_at_largest_kl": float(shortcut[order][-1]),
                                    "geometry_accuracy_min": float(geometry.min())},
                           detail="the co-occurrence rule falls from 0.95 towards 0.05 as KL grows; geometry stays at 1")


COVERAGE = lemma(
    "multimodal.compositional_coverage",
    title="Compositions grow exponentially; any finite training set covers a vanishing fraction",
    kind="claim",
    paper_ref="§6 (compositional generalisation)",
    claim_ref="E-36",
    source="attested",
    statement="Compositional generalization failures arise from exponential combination space vs. finite training coverage (G1).",
    formal=(
        "Scenes of k objects with one of R relations per pair number at least R^(k(k−1)/2); a training "
        "set of n scenes covers at most n/R^(k(k−1)/2) of them, which tends to 0 as k → ∞ (sympy)."
    ),
    waivers={"property": "the count is exact; the simulation enumerates small cases against it"},
    expect="proved",
)


@COVERAGE.check("sympy")
def coverage_vanishes():
    k = sp.Symbol("k", positive=True)
    n, relations = sp.Integer(10) ** 12, sp.Integer(2)
    return cas.Limit(n / relations ** (k * (k - 1) / 2), k, expected=0, name="coverage_of_a_trillion_scenes")


@COVERAGE.check("simulation")
def enumerate_small_scenes(rng, scale):
    import itertools

    rows, violation = [], None
    for k in range(2, 6 if scale == "default" else 7):
        relations = 2
        scenes_counted = sum(1 for _ in itertools.product(range(relations), repeat=k * (k - 1) // 2))
        if scenes_counted != relations ** (k * (k - 1) // 2):
            violation = {"k": k, "counted": scenes_counted}
        training = rng.integers(scenes_counted, size=1000)
        rows.append((k, scenes_counted, len(np.unique(training)) / scenes_counted))
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogy([r[0] for r in rows], [r[2] for r in rows], "o-", label="covered by 1000 random training scenes")
    ax.set_xlabel("objects per scene k")
    ax.set_ylabel("fraction of compositions covered")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={f"coverage[k={k}]": c for k, _, c in rows},
                           detail="compositions enumerated for small k; coverage of a fixed training set falls fast")


# ---------------------------------------------------------------------------------------------
# E-37: SNR ∝ (log N)^(−1), in two readings of the signal-to-noise ratio.
# ---------------------------------------------------------------------------------------------

SNR_STATEMENT = "SNR ∝ log(N)⁻¹, decreasing with data scale (G2, a row of its table for §6)."
CANDIDATES = np.unique(np.logspace(1, 4, 7).astype(int))


def _snr_exponent(rng, reading, trials):
    """Fit SNR ∝ (ln N)^(−k) over the candidate counts; return k and the curve."""
    values = np.array([toys.retrieval_snr(rng, int(n), 32, trials)[0 if reading == "amplitude" else 1] for n in CANDIDATES])
    k = -np.polyfit(np.log(np.log(CANDIDATES[2:])), np.log(values[2:]), 1)[0]
    return float(k), values


def _snr_observation(rng, scale, reading):
    """Fit the exponent of ln N for one reading of the SNR; the claim says it is 1 (within 0.25)."""
    k, values = _snr_exponent(rng, reading, 60 if scale == "default" else 2000)
    violation = None if abs(k - 1) <= 0.25 else {"fitted_exponent": k, "claimed": 1}
    return sim.Observation(violation=violation, figures={"fitted_exponent": k}, plot=_snr_plot({f"{reading} SNR": values}),
                           detail=f"{reading} SNR against ln N on log axes, fitted over N ≥ 100")


def _snr_plot(curves):
    figure = sim.new_figure()
    ax = figure.subplots()
    for label, values in curves.items():
        ax.loglog(np.log(CANDIDATES), values, "o-", label=label)
    ax.set_xlabel("ln N (candidates)")
    ax.set_ylabel("SNR")
    ax.legend(fontsize=8)
    return figure


SNR_POWER = lemma(
    "multimodal.snr_inverse_log_power",
    title="Power SNR of nearest-neighbour retrieval among N embeddings falls as 1/ln N",
    kind="claim",
    paper_ref="§6 (table row)",
    claim_ref="E-37",
    source="reconstructed",
    statement=SNR_STATEMENT,
    formal=(
        "Reading: the match scores 1 among N random unit keys in d = 32 dimensions; SNR = 1 / E[(max "
        "distractor score)²]. Claim: SNR ∝ (ln N)^(−k) with k = 1; finite form: the exponent fitted "
        "over N = 46 … 10^4 lies within 0.25 of 1."
    ),
    interpretation=(
        "No reading was recovered (claims.md E-37); this one and the amplitude reading "
        "(multimodal.snr_inverse_log_amplitude) are reconstructions. N counts retrieval candidates.",
    ),
    assumes=("E[max of N near-Gaussian scores] ~ √(2 ln N / d) (extreme-value asymptotics)",),
    waivers={"symbolic": "the rate rests on extreme-value asymptotics, assumed, not derived here",
             "property": "a distributional rate over N; only the simulation's sweep can measure it"},
    expect="tested",
)


@SNR_POWER.check("simulation")
def power_snr_rate(rng, scale):
    return _snr_observation(rng, scale, "power")


SNR_AMPLITUDE = lemma(
    "multimodal.snr_inverse_log_amplitude",
    title="Amplitude SNR of the same retrieval falls as 1/√ln N, not 1/ln N",
    kind="claim",
    paper_ref="§6 (table row)",
    claim_ref="E-37",
    source="reconstructed",
    statement=SNR_STATEMENT,
    formal=(
        "Reading: SNR = 1 / E[max distractor score] (amplitude). Claim: fitted exponent k of "
        "(ln N)^(−k) within 0.25 of 1 over N = 46 … 10^4."
    ),
    interpretation=("The amplitude reading of 'signal-to-noise'; see multimodal.snr_inverse_log_power.",),
    waivers={"symbolic": "as for the power reading: an extreme-value rate, assumed",
             "property": "a distributional rate over N; only the simulation's sweep can measure it"},
    expect="refuted",
)


@SNR_AMPLITUDE.check("simulation")
def amplitude_snr_rate(rng, scale):
    return _snr_observation(rng, scale, "amplitude")


# ---------------------------------------------------------------------------------------------
# E-38: language priors, contrastive decoding, RL and compositional gaps.
# ---------------------------------------------------------------------------------------------

PRIOR = lemma(
    "multimodal.language_prior_under_ambiguity",
    title="The more ambiguous the image, the more often the answer follows the language prior",
    kind="claim",
    paper_ref="§6 (bidirectional contamination)",
    claim_ref="E-38",
    source="attested",
    statement="Ambiguous visual inputs trigger textual hallucinations; strong linguistic priors bias visual interpretation (G1).",
    formal=(
        "Decision by score = vision log-likelihood + language prior. z3: if the prior's favourite wins "
        "when the true answer's visual margin is m₁, it wins at every smaller margin m₂ ≤ m₁. "
        "Simulation: prior-following rises with ambiguity."
    ),
    expect="proved",
)


@PRIOR.check("z3")
def prior_wins_more_when_vision_is_weaker(q):
    favourite, truth, prior, weaker, stronger = q.reals("v_fav v_true prior m2 m1")
    q.domain(prior >= 0)
    q.given(weaker <= stronger, favourite + prior > truth + stronger)
    q.prove(favourite + prior > truth + weaker)


@PRIOR.check("hypothesis")
@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), prior_strength=st.floats(0.5, 4.0))
def following_rises_with_ambiguity(seed, prior_strength):
    clear = toys.prior_following(np.random.default_rng(seed), 0.0, prior_strength, 0.0, 300)
    ambiguous = toys.prior_following(np.random.default_rng(seed), 1.0, prior_strength, 0.0, 300)
    assert ambiguous >= clear


@PRIOR.check("simulation")
def following_against_ambiguity(rng, scale):
    trials = 400 if scale == "default" else 40_000
    levels = np.linspace(0, 1, 6)
    curve = np.array([toys.prior_following(rng, level, 2.0, 0.0, trials) for level in levels])
    violation = None if np.all(np.diff(curve) > -0.03) else {"ambiguity": levels.tolist(), "following": curve.tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(levels, curve, "o-")
    ax.set_xlabel("visual ambiguity")
    ax.set_ylabel("answers that follow the language prior")
    return sim.Observation(violation=violation, plot=figure, figures={"following_clear": float(curve[0]),
                                                                       "following_ambiguous": float(curve[-1])},
                           detail="prior-following rises from clear to fully ambiguous images")


CONTRASTIVE = lemma(
    "multimodal.contrastive_decoding_marginal",
    title="Contrastive decoding can only marginally reduce reliance on the language prior",
    kind="claim",
    paper_ref="§6 (mitigations)",
    claim_ref="E-38",
    source="attested",
    statement="Contrastive decoding only marginally reduces language prior over-reliance (G1).",
    formal=(
        "Necessity reading: for every model, contrastive decoding with α ≤ 1, score = (1+α)·log p(y|v,t) "
        "− α·log p(y|t), cuts the rate of prior-following answers by less than a quarter. Tested on "
        "the toy of multimodal.language_prior_under_ambiguity at ambiguity 0.8."
    ),
    interpretation=(
        "'Only marginally' read as a relative reduction below 25 % at the usual α ≤ 1. The empirical "
        "reading about particular MLLMs cannot be tested without them; a toy in which contrastive "
        "decoding works shows the limit is not a necessity.",
    ),
    waivers={"symbolic": "an empirical claim; the toy is the counterexample and is replayed by the property test"},
    expect="refuted",
)


@CONTRASTIVE.check("hypothesis")
@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1))
def contrastive_decoding_barely_helps(seed):
    plain = toys.prior_following(np.random.default_rng(seed), 0.8, 2.0, 0.0, 400)
    contrastive = toys.prior_following(np.random.default_rng(seed), 0.8, 2.0, 1.0, 400)
    assert contrastive >= 0.75 * plain, f"prior-following {plain:.3f} → {contrastive:.3f} at α = 1"


@CONTRASTIVE.check("simulation")
def contrastive_sweep(rng, scale):
    trials = 400 if scale == "default" else 40_000
    alphas = np.array([0.0, 0.25, 0.5, 1.0, 2.0, 4.0])
    curve = np.array([toys.prior_following(rng, 0.8, 2.0, alpha, trials) for alpha in alphas])
    at_one = float(curve[alphas == 1.0][0])
    violation = None if at_one >= 0.75 * curve[0] else {"alpha": 1.0, "following_plain": float(curve[0]),
                                                         "following_contrastive": at_one}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(alphas, curve, "o-")
    ax.set_xlabel("contrastive decoding strength α")
    ax.set_ylabel("answers that follow the language prior")
    return sim.Observation(violation=violation, plot=figure, figures={"relative_reduction_at_alpha_1": 1 - at_one / curve[0]},
                           detail="ambiguity 0.8, prior 2 nats: contrastive decoding removes much of the prior's pull")


RL_GAPS = lemma(
    "multimodal.rl_compositional_gaps",
    title="RL training does not resolve compositional gaps with visual inputs",
    kind="claim",
    paper_ref="§6",
    claim_ref="E-38",
    source="attested",
    statement="RL training does not resolve compositional gaps with visual inputs (G1).",
    formal=(
        "Not made precise by the sources: no task, reward, model class or measure of 'resolve' was "
        "recovered. Best precise reading: for some compositional visual task, accuracy on held-out "
        "compositions after outcome-reward RL stays below accuracy on seen ones."
    ),
    waivers={
        "symbolic": "the statement has no formal content in the sources",
        "property": "no model class or task was recovered to draw instances from",
        "simulation": "an RL toy would test a reading invented here, not the paper's claim",
    },
    expect="unknown",
)
