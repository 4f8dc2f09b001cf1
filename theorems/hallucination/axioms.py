"""The published theorems the hallucination family cites: each declared once with its reference and the form applied, never proved; lemmas use them through `uses=`.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from proofs import Claim, axiom
from proofs.statement import And, Iff, Implies, exp
from simulations import hallucination as toys

from ._shared import _binary_entropy, _chains

# ---------------------------------------------------------------------------------------------
# Cited theorems: used through `uses=`, never proved here. Where a finite instance can be
# computed exactly, a property test checks the form applied (it could refute a mis-stated
# axiom, never prove it).
# ---------------------------------------------------------------------------------------------

HALTING_UNDECIDABLE = axiom(
    "hallucination.halting_undecidable",
    title="The halting problem is undecidable",
    statement="No computable total function decides, for every program M and input x, whether M halts on x.",
    reference=("Turing (1936), 'On computable numbers, with an application to the Entscheidungsproblem', "
               "Proc. London Math. Soc. (2) 42: 230–265, §8; in modern form Sipser (2013), Introduction to the "
               "Theory of Computation, 3rd ed., Theorem 5.1 (HALT_TM is undecidable)."),
    formal=(r"The form applied: no computable $g$ satisfies $g(\langle M, x\rangle) = f_{\mathrm{halt}}(\langle M, "
            r"x\rangle)$ for every query $\langle M, x\rangle$."),
    claim_ref="E-04",
    expect="unknown",
)

COMPUTABLE_CLOSURE = axiom(
    "hallucination.computable_closure",
    title="Computable functions are closed under substitution and definition by cases",
    statement=("A function obtained by substituting computable functions into a computable function is computable; "
               "so is a function defined by cases from computable functions with decidable conditions (in "
               "particular, a computable function changed on a finite set of inputs, by a lookup table)."),
    reference=("Cutland (1980), Computability: An Introduction to Recursive Function Theory, Cambridge University "
               "Press, Ch. 2, §3 (substitution) and §4 (definition by cases); Rogers (1967), Theory of Recursive "
               "Functions and Effective Computability, §1.1."),
    formal=(r"The forms applied: $s \mapsto \mathrm{flip}(h(s, s))$ is computable when $(i, s) \mapsto h(i, s)$ is "
            r"(E-02, E-03); $x \mapsto$ (if $x \in S$ then $f(x)$ else $h(x)$) is computable for computable $h$ and "
            r"a finite table $S, f|_S$ (E-04)."),
    claim_ref="E-02",
    expect="unknown",
)

UNION_BOUND = axiom(
    "hallucination.union_bound",
    title="The union bound (Boole's inequality)",
    statement=("For events A_1, …, A_m of one probability space, P(A_1 ∪ … ∪ A_m) ≤ P(A_1) + … + P(A_m), whether or "
               "not the events are independent."),
    reference=("Boole (1854), An Investigation of the Laws of Thought; as the subadditivity of a measure in "
               "Durrett (2019), Probability: Theory and Examples, 5th ed., Cambridge University Press, Theorem 1.1.1."),
    formal=r"The form applied: $P(\exists j \le m: A_j) \le \sum_{j \le m} P(A_j)$ (some fact unseen; some fact decided wrongly).",
    claim_ref="E-06",
    expect="unknown",
)

HOEFFDING = axiom(
    "hallucination.hoeffding",
    title="Hoeffding's inequality for bounded independent variables",
    statement=("For independent X_1, …, X_k with a ≤ X_j ≤ b and t > 0: P(X̄ − E X̄ ≥ t) ≤ exp(−2kt²/(b − a)²), "
               "and the same bound below the mean. Independence is a hypothesis: k copies of one {0, 1} draw have "
               "P(X̄ − p ≤ −p) = 1 − p, far above exp(−2kp²) for large k."),
    reference=("Hoeffding (1963), 'Probability inequalities for sums of bounded random variables', J. Amer. Statist. "
               "Assoc. 58(301): 13–30, Theorem 2 (with a_i = a, b_i = b)."),
    formal=(r"The form applied to $k$ independent $\{0,1\}$ observations of mean $p$: "
            r"$P(\bar X - p \ge t) \le e^{-2kt^2}$ and $P(\bar X - p \le -t) \le e^{-2kt^2}$ (the declared claim: "
            r"'independent' is its side condition)."),
    claim=Claim(lambda trials, mean, t, tail, independent: Implies(independent, tail <= exp(-2 * trials * t ** 2)),
                where=lambda trials, mean, t, tail: And(trials >= 1, mean >= 0, mean <= 1, t > 0, tail >= 0),
                sorts={"trials": "Int", "independent": "Bool"}),
    claim_ref="E-06",
    expect="tested",
)


@HOEFFDING.check("hypothesis")
@given(trials=st.integers(1, 400), p=st.floats(0.01, 0.99), t=st.floats(0.01, 0.5))
def exact_binomial_tails_obey_it(trials, p, t):
    above = toys.binomial_tail(trials, p, math.ceil(trials * (p + t) - 1e-9))  # P(X̄ − p ≥ t), independent draws
    below = toys.binomial_tail(trials, 1 - p, math.ceil(trials * (1 - p + t) - 1e-9))  # P(X̄ − p ≤ −t)
    for tail in (above, below):
        HOEFFDING.claim.require(trials=trials, mean=p, t=t, tail=tail, independent=True, tolerance=1e-9)


KL_CHAIN_RULE = axiom(
    "hallucination.kl_chain_rule",
    title="The chain rule of relative entropy",
    statement="D(p(x, y) ‖ q(x, y)) = D(p(x) ‖ q(x)) + Σ_x p(x)·D(p(y|x) ‖ q(y|x)).",
    reference="Cover & Thomas (2006), Elements of Information Theory, 2nd ed., Wiley, Theorem 2.5.3.",
    formal=(r"The form applied to the laws of the first $T$ and $T+1$ tokens of two sequence laws $P, Q$ (finite "
            r"divergences): $\mathrm{KL}(P^{(T+1)} \| Q^{(T+1)}) = \mathrm{KL}(P^{(T)} \| Q^{(T)}) + "
            r"\mathbb{E}_{x_{1:T} \sim P}[\mathrm{KL}(P(\cdot \mid x_{1:T}) \| Q(\cdot \mid x_{1:T}))]$ (the declared "
            r"claim: kl_next, kl_now and increment name these three quantities)."),
    claim=Claim(lambda kl_next, kl_now, increment: kl_next == kl_now + increment),
    claim_ref="E-11",
    expect="tested",
)


@KL_CHAIN_RULE.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 4), perturbation=st.floats(0.01, 0.9))
def path_kl_equals_the_chain_rule_sum(seed, vocabulary, perturbation):
    model, data, start = _chains(np.random.default_rng(seed), vocabulary, perturbation)
    direct, _ = toys.path_divergences(model, data, start, 5)  # from the joint path laws
    laws = np.concatenate([[0.0], direct])  # KL of the laws of the first T generated tokens, T = 0 … 5
    increments = toys.kl_increments(model, data, start, 5)  # E over the model's prefix of the next-token KL
    for step in range(5):
        KL_CHAIN_RULE.claim.require(kl_next=laws[step + 1], kl_now=laws[step], increment=increments[step],
                                    tolerance=1e-9)


GIBBS = axiom(
    "hallucination.gibbs_inequality",
    title="Gibbs' inequality: relative entropy is non-negative, and zero only between equal laws",
    statement=("For probability vectors p, q on a finite set: D(p ‖ q) = Σ p_i ln(p_i/q_i) ≥ 0, with equality iff "
               "p = q; so an average of relative entropies under a probability law is ≥ 0 too, and zero iff the laws "
               "agree almost surely."),
    reference="Cover & Thomas (2006), Elements of Information Theory, 2nd ed., Wiley, Theorem 2.6.3 (information inequality).",
    formal=(r"The forms applied: $\mathrm{KL}(\pi \| \pi^*) \ge 0$ with equality iff $\pi = \pi^*$ (E-12), and "
            r"$\mathbb{E}_{x}[\mathrm{KL}(P(\cdot|x) \| Q(\cdot|x))] \ge 0$ (E-11): the declared claim, with "
            r"divergence naming the relative entropy (or its average) and equal whether the laws agree."),
    claim=Claim(lambda divergence, equal: And(divergence >= 0, Iff(divergence == 0, equal)),
                sorts={"equal": "Bool"}),
    claim_ref="E-12",
    expect="tested",
)


@GIBBS.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(2, 8), concentration=st.floats(0.05, 5.0))
def relative_entropy_is_non_negative(seed, size, concentration):
    rng = np.random.default_rng(seed)
    p, q = rng.dirichlet(np.full(size, concentration), 2)
    p, q = np.clip(p, 1e-300, None), np.clip(q, 1e-300, None)
    p, q = p / p.sum(), q / q.sum()
    divergence = float(np.sum(p * np.log(p / q)))
    assume(abs(divergence) > 1e-12)  # two distinct laws whose divergence rounding could not tell from 0
    GIBBS.claim.require(divergence=divergence, equal=bool(np.array_equal(p, q)))
    GIBBS.claim.require(divergence=float(np.sum(p * np.log(p / p))), equal=True)


VC_BOUND = axiom(
    "hallucination.vc_uniform_convergence",
    title="The VC bound: uniform convergence at the rate √((d·log(n/d) + log(1/δ))/n)",
    statement=("For a class ℋ of VC dimension d and n ≥ d i.i.d. examples, with probability ≥ 1 − δ, for every "
               "h ∈ ℋ: R(h) ≤ R̂(h) + 2·√(2·(d·ln(2en/d) + ln(2/δ))/n)."),
    reference=("Vapnik & Chervonenkis (1971), 'On the uniform convergence of relative frequencies of events to their "
               "probabilities', Theory Probab. Appl. 16(2): 264–280; the form with Sauer's lemma in Bousquet, "
               "Boucheron & Lugosi (2004), 'Introduction to statistical learning theory', Advanced Lectures on "
               "Machine Learning, LNAI 3176: 169–207, §3 (the VC bound)."),
    formal=r"The form applied: $\sup_h (R - \hat R) = O\big(\sqrt{(d \log(n/d) + \log(1/\delta))/n}\big)$.",
    claim_ref="E-07",
    expect="unknown",
)

HAMMING_BALL = axiom(
    "hallucination.hamming_ball_volume",
    title="A Hamming ball of radius δN ≤ N/2 holds at most 2^(N·H₂(δ)) words",
    statement="For 0 < δ ≤ 1/2, the number of words of N bits within Hamming distance δN of a given word is at most 2^(N·H₂(δ)).",
    reference=("MacWilliams & Sloane (1977), The Theory of Error-Correcting Codes, North-Holland, Ch. 10, §11, "
               "Lemma 8 (H₂ the binary entropy in bits)."),
    formal=(r"The form applied: $\sum_{j \le \delta N} \binom{N}{j} \le 2^{N H_2(\delta)}$, "
            r"$H_2(\delta) = -\delta \log_2 \delta - (1-\delta)\log_2(1-\delta)$."),
    claim_ref="E-05",
    expect="tested",
)


@HAMMING_BALL.check("hypothesis")
@given(length=st.integers(1, 400), delta=st.floats(0.001, 0.5))
def binomial_sums_below_the_entropy_bound(length, delta):
    ball = toys.hamming_ball(length, math.floor(delta * length))
    assert math.log2(ball) <= length * _binary_entropy(delta) + 1e-9
