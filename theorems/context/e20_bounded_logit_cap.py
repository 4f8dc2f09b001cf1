"""E-20, Consequence of softmax crowding (§3, Corollary 1): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import softmax

from ._shared import B, N, _every, _number, _running_sum, p
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
        r"If every logit is bounded, $|q \cdot k|/\sqrt{d} \le B$, every margin is at most $2B$, the attention on any "
        r"single token among $N'$ others is at most $e^{2B}/(e^{2B}+N')$, and $\alpha \ge p$ is possible only "
        r"when $N' \le e^{2B}(1-p)/p$."
    ),
    formal=(
        r"(i) z3: $|s^*|, |s_j| \le B \implies s^* - s_j \le 2B$, so $e^{s_j - s^*} \ge e^{-2B} = 1/y$ "
        r"(context.exp_log_transfer). (ii) z3 induction: those termwise bounds sum to $S = \sum_j e^{s_j - s^*} "
        r"\ge N'/y$ for every $N'$. (iii) z3, drawing on context.softmax_threshold, with $y = e^{2B} > 0$: "
        r"$1/(1+S) \le y/(y+N')$, and $1/(1+S) \ge p \implies N' \le y(1-p)/p$. sympy: the cap tends to 0 as "
        r"$N' \to \infty$ at fixed $B$, and equals $p$ at $N' = e^{2B}(1-p)/p$."
    ),
    interpretation=(
        "The paper's Corollary 1 was not recovered (claims.md E-20); this bounded-logit reading is "
        "a reconstruction and is labelled so.",
        "The bound B is placed on the logits directly; norm bounds ‖q‖‖k‖/√d ≤ B imply it.",
    ),
    uses=("context.softmax_threshold", "context.exp_log_transfer"),
    variables={"y": r"$e^{2B}$", "n": "N', the number of other tokens", "p": "the target attention",
               "S": r"$\sum_j e^{s_j - s^*}$", "dim": "the head width d", "norm": r"$\|q\|\,\|k\|$"},
    explain=lambda cx: (f"a row with {_number(cx.get('n', cx.get('n_distractors')))} other tokens and logits within "
                        f"±B gave one token more than e^{{2B}}/(e^{{2B}}+N')"),
    survivors={"norm / math.sqrt(dim)) * (1 + 1e-12): LtE → Lt": (
        "random rows never attain the cap exactly (it needs every other key at −q), so ≤ and < are the same "
        "test on them; the cap's attainment is certified in exact arithmetic by the z3 checks")},
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
    y, n, prob, spread = q.reals("y n p S")
    q.domain(y > 0, n >= 1, prob > 0, spread > 0)
    q.given(spread * y >= n)  # S ≥ N'/y (every_distractor_within_2B)
    q.use(THRESHOLD, x=y, n=n, p=prob)  # the equal row at margin 2B: y/(y+N') ≥ p ⟺ y(1−p) ≥ N'p
    alpha = 1 / (1 + spread)
    q.prove(smt.And(alpha <= y / (y + n), smt.Implies(alpha >= prob, n <= y * (1 - prob) / prob)))


@BOUNDED.check("sympy")
def cap_vanishes_with_n():
    cap = sp.exp(2 * B) / (sp.exp(2 * B) + N)
    capacity = sp.exp(2 * B) * (1 - p) / p
    return [
        cas.Limit(cap, N, expected=0, samples={B: (1, 5, 10)}, name="cap_tends_to_zero"),
        cas.Identity(cap.subs(N, capacity), p, {B: (0.0, 10.0), p: (0.001, 0.999)}, name="cap_at_capacity"),
    ]


@BOUNDED.check("hypothesis")
@given(n=st.integers(1, 400), dim=st.integers(1, 16), norm=st.floats(0.01, 30.0), seed=st.integers(0, 2**32 - 1))
def random_bounded_rows_respect_the_cap(n, dim, norm, seed):
    rng = np.random.default_rng(seed)
    best = softmax.best_bounded_attention(rng, n, dim, norm, trials=1)[0]
    assert best <= softmax.bounded_attention_cap(n, norm / math.sqrt(dim)) * (1 + 1e-12)


@BOUNDED.check("simulation")
def largest_attention_against_n(rng, scale):
    ns = np.unique(np.logspace(0, 4 if scale == "default" else 5, 13).astype(int))
    dim, norms = 16, (4.0, 16.0, 40.0)
    figure = sim.new_figure()
    ax = figure.subplots()
    violation, closest, measured, caps = None, 0.0, [], []
    for norm in norms:
        bound = norm / math.sqrt(dim)
        cap = softmax.bounded_attention_cap(ns, bound)
        best = np.array([softmax.best_bounded_attention(rng, int(n), dim, norm, trials=4).max() for n in ns])
        measured.append(best)
        caps.append(cap)
        closest = max(closest, float((best / cap).max()))
        if violation is None and np.any(best > cap * (1 + 1e-12)):
            i = int(np.argmax(best / cap))
            violation = {"B": bound, "n_distractors": int(ns[i]), "attention": float(best[i]), "cap": float(cap[i])}
        line, = ax.plot(ns, cap, "--", label=f"cap, B = {bound:g}")
        ax.plot(ns, best, "o", color=line.get_color(), label=f"best random row, B = {bound:g}")
    ax.set_xscale("log")
    ax.set_xlabel("N' distractors")
    ax.set_ylabel("largest attention on one token")
    ax.legend(fontsize=8)
    return sim.Observation(
        violation=violation,
        detail=f"random rows with logits in [−B, B], d = {dim}: none exceeded e^{{2B}}/(e^{{2B}}+N')",
        figures={"largest_fraction_of_cap": closest},
        plot=figure,
        slack=sim.slack(np.concatenate(measured), np.concatenate(caps), side="upper"),
    )
