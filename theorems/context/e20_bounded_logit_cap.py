"""E-20, Consequence of softmax crowding (§3, Corollary 1): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from proofs import Claim, cas, lemma, sim, smt
from proofs.statement import And, Implies
from simulations import softmax

from ._shared import B, N, _every, _number, _running_sum, first_measured_failure, p, require_measured
from .e19_softmax_crowding import THRESHOLD

# ---------------------------------------------------------------------------------------------
# E-20, Corollary 1 ([R]): bounded logits cap the attention any token can get.
# ---------------------------------------------------------------------------------------------

BOUNDED = lemma(
    "context.bounded_logit_attention_cap",
    title=r"Bounded logits cap attention at $e^{2B}/(e^{2B}+N')$",
    kind="corollary",
    paper_ref="§3, Corollary 1",
    claim_ref="E-20",
    source="reconstructed",
    statement=(
        r"If every logit of a softmax row of $N' + 1$ keys is bounded, $|q \cdot k|/\sqrt{d} \le B$, every margin is "
        r"at most $2B$, the weight of any single key is at most $e^{2B}/(e^{2B}+N')$, and a weight $\alpha \ge p$ is "
        r"possible only when $N' \le e^{2B}(1-p)/p$ (stated in $y = e^{2B}$)."
    ),
    formal=(
        r"The declared claim, in $y = e^{2B}$ with $S = \sum_j e^{s_j - s^*}$ the other keys' mass: $\forall \alpha, "
        r"y > 0, N' \ge 1, p, S > 0$ with $Sy \ge N'$ and $\alpha(1 + S) = 1$: $\alpha(y + N') \le y$ and "
        r"($\alpha \ge p \implies N'p \le y(1-p)$); z3 proves it drawing on context.softmax_threshold. Why $Sy \ge N'$: "
        r"(i) z3: $|s^*|, |s_j| \le B \implies s^* - s_j \le 2B$, so $e^{s_j - s^*} \ge e^{-2B} = 1/y$ "
        r"(context.exp_log_transfer); (ii) z3 induction: those termwise bounds sum to $Sy \ge N'$ for every $N'$. "
        r"sympy: the cap tends to 0 as $N' \to \infty$ at fixed $B$, and equals $p$ at $N' = e^{2B}(1-p)/p$. "
        r"Property test and simulation: the declared claim at rows of random and extreme bounded keys, $\alpha$ and "
        r"$S$ measured on the row."
    ),
    interpretation=(
        "The paper's Corollary 1 was not recovered (claims.md E-20); this bounded-logit reading is "
        "a reconstruction and is labelled so.",
        "The bound B is placed on the logits directly; norm bounds ‖q‖‖k‖/√d ≤ B imply it.",
    ),
    uses=("context.softmax_threshold", "context.exp_log_transfer"),
    claim=Claim(lambda alpha, y, n, p, mass: And(alpha * (y + n) <= y, Implies(alpha >= p, n * p <= y * (1 - p))),
                where=lambda alpha, y, n, p, mass: And(y > 0, n >= 1, mass > 0, mass * y >= n,
                                                       alpha * (1 + mass) == 1)),
    variables={"alpha": "the key's softmax weight", "y": r"$e^{2B}$", "n": "N', the number of other keys",
               "p": "the target attention", "mass": r"$S = \sum_j e^{s_j - s^*}$", "S": r"$\sum_j e^{s_j - s^*}$",
               "B": "the logit bound", "dim": "the head width d", "norm": r"$\|q\|\,\|k\|$",
               "reason": "why the measured point fails"},
    explain=lambda cx: (f"a row with {_number(cx.get('n'))} other keys and logits within ±B (y = e^{{2B}} = "
                        f"{_number(cx.get('y'))}) gave one key {_number(cx.get('alpha'))}, more than "
                        f"e^{{2B}}/(e^{{2B}}+N') allows"),
    expect="proved",
)


@BOUNDED.check("z3")
def margins_at_most_2B(q):
    relevant, other, bound = q.reals("s_star s B")
    q.given(relevant <= bound, -other <= bound)  # the halves of |s*| ≤ B and |s_j| ≤ B that the margin needs
    q.prove(relevant - other <= 2 * bound)


@BOUNDED.check("z3")
def every_distractor_within_2B(q):
    """(ii) S(k)·y ≥ k + 1 when each of the k + 1 terms e^{s_j − s*} is ≥ e^{−2B} = 1/y."""
    (k,) = q.ints("k")
    (y,) = q.reals("y")
    term = q.function("r", "Int", "Real")
    within = _every(q, "every_within", lambda j: term(j) * y >= 1)
    mass = _running_sum(q, "S", term)
    q.domain(y > 0)
    q.induction(k, start=0)
    q.prove(smt.Implies(within(k), mass(k) * y >= k + 1))


@BOUNDED.check("z3")
def attention_cap(q):
    """The declared claim: the equal row at margin 2B is the best any bounded row can do."""
    alpha, y, n, prob, mass = q.reals("alpha y n p mass")
    q.prove_claim(alpha=alpha, y=y, n=n, p=prob, mass=mass)
    q.use(THRESHOLD, alpha=y / (y + n), x=y, n=n, p=prob)  # the equal row at margin 2B: y/(y+N') ≥ p ⟺ y(1−p) ≥ N'p


@BOUNDED.check("sympy")
def cap_vanishes_with_n():
    cap = sp.exp(2 * B) / (sp.exp(2 * B) + N)
    capacity = sp.exp(2 * B) * (1 - p) / p
    return [
        cas.Limit(cap, N, expected=0, samples={B: (1, 5, 10)}, name="cap_tends_to_zero"),
        cas.Identity(cap.subs(N, capacity), p, {B: (0.0, 10.0), p: (0.001, 0.999)}, name="cap_at_capacity"),
    ]


def measured_rows(rows, bound):
    """The claim's measured quantities for logit rows (relevant key first): its softmax weight, the other keys'
    mass Σ e^{s_j − s*}, N' and y = e^{2B}."""
    return {"alpha": np.array([softmax.attention(row[0], row[1:]) for row in rows]),
            "mass": np.exp(rows[:, 1:] - rows[:, :1]).sum(axis=1), "n": rows.shape[1] - 1, "y": math.exp(2 * bound)}


@BOUNDED.check("hypothesis")
@given(n=st.integers(1, 400), dim=st.integers(1, 16), norm=st.floats(0.01, 30.0), extreme=st.booleans(),
       prob=st.floats(0.001, 0.999), seed=st.integers(0, 2**32 - 1))
@example(n=1, dim=1, norm=1.0, extreme=True, prob=0.5, seed=0)  # two keys at ±1: the cap e²/(e² + 1), attained
def bounded_rows_respect_the_cap(n, dim, norm, extreme, prob, seed):
    bound = norm / math.sqrt(dim)
    rows = softmax.bounded_logits(np.random.default_rng(seed), n, dim, norm, trials=1, extreme=extreme)
    measured = measured_rows(rows, bound)
    require_measured(BOUNDED, alpha=measured["alpha"][0], y=measured["y"], n=measured["n"], p=prob,
                     mass=measured["mass"][0], tolerance=1e-9)


@BOUNDED.check("simulation")
def largest_attention_against_n(rng, scale):
    ns = np.unique(np.logspace(0, 4 if scale == "default" else 5, 13).astype(int))
    dim, norms = 16, (4.0, 16.0, 40.0)
    figure = sim.new_figure()
    ax = figure.subplots()
    violation, closest, measured_best, caps = None, 0.0, [], []
    for norm in norms:
        bound = norm / math.sqrt(dim)
        cap = softmax.bounded_attention_cap(ns, bound)
        best = []
        for n in ns:
            for extreme in (False, True):
                measured = measured_rows(softmax.bounded_logits(rng, int(n), dim, norm, 4 if not extreme else 1,
                                                                extreme=extreme), bound)
                # p = α, the tightest target: 1 − α cancels in float64 (α ≈ 1 − N'e^{−2B} at B = 10), hence 1e-6
                failure = first_measured_failure(BOUNDED, p=measured["alpha"], tolerance=1e-6, **measured)
                if failure is not None and violation is None:
                    violation = {**failure, "B": bound, "extreme": extreme}
                if not extreme:
                    best.append(float(measured["alpha"].max()))
        best = np.array(best)
        measured_best.append(best)
        caps.append(cap)
        closest = max(closest, float((best / cap).max()))
        line, = ax.plot(ns, cap, "--", label=f"cap, B = {bound:g}")
        ax.plot(ns, best, "o", color=line.get_color(), label=f"best random row, B = {bound:g}")
    ax.set_xscale("log")
    ax.set_xlabel("N' distractors")
    ax.set_ylabel("largest attention on one token")
    ax.legend(fontsize=8)
    return sim.Observation(
        violation=violation,
        detail=f"rows with logits in [−B, B], d = {dim}, random and extreme keys: the declared claim holds at "
               "every row's measured weight and mass (the extreme rows attain the cap)",
        figures={"largest_fraction_of_cap_random": closest},
        plot=figure,
        slack=sim.slack(np.concatenate(measured_best), np.concatenate(caps), side="upper"),
    )
