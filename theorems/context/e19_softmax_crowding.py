"""E-19, Softmax crowding (§3, Lemma 4): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim, smt
from proofs.statement import And, Iff, Implies
from simulations import softmax

from ._shared import (MARGIN, N, _every, _number, _running_sum, exact_rational, first_measured_failure, p,
                      require_measured)

P_SAMPLES = (sp.Rational(1, 100), sp.Rational(1, 2), sp.Rational(99, 100))
probabilities = st.floats(0.001, 0.999)


# ---------------------------------------------------------------------------------------------
# The change of variable every softmax lemma uses: x = e^Δ.
# ---------------------------------------------------------------------------------------------

EXP_TRANSFER = lemma(
    "context.exp_log_transfer",
    title=r"The substitution $x = e^{\Delta}$ is faithful",
    kind="lemma",
    paper_ref="§3 (the change of variable behind the softmax lemmas)",
    claim_ref="E-19",
    source="reconstructed",
    statement=(
        r"$\Delta \mapsto e^{\Delta}$ is a strictly increasing bijection of $\mathbb{R}$ onto $(0, \infty)$ with "
        r"inverse $\ln$, and $e^{a-b} = e^{a}/e^{b}$. Hence $\Delta \ge \ln c \iff e^{\Delta} \ge c$ for every "
        r"$c > 0$, a logit satisfies $s \le s^* - \Delta$ exactly when $e^{s - s^*} \le e^{-\Delta}$, and a "
        r"claim that z3 proves for every $x > 0$ holds for every real margin $\Delta$ with $x = e^{\Delta}$."
    ),
    formal=(
        r"sympy, for every real $t$ and $c > 0$ (by assumptions, not on a box): $\frac{d}{dt} e^{t} > 0$, "
        r"$e^{\ln c} = c$, $\ln e^{t} = t$, $e^{a-b} e^{b} = e^{a}$. A positive derivative makes the map strictly "
        r"increasing (mean value theorem); the two inverse identities make it a bijection onto $(0, \infty)$."
    ),
    interpretation=(
        "Why not interval arithmetic: these are identities and a sign valid on all of ℝ, which sympy decides "
        "outright; an interval enclosure would certify only a bounded box, and cannot certify the threshold "
        "itself, where the two sides of the softmax inequalities are equal.",
    ),
    waivers={"simulation": "identities of exp and log; nothing to simulate"},
    claim_note=(
        "a conjunction of four facts about the function exp on all of ℝ (a positive derivative, two inverse "
        "identities, exp of a difference), each its own sympy goal; no one claim of named parameters states them, "
        "and one with exp has no z3 form: the softmax lemmas that rest on it declare their claims in x = e^Δ"),
    variables={"t": "a real exponent", "c": "a positive number", "a": "a real exponent", "b": "a real exponent"},
    explain=lambda cx: f"at t = {_number(cx.get('t', cx.get('a')))} the exp/log identity fails numerically",
    expect="proved",
)


@EXP_TRANSFER.check("sympy")
def exp_is_an_increasing_bijection():
    t, (a, b) = sp.Symbol("t", real=True), sp.symbols("a b", real=True)
    c = sp.Symbol("c", positive=True)
    return [
        cas.Bound(sp.diff(sp.exp(t), t), {t: (-50.0, 50.0)}, strict=True, name="derivative_positive"),
        cas.Identity(sp.exp(sp.log(c)), c, {c: (1e-6, 1e6)}, name="onto_the_positive_reals"),
        cas.Identity(sp.log(sp.exp(t)), t, {t: (-50.0, 50.0)}, name="log_inverts_exp"),
        cas.Identity(sp.exp(a - b) * sp.exp(b), sp.exp(a), {a: (-20.0, 20.0), b: (-20.0, 20.0)},
                     name="exp_of_a_difference"),
    ]


@EXP_TRANSFER.check("hypothesis")
@given(margin=st.floats(-30.0, 30.0), c=st.floats(1e-6, 1e6), other=st.floats(-30.0, 30.0))
@example(margin=0.0, c=1.0, other=0.0)  # on the threshold itself: Δ = ln c and e^Δ = c
def exp_transfer_in_floats(margin, c, other):
    # float64 cannot resolve a comparison within ~10^-12 of its boundary (exp rounds both sides alike)
    if margin == math.log(c) or abs(margin - math.log(c)) > 1e-12 * max(1.0, abs(margin)):
        assert (margin >= math.log(c)) == (math.exp(margin) >= c)
    if margin == other or abs(margin - other) > 1e-12 * max(1.0, abs(margin)):
        assert (margin <= other) == (math.exp(margin) <= math.exp(other))


# ---------------------------------------------------------------------------------------------
# E-19, the algebraic core: the exact margin equal distractors need.
# ---------------------------------------------------------------------------------------------

THRESHOLD = lemma(
    "context.softmax_threshold",
    title="Softmax threshold with equal distractors",
    kind="lemma",
    paper_ref="§3, Lemma 4 (equal-distractor case)",
    claim_ref="E-19",
    source="reconstructed",
    statement=(
        r"In a softmax row of $N' + 1$ keys whose $N'$ distractors all sit a margin $\Delta$ below the relevant key, "
        r"the relevant key's weight $\alpha$ satisfies $\alpha(e^{\Delta} + N') = e^{\Delta}$, and $\alpha \ge p$ exactly "
        r"when $e^{\Delta}(1-p) \ge N'p$, i.e. (for $0 < p < 1$) $\Delta \ge \ln(N' p/(1-p))$."
    ),
    formal=(
        r"The declared claim, in $x = e^{\Delta}$: $\forall \alpha, x > 0, N' \ge 1, p$: $\alpha(x + N') = x \implies "
        r"(\alpha \ge p \iff x(1-p) \ge N'p)$ (for every real $p$; the paper's $0 < p < 1$ is not needed); z3 proves "
        r"it, and the property test evaluates it at materialised rows of $N' + 1$ keys, $\alpha$ read off the softmax. "
        r"sympy, for every real $\Delta$: $\alpha(\ln(N'p/(1-p))) = p$ and $\partial\alpha/\partial\Delta > 0$, so "
        r"the threshold in $\Delta$ is exact; context.exp_log_transfer ties $x$ to $\Delta$."
    ),
    interpretation=(
        "Equal-distractor formalisation of claims.md E-19 ([R]); N' counts distractors, whether "
        "that is N or N − 1 is left to context.softmax_crowding.",
    ),
    uses=("context.exp_log_transfer",),
    claim=Claim(lambda alpha, x, n, p: Iff(alpha >= p, x * (1 - p) >= n * p),
                where=lambda alpha, x, n, p: And(x > 0, n >= 1, alpha * (x + n) == x)),
    waivers={"simulation": (
        "an algebraic identity about one row: its property test already evaluates the declared claim at "
        "materialised softmax rows; the phenomenon against N is simulated under context.softmax_crowding"
    )},
    variables={"alpha": "the relevant key's softmax weight", "x": r"$e^{\Delta}$, the exponentiated margin",
               "n": "N', the number of distractors", "p": "the target attention", "margin": "Δ"},
    explain=lambda cx: (f"with {_number(cx.get('n'))} distractors, target {_number(cx.get('p'))} and "
                        f"x = e^Δ = {_number(cx.get('x'))}, the attention and the threshold disagree"),
    expect="proved",
)


@THRESHOLD.check("z3")
def threshold_equivalence(q):
    q.prove_claim()


@THRESHOLD.check("sympy")
def threshold_is_exact():
    alpha = sp.exp(MARGIN) / (sp.exp(MARGIN) + N)
    threshold = sp.log(N * p / (1 - p))
    domain = {N: (1.0, 1e7), p: (0.001, 0.999), MARGIN: (-40.0, 40.0)}
    return [
        cas.Identity(alpha.subs(MARGIN, threshold), p, domain, name="attention_at_threshold"),
        cas.Bound(sp.diff(alpha, MARGIN), domain, strict=True, name="attention_increases_with_margin"),
    ]


@THRESHOLD.check("hypothesis")
@given(keys=st.integers(2, 20_000), prob=probabilities, margin=st.floats(-30.0, 40.0))
@example(keys=2, prob=0.5, margin=0.0)  # on the threshold: α = p exactly
@example(keys=3, prob=0.5, margin=math.log(2))  # N' = 2 at its threshold; N' = 3 or 1 would miss it
@example(keys=20_000, prob=0.999, margin=23.0)
def threshold_on_materialised_rows(keys, prob, margin):
    """A softmax row of `keys` keys: the relevant one at 0, the other keys − 1 at −Δ."""
    distractors = np.full(keys - 1, -margin)
    require_measured(THRESHOLD, alpha=softmax.attention(0.0, distractors), x=math.exp(margin), n=distractors.size,
                     p=prob, tolerance=1e-12)


# ---------------------------------------------------------------------------------------------
# E-19 as stated: keeping attention p among N distractors needs a margin of Θ(ln N).
# ---------------------------------------------------------------------------------------------

CROWDING = lemma(
    "context.softmax_crowding",
    title=r"Softmax crowding, worst case: the guaranteeing margin is exactly $\ln(N'p/(1-p)) = \ln N + O(1)$",
    kind="lemma",
    paper_ref="§3, Lemma 4",
    claim_ref="E-19",
    source="attested",
    statement=(
        r"Worst-case reading of E-19 ('maintaining constant attention probability on a relevant token among N "
        r"distractors requires a score margin that grows as $\Theta(\ln N)$'): for $0 < p < 1$, a margin $\Delta$ of "
        r"the relevant logit over every one of $N'$ distractors keeps its softmax weight $\alpha \ge p$ in every row "
        r"when $\Delta \ge \ln(N'p/(1-p))$, and the row of equal distractors loses it for any smaller $\Delta$; that "
        r"margin is $\ln N + O(1)$ for $N' = N$ and $N' = N - 1$, so $\Theta(\ln N)$ with constant exactly 1."
    ),
    formal=(
        r"The declared claim, in $x = e^{\Delta}$ with the distractors' mass $S = \sum_j e^{s_j - s^*}$: $\forall "
        r"\alpha, x > 0, N', p, S \ge 0$ with $Sx \le N'$ and $\alpha(1 + S) = 1$: ($x(1-p) \ge N'p \implies "
        r"\alpha \ge p$) and ($Sx = N'$ and $x(1-p) < N'p \implies \alpha < p$). z3 proves it drawing on "
        r"context.softmax_threshold. (i) z3 induction: a row whose distractors are each at least $\Delta$ below has "
        r"$e^{s_j - s^*} \le 1/x$, so $Sx \le N'$ for every $N'$, with equality for the equal row. (ii) sympy: "
        r"$\ln(N'p/(1-p))/\ln N \to 1$ for $N' = N$ and $N' = N-1$, and a margin $c \ln N$ gives "
        r"$\alpha \to 0, 1/2, 1$ for $c = 1/2, 1, 2$. Property test and simulation: the declared claim at "
        r"materialised rows and at streamed rows of up to $10^6$ ($10^8$) distractors, $\alpha$ and $S$ measured."
    ),
    interpretation=(
        "Margin measured from the largest distractor logit; 'requires' read as the margin that "
        "guarantees α ≥ p whatever the distractors below it (the worst case). The per-row reading "
        "is context.softmax_crowding_every_row; both are readings of the words, which name no reference.",
        "N' = N (G1, 'N distractors') and N' = N − 1 (G2, 'N candidates') are both checked.",
        "Θ(ln N) at fixed p ∈ (0, 1), asymptotically in N; both bounds.",
        "The simulation also shows random rows (Gaussian, uniform, Gumbel, Student-t), which need "
        "less than the worst case over the largest distractor.",
    ),
    uses=("context.softmax_threshold", "context.exp_log_transfer"),
    claim=Claim(
        lambda alpha, x, n, p, mass: And(Implies(x * (1 - p) >= n * p, alpha >= p),
                                         Implies(And(mass * x == n, x * (1 - p) < n * p), alpha < p)),
        where=lambda alpha, x, n, p, mass: And(x > 0, mass >= 0, mass * x <= n,
                                               alpha * (1 + mass) == 1)),
    variables={"alpha": "the relevant key's softmax weight", "x": r"$e^{\Delta}$, the exponentiated margin",
               "n": "N', the number of distractors", "p": "the target attention",
               "mass": r"$S = \sum_j e^{s_j - s^*}$, the distractors' mass", "S": r"$\sum_j e^{s_j - s^*}$",
               "law": "the distractor law", "reason": "why the measured point fails"},
    explain=lambda cx: (f"with {_number(cx.get('n'))} distractors all at least the margin below (x = e^Δ = "
                        f"{_number(cx.get('x'))}), the attention {_number(cx.get('alpha'))} and the target "
                        f"p = {_number(cx.get('p'))} contradict the equal-row threshold"),
    expect="proved",
)


@CROWDING.check("z3")
def every_distractor_below_the_margin(q):
    """(i) S(k) = Σ_{j ≤ k} e^{s_j − s*} ≤ (k+1)/x when each term is ≤ e^{−Δ} = 1/x: k + 1 = N' distractors."""
    (k,) = q.ints("k")
    (x,) = q.reals("x")
    term = q.function("r", "Int", "Real")  # r(j) = e^{s_j − s*} > 0
    below = _every(q, "every_below", lambda j: smt.And(term(j) > 0, term(j) * x <= 1))
    mass = _running_sum(q, "S", term)
    q.domain(x > 0)
    q.induction(k, start=0)
    q.prove(smt.Implies(below(k), mass(k) * x <= k + 1))


@CROWDING.check("z3")
def equal_margin_is_exactly_the_guarantee(q):
    """The declared claim: the margin ln(N'p/(1−p)) keeps α ≥ p in every row with Sx ≤ N', and the equal
    row (Sx = N') loses it below that margin."""
    alpha, x, n, prob, mass = q.reals("alpha x n p mass")
    q.prove_claim(alpha=alpha, x=x, n=n, p=prob, mass=mass)
    q.use(THRESHOLD, alpha=x / (x + n), x=x, n=n, p=prob)  # the equal row at the same margin


@CROWDING.check("sympy")
def margin_grows_as_log_n():
    threshold = sp.log(N * p / (1 - p))
    attention = lambda c: sp.exp(c * sp.log(N)) / (sp.exp(c * sp.log(N)) + N - 1)  # noqa: E731
    return [
        cas.Limit(threshold / sp.log(N), N, expected=1, samples={p: P_SAMPLES}, name="ratio_n_distractors"),
        cas.Limit(threshold.subs(N, N - 1) / sp.log(N), N, expected=1, samples={p: P_SAMPLES},
                  name="ratio_n_candidates"),
        cas.Limit(attention(sp.Rational(1, 2)), N, expected=0, name="half_log_margin_loses_attention"),
        cas.Limit(attention(1), N, expected=sp.Rational(1, 2), name="log_margin_keeps_half"),
        cas.Limit(attention(2), N, expected=1, name="double_log_margin_keeps_all"),
    ]


@CROWDING.check("hypothesis")
@given(n=st.integers(1, 2000), prob=probabilities, shift=st.floats(-3.0, 3.0),
       offsets=st.lists(st.floats(0.0, 60.0), min_size=1, max_size=64))
@example(n=1, prob=0.5, shift=0.0, offsets=[0.0])  # the equal row on its threshold
@example(n=7, prob=0.3, shift=-1e-3, offsets=[0.0])  # the equal row just below it: α < p
def materialised_rows_against_the_equal_margin(n, prob, shift, offsets):
    """A row of N' + 1 keys: the relevant one at 0, every distractor at least Δ = ln(N'p/(1−p)) + shift below."""
    margin = softmax.equal_margin(n, prob) + shift
    row = -margin - np.resize(np.asarray(offsets), n)
    require_measured(CROWDING, alpha=softmax.attention(0.0, row), x=math.exp(margin), n=row.size, p=prob,
                     mass=float(np.exp(row).sum()), tolerance=1e-12)


@CROWDING.check("simulation")
def required_margin_against_n(rng, scale):
    top = 6 if scale == "default" else 8
    ns = np.unique(np.logspace(1, top, 2 * top - 1).astype(int))
    laws = [softmax.Law("equal"), softmax.Law("gaussian", 1.0), softmax.Law("uniform", 2.0),
            softmax.Law("gumbel", 1.0), softmax.Law("student_t", 2.0)]
    prob = 0.5
    sweeps = [softmax.margin_sweep(rng, law, ns, trials=8, p=prob) for law in laws]
    bound = softmax.equal_margin(ns, prob)
    violation = None
    for sweep in sweeps:  # the relevant logit at max + ln(N'p/(1−p)): α and S from the streamed logsumexp
        spread = sweep.vs_max - softmax.logit(prob)  # logsumexp − max of the distractors, per row
        mass = np.exp(spread - bound[:, None])  # S = Σ_j e^{s_j − s*}
        rows = np.broadcast_to(ns[:, None], spread.shape)
        failure = first_measured_failure(CROWDING, alpha=np.exp(-np.logaddexp(0.0, spread - bound[:, None])).ravel(), x=np.exp(np.broadcast_to(
            bound[:, None], spread.shape)).ravel(), n=rows.ravel(), p=prob, mass=mass.ravel(), tolerance=1e-9)
        if failure is not None and violation is None:
            violation = {**failure, "law": sweep.law.label}
    figures = {f"slope_vs_max[{s.law.label}]": s.slope("vs_max") for s in sweeps}
    return sim.Observation(
        violation=violation,
        detail=(f"{len(laws)} distractor laws × N' = 10..10^{top} × 8 rows, the relevant logit ln(N'p/(1−p)) above "
                f"the largest distractor: the declared claim holds at every row's measured α and S (α ≥ p; equal "
                f"rows attain p)"),
        figures=figures,
        plot=_plot_margins(sweeps, ns, bound, "Softmax crowding: margin needed for α ≥ 1/2"),
        slack=min(sim.slack(s.vs_max, np.broadcast_to(bound[:, None], s.vs_max.shape), side="upper") for s in sweeps),
    )


def _first_violating_row(sweeps, ns, bound, reference, must_be):
    """The first sampled row whose required margin (over `reference`) breaks `must_be` the bound."""
    for sweep in sweeps:
        margins = getattr(sweep, reference)
        excess = (margins - bound[:, None]) if must_be == "at_most" else (bound[:, None] - margins)
        if excess.max() > 1e-9:
            i, j = np.unravel_index(excess.argmax(), excess.shape)
            return {"law": sweep.law.label, "n_distractors": int(ns[i]), "p": sweep.p,
                    f"required_margin_{reference}": float(margins[i, j]), f"must_be_{must_be}": float(bound[i])}
    return None


def _plot_margins(sweeps, ns, bound, title):
    figure = sim.new_figure(10, 4.2)
    axes = figure.subplots(1, 2, sharex=True)
    for ax, reference, label in zip(axes, ("vs_max", "vs_mean"), ("largest", "mean")):
        for sweep in sweeps:
            ax.plot(np.log(ns), np.median(getattr(sweep, reference), axis=1), marker=".", label=sweep.law.label)
        ax.plot(np.log(ns), bound, "k--", label="ln(N'p/(1−p))")
        ax.set_xlabel("ln N'")
        ax.set_ylabel(f"required margin over the {label} distractor")
        ax.set_yscale("symlog", linthresh=1.0)
    axes[0].legend(fontsize=8)
    figure.suptitle(title)
    return figure


# ---------------------------------------------------------------------------------------------
# E-19, per-row reading: every row that keeps attention p has a Θ(ln N) margin. Refuted.
# ---------------------------------------------------------------------------------------------


def _explain_every_row(cx):
    if "gap" in cx:  # the property test's spread row
        n, prob, gap = int(cx["n"]), float(cx["prob"]), float(cx["gap"])
        needed = softmax.spread_required_margin(n, prob, gap)
        return (f"with {n} distractors, one at the margin and the other {n - 1} a further {gap:.3g} below, "
                f"attention {prob:.3g} needs a margin of only {needed:.3g} over the largest, less than "
                f"ln(N'p/(1−p)) = {softmax.equal_margin(n, prob):.3g}")
    if "law" in cx:
        return (f"a {cx['law']} row of {cx['n_distractors']} distractors kept attention {cx['p']} with a margin of "
                f"{_number(cx.get('required_margin_vs_max'))} over its largest distractor, below "
                f"ln(N'p/(1−p)) = {_number(cx.get('must_be_at_least'))}")
    return ("the margin spread rows need over their largest distractor, divided by ln N', tends to "
            f"{cx.get('sympy_limit', 0)}: no constant c > 0 works")


EVERY_ROW = lemma(
    "context.softmax_crowding_every_row",
    title=r"Softmax crowding, per-row reading: every row needs $\Omega(\ln N)$ over its largest distractor",
    kind="lemma",
    paper_ref="§3, Lemma 4",
    claim_ref="E-19",
    source="attested",
    statement=(
        r"Per-row reading of E-19 ('maintaining constant attention probability on a relevant token among N "
        r"distractors requires a score margin that grows as $\Theta(\ln N)$'): there are $c > 0$ and $N_0$ such that "
        r"every row of $N' \ge N_0$ distractors whose relevant key keeps softmax weight $\alpha \ge p$ has its "
        r"relevant logit at least $c \ln N'$ above its largest distractor. Refuted: rows whose other distractors sit "
        r"far below the largest need only $\mathrm{logit}(p) + o(1)$ over it."
    ),
    formal=(
        r"$\exists c > 0, N_0: \forall N' \ge N_0$, every row $s \in \mathbb{R}^{N'}$: $\alpha \ge p \implies "
        r"s^* - \max_j s_j \ge c \ln N'$. sympy: the rows with one distractor at the margin and the other "
        r"$N'-1$ a further $2\ln N'$ below need $\mathrm{logit}(p) + \ln(1 + (N'-1)/N'^2)$ over the largest, "
        r"and that over $\ln N'$ tends to 0. Property test and simulation: the finite per-row form with the "
        r"equal-row constant, $s^* - \max_j s_j \ge \ln(N'p/(1-p))$."
    ),
    interpretation=(
        "'Requires' read per row: whatever the other distractors, the relevant logit must clear "
        "the largest one by c·ln N'. Differs from the worst-case reading (context.softmax_crowding).",
        "Margin measured from the largest distractor; from the mean see the correction "
        "context.softmax_crowding_mean_reference.",
    ),
    uses=("context.softmax_threshold",),
    variables={"n": "N', the number of distractors", "prob": "the target attention p",
               "gap": "how far the other N' − 1 distractors sit below the largest one",
               "law": "the law of the sampled distractor logits", "n_distractors": "N'",
               "required_margin_vs_max": "the margin over the largest distractor that keeps α = p",
               "must_be_at_least": "ln(N'p/(1−p)), the margin the reading requires"},
    explain=_explain_every_row,
    expect="refuted",
)


@EVERY_ROW.check("sympy")
def spread_rows_need_bounded_margin():
    gap = 2 * sp.log(N)
    required = sp.log(p / (1 - p)) + sp.log(1 + (N - 1) * sp.exp(-gap))
    return cas.Limit(required / sp.log(N), N, expected=0, relation=">", samples={p: P_SAMPLES},
                     name="margin_over_log_n_has_positive_limit")


@EVERY_ROW.check("hypothesis")
@given(n=st.integers(2, 4096), prob=probabilities, gap=st.floats(0.0, 50.0))
def every_row_needs_the_equal_margin(n, prob, gap):
    required = softmax.spread_required_margin(n, prob, gap)
    row = softmax.spread_row(n, required, gap)
    assert abs(softmax.attention(0.0, row) - prob) < 1e-9  # the row keeps α = p at that margin ...
    assert required >= softmax.equal_margin(n, prob) - 1e-9, (  # ... which the claim says is ≥ ln(N'p/(1−p))
        f"α = p with margin {required:.4g} < ln(N'p/(1−p)) = {softmax.equal_margin(n, prob):.4g}")


@EVERY_ROW.check("simulation")
def heavy_tailed_rows(rng, scale):
    top = 6 if scale == "default" else 8
    ns = np.unique(np.logspace(1, top, top).astype(int))
    prob = 0.5
    sweeps = [softmax.margin_sweep(rng, law, ns, trials=8, p=prob)
              for law in (softmax.Law("gaussian", 1.0), softmax.Law("student_t", 2.0))]
    bound = softmax.equal_margin(ns, prob)
    violation = _first_violating_row(sweeps, ns, bound, "vs_max", "at_least")
    return sim.Observation(
        violation=violation,
        detail="sampled rows whose largest distractor dominates need far less than ln(N'p/(1−p)) over it",
        figures={f"slope_vs_max[{s.law.label}]": s.slope("vs_max") for s in sweeps},
        plot=_plot_margins(sweeps, ns, bound, "Per-row reading: random rows against the equal-row margin"),
        slack=min(sim.slack(s.vs_max, np.broadcast_to(bound[:, None], s.vs_max.shape), side="lower") for s in sweeps),
    )


# ---------------------------------------------------------------------------------------------
# Correction: measured from the mean distractor logit, every row needs ln(N'p/(1−p)).
# ---------------------------------------------------------------------------------------------

MEAN_REFERENCE = lemma(
    "context.softmax_crowding_mean_reference",
    title=r"Every row needs $\ln(N'p/(1-p))$ over its mean distractor logit",
    kind="correction",
    corrects="context.softmax_crowding_every_row",
    paper_ref="§3, Lemma 4",
    claim_ref="E-19",
    source="reconstructed",
    statement=(
        "Measured from the mean distractor logit instead of the largest, the per-row requirement "
        r"holds: in every softmax row of $N' + 1$ keys, $\alpha \ge p$ implies $s^* - \mathrm{mean}_j\, s_j \ge "
        r"\ln(N'p/(1-p))$ (for $0 < p < 1$). Over the largest distractor only the worst case needs $\Theta(\ln N)$ "
        r"(context.softmax_crowding)."
    ),
    formal=(
        r"The declared claim, in $x = e^{s^* - \mathrm{mean}}$ and $M = \sum_j e^{s_j - \mathrm{mean}}$: $\forall "
        r"\alpha, x > 0, N' \ge 1, p, M \ge N'$ with $\alpha(x + M) = x$: $\alpha \ge p \implies x(1-p) \ge N'p$; z3 "
        r"proves it drawing on context.softmax_threshold (with $M$ in place of $N'$). Why $M \ge N'$: (i) sympy, for "
        r"every $t \ge -1$: $e^{t} \ge 1 + t$ (calculus on $[-1, 1]$; for $t \ge 1$ through $w = e^{-t}$: "
        r"$w(e^{t} - 1 - t) = 1 - w + w\ln w > 1/4$ on $(0, e^{-1}]$); for $t < -1$, $1 + t < 0 < e^{t}$. (ii) z3 "
        r"induction: the termwise bounds $y_j \ge 1 + t_j$ sum to $\sum_j y_j \ge N' + \sum_j t_j$ for every $N'$; with "
        r"$t_j = s_j - \mathrm{mean}$, $\sum_j t_j = 0$. Property test and simulation: the declared claim at "
        r"materialised rows and at streamed rows (50-digit values), $\alpha$, $M$ and the mean measured."
    ),
    interpretation=(
        "Only the lower bound is repaired: over the mean, heavy-tailed rows need far more than "
        "O(ln N) (the simulation's Student-t slope), so Θ(ln N) per row fails from above there.",
    ),
    uses=("context.softmax_threshold", "context.exp_log_transfer"),
    claim=Claim(lambda alpha, x, n, p, mass: Implies(alpha >= p, x * (1 - p) >= n * p),
                where=lambda alpha, x, n, p, mass: And(x > 0, n >= 1, mass >= n, alpha * (x + mass) == x)),
    variables={"alpha": "the relevant key's softmax weight", "x": r"$e^{s^* - \mathrm{mean}}$",
               "n": "N', the number of distractors", "p": "the target attention",
               "mass": r"$M = \sum_j e^{s_j - \mathrm{mean}}$", "law": "the distractor law",
               "reason": "why the measured point fails"},
    explain=lambda cx: (f"a row with {_number(cx.get('n'))} distractors kept attention {_number(cx.get('alpha'))} ≥ "
                        f"p = {_number(cx.get('p'))} with less than ln(N'p/(1−p)) over its mean distractor logit"),
    expect="proved",
)


@MEAN_REFERENCE.check("z3")
def mean_reference_margin(q):
    alpha, x, n, prob, mass = q.reals("alpha x n p mass")
    q.prove_claim(alpha=alpha, x=x, n=n, p=prob, mass=mass)
    q.use(THRESHOLD, alpha=alpha, x=x, n=mass, p=prob)  # α = x/(x+M) ≥ p ⟺ x(1−p) ≥ M·p


@MEAN_REFERENCE.check("z3")
def tangent_bounds_sum(q):
    """(ii) Σ_{j ≤ k} y_j ≥ (k + 1) + Σ_{j ≤ k} t_j when every y_j = e^{t_j} is positive and, where t_j > −1,
    at least 1 + t_j (so y_j ≥ 1 + t_j everywhere)."""
    (k,) = q.ints("k")
    y, t = q.function("y", "Int", "Real"), q.function("t", "Int", "Real")
    # e^t > 0 always (context.exp_log_transfer) and e^t ≥ 1 + t where t > −1 (the sympy check): together y ≥ 1 + t
    above = _every(q, "every_above_tangent", lambda j: smt.And(y(j) > 0, smt.Or(t(j) <= -1, y(j) >= 1 + t(j))))
    total, offsets = _running_sum(q, "Y", y), _running_sum(q, "T", t)
    q.induction(k, start=0)
    q.prove(smt.Implies(above(k), total(k) >= k + 1 + offsets(k)))


@MEAN_REFERENCE.check("sympy")
def exponential_above_tangent():
    """e^t ≥ 1 + t for t ≥ −1: calculus on [−1, 1], and for t ≥ 1 through w = e^{−t} ∈ (0, e^{−1}]."""
    t = sp.Symbol("t", real=True)
    small = sp.Symbol("w", positive=True)
    return [
        cas.Bound(sp.exp(t) - 1 - t, {t: (-1.0, 1.0)}, name="near_the_tangent_point_by_calculus"),
        cas.Bound(1 - small + small * sp.log(small), {small: (0.0, float(sp.exp(-1)))}, bound=sp.Rational(1, 4),
                  strict=True, name="t_at_least_one_through_w_equals_exp_minus_t"),
    ]


@MEAN_REFERENCE.check("hypothesis")
@given(row=st.lists(st.floats(-30.0, 30.0), min_size=1, max_size=300), relevant=st.floats(-30.0, 60.0),
       fraction=st.floats(0.5, 1.0))
@example(row=[0.0, 0.0, 0.0], relevant=math.log(3.0), fraction=1.0)  # the equal row at its threshold: α = p = 1/2
def materialised_rows_need_the_margin_over_their_mean(row, relevant, fraction):
    """A row of len(row) + 1 keys; the target p is a fraction of the attention the row gives, so α ≥ p."""
    logits = np.asarray(row)
    mean = float(logits.mean())
    alpha = softmax.attention(relevant, logits)
    require_measured(MEAN_REFERENCE, alpha=alpha, x=math.exp(relevant - mean), n=logits.size, p=alpha * fraction,
                     mass=float(np.exp(logits - mean).sum()), tolerance=1e-12)


@MEAN_REFERENCE.check("simulation")
def mean_reference_on_random_rows(rng, scale):
    import mpmath

    top = 6 if scale == "default" else 8
    ns = np.unique(np.logspace(1, top, top).astype(int))
    prob = 0.5
    laws = [softmax.Law("gaussian", 1.0), softmax.Law("gumbel", 1.0), softmax.Law("student_t", 2.0)]
    sweeps = [softmax.margin_sweep(rng, law, ns, trials=8, p=prob) for law in laws]
    bound = softmax.equal_margin(ns, prob)
    violation = None
    for sweep in sweeps:  # the relevant logit where α = p: logsumexp + logit(p); values in 50 digits (heavy tails)
        over_mean = sweep.vs_mean - softmax.logit(prob)  # logsumexp − mean of the distractors, per row
        with mpmath.workdps(50):  # e^{logsumexp − mean} overflows float64 for heavy tails: exact rationals instead
            x = [mpmath.exp(mpmath.mpf(v) + softmax.logit(prob)) for v in over_mean.ravel()]
            mass = [mpmath.exp(mpmath.mpf(v)) for v in over_mean.ravel()]
            alpha = [1 / (1 + mpmath.exp(-softmax.logit(prob))) for _ in mass]  # e^{s*} / Σ e^{s}, s* = lse + logit(p)
        columns = {"x": [exact_rational(v) for v in x], "mass": [exact_rational(v) for v in mass],
                   "alpha": [exact_rational(v) for v in alpha]}
        failure = first_measured_failure(MEAN_REFERENCE, n=np.broadcast_to(ns[:, None], over_mean.shape).ravel(),
                                         p=prob, tolerance=1e-40, **columns)
        if failure is not None and violation is None:
            violation = {**failure, "law": sweep.law.label}
    return sim.Observation(
        violation=violation,
        detail="every sampled row, the relevant logit where α = p: the declared claim holds at its measured "
               "mean and mass (it needed at least ln(N'p/(1−p)) over its mean distractor logit)",
        figures={f"slope_vs_mean[{s.law.label}]": s.slope("vs_mean") for s in sweeps},
        plot=_plot_margins(sweeps, ns, bound, "Correction: margin over the mean distractor"),
        slack=min(sim.slack(s.vs_mean, np.broadcast_to(bound[:, None], s.vs_mean.shape), side="lower")
                  for s in sweeps),
    )
