"""E-33, α_eff bracket and Δ_interaction (§6, Proposition (Fractured Multimodal Scaling)): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import cas, interval, lemma, sim, smt
from simulations import multimodal as toys

A, B, ALPHA_T, ALPHA_V, RHO, FLOOR = sp.symbols("A B alpha_t alpha_v rho E", positive=True)
DELTA = sp.Symbol("delta", positive=True)  # the gap between the two exponents
N = sp.Symbol("N", positive=True)
U = sp.Symbol("u", real=True)  # ln N
LAW_DOMAIN = {U: (0.0, 40.0), A: (0.1, 10.0), B: (0.1, 10.0), ALPHA_T: (0.05, 1.0), ALPHA_V: (0.05, 1.0),
              RHO: (0.05, 0.95), FLOOR: (0.01, 1.0)}
LAW_SAMPLES = {A: (1,), B: (2,), RHO: (sp.Rational(1, 2),)}  # where mpmath re-evaluates the limits
exponents = st.floats(0.05, 1.0)
scales = st.floats(0.1, 10.0)


def _terms(n, alpha_t=ALPHA_T, alpha_v=ALPHA_V):
    return A * (RHO * n) ** (-alpha_t), B * ((1 - RHO) * n) ** (-alpha_v)


def _exponent_of(loss_of_n):
    """α_eff = −d ln L / d ln N, differentiated by sympy in u = ln N, as a function of N."""
    return (-sp.diff(sp.log(loss_of_n(sp.exp(U))), U)).subs(U, sp.log(N))


def _law_strategy(with_floor):
    return st.builds(toys.ScalingLaw, scales, scales, exponents, exponents, st.floats(0.05, 0.95),
                     st.floats(0.01, 1.0) if with_floor else st.just(0.0))


def _random_laws(rng, count, with_floor=False):
    """`count` random laws at once: one ScalingLaw whose parameters are columns, so that its methods
    evaluate every law on a grid of N in one vectorised call (rows: laws, columns: N)."""
    columns = [rng.uniform(0.1, 10, count), rng.uniform(0.1, 10, count), rng.uniform(0.05, 1.0, count),
               rng.uniform(0.05, 1.0, count), rng.uniform(0.05, 0.95, count),
               rng.uniform(0.01, 1.0, count) if with_floor else np.zeros(count)]
    return toys.ScalingLaw(*(c[:, None] for c in columns))


def _one_law(laws, row):
    """The law of one row of `_random_laws`, as plain numbers (for a counterexample)."""
    return toys.ScalingLaw(*(float(getattr(laws, f)[row, 0]) for f in ("text_scale", "vision_scale", "alpha_text",
                                                                      "alpha_vision", "mixture", "floor")))


def _excursions(values, laws):
    """Per law: how far the values leave [min α, max α] (≤ 0 inside), and the bracket slack."""
    low, high = np.minimum(laws.alpha_text, laws.alpha_vision), np.maximum(laws.alpha_text, laws.alpha_vision)
    outside = np.maximum(low[:, 0] - values.min(axis=1), values.max(axis=1) - high[:, 0])
    slack = min(sim.slack(values, np.broadcast_to(low, values.shape), side="lower"),
                sim.slack(values, np.broadcast_to(high, values.shape), side="upper"))
    return outside, slack


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
    r"Cross-modal scaling laws are fractured: the effective scaling exponent $\alpha_{\mathrm{eff}}$ is bounded "
    r"within $[\min(\alpha_{\text{text}}, \alpha_{\text{vision}}), \max(\alpha_{\text{text}}, \alpha_{\text{vision}})]$, "
    "so the slower-scaling modality constrains aggregate gain (G1, G2)."
)
EXPONENT_VARIABLES = {"a": r"the text term $A(\rho N)^{-\alpha_t}$ of the loss", "b": r"the vision term "
                      r"$B((1-\rho)N)^{-\alpha_v}$", "alpha_t": "the text exponent", "alpha_v": "the vision exponent",
                      "E": "the irreducible loss", "law": "a sampled scaling law", "outside_by": "how far α_eff "
                      "left its bracket"}


def _explain_exponent(cx):
    if {"a", "b", "alpha_t", "alpha_v"} <= set(cx):
        floor = f" and a floor E = {float(cx['E']):.3g}" if "E" in cx else ""
        return (f"with loss terms a = {float(cx['a']):.3g} (text), b = {float(cx['b']):.3g} (vision){floor}, "
                f"exponents α_t = {float(cx['alpha_t']):.3g}, α_v = {float(cx['alpha_v']):.3g}, α_eff falls "
                f"outside [min α, max α]")
    if "alpha_eff" in cx:
        return (f"at N = {float(cx['N']):.3g} with floor E = {cx['E']}, α_eff = {float(cx['alpha_eff']):.3g} is below "
                f"min(α_t, α_v) = {float(cx['bracket_low']):.3g}")
    return f"the law leaves its bracket: {cx}"


BRACKET = lemma(
    "multimodal.fractured_scaling_bracket",
    title="α_eff is a loss-weighted average of α_t and α_v, and tends to the smaller",
    kind="proposition",
    paper_ref="§6, Proposition (Fractured Multimodal Scaling)",
    claim_ref="E-33",
    source="attested",
    statement=FRACTURED_STATEMENT,
    formal=(
        r"$L = a + b$ with $a = A(\rho N)^{-\alpha_t}$, $b = B((1-\rho)N)^{-\alpha_v}$, no floor, no interaction. "
        r"sympy: $\alpha_{\mathrm{eff}} = -d\ln L/d\ln N = (\alpha_t a + \alpha_v b)/(a + b)$; as $N \to \infty$ it "
        r"tends to $\min(\alpha_t, \alpha_v)$ for every $A, B, \rho$ (limits with $\alpha_t = \alpha_v + \delta$ and "
        r"$\alpha_v = \alpha_t + \delta$, $\delta > 0$; at $\alpha_t = \alpha_v$ it is that constant). z3: for "
        r"$a, b > 0$ the average lies in $[\min, \max]$."
    ),
    interpretation=(
        "Law of claims.md E-33 [R] with Δ_interaction ≡ 0 and E = 0; α_eff the local log-derivative "
        "along a fixed mixture ρ.",
    ),
    variables=EXPONENT_VARIABLES,
    explain=_explain_exponent,
    expect="proved",
)


@BRACKET.check("z3")
def weighted_average_in_bracket(q):
    a, b, alpha_t, alpha_v = q.reals("a b alpha_t alpha_v")
    q.domain(a > 0, b > 0)  # the exponents' signs are not needed: any weighted average of two reals lies between them
    average = (alpha_t * a + alpha_v * b) / (a + b)
    low, high = smt.If(alpha_t <= alpha_v, alpha_t, alpha_v), smt.If(alpha_t <= alpha_v, alpha_v, alpha_t)
    q.prove(smt.And(low <= average, average <= high))


@BRACKET.check("sympy")
def exponent_closed_form():
    exponent = _exponent_of(lambda n: sum(_terms(n)))
    text, vision = _terms(N)
    goals = [cas.Identity(exponent, (ALPHA_T * text + ALPHA_V * vision) / (text + vision), LAW_DOMAIN,
                          name="weighted_average")]
    # the limit of the derivative itself, for every A, B, ρ and either order of the exponents: the slower one wins
    for name, (alpha_t, alpha_v), slower in (("vision_slower", (ALPHA_V + DELTA, ALPHA_V), ALPHA_V),
                                             ("text_slower", (ALPHA_T, ALPHA_T + DELTA), ALPHA_T)):
        exponent = _exponent_of(lambda n: sum(_terms(n, alpha_t, alpha_v)))
        goals.append(cas.Limit(exponent, N, expected=slower, name=f"tends_to_the_slower_exponent_{name}",
                               samples={**LAW_SAMPLES, slower: (sp.Rational(1, 10),), DELTA: (sp.Rational(1, 5), 1)}))
    text, vision = _terms(N, ALPHA_T, ALPHA_T)
    goals.append(cas.Identity((ALPHA_T * text + ALPHA_T * vision) / (text + vision), ALPHA_T, LAW_DOMAIN,
                              name="equal_exponents_constant"))
    return goals


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
    worst, tightest, violation = 0.0, math.inf, None
    for _ in range(count // 1000):  # a thousand laws at a time
        laws = _random_laws(rng, 1000)
        outside, slack = _excursions(laws.effective_exponent(n), laws)
        worst, tightest = max(worst, float(outside.max())), min(tightest, slack)
        if outside.max() > 1e-9 and violation is None:
            row = int(outside.argmax())
            violation = {"law": repr(_one_law(laws, row)), "outside_by": float(outside[row])}
    shown = [toys.ScalingLaw(1, 2, 0.3, 0.1), toys.ScalingLaw(5, 0.5, 0.15, 0.6, 0.3)]
    fitted = toys.fitted_exponents(rng, shown[0], n, noise=0.002)
    figure = _plot_exponents(shown, n, "α_eff stays in the bracket (no floor)")
    figure.axes[0].plot(n, fitted, ".", ms=2, color="gray", label="fitted from noisy losses")
    return sim.Observation(violation=violation, plot=figure, figures={"largest_excursion": worst}, slack=tightest,
                           detail=f"{count} random laws × 200 scales from 1 to 10^24: α_eff never left its bracket "
                                  "(slack ≈ 1: the bracket is attained in the limit)")


FLOOR_LAW = lemma(
    "multimodal.fractured_scaling_with_floor",
    title="With an irreducible loss E > 0, α_eff leaves the bracket and tends to 0",
    kind="proposition",
    paper_ref="§6, Proposition (Fractured Multimodal Scaling)",
    claim_ref="E-33",
    source="attested",
    statement=FRACTURED_STATEMENT,
    formal=(
        r"$L = a + b + E$ with $E > 0$: $\alpha_{\mathrm{eff}} = (\alpha_t a + \alpha_v b)/(a + b + E)$ (the closed form "
        r"is proved, from the derivative, in multimodal.fractured_scaling_reducible). Claim read as: "
        r"$\alpha_{\mathrm{eff}} \ge \min(\alpha_t, \alpha_v)$. z3 finds $a, b, E$ where it is not; sympy, on the "
        r"derivative itself: $\alpha_{\mathrm{eff}} \to 0$ as $N \to \infty$."
    ),
    interpretation=(
        "The same law with the irreducible constant E that real scaling laws carry; a constant "
        "interaction term along the mixture path acts the same way.",
        "Correction: multimodal.fractured_scaling_reducible.",
    ),
    variables=EXPONENT_VARIABLES,
    explain=_explain_exponent,
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
    exponent = _exponent_of(lambda n: sum(_terms(n)) + FLOOR)  # differentiated by sympy, not typed
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
    violation, slacks = None, []
    for law in laws:
        exponent = law.effective_exponent(n)
        slacks.append(sim.slack(exponent, min(law.alpha_text, law.alpha_vision), side="lower"))
        below = np.flatnonzero(exponent < min(law.alpha_text, law.alpha_vision) - 1e-9)
        if below.size and violation is None:
            violation = {"E": law.floor, "N": float(n[below[0]]), "alpha_eff": float(exponent[below[0]]),
                         "bracket_low": min(law.alpha_text, law.alpha_vision)}
    return sim.Observation(violation=violation, plot=_plot_exponents(laws, n, "With a floor E, α_eff falls out"),
                           slack=min(slacks),
                           detail="laws with E > 0 drop below min(α_t, α_v) once the reducible loss nears E "
                                  "(slack < 1: the lower bound fails)")


REDUCIBLE = lemma(
    "multimodal.fractured_scaling_reducible",
    title="The bracket holds for the reducible loss; the total loss's α_eff is scaled by (L−E)/L",
    kind="correction",
    corrects="multimodal.fractured_scaling_with_floor",
    paper_ref="§6, Proposition (Fractured Multimodal Scaling)",
    claim_ref="E-33",
    source="reconstructed",
    statement=(
        r"With an irreducible floor $E$, the bracket $[\min\alpha, \max\alpha]$ holds for the exponent of the "
        r"reducible loss $L - E$, and the total loss's exponent is that one times $(L - E)/L$, which "
        r"tends to 0: a floor, not the slower modality, caps the aggregate gain at scale."
    ),
    formal=(
        r"sympy: $-d\ln L/d\ln N = (\alpha_t a + \alpha_v b)/(a + b + E) = [-d\ln(L - E)/d\ln N]\cdot(L - E)/L$, "
        r"both derivatives taken by sympy, and "
        r"$(L - E)/L = (a + b)/(a + b + E) \to 0$ as $N \to \infty$ for every $A, B, \rho, E$ "
        r"($\alpha_t \gtrless \alpha_v$ and $\alpha_t = \alpha_v$). z3: for $a, b, E > 0$, "
        r"$(\alpha_t a + \alpha_v b)/(a + b + E) = [(\alpha_t a + \alpha_v b)/(a + b)]\cdot(a + b)/(a + b + E)$, and the "
        r"bracketed factor (the reducible loss's exponent, multimodal.fractured_scaling_bracket) lies in "
        r"$[\min\alpha, \max\alpha]$."
    ),
    variables=EXPONENT_VARIABLES,
    explain=_explain_exponent,
    survivors={"domain constraint E > 0 dropped": "the factorisation is an identity wherever a + b + E ≠ 0, so it also "
               "holds for E ≤ 0; E > 0 is the statement's setting (an irreducible loss) and is kept"},
    expect="proved",
)
SHARED = sp.Symbol("C", positive=True)  # A ρ^(−α) + B (1 − ρ)^(−α) when both exponents equal α


@REDUCIBLE.check("z3")
def reducible_factorisation(q):
    a, b, alpha_t, alpha_v, floor = q.reals("a b alpha_t alpha_v E")
    q.domain(a > 0, b > 0, floor > 0)  # any real exponents
    reducible = (alpha_t * a + alpha_v * b) / (a + b)
    low, high = smt.If(alpha_t <= alpha_v, alpha_t, alpha_v), smt.If(alpha_t <= alpha_v, alpha_v, alpha_t)
    q.prove(smt.And((alpha_t * a + alpha_v * b) / (a + b + floor) == reducible * (a + b) / (a + b + floor),
                    low <= reducible, reducible <= high))


@REDUCIBLE.check("sympy")
def share_of_reducible_loss_vanishes():
    total = _exponent_of(lambda n: sum(_terms(n)) + FLOOR)
    reducible = _exponent_of(lambda n: sum(_terms(n)))
    text, vision = _terms(N)
    goals = [cas.Identity(total, (ALPHA_T * text + ALPHA_V * vision) / (text + vision + FLOOR), LAW_DOMAIN,
                          name="exponent_with_floor"),  # the closed form z3 evaluates here and in the refuted reading
             cas.Identity(total, reducible * (text + vision) / (text + vision + FLOOR), LAW_DOMAIN,
                          name="total_exponent_is_reducible_times_share")]
    samples = {**LAW_SAMPLES, FLOOR: (sp.Rational(1, 100), sp.Rational(1, 2)), DELTA: (sp.Rational(1, 5),)}
    for name, (alpha_t, alpha_v) in (("vision_slower", (ALPHA_V + DELTA, ALPHA_V)),
                                     ("text_slower", (ALPHA_T, ALPHA_T + DELTA))):
        text, vision = _terms(N, alpha_t, alpha_v)
        goals.append(cas.Limit((text + vision) / (text + vision + FLOOR), N, expected=0, name=f"share_vanishes_{name}",
                               samples={**samples, (ALPHA_V if name == "vision_slower" else ALPHA_T): (sp.Rational(1, 10),)}))
    # equal exponents: the two terms merge into C·N^(−α), whose share also vanishes
    text, vision = _terms(N, ALPHA_T, ALPHA_T)
    merged = (A * RHO ** (-ALPHA_T) + B * (1 - RHO) ** (-ALPHA_T)) * N ** (-ALPHA_T)
    goals.append(cas.Identity(sp.expand(sp.expand_power_base(text + vision, force=True)), sp.expand(merged), LAW_DOMAIN,
                              name="equal_exponents_merge"))  # the bases are positive, so the power splits
    goals.append(cas.Limit(SHARED * N ** (-ALPHA_T) / (SHARED * N ** (-ALPHA_T) + FLOOR), N, expected=0,
                           samples={SHARED: (1, 3), ALPHA_T: (sp.Rational(1, 10),), FLOOR: (sp.Rational(1, 100),)},
                           name="share_vanishes_equal_exponents"))
    return goals


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
    worst, tightest, violation = 0.0, math.inf, None
    for _ in range(1 if scale == "default" else 100):  # 500 laws at a time
        laws = _random_laws(rng, 500, with_floor=True)
        text, vision = laws.terms(n)
        reducible = (laws.alpha_text * text + laws.alpha_vision * vision) / (text + vision)
        outside, slack = _excursions(reducible, laws)
        worst, tightest = max(worst, float(outside.max())), min(tightest, slack)
        if outside.max() > 1e-9 and violation is None:
            row = int(outside.argmax())
            violation = {"law": repr(_one_law(laws, row)), "outside_by": float(outside[row])}
    return sim.Observation(violation=violation, figures={"largest_excursion": worst}, slack=tightest,
                           detail="random laws with floors: the reducible loss's exponent stayed in its bracket")


# ---------------------------------------------------------------------------------------------
# E-33 (ii): an interaction term can cause reverse scaling.
# ---------------------------------------------------------------------------------------------

TEXT_DATA, VISION_DATA, INTERFERENCE, THRESHOLD, PAST = sp.symbols("N_t N_v c T s", positive=True)

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
        r"Witness family $L = A N_t^{-\alpha_t} + B N_v^{-\alpha_v} + c N_v/N_t$, $c > 0$, written with its threshold "
        r"$T = (\alpha_v B N_t/c)^{1/(\alpha_v+1)}$ (i.e. $c = \alpha_v B N_t/T^{\alpha_v+1}$). sympy: at "
        r"$N_v = T(1+s)$, $\partial L/\partial N_v = (\alpha_v B/T^{\alpha_v+1})(1 - (1+s)^{-\alpha_v-1})$ "
        r"(differentiated by sympy); interval arithmetic: $1 - (1+s)^{-\alpha_v-1} > 0$ for all "
        r"$s \in [10^{-3}, 10^3]$, $\alpha_v \in [1/20, 1]$. So past its threshold, more vision data raises the loss."
    ),
    interpretation=(
        "Existential, as G2 states it: one interaction family suffices. Its sign is chosen as "
        "interference that grows with the vision share; the paper's Δ was not recovered.",
    ),
    variables={"s": "how far past the threshold N_v lies, as a fraction of it", "alpha_v": "the vision exponent"},
    explain=lambda cx: (f"at N_v = T·(1 + {float(cx['point']['s']):.3g}) with α_v = {float(cx['point']['alpha_v']):.3g} "
                        "the loss would not rise with N_v") if "point" in cx else f"the loss does not rise: {cx}",
    expect="proved",
)


@REVERSE.check("sympy")
def slope_past_threshold():
    law = A * TEXT_DATA ** (-ALPHA_T) + B * VISION_DATA ** (-ALPHA_V) + INTERFERENCE * VISION_DATA / TEXT_DATA
    slope = sp.diff(law, VISION_DATA).subs(INTERFERENCE, ALPHA_V * B * TEXT_DATA / THRESHOLD ** (ALPHA_V + 1))
    factorised = ALPHA_V * B / THRESHOLD ** (ALPHA_V + 1) * (1 - (1 + PAST) ** (-ALPHA_V - 1))

    def normal(expr):  # powers of positive bases split and merge freely: a rewriting, not an assumption
        return sp.powsimp(sp.expand(sp.expand_power_base(expr, force=True)), force=True)

    domain = {A: (0.1, 10), B: (0.1, 10), ALPHA_T: (0.05, 1), ALPHA_V: (0.05, 1), TEXT_DATA: (1, 1e6),
              THRESHOLD: (1, 1e6), PAST: (1e-3, 1e3)}
    return cas.Identity(normal(slope.subs(VISION_DATA, THRESHOLD * (1 + PAST))), normal(factorised), domain,
                        name="slope_factorises")


@REVERSE.check("interval")
def slope_positive_past_threshold():
    return interval.Bound(1 - (1 + PAST) ** (-ALPHA_V - 1), box={PAST: (sp.Rational(1, 1000), 1000),
                                                                ALPHA_V: (sp.Rational(1, 20), 1)},
                          strict=True, name="positive_past_threshold")


@REVERSE.check("hypothesis")
@given(scale=scales, alpha_v=exponents, interference=st.floats(1e-3, 10.0), text_data=st.floats(1.0, 1e6))
def derivative_changes_sign(scale, alpha_v, interference, text_data):
    law = toys.ScalingLaw(1.0, scale, 0.3, alpha_v, interaction=interference)
    threshold = (alpha_v * scale * text_data / interference) ** (1 / (alpha_v + 1))

    def slope(vision_data):  # a central difference of the law itself, not the closed-form derivative
        step = 1e-4 * vision_data
        up, down = law.loss_at(np.array([text_data]), np.array([vision_data + step, vision_data - step]))
        return (up - down) / (2 * step)

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
