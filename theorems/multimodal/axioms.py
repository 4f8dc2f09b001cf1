"""The published theorems the multimodal family cites: each declared once with its reference and the form applied, never proved; lemmas use them through `uses=`.
"""

from __future__ import annotations

import math

import numpy as np

from proofs import Claim, axiom, sim
from proofs.statement import And, Sum
from simulations import multimodal as toys

from ._shared import first_failure_rows

SEQUENCE = ("Int", "Real")  # a distribution or a feature over the support 0 … n, as a claim's parameter sort


def total_variation_doubled(p, q, n):
    """Σ_{k ≤ n} |p_k − q_k| = 2·TV(p, q)."""
    return Sum(lambda k: abs(p(k) - q(k)), n)


# Pinsker's side conditions are that p and q are distributions and that κ is their KL. Neither can be a
# `where` a z3 check discharges cheaply: κ = Σ p log(p/q) has no z3 form at all, and Σp = Σq = 1 is an
# equality on a recursion that no random cross-check point meets, so the kernel's cross-check would try all
# its points (recompiling each recursion at each, minutes per check) and z3 then times out. Both are
# therefore carried by the meaning of the parameters, p and q distributions and κ = KL(p‖q), the way the
# published form V(P, Q) ≤ √(K(P, Q)/2) names them; the sanity checks pass distributions and their KL.

PINSKER_INEQUALITY = axiom(
    "multimodal.pinsker_inequality",
    title="Pinsker's inequality: total variation ≤ √(KL/2)",
    statement=(r"For probability distributions $p, q$ on a common space, "
               r"$\mathrm{TV}(p, q) = \tfrac12\sum_i |p_i - q_i| \le \sqrt{\mathrm{KL}(p\|q)/2}$."),
    reference=("Pinsker (1964), Information and Information Stability of Random Variables and Processes, "
               "Holden-Day; with the sharp constant by Csiszár (1967), Studia Sci. Math. Hungar. 2: 299–318, "
               "Kullback (1967) and Kemperman (1969); as stated in Tsybakov (2009), Introduction to "
               "Nonparametric Estimation, Springer, Lemma 2.5(i): V(P, Q) ≤ √(K(P, Q)/2)."),
    formal=(r"the form applied (finite support $0 \ldots n$, $p$ and $q$ distributions, $\kappa = \mathrm{KL}(p\|q)$): "
            r"$\left(\tfrac12\sum_{k\le n}|p_k - q_k|\right)^2 \le \kappa/2$. The declared claim's domain states only "
            r"$n \ge 0$ and $\kappa \ge 0$: that p and q are distributions and κ their KL is the meaning of its "
            r"parameters (z3 has no logarithm, and Σp = Σq = 1 defeats the kernel's cross-check); the sanity checks "
            r"pass distributions and the KL computed from them."),
    paper_ref="§6 (CLIP semantic drift)",
    claim_ref="E-35",
    claim=Claim(lambda p, q, n, kl: (total_variation_doubled(p, q, n) / 2) ** 2 <= kl / 2,
                where=lambda p, q, n, kl: And(n >= 0, kl >= 0),
                sorts={"p": SEQUENCE, "q": SEQUENCE, "n": "Int"}),
    expect="tested",
)


@PINSKER_INEQUALITY.check("simulation")
def pinsker_instances(rng, scale):
    pairs = 20_000 if scale == "default" else 2_000_000
    p = rng.dirichlet(np.full(6, 0.5), pairs)
    q = rng.dirichlet(np.full(6, 0.5), pairs)
    tv = 0.5 * np.abs(p - q).sum(axis=1)
    kl = np.sum(np.where(p > 0, p * np.log(np.maximum(p, 1e-300) / np.maximum(q, 1e-300)), 0.0), axis=1)
    bound = np.sqrt(kl / 2)
    tightest = np.argsort(bound - tv)[:200]  # the declared claim, evaluated exactly where it is tightest
    violation = first_failure_rows(PINSKER_INEQUALITY.claim, p=p[tightest].tolist(), q=q[tightest].tolist(), n=[5] * tightest.size,
                                                       kl=kl[tightest], tolerance=1e-12)
    return sim.Observation(violation=violation, slack=sim.slack(tv, bound, side="upper"),
                           detail=f"a sanity check of the cited inequality on {pairs} random pairs on 6 points; the "
                                  "declared claim evaluated exactly at the 200 tightest, with their computed KL")

GAUSSIAN_MAXIMA = axiom(
    "multimodal.gaussian_maxima_growth",
    title="The maximum of N standard normals grows like √(2 ln N), with its first two moments",
    statement=(r"For i.i.d. standard normal $Z_1, \ldots, Z_N$ and $M_N = \max_i Z_i$: "
               r"$\mathbb{E}[M_N]/\sqrt{2\ln N} \to 1$ and $\mathbb{E}[M_N^2]/(2\ln N) \to 1$ as $N \to \infty$."),
    reference=("Leadbetter, Lindgren & Rootzén (1983), Extremes and Related Properties of Random Sequences and "
               "Processes, Springer, Theorem 1.5.3: a_N(M_N − b_N) → Gumbel with a_N = √(2 ln N), "
               "b_N = √(2 ln N) − (ln ln N + ln 4π)/(2√(2 ln N)); moments converge with the law: Pickands (1968), "
               "Moment convergence of sample extremes, Ann. Math. Statist. 39(3): 881–889, Theorem 2.1."),
    formal=r"the form applied: $\mathbb{E}[M_N] \sim \sqrt{2\ln N}$ and $\mathbb{E}[M_N^2] \sim 2\ln N$.",
    paper_ref="§6 (table row)",
    claim_ref="E-37",
    expect="tested",
)


@GAUSSIAN_MAXIMA.check("simulation")
def gaussian_maxima_against_root_two_log(rng, scale):
    counts = np.array([10, 100, 1000, 10_000, 100_000])
    trials = 200 if scale == "default" else 4000
    first, second = [], []
    for count in counts:
        maxima = toys.gaussian_maxima(rng, int(count), trials)
        first.append(float(maxima.mean() / math.sqrt(2 * math.log(count))))
        second.append(float(np.mean(maxima ** 2) / (2 * math.log(count))))
    violation = None
    if not (first[-1] > first[0] and second[-1] > second[0] and 0.75 < first[-1] <= 1.0):
        violation = {"N": counts.tolist(), "mean_over_root_two_log": first, "second_moment_over_two_log": second}
    return sim.Observation(violation=violation, figures={"ratio_first_moment_at_1e5": first[-1],
                                                         "ratio_second_moment_at_1e5": second[-1]},
                           detail="a sanity check of the cited asymptotics: both ratios climb towards 1, slowly "
                                  "(the correction is of order ln ln N / ln N)")
