"""§2 of the paper, hallucination: claims E-01 … E-14.

Each lemma reads top-down: the declaration, then its symbolic check, property test and
simulation. Models are functions from strings (taken in shortlex order s_0, s_1, …) to answers;
a model hallucinates on s when h(s) ≠ f(s) for the ground truth f. The published theorems the
family rests on without proving them (halting undecidability, Hoeffding, the union bound, the
chain rule and Gibbs' inequality for KL, the VC bound, the volume of a Hamming ball, closure of
the computable functions) are declared first, as cited axioms.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import axiom, cas, lemma, sim, smt
from simulations import hallucination as toys

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
    statement="For events A_1, …, A_m of one probability space, P(A_1 ∪ … ∪ A_m) ≤ P(A_1) + … + P(A_m).",
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
               "and the same bound below the mean."),
    reference=("Hoeffding (1963), 'Probability inequalities for sums of bounded random variables', J. Amer. Statist. "
               "Assoc. 58(301): 13–30, Theorem 2 (with a_i = a, b_i = b)."),
    formal=(r"The form applied to $k$ independent $\{0,1\}$ mentions of mean $p$: "
            r"$P(\bar X - p \ge t) \le e^{-2kt^2}$ and $P(\bar X - p \le -t) \le e^{-2kt^2}$."),
    claim_ref="E-06",
    expect="tested",
)


@HOEFFDING.check("hypothesis")
@given(trials=st.integers(1, 400), p=st.floats(0.01, 0.99), t=st.floats(0.01, 0.5))
def exact_binomial_tails_obey_it(trials, p, t):
    above = toys.binomial_tail(trials, p, math.ceil(trials * (p + t) - 1e-9))  # P(X̄ − p ≥ t)
    below = toys.binomial_tail(trials, 1 - p, math.ceil(trials * (1 - p + t) - 1e-9))  # P(X̄ − p ≤ −t)
    assert max(above, below) <= math.exp(-2 * trials * t ** 2) * (1 + 1e-9)


KL_CHAIN_RULE = axiom(
    "hallucination.kl_chain_rule",
    title="The chain rule of relative entropy",
    statement="D(p(x, y) ‖ q(x, y)) = D(p(x) ‖ q(x)) + Σ_x p(x)·D(p(y|x) ‖ q(y|x)).",
    reference="Cover & Thomas (2006), Elements of Information Theory, 2nd ed., Wiley, Theorem 2.5.3.",
    formal=(r"The form applied to path laws of Markov chains: $\mathrm{KL}(P^{(T+1)} \| Q^{(T+1)}) = "
            r"\mathrm{KL}(P^{(T)} \| Q^{(T)}) + \mathbb{E}_{x_T \sim P}[\mathrm{KL}(K_P(x_T, \cdot) \| K_Q(x_T, \cdot))]$."),
    claim_ref="E-11",
    expect="tested",
)


def _chains(rng, vocabulary, perturbation):
    data = rng.dirichlet(np.ones(vocabulary), vocabulary)
    model = (1 - perturbation) * data + perturbation * rng.dirichlet(np.ones(vocabulary), vocabulary)
    return model, data, np.ones(vocabulary) / vocabulary


@KL_CHAIN_RULE.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 4), perturbation=st.floats(0.01, 0.9))
def path_kl_equals_the_chain_rule_sum(seed, vocabulary, perturbation):
    model, data, start = _chains(np.random.default_rng(seed), vocabulary, perturbation)
    direct, _ = toys.path_divergences(model, data, start, 5)  # from the joint path laws
    assert np.allclose(direct, toys.chain_rule_kl(model, data, start, 5), rtol=1e-9, atol=1e-12)


GIBBS = axiom(
    "hallucination.gibbs_inequality",
    title="Gibbs' inequality: relative entropy is non-negative, and zero only between equal laws",
    statement="For probability vectors p, q on a finite set: D(p ‖ q) = Σ p_i ln(p_i/q_i) ≥ 0, with equality iff p = q.",
    reference="Cover & Thomas (2006), Elements of Information Theory, 2nd ed., Wiley, Theorem 2.6.3 (information inequality).",
    formal=r"The form applied: $\mathrm{KL}(\pi \| \pi^*) \ge 0$ with equality iff $\pi = \pi^*$.",
    claim_ref="E-12",
    expect="tested",
)


@GIBBS.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(2, 8), concentration=st.floats(0.05, 5.0))
def relative_entropy_is_non_negative(seed, size, concentration):
    rng = np.random.default_rng(seed)
    p, q = rng.dirichlet(np.full(size, concentration), 2)
    p, q = np.clip(p, 1e-300, None), np.clip(q, 1e-300, None)
    assert np.sum(p * np.log(p / q)) >= -1e-12
    assert abs(np.sum(p * np.log(p / p))) <= 1e-12


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


def _binary_entropy(delta):
    return -(delta * math.log2(delta) + (1 - delta) * math.log2(1 - delta)) if 0 < delta < 1 else 0.0


@HAMMING_BALL.check("hypothesis")
@given(length=st.integers(1, 400), delta=st.floats(0.001, 0.5))
def binomial_sums_below_the_entropy_bound(length, delta):
    ball = toys.hamming_ball(length, math.floor(delta * length))
    assert math.log2(ball) <= length * _binary_entropy(delta) + 1e-9


# ---------------------------------------------------------------------------------------------
# E-01: definitions.
# ---------------------------------------------------------------------------------------------

DEFINITION = lemma(
    "hallucination.failure_set",
    title="The failure set S_h = {s : h(s) ≠ f(s)}, and what abstention does to it",
    kind="definition",
    paper_ref="§2.1",
    claim_ref="E-01",
    source="attested",
    statement=r"h hallucinates on s ⟺ h(s) ≠ f(s); failure set $S_h = \{s \in \mathcal{S} : h(s) \ne f(s)\}$ (G2, G3).",
    formal=(
        "S_h is exactly the set of disagreements; an abstention ⊥ is in S_h when abstentions are counted as "
        "failures, and in a separate abstention set when graded apart; the two conventions partition the same "
        "inputs (z3, pointwise at every input, when the truth is 0 or 1; the property test on finite tables)."
    ),
    interpretation=("Both conventions for ⊥ are encoded; E-04 shows the one that changes the outcome.",),
    variables={"x": "an input", "h": "the model (−1 = ⊥, abstain)", "f": "the truth (0 or 1)",
               "table": "pairs (h(s), f(s)) of a finite table"},
    explain=lambda cx: "the two conventions for ⊥ would not partition the same failures at this input",
    waivers={"simulation": "a definition; the enumerations of E-02 … E-04 use it"},
    expect="proved",
)


def failure_sets(h, f, abstention_counts):
    wrong = {s for s, (a, b) in enumerate(zip(h, f)) if a != b and (a != toys.ABSTAIN or abstention_counts)}
    abstained = {s for s, a in enumerate(h) if a == toys.ABSTAIN}
    return wrong, abstained


@DEFINITION.check("z3")
def conventions_partition_pointwise(q):
    model, truth = q.function("h", "Int", "Int"), q.function("f", "Int", "Int")
    (x,) = q.ints("x")
    q.given(smt.Or(truth(x) == 0, truth(x) == 1))  # the truth never abstains
    counted = model(x) != truth(x)  # ⊥ counted as a failure
    separate = smt.And(model(x) != truth(x), model(x) != toys.ABSTAIN)  # graded apart
    abstained = model(x) == toys.ABSTAIN
    q.prove(smt.And(counted == smt.Or(separate, abstained), smt.Not(smt.And(separate, abstained))))


@DEFINITION.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=60))
def conventions_partition_the_same_inputs(table):
    h, f = [a for a, _ in table], [b for _, b in table]
    counted, _ = failure_sets(h, f, True)
    separate, abstained = failure_sets(h, f, False)
    assert counted == separate | abstained
    assert not (separate & abstained)
    assert separate == {s for s in range(len(h)) if h[s] != f[s] and h[s] != toys.ABSTAIN}


# ---------------------------------------------------------------------------------------------
# E-02: diagonalisation, every model of a c.e. family errs somewhere.
# ---------------------------------------------------------------------------------------------

DIAGONAL_STATEMENT = (
    "For any computably enumerable model family, diagonalization guarantees inputs on which some model "
    r"must fail (abstract); $\forall$ c.e. $\{h_i\}$ $\exists$ computable $f$ $\forall i$ $\exists s$: $h_i(s) \ne f(s)$, "
    r"with $f(s_i) := \mathrm{flip}(h_i(s_i))$ (G2)."
)


def _flip(answer):
    """flip(a) = 1 if a = 0 else 0: a computable map with flip(a) ≠ a (needs two answers)."""
    return smt.If(answer == 0, 1, 0)


DIAGONAL = lemma(
    "hallucination.diagonal_every_model_fails",
    title="With two or more answers, the diagonal f(s) = flip(h_s(s)) defeats every model of the family",
    kind="theorem",
    paper_ref="§2.1, Theorem 1",
    claim_ref="E-02",
    source="attested",
    statement=DIAGONAL_STATEMENT,
    formal=(
        r"z3, for an uninterpreted family $h: \mathbb{Z} \times \mathbb{Z} \to \mathbb{Z}$ (answers any integers) and "
        r"the diagonal truth $f(s) := \mathrm{flip}(h(s, s))$ defined at every input: by induction on $n$, for "
        r"every $i \ge 0$ and every $n \ge i$ the running conjunction $\bigwedge_{s \le n} h(i, s) = f(s)$ is false, "
        r"i.e. model $i$ disagrees with $f$ somewhere among $s_0, \dots, s_n$. So no $i$ has $h(i, s) = f(s)$ for "
        r"all $s$ ($\neg\exists i\, \forall s$): one $f$ defeats the whole family. $f$ is computable by substitution "
        r"(cited: hallucination.computable_closure)."
    ),
    interpretation=(
        "Total, uniform family ((i, s) ↦ h_i(s) one computable function); distinct diagonal inputs "
        "s_i = the i-th string, so every input is the diagonal input of one model and f is defined everywhere; "
        "at least two answers.",
        "The property test and the simulation build f from the diagonal only and then search every model of the "
        "family, on every input of the prefix, for one that agrees with f everywhere.",
    ),
    uses=("hallucination.computable_closure",),
    variables={"i": "the index of a model in the family", "n": "the last input s_n of the prefix compared",
               "h": "the family: h(i, s) is model i's answer on input s"},
    explain=lambda cx: (f"model {cx.get('i')} would agree with the diagonal truth f on every input s_0 … "
                        f"s_{cx.get('n')}, its own diagonal input included"),
    expect="proved",
)


def _perfect_agreement(answers, truth):
    """Every model (row) that agrees with `truth` on every input of the prefix."""
    return np.flatnonzero(np.all(answers == truth[None, :], axis=1))


@DIAGONAL.check("z3")
def no_model_agrees_on_any_prefix(q):
    family = q.function("h", "Int", "Int", "Int")
    i, n = q.ints("i n")
    truth = lambda s: _flip(family(s, s))  # noqa: E731 - f(s) := flip(h_s(s)), at every input
    agrees = q.recursive_function("agrees", base=family(i, 0) == truth(0),
                                  step=lambda s, prev: smt.And(prev, family(i, s) == truth(s)), sort="Bool")
    q.domain(i >= 0)
    q.induction(n, start=0)
    q.prove(smt.Implies(n >= i, smt.Not(agrees(n))))


@DIAGONAL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), models=st.integers(1, 50), extra=st.integers(0, 30),
       answers=st.integers(2, 6), copies=st.integers(1, 3))
def no_model_of_the_table_equals_the_diagonal_truth(seed, models, extra, answers, copies):
    rng = np.random.default_rng(seed)
    distinct = rng.integers(answers, size=(max(1, models // copies), models + extra))  # h_i(s_j)
    family = distinct[rng.integers(distinct.shape[0], size=models)]  # a family may list one model many times
    truth = toys.diagonal_truth(family)  # built from the diagonal only
    agreeing = _perfect_agreement(family, truth)
    assert agreeing.size == 0, f"models {agreeing.tolist()[:3]} agree with f on all {family.shape[1]} inputs"


@DIAGONAL.check("simulation")
def diagonal_against_whole_model_classes(rng, scale):
    strings = toys.shortlex(600 if scale == "default" else 4000)
    answers, names = toys.enumeration(strings)
    models = answers.shape[0]
    truth = toys.diagonal_truth(answers)  # f(s_i) = flip(h_i(s_i)) for i < models, 0 beyond
    agreement = (answers == truth[None, :]).sum(axis=1)  # inputs on which each model agrees with f
    perfect = _perfect_agreement(answers, truth)
    # control: the same search, given a truth that is one of the models, finds it
    control = int(rng.integers(models))
    found = control in _perfect_agreement(answers, answers[control])
    violation = None if perfect.size == 0 else {"models": perfect.tolist()[:5],
                                                 "classes": sorted({names[j] for j in perfect.tolist()})}
    figure = sim.new_figure()
    ax = figure.subplots()
    for name in dict.fromkeys(names):
        rows = [j for j, n in enumerate(names) if n == name]
        ax.hist(agreement[rows] / len(strings), bins=40, range=(0, 1), alpha=0.6, label=name)
    ax.set_xlabel("fraction of the prefix on which a model agrees with the diagonal f")
    ax.set_ylabel("models")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure,
                           figures={"models": models, "inputs": len(strings),
                                    "best_agreement": float(agreement.max() / len(strings)),
                                    "control_found": found},
                           detail=f"{models} models from 4 enumerable classes searched on all {len(strings)} inputs: "
                                  f"none agrees with the diagonal f everywhere")


SINGLE_ANSWER = lemma(
    "hallucination.diagonal_single_answer",
    title="With a single possible answer, no model can be made to fail",
    kind="theorem",
    paper_ref="§2.1, Theorem 1",
    claim_ref="E-02",
    source="attested",
    statement=DIAGONAL_STATEMENT,
    formal=(r"Answer set $A = \{0\}$: $\exists f\, \forall i\, \exists s: h_i(s) \ne f(s)$ is false, since every $h_i$ "
            r"and every $f$ is the constant 0 (z3: no $i, s$ with $h(i, s) \ne f(s)$ when both are 0)."),
    interpretation=(
        "The answer-set size the sources leave open: |A| = 1, where flip cannot exist.",
        "No correction: with at least two answers the claim holds as stated (hallucination.diagonal_every_model_fails, "
        "proved); with one answer no model can err, so there is no weaker statement to repair it to.",
    ),
    variables={"i": "a model index", "s": "an input", "h": "the family (constant 0)", "f": "a candidate truth (constant 0)"},
    explain=lambda cx: "with one answer every model and every truth is the same constant: no input separates them",
    waivers={"property": "with one answer every table and every truth is the same constant: there is nothing to draw",
             "simulation": "with one answer there is nothing to enumerate: every model and every truth is the constant"},
    expect="refuted",
)


@SINGLE_ANSWER.check("z3")
def nothing_to_flip(q):
    family = q.function("h", "Int", "Int", "Int")
    truth = q.function("f", "Int", "Int")
    i, s = q.ints("i s")
    q.domain(i >= 0, s >= 0)
    q.given(family(i, s) == 0, truth(s) == 0)  # the only answer
    q.exists(truth(s) != family(i, s))


# ---------------------------------------------------------------------------------------------
# E-03: infinitely many hallucinations, by Cantor pairing.
# ---------------------------------------------------------------------------------------------


def _twice_cantor(x, y):
    """2·⟨x, y⟩ = (x + y)(x + y + 1) + 2y: the Cantor pairing doubled, integer-valued without a division."""
    return (x + y) * (x + y + 1) + 2 * y


TRIANGLE_GAP = lemma(
    "hallucination.triangle_numbers_gap",
    title="Consecutive Cantor diagonals do not overlap: v ≥ w + 1 implies v(v+1) ≥ (w+1)(w+2)",
    kind="lemma",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="reconstructed",
    statement=(r"For integers $w \ge 0$ and $v \ge w + 1$: $v(v+1) \ge (w+1)(w+2)$; the pairs on the $w$-th "
               r"diagonal ($i + k = w$) take the values $w(w+1)/2, \dots, w(w+1)/2 + w$, all below the first value "
               r"$(w+1)(w+2)/2$ of any later diagonal."),
    formal="z3 over the integers (non-linear integer arithmetic).",
    variables={"w": "the diagonal i + k of one pair", "v": "the diagonal a + b of another"},
    explain=lambda cx: f"diagonals w = {cx.get('w')} and v = {cx.get('v')} would overlap",
    waivers={"simulation": "one polynomial inequality, proved for all integers; hallucination.cantor_pairing_injective "
                           "enumerates the diagonals"},
    expect="proved",
)


@TRIANGLE_GAP.check("z3")
def later_diagonals_start_higher(q):
    w, v = q.ints("w v")
    q.domain(w >= 0)
    q.given(v >= w + 1)
    q.prove(v * (v + 1) >= (w + 1) * (w + 2))


@TRIANGLE_GAP.check("hypothesis")
@given(w=st.integers(0, 10**9), gap=st.integers(1, 10**9))
def later_diagonals_on_integers(w, gap):
    v = w + gap
    assert v * (v + 1) >= (w + 1) * (w + 2)


CANTOR_INJECTIVE = lemma(
    "hallucination.cantor_pairing_injective",
    title="Cantor pairing ⟨i, k⟩ = (i+k)(i+k+1)/2 + k is injective on ℕ²",
    kind="lemma",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="reconstructed",
    statement=(r"For $i, k, a, b \ge 0$: $\langle i, k\rangle = \langle a, b\rangle \Rightarrow i = a \wedge k = b$. So "
               r"a ground truth defined by $f(\langle i, k\rangle) := \mathrm{flip}(h_i(\langle i, k\rangle))$ is a "
               r"function (no input gets two definitions)."),
    formal=(r"z3 over the integers, on $2\langle x, y\rangle = (x+y)(x+y+1) + 2y$, with two instances of "
            r"hallucination.triangle_numbers_gap (the diagonals $i + k$ and $a + b$ in both orders) taken by reference."),
    uses=("hallucination.triangle_numbers_gap",),
    variables={"i": "first coordinate of one pair", "k": "second coordinate of one pair",
               "a": "first coordinate of the other pair", "b": "second coordinate of the other pair"},
    explain=lambda cx: (f"the pairs ({cx.get('i')}, {cx.get('k')}) and ({cx.get('a')}, {cx.get('b')}) would share "
                        f"one Cantor code"),
    expect="proved",
)


@CANTOR_INJECTIVE.check("z3")
def equal_codes_equal_pairs(q):
    i, k, a, b = q.ints("i k a b")
    q.domain(i >= 0, k >= 0, a >= 0, b >= 0)
    q.use(TRIANGLE_GAP, w=i + k, v=a + b)
    q.use(TRIANGLE_GAP, w=a + b, v=i + k)
    q.given(_twice_cantor(i, k) == _twice_cantor(a, b))
    q.prove(smt.And(i == a, k == b))


@CANTOR_INJECTIVE.check("hypothesis")
@given(i=st.integers(0, 10**6), k=st.integers(0, 10**6), a=st.integers(0, 10**6), b=st.integers(0, 10**6))
def codes_separate_pairs(i, k, a, b):
    assert (toys.cantor(i, k) == toys.cantor(a, b)) == ((i, k) == (a, b))
    decoded = toys.cantor_inverse(np.array([toys.cantor(i, k)], dtype=np.int64))
    assert (int(decoded[0][0]), int(decoded[1][0])) == (i, k)


@CANTOR_INJECTIVE.check("simulation")
def every_code_below_a_diagonal_once(rng, scale):
    diagonals = 3000 if scale == "default" else 8000
    total = diagonals * (diagonals + 1) // 2
    hits = np.zeros(total, dtype=np.uint8)  # streamed one diagonal at a time: O(total) bytes, no pair arrays
    for w in range(diagonals):
        k = np.arange(w + 1)
        codes = toys.cantor(w - k, k)
        np.add.at(hits, codes[codes < total], 1)
    collisions, missed = int(np.sum(hits > 1)), int(np.sum(hits == 0))
    violation = None if collisions == 0 else {"codes_hit_twice": collisions}
    return sim.Observation(violation=violation, figures={"pairs": total, "codes_missed": missed, "collisions": collisions},
                           detail=f"all pairs with i + k < {diagonals} encoded: each of the {total} codes below "
                                  f"the next diagonal is hit exactly once")


INFINITE = lemma(
    "hallucination.infinitely_many_failures",
    title="Pairing ⟨i, k⟩ makes every model err at infinitely many inputs",
    kind="theorem",
    paper_ref="§2.1, Theorem 2",
    claim_ref="E-03",
    source="attested",
    statement=(r"Each model hallucinates on infinitely many inputs: $\exists$ computable $f$ $\forall i$: "
               r"$|\{s : h_i(s) \ne f(s)\}| = \aleph_0$ (G1, G2, G6)."),
    formal=(
        r"$f(n) := \mathrm{flip}(h(a, n))$ where $(a, b)$ decodes $n = \langle a, b\rangle$ (Cantor). z3: for all "
        r"$i, k \ge 0$ and any decoding $(a, b)$ of $n = \langle i, k\rangle$, model $i$ errs at $n$ and "
        r"$n \ge k$; injectivity (hallucination.cantor_pairing_injective, by reference) is what makes $a = i$. So "
        r"the failures of model $i$ exceed every bound $k$: the failure set is infinite. Quantitatively (z3): every "
        r"$k$ with $(i+k+2)^2 \le 2M$ has $\langle i, k\rangle < M$, so model $i$ fails on at least "
        r"$\lfloor\sqrt{2M}\rfloor - i - 1$ of the first $M$ inputs."
    ),
    interpretation=("A cardinality statement; the probability mass of S_h under a query law is not claimed.",
                    "f is computable by substitution into the computable decoder and the family (cited)."),
    uses=("hallucination.cantor_pairing_injective", "hallucination.computable_closure"),
    variables={"i": "the model", "k": "the index of the pair ⟨i, k⟩", "a": "first coordinate decoded from the input",
               "b": "second coordinate decoded from the input", "n": "the input ⟨i, k⟩", "M": "the prefix length",
               "h": "the family"},
    explain=lambda cx: (f"model {cx.get('i')} would not err at its {cx.get('k')}-th paired input "
                        f"{cx.get('n', '')}"),
    expect="proved",
)


@INFINITE.check("z3")
def every_model_errs_beyond_every_bound(q):
    family = q.function("h", "Int", "Int", "Int")
    i, k, a, b = q.ints("i k a b")
    q.domain(i >= 0, k >= 0, a >= 0, b >= 0)
    n = _twice_cantor(i, k) / 2  # n = ⟨i, k⟩, the k-th input reserved for model i (an even number halved)
    q.given(_twice_cantor(a, b) == _twice_cantor(i, k))  # (a, b): the pair that f's decoder reads off n
    q.use(CANTOR_INJECTIVE, i=i, k=k, a=a, b=b)
    truth = _flip(family(a, n))  # f(n) := flip(h_a(n))
    q.prove(smt.And(family(i, n) != truth, n >= k))


@INFINITE.check("z3")
def pairs_below_a_prefix(q):
    i, k, prefix = q.ints("i k M")
    q.domain(i >= 0, k >= 0)
    q.given((i + k + 2) * (i + k + 2) <= 2 * prefix)
    q.prove(_twice_cantor(i, k) < 2 * prefix)


@INFINITE.check("hypothesis")
@given(i=st.integers(0, 200), prefix=st.integers(1, 200_000))
def counted_pairs_meet_the_bound(i, prefix):
    k = np.arange(0, 2 * int(math.isqrt(2 * prefix)) + 2)
    counted = int(np.sum(toys.cantor(i, k) < prefix))
    assert counted >= math.isqrt(2 * prefix) - i - 1


@INFINITE.check("simulation")
def failures_in_growing_prefixes(rng, scale):
    prefix = 20_000 if scale == "default" else 200_000
    answers, names = toys.enumeration(toys.shortlex(prefix))
    truth = toys.paired_ground_truth(answers)
    wrong = answers != truth[None, :]
    checkpoints = np.unique(np.logspace(2, np.log10(prefix), 12).astype(int))
    reached = [i for i in range(answers.shape[0]) if toys.cantor(i, 0) < prefix]
    curves = np.array([np.cumsum(wrong[i])[checkpoints - 1] for i in reached])
    floors = np.array([[max(0, math.isqrt(2 * int(m)) - i - 1) for m in checkpoints] for i in reached])
    short = np.argwhere(curves < floors)  # (model row, checkpoint) pairs below the floor
    violation = None if short.size == 0 else {"below_the_floor": [[int(reached[r]), int(checkpoints[c]), int(curves[r, c]),
                                                                   int(floors[r, c])] for r, c in short.tolist()[:5]]}
    positive = floors > 0
    figure = sim.new_figure()
    ax = figure.subplots()
    for row in np.linspace(0, len(reached) - 1, 6).astype(int):
        ax.plot(checkpoints, curves[row], label=f"model {reached[row]} ({names[reached[row]]})")
    ax.plot(checkpoints, np.sqrt(2 * checkpoints), "k--", label="√(2M)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("prefix M of the input enumeration")
    ax.set_ylabel("failures in the prefix")
    ax.legend(fontsize=6)
    return sim.Observation(violation=violation, plot=figure, figures={"models_reached": len(reached)},
                           slack=sim.slack(curves[positive], floors[positive], side="lower"),
                           detail=f"{len(reached)} models reached by the pairing within {prefix} inputs: each fails "
                                  f"at least ⌊√(2M)⌋ − i − 1 times in every prefix M")


# ---------------------------------------------------------------------------------------------
# E-04: undecidable queries force infinite failure sets.
# ---------------------------------------------------------------------------------------------

HALTING_STATEMENT = (
    "Problems like the Halting Problem force infinite failure sets for any computable predictor (G1): "
    r"$\forall$ computable $h$ answering halting queries, $S_h = \{s : h(s) \ne f_{\mathrm{halt}}(s)\}$ is infinite (G2, G3)."
)


def _patch(q):
    model, truth = q.function("h", "Int", "Int"), q.function("f", "Int", "Int")
    patched_set = q.function("S", "Int", "Bool")
    (x,) = q.ints("x")
    q.given(smt.Implies(model(x) != truth(x), patched_set(x)))  # S contains every failure
    return model, truth, patched_set, x


def _predictor_failures(limit, abstention_counts):
    """Failures of each predictor on the first `limit` programs, against the step-bounded truth."""
    programs = toys.programs(8)[:limit]
    truth = np.array([toys.halts(p) for p in programs], dtype=int)
    out = {}
    for name, predict in toys.PREDICTORS.items():
        answers = np.array([predict(p) for p in programs])
        wrong = (answers != truth) & ((answers != toys.ABSTAIN) | abstention_counts)
        out[name] = np.cumsum(wrong)
    return out


HALTING = lemma(
    "hallucination.halting_failure_set_infinite",
    title="Every computable halting predictor (abstentions counted) fails on infinitely many queries",
    kind="theorem",
    paper_ref="§2.1, Theorem 3",
    claim_ref="E-04",
    source="attested",
    statement=HALTING_STATEMENT,
    formal=(
        r"Patch lemma (z3): if a set $S$ contains every failure of $h$, then $h$ patched on $S$ with $f$'s values "
        r"equals $f$ at every input. If $S_h$ were finite, the patched $h$ would be computable (a finite lookup "
        r"table: hallucination.computable_closure, cited) and would decide halting, contradicting "
        r"hallucination.halting_undecidable (cited); so $S_h$ is infinite."
    ),
    interpretation=(
        "Abstention ⊥ counted as a failure (the other convention is hallucination.halting_with_abstention_graded_apart). "
        "Simulation: a counter-machine language, truth approximated by a 200-step bound.",
    ),
    uses=("hallucination.failure_set", "hallucination.halting_undecidable", "hallucination.computable_closure"),
    variables={"x": "a query ⟨M, x⟩", "h": "the predictor", "f": "the halting truth", "S": "the patched set"},
    explain=lambda cx: f"the patched predictor would still differ from the truth at query {cx.get('x')}",
    expect="proved",
)


@HALTING.check("z3")
def patch_lemma(q):
    model, truth, patched_set, x = _patch(q)
    q.prove(smt.If(patched_set(x), truth(x), model(x)) == truth(x))


@HALTING.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=80),
       extra=st.sets(st.integers(0, 79)))
def patching_a_finite_table(table, extra):
    h, f = [a for a, _ in table], [b for _, b in table]
    failures, _ = failure_sets(h, f, True)
    patch_set = failures | {e for e in extra if e < len(h)}
    patched = [f[s] if s in patch_set else h[s] for s in range(len(h))]
    assert patched == f


@HALTING.check("simulation")
def predictors_on_programs(rng, scale):
    limit = 6916  # every program of at most 8 symbols
    curves = _predictor_failures(limit, abstention_counts=True)
    stalled = [name for name, c in curves.items() if c[-1] <= c[len(c) // 2]]
    violation = None if not stalled else {"predictor": stalled[0], "failures": int(curves[stalled[0]][-1])}
    figure = sim.new_figure()
    ax = figure.subplots()
    for name, curve in curves.items():
        ax.plot(np.arange(1, len(curve) + 1), curve, label=name)
    ax.set_xlabel("programs enumerated (shortest first)")
    ax.set_ylabel("failures (abstention counted)")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure, figures={k: int(c[-1]) for k, c in curves.items()},
                           detail=f"{limit} counter-machine programs; every predictor's failures keep growing")


ABSTENTION = lemma(
    "hallucination.halting_with_abstention_graded_apart",
    title="If abstentions are graded apart, a predictor that always abstains never hallucinates",
    kind="theorem",
    paper_ref="§2.1, Theorem 3",
    claim_ref="E-04",
    source="attested",
    statement=HALTING_STATEMENT,
    formal=(
        r"With ⊥ not in $S_h$: the predictor $h \equiv ⊥$ is computable and $S_h = \emptyset$, so '$S_h$ infinite for "
        r"every computable $h$' is false (z3: no $x$ with $h(x) \ne f(x)$ and $h(x) \ne ⊥$ when $h \equiv ⊥$)."
    ),
    interpretation=("The G8 quote: 'refusing to answer reveals incompleteness, while attempting an answer … hallucination'.",),
    variables={"x": "a query", "h": "the predictor (always ⊥ = −1)", "f": "the halting truth",
               "truth": "the halting answers of the queries drawn"},
    explain=lambda cx: "the predictor that always abstains has no failure when abstentions are graded apart",
    expect="refuted",
)


@ABSTENTION.check("z3")
def always_abstain(q):
    model, truth = q.function("h", "Int", "Int"), q.function("f", "Int", "Int")
    (x,) = q.ints("x")
    q.given(model(x) == toys.ABSTAIN, smt.Or(truth(x) == 0, truth(x) == 1))
    q.exists(smt.And(model(x) != truth(x), model(x) != toys.ABSTAIN))


@ABSTENTION.check("hypothesis")
@given(truth=st.lists(st.sampled_from([0, 1]), min_size=1, max_size=60))
def abstainer_has_no_failures(truth):
    failures, abstained = failure_sets([toys.ABSTAIN] * len(truth), truth, abstention_counts=False)
    assert failures, f"no failures; {len(abstained)} abstentions"


@ABSTENTION.check("simulation")
def abstention_graded_apart(rng, scale):
    curves = _predictor_failures(6916, abstention_counts=False)
    abstainer = curves["abstains on loops"]
    stalled = abstainer[-1] <= abstainer[len(abstainer) // 2]
    violation = {"predictor": "abstains on loops", "failures": int(abstainer[-1])} if stalled else None
    return sim.Observation(violation=violation, figures={k: int(c[-1]) for k, c in curves.items()},
                           detail="graded apart, the abstaining predictor's failures stop growing")


ABSTENTION_FIX = lemma(
    "hallucination.halting_errs_or_abstains",
    title="Graded apart, every computable predictor errs or abstains on infinitely many queries",
    kind="correction",
    corrects="hallucination.halting_with_abstention_graded_apart",
    paper_ref="§2.1, Theorem 3",
    claim_ref="E-04",
    source="reconstructed",
    statement=(
        "With abstention graded separately, the theorem becomes: for every computable predictor, the set "
        "of queries it answers wrongly or abstains on is infinite. Refusing avoids hallucination only by "
        "giving up completeness."
    ),
    formal=(r"The patch lemma (z3) with $S \supseteq \{s : h(s) \ne f(s)\} \cup \{s : h(s) = ⊥\}$; then as in E-04, "
            r"with the cited undecidability of halting and closure under finite patches."),
    uses=("hallucination.halting_failure_set_infinite", "hallucination.halting_undecidable",
          "hallucination.computable_closure"),
    variables={"x": "a query", "h": "the predictor", "f": "the halting truth", "S": "the patched set"},
    explain=lambda cx: f"the patched predictor would still differ from the truth at query {cx.get('x')}",
    survivors={
        'curve[-1] > curve[len(curve) // 2]': 'the counts differ by thousands: > and ≥ agree',
    },
    expect="proved",
)


@ABSTENTION_FIX.check("z3")
def patch_with_abstentions(q):
    model, truth = q.function("h", "Int", "Int"), q.function("f", "Int", "Int")
    patched_set = q.function("S", "Int", "Bool")
    (x,) = q.ints("x")
    q.given(smt.Implies(smt.Or(model(x) != truth(x), model(x) == toys.ABSTAIN), patched_set(x)))
    q.prove(smt.If(patched_set(x), truth(x), model(x)) == truth(x))


@ABSTENTION_FIX.check("hypothesis")
@given(table=st.lists(st.tuples(st.sampled_from([0, 1, toys.ABSTAIN]), st.sampled_from([0, 1])), min_size=1, max_size=80))
def errs_or_abstains_covers_failures(table):
    h, f = [a for a, _ in table], [b for _, b in table]
    wrong, abstained = failure_sets(h, f, False)
    counted, _ = failure_sets(h, f, True)
    assert wrong | abstained >= counted


@ABSTENTION_FIX.check("simulation")
def errs_or_abstains_on_programs(rng, scale):
    programs = toys.programs(8)
    truth = np.array([toys.halts(p) for p in programs], dtype=int)
    answers = np.array([toys.PREDICTORS["abstains on loops"](p) for p in programs])
    curve = np.cumsum((answers != truth) | (answers == toys.ABSTAIN))
    violation = None if curve[-1] > curve[len(curve) // 2] else {"errs_or_abstains": int(curve[-1])}
    return sim.Observation(violation=violation, figures={"errs_or_abstains": int(curve[-1])},
                           detail="the abstaining predictor's wrong-or-abstained set keeps growing")


# ---------------------------------------------------------------------------------------------
# E-05: the Kolmogorov complexity bottleneck.
# ---------------------------------------------------------------------------------------------

KOLMOGOROV_STATEMENT = "Kolmogorov complexity bottleneck (Lemma 1): a model of complexity c errs on targets of complexity above c (G1, G2, G3, G5)."
n_sym, c_sym = sp.symbols("n c", positive=True)

KOLMOGOROV_EXACT = lemma(
    "hallucination.kolmogorov_exact",
    title="K(h) = c and K(f) > c imply h ≠ f",
    kind="lemma",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="attested",
    statement=KOLMOGOROV_STATEMENT,
    formal=r"Variant (a): with $K$ an uninterpreted function, $h = f \Rightarrow K(h) = K(f)$, so $K(h) = c < K(f) \Rightarrow h \ne f$ (z3).",
    interpretation=("K of the function computed (not of a particular program), relative to one fixed machine.",
                    "The property test computes K exactly in a toy language (smallest formula) by one enumeration "
                    "and compares with every formula written out as a tree by another."),
    variables={"h": "the model's function (an index)", "f": "the target's function", "c": "the model's complexity",
               "K": "the complexity of each function"},
    explain=lambda cx: f"a model of complexity {cx.get('c')} would equal a target of larger complexity",
    waivers={"simulation": "the statement is the congruence of K; the toy language is enumerated under hallucination.kolmogorov_fraction"},
    expect="proved",
)


@KOLMOGOROV_EXACT.check("z3")
def equal_functions_equal_complexity(q):
    complexity = q.function("K", "Int", "Int")
    model, target, budget = q.ints("h f c")
    q.given(complexity(model) == budget, complexity(target) > budget)
    q.prove(model != target)


@KOLMOGOROV_EXACT.check("hypothesis")
@given(variables=st.integers(1, 3), size=st.integers(1, 6), table=st.integers(0, 255))
def shortest_formula_separates(variables, size, table):
    target = table % (1 << (2 ** variables))
    tables = toys.formula_tables(variables, 7)  # K(target) = the first size whose set holds it (by sets)
    complexity = next((s + 1 for s, t in enumerate(tables) if target in t), 8)
    if complexity > size:  # every model of complexity ≤ size, written out tree by tree, differs from it
        cheaper = set().union(*(toys.formula_trees(variables, s) for s in range(1, size + 1)))
        assert target not in cheaper


KOLMOGOROV_FRACTION = lemma(
    "hallucination.kolmogorov_fraction",
    title="A fixed description budget c covers a vanishing fraction of the 2^(2^n) targets",
    kind="lemma",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="attested",
    statement=KOLMOGOROV_STATEMENT,
    formal=(
        r"Variant (b): there are $\sum_{\ell=0}^{c} 2^\ell = 2^{c+1} - 1$ binary programs of length $\le c$ (sympy, "
        r"by induction on $c$); each computes at most one function, so at most $2^{c+1}$ of the $2^{2^n}$ Boolean "
        r"functions on $n$ bits are representable; the bound on the fraction, $2^{c + 1 - 2^n}$, tends to 0 as "
        r"$n \to \infty$ at fixed $c$ (sympy)."
    ),
    interpretation=("c fixed while n grows; a budget that grows like 2^n is hallucination.kolmogorov_fraction_growing_budget.",),
    variables={"n": "input bits of the targets", "c": "the description budget in bits"},
    explain=lambda cx: f"the representable fraction would not vanish: {cx}",
    expect="proved",
)


@KOLMOGOROV_FRACTION.check("sympy")
def representable_fraction():
    length = sp.Symbol("c", integer=True, nonnegative=True)
    # the bound on the fraction, 2^(c+1)/2^(2^n) = 2^(c + 1 − 2^n): mpmath evaluates it far below any float
    return [cas.Induction(2 ** length, 2 ** (length + 1) - 1, length, start=0, relation="==",
                          name="programs_of_length_at_most_c"),
            cas.Limit(2 ** (c_sym + 1 - 2 ** n_sym), n_sym, expected=0, samples={c_sym: (10, 1000)},
                      at=(8, 16, 32, 64, 128, 256), name="fraction_fixed_budget")]


@KOLMOGOROV_FRACTION.check("hypothesis")
@given(variables=st.integers(1, 3), size=st.integers(1, 6))
def distinct_tables_at_most_the_formulas(variables, size):
    trees = [t for s in range(1, size + 1) for t in toys.formula_trees(variables, s)]  # the programs, written out
    tables = toys.formula_tables(variables, size)[-1]  # what they compute, by the dynamic programme
    assert set(trees) == tables
    assert len(tables) <= min(len(trees), 2 ** (2 ** variables))


@KOLMOGOROV_FRACTION.check("simulation")
def toy_language_coverage(rng, scale):
    figure = sim.new_figure()
    ax = figure.subplots()
    figures, violation = {}, None
    for variables in (2, 3, 4):
        tables = toys.formula_tables(variables, 9 if variables < 4 else 7)
        fractions = [len(t) / 2 ** (2 ** variables) for t in tables]
        figures[f"covered[n={variables}, size≤{len(tables)}]"] = fractions[-1]
        ax.semilogy(range(1, len(tables) + 1), fractions, "o-", label=f"n = {variables}")
    by_n = [figures[k] for k in figures]
    if not by_n[0] > by_n[-1]:
        violation = {"coverage_by_n": by_n}
    ax.set_xlabel("formula size budget")
    ax.set_ylabel("fraction of all Boolean functions expressible")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures=figures,
                           detail="formulas x_i | ¬e | e∧e | e∨e enumerated by size; coverage falls as n grows")


GROWING_BUDGET = lemma(
    "hallucination.kolmogorov_fraction_growing_budget",
    title="If the description budget grows like 2^n, the representable fraction need not vanish",
    kind="lemma",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="attested",
    statement=KOLMOGOROV_STATEMENT,
    formal=(
        r"Variant (b) with $c(n) = 2^n$: in a description language that can write a truth table out literally "
        r"(a program of $2^n$ bits is the table itself), the $2^{2^n}$ programs of length $2^n$ decode to $2^{2^n}$ "
        r"distinct tables, so the representable fraction is $2^{2^n}/2^{2^n} = 1$ for every $n$: its limit is 1, "
        r"not 0 (sympy). Toy formulas reach every function once the budget grows like $2^n$ (simulation)."
    ),
    interpretation=("c growing with n at the rate of the truth-table length. With a universal machine the same holds "
                    "up to an additive constant, K(table) ≤ 2^n + O(1), by the literal program.",),
    variables={"n": "input bits of the targets"},
    explain=lambda cx: (f"sympy finds the limit {cx.get('sympy_limit')} for the representable fraction, where the "
                        f"claim needs 0: the literal table language represents every target" if "sympy_limit" in cx else
                        f"formulas of size {cx.get('size_for_full_coverage')} (by input bits n) already express every "
                        f"Boolean function: a budget growing like 2^n covers all targets"),
    waivers={"property": "the statement is one limit; the simulation measures the budget that covers everything"},
    expect="refuted",
)


@GROWING_BUDGET.check("sympy")
def literal_tables_cover_everything():
    literal_programs = 2 ** (2 ** n_sym)  # programs of 2^n bits, each decoding to a distinct table
    representable_fraction = literal_programs / 2 ** (2 ** n_sym)
    return cas.Limit(representable_fraction, n_sym, expected=0, at=(8, 16, 32, 64, 128, 256),
                     name="fraction_table_budget")


@GROWING_BUDGET.check("simulation")
def budget_that_grows_with_the_table(rng, scale):
    needed = {}
    for variables, largest in ((1, 8), (2, 16), (3, 24)):
        coverage = [len(t) / 2 ** (2 ** variables) for t in toys.formula_tables(variables, largest)]
        needed[variables] = next((size + 1 for size, c in enumerate(coverage) if c == 1.0), None)
    covered = all(size is not None and size <= 4 * 2 ** v for v, size in needed.items())
    violation = {"size_for_full_coverage": needed} if covered else None
    return sim.Observation(violation=violation, figures={f"size_for_all_functions[n={v}]": s for v, s in needed.items()},
                           detail="formulas reach every Boolean function once their size budget grows like 2^n")


BUDGET_DEFICIT = lemma(
    "hallucination.kolmogorov_fraction_budget_deficit",
    title="The representable fraction vanishes when the budget falls ever further below the table length",
    kind="correction",
    corrects="hallucination.kolmogorov_fraction_growing_budget",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="reconstructed",
    statement=(r"For a budget $c(n) = 2^n - g(n)$, at most a fraction $2^{1 - g(n)}$ of the $2^{2^n}$ targets is "
               r"representable, which tends to 0 whenever the deficit $g(n) \to \infty$ (fixed $c$ is the case "
               r"$g = 2^n - c$); a budget of $2^n$ bits or more can represent every target (the literal table)."),
    formal=(r"sympy: $2^{c+1}/2^{2^n} = 2^{1-g}$ at $c = 2^n - g$, and $2^{1-g} \to 0$ as $g \to \infty$; the count "
            r"$2^{c+1}$ of programs is hallucination.kolmogorov_fraction's."),
    uses=("hallucination.kolmogorov_fraction",),
    variables={"g": "the deficit 2^n − c(n) in bits", "n": "input bits"},
    explain=lambda cx: f"the counting bound would not vanish: {cx}",
    waivers={"property": "an identity and a limit in closed form; the count they rest on is tested under "
                         "hallucination.kolmogorov_fraction",
             "simulation": "the toy languages reach n ≤ 4 only, where 2^(1−g) is not small; "
                           "hallucination.kolmogorov_fraction_growing_budget simulates the other side"},
    expect="proved",
)


@BUDGET_DEFICIT.check("sympy")
def bound_at_a_deficit():
    deficit = sp.Symbol("g", positive=True)
    bound = 2 ** (c_sym + 1) / 2 ** (2 ** n_sym)
    return [cas.Identity(bound.subs(c_sym, 2 ** n_sym - deficit), 2 ** (1 - deficit),
                         {n_sym: (1, 12), deficit: (0.5, 40)}, name="bound_in_terms_of_the_deficit"),
            cas.Limit(2 ** (1 - deficit), deficit, expected=0, name="vanishes_as_the_deficit_grows")]


ERROR_SCALE = lemma(
    "hallucination.kolmogorov_error_arbitrarily_large",
    title="Error 'arbitrarily large' on the fraction scale: a complex target can be 2^(−n)-close",
    kind="lemma",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="attested",
    statement=KOLMOGOROV_STATEMENT,
    formal=(
        "Variant (c), error = fraction of inputs misclassified: claim 'for K(f) > c the best error of "
        "a complexity-c model is ≥ 1/4'. Toy: formulas of size ≤ 3 over 3 bits; a target outside that "
        "set can differ from one inside at a single input, error 1/8."
    ),
    interpretation=("The fraction-of-inputs scale; on the count scale the error can grow with n.",),
    variables={"pick": "which target outside the size-3 set is drawn", "target": "its truth table (8 bits)",
               "best_error": "its distance to the nearest size-3 formula, as a fraction of the 8 inputs"},
    explain=lambda cx: (f"target {cx.get('target', '(drawn by pick=' + str(cx.get('pick')) + ')')} is not expressible "
                        f"at size 3 yet lies {cx.get('best_error', 'one input')} away from a formula that is"),
    waivers={"symbolic": "a statement about the toy description language, enumerated exactly by both checks"},
    expect="refuted",
)


def _best_errors(variables, size):
    rows = 2 ** variables
    cheap = np.array(sorted(toys.formula_tables(variables, size)[-1]))
    targets = np.arange(2 ** rows)
    expensive = np.setdiff1d(targets, cheap)
    distance = np.array([[bin(int(t) ^ int(c)).count("1") for c in cheap] for t in expensive])
    return expensive, distance.min(axis=1) / rows


@ERROR_SCALE.check("hypothesis")
@given(pick=st.integers(0, 10_000))
def complex_targets_are_far(pick):
    expensive, errors = _best_errors(3, 3)
    target = int(expensive[pick % len(expensive)])
    assert errors[pick % len(expensive)] >= 0.25, f"target {target:08b} is within {errors[pick % len(expensive)]:.3f} of a size-3 formula"


@ERROR_SCALE.check("simulation")
def best_error_distribution(rng, scale):
    expensive, errors = _best_errors(3, 3)
    violation = None if errors.min() >= 0.25 else {"target": format(int(expensive[errors.argmin()]), "08b"), "best_error": float(errors.min())}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.hist(errors, bins=np.arange(0, 0.6, 0.125) - 0.0625)
    ax.set_xlabel("best error of a size ≤ 3 formula (fraction of the 8 inputs)")
    ax.set_ylabel("targets outside the size-3 set")
    return sim.Observation(violation=violation, plot=figure, figures={"smallest_best_error": float(errors.min())},
                           detail=f"{len(expensive)} targets not expressible at size 3, each against every size-3 formula")


MOST_TARGETS_FAR = lemma(
    "hallucination.kolmogorov_most_targets_far",
    title="Not every complex target is far from the cheap models, but almost all are",
    kind="correction",
    corrects="hallucination.kolmogorov_error_arbitrarily_large",
    paper_ref="§2.1, Lemma 1",
    claim_ref="E-05",
    source="reconstructed",
    statement=(r"On the fraction-of-inputs scale, for a fixed budget $c$ and any $\delta < 1/2$, the fraction of the "
               r"$2^{2^n}$ targets within normalised Hamming distance $\delta$ of some program of length $\le c$ is at "
               r"most $2^{c+1} \cdot 2^{-2^n (1 - H_2(\delta))}$, which tends to 0 as $n \to \infty$: all but a vanishing "
               r"fraction of targets are more than $\delta$ away from every cheap model (a random guess is $1/2$ away)."),
    formal=(r"Count: the targets within $\delta N$ ($N = 2^n$) of the $\le 2^{c+1}$ program tables number at most "
            r"$2^{c+1} \sum_{j \le \delta N}\binom{N}{j} \le 2^{c+1} 2^{N H_2(\delta)}$ (hallucination.hamming_ball_volume, "
            r"cited). sympy: $1 - H_2(\delta) = \mathrm{KL}(\mathrm{Ber}(\delta) \| \mathrm{Ber}(1/2))/\ln 2$, positive for "
            r"$\delta \ne 1/2$ (hallucination.gibbs_inequality, cited); with $u = 1 - H_2(\delta) > 0$, "
            r"the bound $2^{c + 1 - 2^n u}$ tends to 0 (sympy)."),
    interpretation=("The exact form (a) says only that the error is non-zero; variant (c) read as 'large for every "
                    "complex target' is refuted, read as 'large for almost every target' it holds.",),
    uses=("hallucination.kolmogorov_fraction", "hallucination.hamming_ball_volume", "hallucination.gibbs_inequality"),
    variables={"variables": "input bits n of the toy", "size": "the formula budget", "delta": "the distance threshold"},
    explain=lambda cx: f"more targets lie within distance δ of the cheap formulas than the bound allows: {cx}",
    waivers={"simulation": "the bound is asymptotic in n; the toy languages reach n ≤ 4, where 2^(c+1)·2^(N·H₂(δ)) "
                           "exceeds 2^N; the property test checks the count at those sizes"},
    expect="proved",
)


@MOST_TARGETS_FAR.check("sympy")
def far_targets_take_over():
    delta = sp.Symbol("delta", positive=True)
    entropy = -(delta * sp.log(delta, 2) + (1 - delta) * sp.log(1 - delta, 2))
    divergence = (delta * sp.log(2 * delta) + (1 - delta) * sp.log(2 * (1 - delta))) / sp.log(2)  # KL(Ber(δ)‖Ber(½)) in bits
    margin = sp.Symbol("u", positive=True)  # u = 1 − H₂(δ) > 0
    return [cas.Identity(1 - entropy, divergence, {delta: (0.001, 0.499)}, name="entropy_gap_is_a_divergence"),
            cas.Limit(2 ** (c_sym + 1 - 2 ** n_sym * margin), n_sym, expected=0,
                      samples={c_sym: (10, 1000), margin: (sp.Rational(1, 1000), sp.Rational(1, 10), 1)},
                      at=(16, 32, 64, 128, 256, 512), name="near_fraction")]


@MOST_TARGETS_FAR.check("hypothesis")
@settings(max_examples=30)
@given(variables=st.integers(1, 3), size=st.integers(1, 5), delta=st.floats(0.0, 0.5))
def near_targets_within_the_count(variables, size, delta):
    rows = 2 ** variables
    cheap = np.array(sorted(toys.formula_tables(variables, size)[-1]))
    near = toys.within_distance(np.arange(2 ** rows), cheap, math.floor(delta * rows))
    assert near.sum() <= len(cheap) * 2 ** (rows * _binary_entropy(delta))  # equality at δ = 0: the cheap set itself


# ---------------------------------------------------------------------------------------------
# E-06: sample complexity of long-tail facts.
# ---------------------------------------------------------------------------------------------

SAMPLES_STATEMENT = "Long-tail factual knowledge requires prohibitive sample complexity (abstract)."
m_sym, eps_sym, delta_sym = sp.symbols("m epsilon delta", positive=True)

COUPON = lemma(
    "hallucination.coupon_collector_tail",
    title="n ≥ m·ln(m/δ) uniform draws see all m facts with probability ≥ 1 − δ",
    kind="lemma",
    paper_ref="§2.1, Theorem 4",
    claim_ref="E-06",
    source="reconstructed",
    statement=(r"Drawing $n \ge m \ln(m/\delta)$ facts uniformly and independently from $m \ge 1$ facts, every fact is "
               r"drawn at least once with probability $\ge 1 - \delta$ (a memoriser of noiseless observations then "
               r"knows all of them)."),
    formal=(r"$P(\text{some fact unseen}) \le \sum_j P(\text{fact } j \text{ unseen}) = m(1 - 1/m)^n$ (union bound, "
            r"cited) $\le m e^{-n/m}$, since $0 \le 1 - x \le e^{-x}$ on $[0, 1]$ (sympy, by calculus) and "
            r"$0 \le a \le b \Rightarrow a^n \le b^n$ for every $n$ (z3, by induction on $n$); $m e^{-n/m}$ equals "
            r"$\delta$ at $n = m \ln(m/\delta)$ and decreases in $n$ (sympy)."),
    uses=("hallucination.union_bound",),
    variables={"facts": "the number m of facts", "delta": "the failure probability δ", "n": "the exponent",
               "a": "1 − 1/m", "b": "e^(−1/m)"},
    explain=lambda cx: f"the exact probability that some fact is unseen exceeds δ at n = ⌈m·ln(m/δ)⌉: {cx}",
    expect="proved",
)


@COUPON.check("sympy")
def exponential_steps():
    x, n = sp.Symbol("x", nonnegative=True), sp.Symbol("n", positive=True)
    size = m_sym * sp.log(m_sym / delta_sym)
    domain = {m_sym: (2, 1000), delta_sym: (0.001, 0.5), n: (1, 1e5)}
    return [cas.Bound(sp.exp(-x) - (1 - x), {x: (0, 1)}, name="one_minus_x_below_exp"),
            cas.Identity(m_sym * sp.exp(-size / m_sym), delta_sym, domain, name="bound_is_delta_at_the_size"),
            cas.Bound(-sp.diff(m_sym * sp.exp(-n / m_sym), n), domain, strict=True, calculus=False,
                      name="bound_falls_with_n")]


@COUPON.check("z3")
def powers_keep_the_order(q):
    (n,) = q.ints("n")
    a, b = q.reals("a b")
    q.domain(a >= 0, a <= b)
    power_a = q.recursive_function("A", base=0 * a + 1, step=lambda k, prev: prev * a)  # a^n
    power_b = q.recursive_function("B", base=0 * b + 1, step=lambda k, prev: prev * b)  # b^n
    q.induction(n, start=0)
    q.prove(smt.And(power_a(n) >= 0, power_a(n) <= power_b(n)))


@COUPON.check("hypothesis")
@settings(max_examples=40)
@given(facts=st.integers(1, 60), delta=st.floats(0.001, 0.5))
def exact_unseen_probability_below_delta(facts, delta):
    samples = math.ceil(facts * math.log(facts / delta))
    exact = toys.unseen_probability(facts, samples)  # inclusion–exclusion, 50 digits
    assert exact <= facts * (1 - 1 / facts) ** samples + 1e-12 <= delta + 1e-12


@COUPON.check("simulation")
def memoriser_at_the_coupon_size(rng, scale):
    delta, trials = 0.05, (2000 if scale == "default" else 20_000)
    rows = []
    for facts in (5, 20, 50, 200):
        samples = math.ceil(facts * math.log(facts / delta))
        failure = 1 - toys.memoriser_success(rng, facts, samples, trials)
        exact = toys.unseen_probability(facts, samples)
        rows.append((facts, samples, failure, exact))
    violation = next(({"facts": f, "measured_failure": m, "exact_failure": e, "delta": delta} for f, _, m, e in rows
                      if e > delta or abs(m - e) > 5 * math.sqrt(e * (1 - e) / trials) + 1 / trials), None)
    return sim.Observation(violation=violation, slack=sim.slack([e for *_, e in rows], delta, side="upper"),
                           figures={f"failure[m={f}]": m for f, _, m, _ in rows},
                           detail=f"memoriser with ⌈m·ln(m/δ)⌉ draws, δ = {delta}: measured and exact failure "
                                  f"probabilities, both below δ")


SAMPLES_A_NOISELESS = lemma(
    "hallucination.sample_complexity_a_noiseless",
    title="Variant A as a lower bound, with noiseless observations: a memoriser needs far fewer",
    kind="theorem",
    paper_ref="§2.1, Theorem 4",
    claim_ref="E-06",
    source="attested",
    statement=SAMPLES_STATEMENT + r" A: learning $m$ independent binary facts needs $n = \Omega((m/\varepsilon^2)\log(m/\delta))$ (G1, G2, G5).",
    formal=(
        r"Noiseless observations of uniformly drawn facts; success = every fact right with probability $\ge 1 - \delta$. "
        r"A memoriser succeeds with $n = m \ln(m/\delta)$ (hallucination.coupon_collector_tail); the ratio to "
        r"$(m/\varepsilon^2)\ln(m/\delta)$ is $\varepsilon^2$, which tends to 0 (sympy), so no constant $c > 0$ makes A a "
        r"lower bound for small $\varepsilon$."
    ),
    interpretation=("A read as a lower bound for every learner; noiseless observations; ε a per-fact tolerance.",),
    uses=("hallucination.coupon_collector_tail",),
    variables={"facts": "the number m of facts", "seed": "the seed of the draws", "epsilon": "the accuracy parameter ε"},
    explain=lambda cx: (f"with m = {cx.get('facts')} facts the memoriser succeeds with m·ln(m/δ) draws, far below "
                        f"variant A's (m/ε²)·ln(m/δ)" if cx.get("facts") else
                        f"the memoriser's sample size over variant A's tends to {cx.get('sympy_limit')} as ε → 0"),
    expect="refuted",
)


@SAMPLES_A_NOISELESS.check("sympy")
def memoriser_over_variant_a():
    ratio = (m_sym * sp.log(m_sym / delta_sym)) / ((m_sym / eps_sym ** 2) * sp.log(m_sym / delta_sym))
    return cas.Limit(ratio.subs(eps_sym, 1 / eps_sym), eps_sym, expected=0, relation=">",
                     samples={m_sym: (100,), delta_sym: (sp.Rational(1, 20),)}, name="ratio_as_epsilon_shrinks")


@SAMPLES_A_NOISELESS.check("hypothesis")
@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1), facts=st.integers(20, 200))
def memoriser_beats_variant_a(seed, facts):
    delta, epsilon = 0.05, 0.1
    samples = int(facts * math.log(facts / delta))
    success = toys.memoriser_success(np.random.default_rng(seed), facts, samples, 200)
    required = facts / epsilon ** 2 * math.log(facts / delta)
    assert not (success >= 1 - delta and samples < required / 10), f"succeeded with n = {samples} ≪ {required:.0f}"


@SAMPLES_A_NOISELESS.check("simulation")
def memoriser_sample_sizes(rng, scale):
    delta, epsilon = 0.05, 0.1
    rows = []
    for facts in (20, 50, 100, 200):
        samples = int(facts * math.log(facts / delta))
        rows.append((facts, samples, toys.memoriser_success(rng, facts, samples, 400 if scale == "default" else 4000),
                     facts / epsilon ** 2 * math.log(facts / delta)))
    violation = next(({"facts": f, "samples": n, "success": s, "variant_a_requires": r} for f, n, s, r in rows
                      if s >= 1 - delta and n < r / 10), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog([r[0] for r in rows], [r[1] for r in rows], "o-", label="memoriser: m·ln(m/δ), success ≥ 1 − δ")
    ax.loglog([r[0] for r in rows], [r[3] for r in rows], "s--", label="variant A at ε = 0.1")
    ax.set_xlabel("facts m")
    ax.set_ylabel("samples n")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={f"success[m={f}]": s for f, _, s, _ in rows},
                           detail="noiseless facts are learned with ε²-times fewer samples than variant A demands")


SAMPLES_A_NOISY = lemma(
    "hallucination.sample_complexity_a_noisy",
    title="Variant A with noisy observations (margin ε): majority vote succeeds at (m/(2ε²))·ln(m/δ)",
    kind="correction",
    corrects="hallucination.sample_complexity_a_noiseless",
    paper_ref="§2.1, Theorem 4",
    claim_ref="E-06",
    source="reconstructed",
    statement=(
        r"Variant A's order is what learning noisy facts costs: when each observation is right with probability "
        r"$1/2 + \varepsilon$, majority vote over $n = (m/(2\varepsilon^2))\ln(m/\delta)$ samples spread evenly "
        r"($\ln(m/\delta)/(2\varepsilon^2)$ per fact) gets every fact right with probability $\ge 1 - \delta$."
    ),
    formal=(
        r"Per fact, the majority errs only if the fraction of right observations falls $\varepsilon$ below its mean: "
        r"probability $\le e^{-2(n/m)\varepsilon^2}$ (hallucination.hoeffding, cited); over $m$ facts "
        r"$\le m e^{-2(n/m)\varepsilon^2}$ (hallucination.union_bound, cited). sympy: this equals $\delta$ at "
        r"$n = (m/(2\varepsilon^2))\ln(m/\delta)$ and decreases in $n$. The property test computes the exact success "
        r"probability (binomial tails) at that size."
    ),
    interpretation=("Only sufficiency is claimed and checked. That every learner needs this order (a two-point, "
                    "Le Cam-type lower bound) is not encoded; the simulation shows majority vote failing well below it.",),
    uses=("hallucination.hoeffding", "hallucination.union_bound"),
    variables={"facts": "the number m of facts", "margin": "ε, each observation right with probability ½ + ε",
               "delta": "the failure probability δ"},
    explain=lambda cx: f"majority vote at the Hoeffding size fails with probability above δ: {cx}",
    survivors={
        '1 - success <= delta': "Hoeffding's bound is never attained by a binomial tail, so the failure never equals δ: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice",
    },
    expect="proved",
)


def _per_fact_size(facts, margin, delta):
    """Observations per fact at the Hoeffding + union size: ⌈ln(m/δ)/(2ε²)⌉."""
    return math.ceil(math.log(facts / delta) / (2 * margin ** 2))


@SAMPLES_A_NOISY.check("sympy")
def hoeffding_union_size():
    n = sp.Symbol("n", positive=True)
    failure = m_sym * sp.exp(-2 * (n / m_sym) * eps_sym ** 2)
    size = m_sym / (2 * eps_sym ** 2) * sp.log(m_sym / delta_sym)
    domain = {m_sym: (2, 1000), eps_sym: (0.01, 0.4), delta_sym: (0.001, 0.5), n: (1, 1e6)}
    return [cas.Identity(failure.subs(n, size), delta_sym, domain, name="union_bound_equals_delta"),
            cas.Bound(-sp.diff(failure, n), domain, strict=True, name="failure_falls_with_n")]


@SAMPLES_A_NOISY.check("hypothesis")
@given(facts=st.integers(1, 500), margin=st.floats(0.02, 0.45), delta=st.floats(0.001, 0.5))
def exact_majority_success_at_the_size(facts, margin, delta):
    success = toys.majority_all_right(facts, _per_fact_size(facts, margin, delta), margin)
    assert 1 - success <= delta


@SAMPLES_A_NOISY.check("simulation")
def majority_against_the_size(rng, scale):
    delta, margin, trials = 0.1, 0.1, (2000 if scale == "default" else 20_000)
    rows = []
    for facts in (10, 40, 160):
        full = _per_fact_size(facts, margin, delta)
        for share in (0.1, 0.3, 1.0):
            per_fact = max(1, math.ceil(share * full))
            right = rng.binomial(per_fact, 0.5 + margin, size=(trials, facts))  # evenly spread observations
            measured = float(np.mean(np.all(2 * right > per_fact, axis=1)))
            rows.append((facts, share, 1 - measured, 1 - toys.majority_all_right(facts, per_fact, margin)))
    at_size = [(f, m, e) for f, s, m, e in rows if s == 1.0]
    violation = next(({"facts": f, "measured_failure": m, "exact_failure": e, "delta": delta} for f, m, e in at_size
                      if e > delta or m > delta + 5 * math.sqrt(delta / trials)), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    for facts in (10, 40, 160):
        ax.plot([s for f, s, _, _ in rows if f == facts], [m for f, _, m, _ in rows if f == facts], "o-", label=f"m = {facts}")
    ax.axhline(delta, color="k", ls=":", label="δ")
    ax.set_xlabel("share of the Hoeffding size (m/(2ε²))·ln(m/δ)")
    ax.set_ylabel("P(some fact wrong)")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, slack=sim.slack([e for _, _, e in at_size], delta),
                           figures={f"failure[m={f}, share={s}]": m for f, s, m, _ in rows},
                           detail="majority vote, ε = 0.1: below δ at the Hoeffding size, far above it at a tenth of it")


SAMPLES_B = lemma(
    "hallucination.sample_complexity_b",
    title="Variant B, Ω(2^m·log(m/δ)/ε), as a lower bound for m stored facts",
    kind="theorem",
    paper_ref="§2.1, Theorem 4 (v2, per G3)",
    claim_ref="E-06",
    source="attested",
    statement=SAMPLES_STATEMENT + r" B: $m$ independent binary facts need $n = \Omega(2^m \log(m/\delta)/\varepsilon)$ samples (G3).",
    formal=(
        r"$m$ facts = $m$ stored bits, noiseless: a memoriser needs $m \ln(m/\delta)$ (hallucination.coupon_collector_tail); "
        r"its ratio to $2^m \ln(m/\delta)/\varepsilon$ tends to 0 as $m \to \infty$ (sympy), so B is no lower bound."
    ),
    interpretation=("'m independent binary facts' read as m stored bits; as a Boolean function of m bits (2^m values) B would be variant A on 2^m facts.",),
    uses=("hallucination.coupon_collector_tail",),
    variables={"facts": "the number m of facts", "samples": "the memoriser's draws"},
    explain=lambda cx: (f"the memoriser's sample size over variant B's tends to {cx.get('sympy_limit')} as m grows"
                        if "sympy_limit" in cx else
                        f"with m = {cx.get('facts')} facts the memoriser succeeds (rate {cx.get('success')}) from "
                        f"{cx.get('samples')} draws, where variant B asks for {cx.get('variant_b_requires', 0):.3g}"),
    waivers={"property": "the same memoriser as hallucination.sample_complexity_a_noiseless; the simulation measures it against B"},
    expect="refuted",
)


@SAMPLES_B.check("sympy")
def memoriser_over_variant_b():
    ratio = (m_sym * sp.log(m_sym / delta_sym)) / (2 ** m_sym * sp.log(m_sym / delta_sym) / eps_sym)
    return cas.Limit(ratio, m_sym, expected=0, relation=">",
                     samples={eps_sym: (sp.Rational(1, 10),), delta_sym: (sp.Rational(1, 20),)}, name="ratio_as_m_grows")


@SAMPLES_B.check("simulation")
def memoriser_against_b(rng, scale):
    delta, epsilon, rows = 0.05, 0.1, []
    for facts in (10, 15, 20):
        samples = int(facts * math.log(facts / delta))
        rows.append((facts, samples, toys.memoriser_success(rng, facts, samples, 400), 2 ** facts * math.log(facts / delta) / epsilon))
    violation = next(({"facts": f, "samples": n, "success": s, "variant_b_requires": r} for f, n, s, r in rows
                      if s >= 1 - delta and n < r / 100), None)
    return sim.Observation(violation=violation, figures={f"samples[m={f}]": n for f, n, _, _ in rows},
                           detail="the memoriser succeeds orders of magnitude below 2^m")


SAMPLES_B_FUNCTION = lemma(
    "hallucination.sample_complexity_b_as_a_function",
    title="Variant B's 2^m is right when the m facts are the inputs of a Boolean function: A on 2^m facts",
    kind="correction",
    corrects="hallucination.sample_complexity_b",
    paper_ref="§2.1, Theorem 4 (v2, per G3)",
    claim_ref="E-06",
    source="reconstructed",
    statement=(
        "If 'm independent binary facts' means an arbitrary Boolean function of m input bits, there are "
        r"$2^m$ facts to learn, and variant A applies to them: with noisy observations (margin $\varepsilon$) majority "
        r"vote over $n = (2^m/(2\varepsilon^2))\ln(2^m/\delta)$ evenly spread samples gets the whole table right with "
        r"probability $\ge 1 - \delta$, i.e. $\Theta(2^m (m + \log(1/\delta))/\varepsilon^2)$ samples suffice: B's "
        r"$2^m$ factor, with $1/\varepsilon^2$ in place of $1/\varepsilon$."
    ),
    formal=(r"sympy: with $M = 2^m$ facts, $M e^{-2(n/M)\varepsilon^2} = \delta$ at $n = (M/(2\varepsilon^2))\ln(M/\delta)$, "
            r"and $\ln(2^m/\delta) = m \ln 2 + \ln(1/\delta)$; Hoeffding and the union bound as in "
            r"hallucination.sample_complexity_a_noisy."),
    uses=("hallucination.sample_complexity_a_noisy", "hallucination.hoeffding", "hallucination.union_bound"),
    variables={"bits": "input bits m (2^m facts)", "margin": "ε", "delta": "δ"},
    explain=lambda cx: f"majority vote over a whole truth table fails with probability above δ at the size: {cx}",
    survivors={
        '1 - success <= delta': "Hoeffding's bound is never attained by a binomial tail, so the failure never equals δ: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice",
    },
    expect="proved",
)


@SAMPLES_B_FUNCTION.check("sympy")
def union_bound_over_a_truth_table():
    n, bits = sp.Symbol("n", positive=True), sp.Symbol("m", positive=True, integer=True)
    facts = 2 ** bits
    size = facts / (2 * eps_sym ** 2) * sp.log(facts / delta_sym)
    domain = {bits: (1, 12), eps_sym: (0.05, 0.4), delta_sym: (0.001, 0.5), n: (1, 1e6)}
    return [cas.Identity((facts * sp.exp(-2 * (n / facts) * eps_sym ** 2)).subs(n, size), delta_sym, domain,
                         name="union_bound_equals_delta"),
            cas.Identity(sp.expand_log(sp.log(facts / delta_sym), force=True), bits * sp.log(2) - sp.log(delta_sym),
                         domain, name="log_of_the_table")]


@SAMPLES_B_FUNCTION.check("hypothesis")
@given(bits=st.integers(1, 14), margin=st.floats(0.02, 0.45), delta=st.floats(0.001, 0.5))
def exact_truth_table_success_at_the_size(bits, margin, delta):
    facts = 2 ** bits
    success = toys.majority_all_right(facts, _per_fact_size(facts, margin, delta), margin)
    assert 1 - success <= delta


@SAMPLES_B_FUNCTION.check("simulation")
def truth_tables_by_width(rng, scale):
    delta, margin, trials, rows = 0.1, 0.2, (1000 if scale == "default" else 10_000), []
    for bits in (2, 3, 4, 5, 6):
        facts = 2 ** bits
        per_fact = _per_fact_size(facts, margin, delta)
        right = rng.binomial(per_fact, 0.5 + margin, size=(trials, facts))
        measured = 1 - float(np.mean(np.all(2 * right > per_fact, axis=1)))
        rows.append((bits, per_fact * facts, measured, 1 - toys.majority_all_right(facts, per_fact, margin)))
    violation = next(({"bits": b, "samples": n, "measured_failure": m, "exact_failure": e} for b, n, m, e in rows
                      if e > delta or m > delta + 5 * math.sqrt(delta / trials)), None)
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogy([r[0] for r in rows], [r[1] for r in rows], "o-", label="samples at the Hoeffding size (margin 0.2)")
    ax.set_xlabel("input bits m (2^m facts)")
    ax.set_ylabel("samples n")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, slack=sim.slack([e for *_, e in rows], delta),
                           figures={f"failure[m={b}]": m for b, _, m, _ in rows},
                           detail="majority vote learns whole truth tables at (2^m/(2ε²))·ln(2^m/δ)")


# ---------------------------------------------------------------------------------------------
# E-07: the PAC/VC bound, with n outside or inside the root.
# ---------------------------------------------------------------------------------------------

PAC_STATEMENT = (r"With probability $\ge 1 - \delta$, $\forall h \in \mathcal{H}$: $R_{hal}(h) \le \hat R_{hal}(h) + "
                 r"O(\sqrt{d \log(n/d) + \log(1/\delta)}\,/\,n)$ (G3 as transcribed).")
SAMPLE_SIZES = np.array([100, 300, 1000, 3000, 10_000])
THRESHOLDS = 201  # the threshold class on a grid: a finite class of VC dimension 1


def _gap_slope(rng, trials):
    gaps = np.array([toys.threshold_gap(rng, int(n), 0.2, trials, THRESHOLDS) for n in SAMPLE_SIZES])
    return float(np.polyfit(np.log(SAMPLE_SIZES), np.log(gaps), 1)[0]), gaps


PAC_OUTSIDE = lemma(
    "hallucination.pac_bound_n_outside_root",
    title="The transcribed rate √(d log n)/n is too fast for agnostic learning",
    kind="equation",
    paper_ref="§2.1",
    claim_ref="E-07",
    source="attested",
    statement=PAC_STATEMENT,
    formal=(
        r"Thresholds on $[0, 1]$ ($d = 1$) with 20 % label noise: the uniform gap $\sup_h |R - \hat R|$ falls like "
        r"$n^{-1/2}$ (fitted slope on log–log axes), while $\sqrt{d \log(n/d) + \log(1/\delta)}/n$ falls like $n^{-1}$ "
        r"up to logs; claim: some constant $C$ makes gap $\le C \cdot$ bound for all $n$. Finite form: fitted slope "
        r"$< -0.8$."
    ),
    interpretation=("n outside the root, as G3 transcribes it; agnostic setting.",),
    variables={"fitted_slope": "the log–log slope of the measured gap against n", "bound_slope": "the slope of the bound",
               "gap_over_bound": "measured gap / bound at each n (it grows, so no constant C covers all n)"},
    explain=lambda cx: (f"the measured gap falls with slope {cx.get('fitted_slope', float('nan')):.2f} on log–log axes, "
                        f"the transcribed bound with slope −1: their ratio grows without bound"),
    waivers={"symbolic": "the n^(−1/2) rate of the agnostic gap is a known lower bound, measured here rather than proved",
             "property": "the rate is a statement over n; only the simulation's sweep measures it"},
    expect="refuted",
)


@PAC_OUTSIDE.check("simulation")
def gap_rate_outside(rng, scale):
    slope, gaps = _gap_slope(rng, 30 if scale == "default" else 300)
    bound = np.sqrt(np.log(SAMPLE_SIZES) + np.log(20)) / SAMPLE_SIZES
    violation = None if slope < -0.8 else {"fitted_slope": slope, "bound_slope": -1.0,
                                           "gap_over_bound": (gaps / bound).tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.loglog(SAMPLE_SIZES, gaps, "o-", label=f"measured sup gap (slope {slope:.2f})")
    ax.loglog(SAMPLE_SIZES, bound * gaps[0] / bound[0], "--", label="√(log n)/n (n outside)")
    ax.loglog(SAMPLE_SIZES, np.sqrt(np.log(SAMPLE_SIZES) / SAMPLE_SIZES) * gaps[0] / np.sqrt(np.log(100) / 100), ":",
              label="√(log n / n) (n inside)")
    ax.set_xlabel("sample size n")
    ax.set_ylabel("sup |R − R̂| over the class")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures={"fitted_slope": slope},
                           detail="threshold class with 20 % label noise, sup over 201 thresholds")


PAC_INSIDE = lemma(
    "hallucination.pac_bound_n_inside_root",
    title="The standard VC rate √((d log(n/d) + log(1/δ))/n): decreasing in n, increasing in d, met by the measured gap",
    kind="correction",
    corrects="hallucination.pac_bound_n_outside_root",
    paper_ref="§2.1",
    claim_ref="E-07",
    source="reconstructed",
    statement=(r"With $n$ inside the root, as in standard VC bounds (hallucination.vc_uniform_convergence, cited), the "
               r"rate is $\sqrt{(d \log(n/d) + \log(1/\delta))/n}$; for $n > e\,d$ it decreases in $n$ and increases "
               r"in $d$."),
    formal=(
        r"sympy, with $n = d\,e^{1+u}$, $u > 0$ (i.e. $n > e d$): the squared bound decreases in $n$ and increases in "
        r"$d$. Simulation: the fitted slope of the measured gap is within 0.15 of $-1/2$, and the mean gap stays below "
        r"$\sqrt{\ln(2|\mathcal{H}|)/(2n)}$, the sub-Gaussian maximal bound for the 201-threshold class."
    ),
    uses=("hallucination.vc_uniform_convergence",),
    variables={"n": "the sample size", "d": "the VC dimension", "u": "log(n/(e·d))", "L": "ln(1/δ)",
               "delta": "the confidence parameter δ", "fitted_slope": "the measured log–log slope"},
    explain=lambda cx: f"the bound is not monotone as claimed, or the measured rate is not n^(−1/2): {cx}",
    expect="proved",
)


@PAC_INSIDE.check("sympy")
def vc_bound_shape():
    n, d, u, confidence = sp.symbols("n d u L", positive=True)  # L = ln(1/δ) ≥ 0
    squared = (d * sp.log(n / d) + confidence) / n  # the bound squared; same monotonicity
    at = {n: d * sp.exp(1 + u)}  # n > e·d
    domain = {d: (1.0, 10.0), u: (0.01, 10.0), confidence: (0.01, 7.0)}
    return [cas.Bound(sp.simplify(-sp.diff(squared, n).subs(at) * (d * sp.exp(1 + u)) ** 2), domain, strict=True,
                      name="decreasing_in_n"),
            cas.Bound(sp.simplify(sp.diff(squared, d).subs(at) * d * sp.exp(1 + u)), domain, strict=True,
                      name="increasing_in_d")]


@PAC_INSIDE.check("hypothesis")
@given(n=st.integers(30, 10**6), d=st.integers(1, 10), delta=st.floats(0.001, 0.5))
def vc_bound_monotone(n, d, delta):
    bound = lambda n, d: math.sqrt((d * math.log(n / d) + math.log(1 / delta)) / n)  # noqa: E731
    assert bound(n + 1, d) < bound(n, d) < bound(n, d + 1)


@PAC_INSIDE.check("simulation")
def gap_rate_inside(rng, scale):
    slope, gaps = _gap_slope(rng, 30 if scale == "default" else 300)
    # E max of 2|H| sub-Gaussian deviations of variance proxy 1/(4n) is ≤ √(ln(2|H|)/(2n))
    maximal = np.sqrt(np.log(2 * THRESHOLDS) / (2 * SAMPLE_SIZES))
    violation = None if abs(slope + 0.5) <= 0.15 and np.all(gaps <= maximal) else {"fitted_slope": slope,
                                                                                   "gaps": gaps.tolist()}
    return sim.Observation(violation=violation, figures={"fitted_slope": slope},
                           slack=sim.slack(gaps, maximal, side="upper"),
                           detail="the measured gap falls like n^(−1/2), below the finite-class maximal bound")


# ---------------------------------------------------------------------------------------------
# E-08: the coverage ratio.
# ---------------------------------------------------------------------------------------------

COVERAGE_STATEMENT = r"Coverage ratio $\rho_{cov} = |K_{train}| / |K| \to 0$ as the knowledge base $\to \infty$ (G3)."
K_sym = sp.Symbol("K", positive=True)

COVERAGE_SUBLINEAR = lemma(
    "hallucination.coverage_sublinear",
    title="If training covers |K|^a facts (a < 1) or a bounded number, ρ_cov → 0",
    kind="equation",
    paper_ref="§2.2",
    claim_ref="E-08",
    source="reconstructed",
    statement=COVERAGE_STATEMENT,
    formal=(r"sympy, for every exponent $a = 1 - b < 1$ ($b > 0$ a symbol): $|K|^a/|K| = |K|^{-b} \to 0$; and for "
            r"every bound $B > 0$ (a symbol): $B/|K| \to 0$."),
    interpretation=("Facts counted, not weighted by query frequency (see the simulation's mass coverage).",),
    variables={"K": "the size of the knowledge base", "b": "1 − a, the gap of the coverage exponent below 1",
               "B": "a bound on the covered facts"},
    explain=lambda cx: f"the coverage ratio would not vanish: {cx}",
    survivors={
        'base ** a / base > (100 * base) ** a / (100 * base)': 'the ratio falls strictly for every a < 1, so ≥ and > agree on every input: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
        'count[-1] < count[0]': 'the count ratio falls strictly: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="proved",
)


@COVERAGE_SUBLINEAR.check("sympy")
def sublinear_limits():
    gap, bound = sp.symbols("b B", positive=True)
    return [cas.Identity(K_sym ** (1 - gap) / K_sym, K_sym ** (-gap), {K_sym: (1, 1e6), gap: (0.01, 1)},
                         name="ratio_is_a_negative_power"),
            cas.Limit(K_sym ** (-gap), K_sym, expected=0, samples={gap: (sp.Rational(1, 20), sp.Rational(1, 2), 1)},
                      name="power_coverage"),
            cas.Limit(bound / K_sym, K_sym, expected=0, samples={bound: (1, 10 ** 6)}, name="bounded_coverage")]


@COVERAGE_SUBLINEAR.check("hypothesis")
@given(a=st.floats(0.1, 0.95), base=st.floats(1e3, 1e6))
def ratio_falls(a, base):
    assert base ** a / base > (100 * base) ** a / (100 * base)


@COVERAGE_SUBLINEAR.check("simulation")
def count_and_mass_coverage(rng, scale):
    sizes = np.logspace(3, 7, 9).astype(int)
    count, mass = [], []
    for size in sizes:
        covered = int(size ** 0.7)
        weights = 1.0 / np.arange(1, size + 1) ** 1.1  # Zipf query frequencies
        count.append(covered / size)
        mass.append(float(weights[:covered].sum() / weights.sum()))
    violation = None if count[-1] < count[0] else {"count_ratio": count}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(sizes, count, "o-", label="ρ_cov by count (coverage |K|^0.7)")
    ax.semilogx(sizes, mass, "s-", label="covered query mass (Zipf 1.1, top facts trained)")
    ax.set_xlabel("|K|")
    ax.set_ylabel("fraction covered")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={"count_ratio_at_1e7": count[-1], "mass_at_1e7": mass[-1]},
                           detail="the count ratio vanishes while the covered query mass stays high")


COVERAGE_FRACTION = lemma(
    "hallucination.coverage_constant_fraction",
    title="If training covers a constant fraction of K, ρ_cov does not tend to 0",
    kind="equation",
    paper_ref="§2.2",
    claim_ref="E-08",
    source="reconstructed",
    statement=COVERAGE_STATEMENT,
    formal=r"$|K_{train}| = \kappa |K|$: $\rho_{cov} = \kappa$ for every $|K|$; claim $\rho_{cov} \to 0$ (sympy: the limit is $\kappa = 3/10$).",
    interpretation=(
        "Training data that grows in proportion to the knowledge base.",
        "No correction: the claim holds exactly when |K_train| = o(|K|) (hallucination.coverage_sublinear, proved); "
        "with proportional coverage ρ_cov is the constant κ and there is nothing weaker to repair it to.",
    ),
    variables={"K": "the size of the knowledge base"},
    explain=lambda cx: f"with a constant fraction covered, ρ_cov tends to {cx.get('sympy_limit')}, not 0",
    waivers={"property": "one limit; nothing to sample", "simulation": "one limit; nothing to simulate"},
    expect="refuted",
)


@COVERAGE_FRACTION.check("sympy")
def constant_fraction_limit():
    return cas.Limit(sp.Rational(3, 10) * K_sym / K_sym, K_sym, expected=0, name="constant_fraction")


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


# ---------------------------------------------------------------------------------------------
# E-10: temporal staleness.
# ---------------------------------------------------------------------------------------------

STALENESS = lemma(
    "hallucination.staleness_model",
    title="Under exponential change, 'more than half outdated at 6 months' is a statement about the rates",
    kind="claim",
    paper_ref="§2.2, Fig. 3(b)",
    claim_ref="E-10",
    source="reconstructed",
    statement="Temporal staleness: more than 50 % of time-sensitive facts are outdated within 6 months (G2, G3).",
    formal=(
        r"If fact $i$ changes at the first event of a Poisson process of rate $\lambda_i$, the outdated fraction at "
        r"time $t$ is $1 - \mathbb{E}[e^{-\lambda t}]$ (sympy, for one rate; the fraction over facts is the average); "
        r"$\tau(6 \text{ months}) > 1/2 \iff \mathbb{E}[e^{-6\lambda}] < 1/2$ ($\lambda$ per month). The quoted figure "
        r"itself is empirical (a cited study) and is not tested."
    ),
    variables={"lambda": "a change rate per month", "t": "months since the data's end"},
    explain=lambda cx: f"the outdated fraction differs from 1 − e^(−λt): {cx}",
    waivers={"property": "the equivalence is exact; the simulation evaluates it for several rate laws"},
    survivors={
        'gap < 0.01': 'a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="proved",
)


@STALENESS.check("sympy")
def outdated_fraction():
    rate, t = sp.symbols("lambda t", positive=True)
    survival = sp.integrate(rate * sp.exp(-rate * sp.Symbol("u", positive=True)), (sp.Symbol("u", positive=True), t, sp.oo))
    return cas.Identity(1 - survival, 1 - sp.exp(-rate * t), {rate: (0.01, 5.0), t: (0.1, 24.0)}, name="outdated_by_t")


@STALENESS.check("simulation")
def rate_laws(rng, scale):
    facts = 100_000 if scale == "default" else 2_000_000
    laws = {"half-lives log-uniform 1 week – 10 years": np.exp(rng.uniform(np.log(0.25), np.log(120), facts)),
            "half-lives log-uniform 1 month – 2 years": np.exp(rng.uniform(0, np.log(24), facts))}
    figures = {}
    for name, half_life in laws.items():
        rate = np.log(2) / half_life
        changes = rng.exponential(1 / rate)
        figures[f"outdated_at_6_months[{name}]"] = float((changes < 6).mean())
        figures[f"formula[{name}]"] = float(1 - np.exp(-6 * rate).mean())
    gap = max(abs(figures[f"outdated_at_6_months[{n}]"] - figures[f"formula[{n}]"]) for n in laws)
    violation = None if gap < 0.01 else {"gap": gap}
    return sim.Observation(violation=violation, figures=figures,
                           detail="sampled change times agree with 1 − E[e^(−λt)]; whether τ > 0.5 depends on the law")


# ---------------------------------------------------------------------------------------------
# E-11: exposure bias.
# ---------------------------------------------------------------------------------------------

EXPOSURE_STATEMENT = "Exposure bias makes the KL drift grow with length (G3); Table 1 lists it as a modelling assumption (G4)."

EXPOSURE_KL = lemma(
    "hallucination.exposure_kl_grows",
    title="The path-level KL between a model chain and the data chain never decreases with length",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-11",
    source="attested",
    statement=EXPOSURE_STATEMENT,
    formal=(
        r"$\mathrm{KL}(P_{model}^{(T)} \| P_{data}^{(T)})$, computed from the joint laws of the whole paths (every path "
        r"enumerated), is non-decreasing in $T$. Why: by the chain rule (hallucination.kl_chain_rule, cited) the "
        r"increment from $T$ to $T+1$ is $\mathbb{E}_{x_T}[\mathrm{KL}(K_{model}(x_T, \cdot) \| K_{data}(x_T, \cdot))]$, "
        r"which is $\ge 0$ by Gibbs (hallucination.gibbs_inequality, cited). Stationary chains make it grow linearly."
    ),
    interpretation=("KL(model ‖ data) per sequence; Markov kernels with the same start law.",
                    "The monotonicity is measured on the path laws, not built into a running sum; the chain-rule sum "
                    "is computed separately and must agree with it."),
    uses=("hallucination.kl_chain_rule", "hallucination.gibbs_inequality"),
    variables={"seed": "the seed of the random chains", "vocabulary": "the number of tokens",
               "perturbation": "ε, how far the model kernel is from the data kernel"},
    explain=lambda cx: f"the path KL of the drawn chains decreases at some length: {cx}",
    waivers={"symbolic": "the monotonicity is the cited chain rule plus the cited Gibbs inequality; a symbolic step "
                         "would only restate them (a sum of non-negative terms), so no engine claims it"},
    survivors={
        'np.diff(kls) >= -1e-12': 'the tolerance absorbs rounding; an increment equal to −1e-12 exactly never occurs: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="tested",
)


@EXPOSURE_KL.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 4), perturbation=st.floats(0.01, 0.9))
def path_kl_non_decreasing(seed, vocabulary, perturbation):
    model, data, start = _chains(np.random.default_rng(seed), vocabulary, perturbation)
    kls, _ = toys.path_divergences(model, data, start, 6)  # from the joint laws of whole paths
    assert np.all(np.diff(kls) >= -1e-12 * max(1.0, kls[-1]))


@EXPOSURE_KL.check("simulation")
def kl_and_tv_against_length(rng, scale):
    horizon = 8 if scale == "default" else 11
    figure = sim.new_figure()
    ax = figure.subplots()
    violation, figures = None, {}
    for perturbation in (0.05, 0.2, 0.6):
        model, data, start = _chains(rng, 3, perturbation)
        kls, tvs = toys.path_divergences(model, data, start, horizon)
        chained = toys.chain_rule_kl(model, data, start, horizon)
        if violation is None and np.any(np.diff(kls) < -1e-12 * max(1.0, kls[-1])):
            violation = {"perturbation": perturbation, "kl": kls.tolist()}
        figures[f"kl_T{horizon}[ε={perturbation}]"] = float(kls[-1])
        figures[f"tv_T{horizon}[ε={perturbation}]"] = float(tvs[-1])
        figures[f"chain_rule_gap[ε={perturbation}]"] = float(np.abs(kls - chained).max())
        ax.plot(range(1, horizon + 1), kls, "o-", label=f"KL, ε = {perturbation}")
        ax.plot(range(1, horizon + 1), tvs, "s--", label=f"TV, ε = {perturbation}")
    ax.set_xlabel("generation length T")
    ax.set_ylabel("divergence of the path laws (nats for KL)")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures=figures,
                           detail="path divergences of a 3-token chain and its perturbed copy, from the path laws")


EXPOSURE_TV = lemma(
    "hallucination.exposure_tv_unbounded",
    title="Read in total variation, the drift cannot grow without bound",
    kind="claim",
    paper_ref="§2.2",
    claim_ref="E-11",
    source="attested",
    statement=EXPOSURE_STATEMENT,
    formal=(r"'Grows' read as unbounded growth of $\mathrm{TV}(P_{model}^{(T)}, P_{data}^{(T)})$; but TV $\le 1$ for "
            r"every $T$ (z3: no event has masses $p, q \in [0, 1]$ with $p - q > 1$)."),
    interpretation=("The divergence the sources leave open, read as total variation.",),
    variables={"p": "an event's mass under the model", "q": "the same event's mass under the data"},
    explain=lambda cx: "TV is a difference of two probabilities of one event, so it never exceeds 1",
    waivers={"property": "one bound, proved for every event",
             "simulation": "the refutation is TV ≤ 1, proved for every T; a finite run cannot show boundedness, and "
                           "the correction hallucination.exposure_tv_saturates simulates the saturation"},
    expect="refuted",
)


@EXPOSURE_TV.check("z3")
def tv_bounded(q):
    p, r = q.reals("p q")
    q.domain(p >= 0, p <= 1, r >= 0, r <= 1)
    q.exists(p - r > 1)


TV_SATURATES = lemma(
    "hallucination.exposure_tv_saturates",
    title="The TV drift is non-decreasing in the length and bounded by 1: it saturates",
    kind="correction",
    corrects="hallucination.exposure_tv_unbounded",
    paper_ref="§2.2",
    claim_ref="E-11",
    source="reconstructed",
    statement=(r"$\mathrm{TV}(P_{model}^{(T)}, P_{data}^{(T)})$ never decreases as $T$ grows and never exceeds 1: the "
               r"drift in total variation grows, but towards a ceiling, not without bound."),
    formal=(
        r"Non-decreasing: $P^{(T)}(x) = \sum_y P^{(T+1)}(x, y)$, so $2\,\mathrm{TV}_T = \sum_x |\sum_y d(x, y)| \le "
        r"\sum_x \sum_y |d(x, y)| = 2\,\mathrm{TV}_{T+1}$ with $d = P^{(T+1)} - Q^{(T+1)}$; z3 proves "
        r"$|\sum_{y \le n} d(y)| \le \sum_{y \le n} |d(y)|$ for every number $n + 1$ of next tokens, by induction on $n$. "
        r"Bounded: $\sum |p - q| \le \sum |p| + \sum |q| = 2$ for probability vectors (z3, by induction on the length "
        r"of the vectors)."
    ),
    variables={"n": "the number of terms summed, minus one", "d": "the differences of path masses",
               "p": "a path law", "q": "the other path law", "seed": "the seed of the random chains"},
    explain=lambda cx: f"the TV of the drawn chains decreases at some length or exceeds 1: {cx}",
    survivors={
        'np.diff(tvs) >= -1e-12': 'the tolerance absorbs rounding; an increment equal to −1e-12 exactly never occurs: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
        'tvs.max() <= 1 + 1e-12': 'TV = 1 exactly needs disjoint supports, which Dirichlet kernels never have: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="proved",
)


def _absolute(value):
    return smt.If(value >= 0, value, -value)


@TV_SATURATES.check("z3")
def marginalising_cannot_raise_tv(q):
    (n,) = q.ints("n")
    difference = q.function("d", "Int", "Real")
    total = q.recursive_function("S", base=difference(0), step=lambda k, prev: prev + difference(k))
    spread = q.recursive_function("A", base=_absolute(difference(0)), step=lambda k, prev: prev + _absolute(difference(k)))
    q.induction(n, start=0)
    q.prove(_absolute(total(n)) <= spread(n))


@TV_SATURATES.check("z3")
def tv_at_most_one(q):
    (n,) = q.ints("n")
    p, r = q.function("p", "Int", "Real"), q.function("q", "Int", "Real")
    apart = q.recursive_function("D", base=_absolute(p(0) - r(0)), step=lambda k, prev: prev + _absolute(p(k) - r(k)))
    mass_p = q.recursive_function("P", base=_absolute(p(0)), step=lambda k, prev: prev + _absolute(p(k)))
    mass_q = q.recursive_function("Q", base=_absolute(r(0)), step=lambda k, prev: prev + _absolute(r(k)))
    q.induction(n, start=0)
    q.prove(apart(n) <= mass_p(n) + mass_q(n))


@TV_SATURATES.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 4), perturbation=st.floats(0.01, 0.9))
def path_tv_rises_to_at_most_one(seed, vocabulary, perturbation):
    model, data, start = _chains(np.random.default_rng(seed), vocabulary, perturbation)
    _, tvs = toys.path_divergences(model, data, start, 6)
    assert np.all(np.diff(tvs) >= -1e-12)
    assert tvs.max() <= 1 + 1e-12


@TV_SATURATES.check("simulation")
def tv_saturates(rng, scale):
    horizon = 9 if scale == "default" else 12
    figure = sim.new_figure()
    ax = figure.subplots()
    violation, figures, peaks = None, {}, []
    for perturbation in (0.1, 0.3, 0.6):
        model, data, start = _chains(rng, 3, perturbation)
        _, tvs = toys.path_divergences(model, data, start, horizon)
        if violation is None and (np.any(np.diff(tvs) < -1e-12) or tvs.max() > 1 + 1e-12):
            violation = {"perturbation": perturbation, "tv": tvs.tolist()}
        figures[f"tv_T{horizon}[ε={perturbation}]"] = float(tvs[-1])
        peaks.append(float(tvs.max()))
        ax.plot(range(1, horizon + 1), tvs, "o-", label=f"ε = {perturbation}")
    ax.axhline(1, color="k", ls=":", label="the ceiling 1")
    ax.set_xlabel("generation length T")
    ax.set_ylabel("divergence of the path laws (nats for KL)")
    ax.set_ylabel("TV of the path laws")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures=figures, slack=sim.slack(peaks, 1.0),
                           detail="TV of the path laws rises with T and levels off below 1")


# ---------------------------------------------------------------------------------------------
# E-12: binary grading, the RLHF optimum, overconfidence.
# ---------------------------------------------------------------------------------------------

GRADING_STATEMENT = (r"Binary grading ⇒ the expected score of abstention is 0 ⇒ the rational policy is always to guess; "
                     r"RLHF: $\pi^*(r|c) \propto \exp(\beta R(r|c))$; overconfidence P(correct | 90 % confidence) ≪ 0.9 (G1, G3).")

GRADING = lemma(
    "hallucination.binary_grading_rewards_guessing",
    title="Under 1/0/0 grading, answering beats abstaining for every p > 0; a penalty t/(1−t) moves the threshold to p > t",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal=(
        r"z3: $p > 0 \Rightarrow p \cdot 1 + (1-p) \cdot 0 > 0$. With a penalty $t/(1-t)$ for a wrong answer "
        r"($t < 1$), answering beats abstaining iff $p > t$ (z3; stated for every $p > 0$, $t < 1$, which contains the "
        r"probabilities)."
    ),
    interpretation=("p the true probability of being right; Kalai et al.'s penalised grading as the contrasting case.",),
    variables={"p": "the probability that the answer is right", "t": "the confidence target of the penalised grading"},
    explain=lambda cx: f"at p = {cx.get('p')}, t = {cx.get('t')} the expected scores do not order as claimed",
    waivers={"simulation": "two linear inequalities; the property test sweeps p and t"},
    expect="proved",
)


@GRADING.check("z3")
def guessing_pays(q):
    p, t = q.reals("p t")
    q.domain(p > 0, t < 1)  # the algebra needs only these; probabilities p ∈ (0, 1], t ∈ (0, 1) are a special case
    penalised = p - (1 - p) * t / (1 - t)
    q.prove(smt.And(p * 1 + (1 - p) * 0 > 0, (penalised > 0) == (p > t)))


@GRADING.check("hypothesis")
@given(p=st.floats(0.001, 1.0), t=st.floats(0.01, 0.99))
def guessing_on_a_grid(p, t):
    assert p * 1 + (1 - p) * 0 > 0
    penalised = p - (1 - p) * t / (1 - t)
    if abs(p - t) > 1e-9:
        assert (penalised > 0) == (p > t)


def _rlhf_optimum(rewards, beta, reference):
    """argmax over the simplex of E[R] − (1/β)·KL(π‖ref), by mirror ascent on the objective's own gradient."""
    policy = np.ones_like(rewards) / rewards.size
    for _ in range(200):  # mirror ascent with step 1/(2β) in the gradient's units: a contraction
        gradient = rewards - (np.log(policy / reference) + 1) / beta
        step = 0.5 * beta * gradient
        policy = policy * np.exp(step - step.max())
        policy /= policy.sum()
    return policy


def _variational_goals(reference):
    """Gibbs' variational identity, term by term and summed over three responses, for a reference policy
    `reference(i)` (a sympy expression per response i): with π* = ref·e^(βR)/Z,
    π_i R_i − (1/β) π_i ln(π_i/ref_i) = (1/β) π_i ln Z − (1/β) π_i ln(π_i/π*_i)."""
    beta, share, weight, normaliser = sp.symbols("beta pi rho Z", positive=True)
    reward = sp.Symbol("R", real=True)
    best = weight * sp.exp(beta * reward) / normaliser
    termwise = cas.Identity(share * reward - share * sp.log(share / weight) / beta,
                            share * sp.log(normaliser) / beta - share * sp.log(share / best) / beta,
                            {beta: (0.1, 5.0), share: (0.01, 1.0), weight: (0.01, 1.0), normaliser: (0.1, 10.0),
                             reward: (-3.0, 3.0)}, name="termwise")
    p1, p2 = sp.symbols("pi1 pi2", positive=True)
    rewards = sp.symbols("R1:4", real=True)
    shares = [p1, p2, 1 - p1 - p2]  # a point of the simplex
    weights = [reference(i) for i in range(3)]
    z = sum(w * sp.exp(beta * r) for w, r in zip(weights, rewards))
    optimum = [w * sp.exp(beta * r) / z for w, r in zip(weights, rewards)]
    objective = sum(s * r - s * sp.log(s / w) / beta for s, r, w in zip(shares, rewards, weights))
    gap = sum(s * sp.log(s / o) for s, o in zip(shares, optimum)) / beta  # KL(π‖π*)/β
    summed = cas.Identity(sp.expand_log(objective, force=True), sp.expand_log(sp.log(z) / beta - gap, force=True),
                          {beta: (0.1, 5.0), p1: (0.05, 0.45), p2: (0.05, 0.45), **{r: (-3.0, 3.0) for r in rewards}},
                          name="summed_over_three_responses")
    return [termwise, summed]


RLHF_UNIFORM = lemma(
    "hallucination.rlhf_optimum_uniform_reference",
    title="max E_π[R] − (1/β)·KL(π‖uniform) is attained at π ∝ exp(β·R), and only there",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal=(
        r"Gibbs' variational identity (sympy, term by term for any number of responses, and summed over three): with "
        r"$\pi^* = e^{\beta R}/Z$, $\mathbb{E}_\pi[R] - \tfrac1\beta \mathrm{KL}(\pi \| \mathrm{unif}) = "
        r"\tfrac1\beta \ln(Z/N) - \tfrac1\beta \mathrm{KL}(\pi \| \pi^*)$, maximal exactly at $\pi = \pi^*$ "
        r"(hallucination.gibbs_inequality, cited)."
    ),
    interpretation=("Objective with an entropy (uniform-reference KL) regulariser; β an inverse temperature.",),
    uses=("hallucination.gibbs_inequality",),
    variables={"seed": "the seed of the rewards", "responses": "the number of responses", "beta": "β"},
    explain=lambda cx: f"the numeric optimum departs from exp(βR) normalised: {cx}",
    survivors={
        '< 1e-09': 'the mirror ascent reaches machine precision (~1e-16); a gap of exactly 1e-9 never occurs: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="proved",
)


@RLHF_UNIFORM.check("sympy")
def variational_identity_uniform():
    return _variational_goals(lambda i: sp.Rational(1, 3))


@RLHF_UNIFORM.check("hypothesis")
@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), responses=st.integers(2, 6), beta=st.floats(0.2, 3.0))
def numeric_optimum_uniform(seed, responses, beta):
    rewards = np.random.default_rng(seed).normal(size=responses)
    closed = np.exp(beta * rewards) / np.exp(beta * rewards).sum()
    assert np.abs(_rlhf_optimum(rewards, beta, np.ones(responses) / responses) - closed).max() < 1e-9


@RLHF_UNIFORM.check("simulation")
def optimum_against_beta(rng, scale):
    rewards = rng.normal(size=5)
    gaps = [float(np.abs(_rlhf_optimum(rewards, b, np.ones(5) / 5) - np.exp(b * rewards) / np.exp(b * rewards).sum()).max())
            for b in (0.3, 1.0, 3.0)]
    violation = None if max(gaps) < 1e-9 else {"gaps": gaps}
    return sim.Observation(violation=violation, figures={"largest_gap": max(gaps)},
                           detail="numeric optima match exp(βR) normalised, for three temperatures")


RLHF_REFERENCE = lemma(
    "hallucination.rlhf_optimum_with_reference",
    title="With a non-uniform reference policy, the optimum is π_ref·exp(βR), not exp(βR)",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="attested",
    statement=GRADING_STATEMENT,
    formal=r"Objective $\mathbb{E}_\pi[R] - \tfrac1\beta \mathrm{KL}(\pi \| \pi_{ref})$, $\pi_{ref}$ not uniform: claim the optimum is $\propto \exp(\beta R)$.",
    interpretation=("The usual RLHF objective with a reference policy; the transcribed form omits π_ref. The correction "
                    "is hallucination.rlhf_optimum_reference_tilted.",),
    variables={"seed": "the seed of the rewards and the reference policy", "beta": "β",
               "optimum": "the numeric optimum", "transcribed": "exp(βR) normalised"},
    explain=lambda cx: (f"with β = {cx.get('beta', 1.0)} and a non-uniform reference policy the optimum follows "
                        f"π_ref·exp(βR), so it differs from exp(βR) normalised"),
    waivers={"symbolic": "the correct optimum is proved in hallucination.rlhf_optimum_reference_tilted; the property "
                         "test and the simulation find the mismatch with the transcribed form"},
    expect="refuted",
)


@RLHF_REFERENCE.check("hypothesis")
@settings(max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), beta=st.floats(0.2, 3.0))
def transcribed_form_with_reference(seed, beta):
    rng = np.random.default_rng(seed)
    rewards, reference = rng.normal(size=4), rng.dirichlet(np.ones(4))
    transcribed = np.exp(beta * rewards) / np.exp(beta * rewards).sum()
    assert np.abs(_rlhf_optimum(rewards, beta, reference) - transcribed).max() < 1e-3


@RLHF_REFERENCE.check("simulation")
def reference_shifts_the_optimum(rng, scale):
    rewards, reference = rng.normal(size=4), np.array([0.7, 0.1, 0.1, 0.1])
    optimum = _rlhf_optimum(rewards, 1.0, reference)
    transcribed = np.exp(rewards) / np.exp(rewards).sum()
    corrected = reference * np.exp(rewards) / (reference * np.exp(rewards)).sum()
    gap = float(np.abs(optimum - transcribed).max())
    violation = {"optimum": optimum.tolist(), "transcribed": transcribed.tolist()} if gap > 1e-3 else None
    return sim.Observation(violation=violation, figures={"gap_to_transcribed": gap,
                                                          "gap_to_reference_form": float(np.abs(optimum - corrected).max())},
                           detail="with π_ref = (0.7, 0.1, 0.1, 0.1) the optimum follows π_ref·exp(R)")


RLHF_TILTED = lemma(
    "hallucination.rlhf_optimum_reference_tilted",
    title="With a reference policy the RLHF optimum is π* ∝ π_ref·exp(β·R), and only there",
    kind="correction",
    corrects="hallucination.rlhf_optimum_with_reference",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="reconstructed",
    statement=(r"$\arg\max_\pi \mathbb{E}_\pi[R] - \tfrac1\beta \mathrm{KL}(\pi \| \pi_{ref})$ over the simplex is "
               r"$\pi^*(r) = \pi_{ref}(r) e^{\beta R(r)}/Z$, $Z = \sum_r \pi_{ref}(r) e^{\beta R(r)}$; the transcribed "
               r"$\propto e^{\beta R}$ is the case of a uniform $\pi_{ref}$."),
    formal=(r"Gibbs' variational identity (sympy, term by term for any number of responses, and summed over three with "
            r"a non-uniform $\pi_{ref} = (1/2, 1/3, 1/6)$): objective $= \tfrac1\beta \ln Z - \tfrac1\beta "
            r"\mathrm{KL}(\pi \| \pi^*)$, maximal exactly at $\pi^*$ (hallucination.gibbs_inequality, cited)."),
    uses=("hallucination.gibbs_inequality",),
    variables={"seed": "the seed of the rewards and the reference policy", "beta": "β"},
    explain=lambda cx: f"the numeric optimum departs from π_ref·exp(βR) normalised: {cx}",
    survivors={
        '< 1e-09': 'the mirror ascent reaches machine precision (~1e-16); a gap of exactly 1e-9 never occurs: a boundary shift on a continuous quantity that never lands exactly on the threshold: equivalent in practice',
    },
    expect="proved",
)


@RLHF_TILTED.check("sympy")
def variational_identity_with_reference():
    return _variational_goals(lambda i: (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6))[i])


@RLHF_TILTED.check("hypothesis")
@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), beta=st.floats(0.2, 3.0))
def numeric_optimum_with_reference(seed, beta):
    rng = np.random.default_rng(seed)
    rewards, reference = rng.normal(size=4), rng.dirichlet(np.ones(4))
    tilted = reference * np.exp(beta * rewards) / (reference * np.exp(beta * rewards)).sum()
    assert np.abs(_rlhf_optimum(rewards, beta, reference) - tilted).max() < 1e-9


@RLHF_TILTED.check("simulation")
def tilted_optimum_against_beta(rng, scale):
    rewards, reference = rng.normal(size=5), rng.dirichlet(np.ones(5) * 0.5)
    gaps = [float(np.abs(_rlhf_optimum(rewards, b, reference)
                         - reference * np.exp(b * rewards) / (reference * np.exp(b * rewards)).sum()).max())
            for b in (0.3, 1.0, 3.0)]
    violation = None if max(gaps) < 1e-9 else {"gaps": gaps}
    return sim.Observation(violation=violation, figures={"largest_gap": max(gaps)},
                           detail="numeric optima match π_ref·exp(βR) normalised, for three temperatures")


OVERCONFIDENCE = lemma(
    "hallucination.overconfidence_from_the_objective",
    title="A confidence-rewarding objective makes stated confidence 1 optimal; log loss makes it the accuracy",
    kind="equation",
    paper_ref="§2.3, Eqs. 15–20",
    claim_ref="E-12",
    source="reconstructed",
    statement=GRADING_STATEMENT,
    formal=(
        r"Reading (iii) as the optimum of a training objective. An answer right with probability $p \in (0, 1)$, "
        r"stated confidence $c \in (0, 1)$. Objective $1[\text{right}] + \lambda c$ ($\lambda > 0$): strictly "
        r"increasing in $c$ (z3), so $c = 1$ for every $p$ and $P(\text{right} \mid \text{stated } 1) = \mathbb{E}[p] < 1$. "
        r"Log loss $p \ln c + (1-p)\ln(1-c)$: its shortfall from $c = p$ is $\mathrm{KL}(\mathrm{Ber}(p) \| "
        r"\mathrm{Ber}(c))$ (sympy), zero only at $c = p$ (hallucination.gibbs_inequality, cited); its derivative is "
        r"$(p - c)/(c(1-c))$ (sympy), zero only at $c = p$, and its second derivative is "
        r"$-(p(1-c)^2 + (1-p)c^2)/(c^2(1-c)^2)$ (sympy), negative on the domain (z3, the numerator): stated "
        r"confidence equals accuracy."
    ),
    interpretation=("Not an empirical statement about particular models, which needs them; λ a confidence bonus.",),
    uses=("hallucination.gibbs_inequality",),
    variables={"p": "the probability of being right", "lambda": "the confidence bonus λ",
               "c1": "a lower stated confidence", "c2": "a higher stated confidence", "c": "the stated confidence",
               "bonus": "λ"},
    explain=lambda cx: f"at p = {cx.get('p')} the objective's optimum is not where the lemma says: {cx}",
    expect="proved",
)


@OVERCONFIDENCE.check("z3")
def bonus_pushes_confidence_up(q):
    p, bonus, low, high = q.reals("p lambda c1 c2")  # for every p and every pair of confidences, not only in [0, 1]
    q.given(bonus > 0, low < high)
    q.prove(p + bonus * high > p + bonus * low)


@OVERCONFIDENCE.check("sympy")
def log_loss_optimum():
    p, c = sp.symbols("p c", positive=True)
    expected = p * sp.log(c) + (1 - p) * sp.log(1 - c)
    domain = {p: (0.01, 0.99), c: (0.01, 0.99)}
    rest, other = sp.symbols("q d", positive=True)  # q = 1 − p and d = 1 − c, positive on the domain
    shortfall = (p * sp.log(p) + rest * sp.log(rest)) - (p * sp.log(c) + rest * sp.log(other))  # score at p minus at c
    return [cas.Identity(shortfall, p * sp.log(p / c) + rest * sp.log(rest / other),
                         {p: (0.01, 0.99), c: (0.01, 0.99), rest: (0.01, 0.99), other: (0.01, 0.99)},
                         name="shortfall_is_a_divergence"),
            cas.Identity(sp.diff(expected, c), (p - c) / (c * (1 - c)), domain, name="derivative_vanishes_only_at_p"),
            cas.Identity(sp.diff(expected, c, 2), -(p * (1 - c) ** 2 + (1 - p) * c ** 2) / (c ** 2 * (1 - c) ** 2), domain,
                         name="second_derivative")]


@OVERCONFIDENCE.check("z3")
def second_derivative_negative(q):
    p, c = q.reals("p c")  # the numerator of −(second derivative); its denominator c²(1 − c)² is positive
    q.domain(p >= 0, p <= 1, c > 0, c < 1)
    q.prove(p * (1 - c) * (1 - c) + (1 - p) * c * c > 0)


@OVERCONFIDENCE.check("hypothesis")
@given(p=st.floats(0.01, 0.99), bonus=st.floats(0.01, 1.0))
def grid_optima(p, bonus):
    grid = np.linspace(0.001, 0.999, 999)
    assert grid[np.argmax(p + bonus * grid)] == grid[-1]
    best = grid[np.argmax(p * np.log(grid) + (1 - p) * np.log(1 - grid))]  # a concave score: the best grid point
    above = min(int(np.searchsorted(grid, p)), grid.size - 1)  # brackets p
    assert grid[max(above - 1, 0)] <= best <= grid[above]


@OVERCONFIDENCE.check("simulation")
def reliability_by_objective(rng, scale):
    questions = 20_000 if scale == "default" else 2_000_000
    accuracy = rng.beta(4, 3, questions)  # each question's chance of being right
    right = rng.random(questions) < accuracy
    grid = np.linspace(0.001, 0.999, 999)
    stated = {"confidence bonus (λ = 0.2)": np.full(questions, grid[-1]),
              "log loss": grid[np.clip(np.searchsorted(grid, accuracy), 0, grid.size - 1)]}
    bins = np.linspace(0, 1, 11)
    figure = sim.new_figure()
    ax = figure.subplots()
    errors = {}
    for name, confidence in stated.items():
        which = np.clip(np.digitize(confidence, bins) - 1, 0, 9)
        filled = [b for b in range(10) if np.any(which == b)]
        mean_conf = np.array([confidence[which == b].mean() for b in filled])
        mean_right = np.array([right[which == b].mean() for b in filled])
        weights = np.array([np.mean(which == b) for b in filled])
        errors[name] = float(np.sum(weights * np.abs(mean_conf - mean_right)))
        ax.plot(mean_conf, mean_right, "o-", label=f"{name}: ECE {errors[name]:.3f}")
    ax.plot([0, 1], [0, 1], "k:", label="calibrated")
    ax.set_xlabel("stated confidence")
    ax.set_ylabel("fraction right")
    ax.legend(fontsize=8)
    violation = None
    if not errors["confidence bonus (λ = 0.2)"] > 0.3 > 0.02 > errors["log loss"]:
        violation = {"ece": errors}
    return sim.Observation(violation=violation, plot=figure, figures={f"ECE[{k}]": v for k, v in errors.items()},
                           detail=f"{questions} questions: the bonus-optimal policy states 1 at 57 % accuracy")


# ---------------------------------------------------------------------------------------------
# E-13: creativity against factuality, A(θ) + α·C(θ) = κ.
# ---------------------------------------------------------------------------------------------

TRADEOFF_STATEMENT = (r"Creativity–factuality trade-off $A(\theta) + \alpha C(\theta) = \kappa$, hence $dA = -\alpha\, dC$ "
                      "(G1, G4, G5); low temperatures give accurate, conservative text, high temperatures diverse text "
                      "and frequent hallucinations (G4, verbatim).")
T_sym = sp.Symbol("T", positive=True)

TRADEOFF_LINEAR = lemma(
    "hallucination.creativity_factuality_linear",
    title="Along temperature, accuracy and creativity do not lie on one line A + αC = κ",
    kind="equation",
    paper_ref="§2.4",
    claim_ref="E-13",
    source="attested",
    statement=TRADEOFF_STATEMENT,
    formal=(
        r"Toy LM with logits $(2, 0)$: $A(T) = \sigma(2/T)$ (the fact's probability), $C(T)$ = its entropy. Claim: "
        r"$\exists \alpha, \kappa$ with $A + \alpha C = \kappa$ for all $T$. The three points $T = 1/2, 1, 2$ are not "
        r"collinear (sympy)."
    ),
    interpretation=("Θ = the decoding temperature of one model; A = P(fact token); C = entropy (nats).",),
    variables={"seed": "the seed of the toy LM's logits", "vocabulary": "its vocabulary size",
               "gap": "minus the area spanned by three (C, A) points"},
    explain=lambda cx: ("three temperatures of one toy LM give (C, A) points that span a non-zero area, so no line "
                        "A + αC = κ passes through all of them"),
    expect="refuted",
)


def _two_token(temperature, gap=2):
    a = 1 / (1 + sp.exp(-gap / temperature))
    return a, -(a * sp.log(a) + (1 - a) * sp.log(1 - a))


@TRADEOFF_LINEAR.check("sympy")
def three_points_collinear():
    points = [_two_token(sp.Rational(t)) for t in ("1/2", "1", "2")]
    (a1, c1), (a2, c2), (a3, c3) = points
    area = (a2 - a1) * (c3 - c1) - (a3 - a1) * (c2 - c1)  # zero iff collinear
    return cas.Bound(-sp.Abs(area), {}, name="collinearity_of_three_temperatures")


@TRADEOFF_LINEAR.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 8))
def random_lms_are_linear(seed, vocabulary):
    lm = toys.ToyLM(np.random.default_rng(seed).normal(size=vocabulary) * 2)
    temperatures = np.linspace(0.2, 2.0, 10)
    a = np.array([lm.accuracy(t) for t in temperatures])
    c = np.array([lm.creativity(t) for t in temperatures])
    residual = a - np.polyval(np.polyfit(c, a, 1), c)
    assert np.abs(residual).max() < 1e-3, f"largest residual from the best line {np.abs(residual).max():.3g}"


@TRADEOFF_LINEAR.check("simulation")
def accuracy_against_creativity(rng, scale):
    temperatures = np.linspace(0.1, 2.0, 40)
    figure = sim.new_figure()
    ax = figure.subplots()
    worst, violation, fits = 0.0, None, {}
    for model in range(5):
        lm = toys.ToyLM(rng.normal(size=20) * rng.uniform(1, 4))
        a = np.array([lm.accuracy(t) for t in temperatures])
        c = np.array([lm.creativity(t) for t in temperatures])
        slope, intercept = np.polyfit(c, a, 1)
        residual = float(np.abs(a - (slope * c + intercept)).max())
        fits[f"alpha[{model}]"], fits[f"kappa[{model}]"] = -slope, intercept
        worst = max(worst, residual)
        ax.plot(c, a, label=f"model {model}: α = {-slope:.2f}, κ = {intercept:.2f}")
    if worst > 1e-3:
        violation = {"largest_residual_from_a_line": worst}
    ax.set_xlabel("creativity C(T) = entropy")
    ax.set_ylabel("factuality A(T) = P(fact)")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure, figures={**fits, "largest_residual": worst},
                           detail="five toy LMs swept over T in [0.1, 2]: curved frontiers with per-model α and κ")


TRADEOFF_MONOTONE = lemma(
    "hallucination.creativity_factuality_tension",
    title="Raising the temperature lowers the fact's probability and raises the entropy: a tension, not a line",
    kind="correction",
    corrects="hallucination.creativity_factuality_linear",
    paper_ref="§2.4",
    claim_ref="E-13",
    source="reconstructed",
    statement=(
        r"When the fact's logit leads the alternative's by $g > 0$, temperature trades factuality for creativity "
        r"monotonically at every $T > 0$: $dA/dT < 0$ and $dC/dT > 0$, so along $T$ the pair moves on a decreasing "
        r"curve, with a slope that depends on the model rather than a universal exchange rate $\alpha$."
    ),
    formal=(
        r"Two tokens, logits $(g, 0)$, $A = \sigma(g/T)$, $C = H(A)$. sympy identities: "
        r"$dA/dT = -(g/T^2)\,e^{-g/T}/(1 + e^{-g/T})^2$ and $dC/dT = (g^2/T^3)\,e^{-g/T}/(1 + e^{-g/T})^2$ (since "
        r"$dC/dA = \ln((1-A)/A) = -g/T$); both signs follow from $g, T > 0$ (sympy, by assumptions), for every $g$ and "
        r"every $T$."
    ),
    interpretation=("Two tokens, symbolically; the property test and the simulation draw vocabularies of up to 20 "
                    "tokens whose fact leads, where the same holds (dH/dT = Var_p(z)/T³ ≥ 0).",),
    variables={"T": "the temperature", "g": "the fact's logit lead", "seed": "the seed of the toy LM",
               "vocabulary": "its vocabulary size", "low": "the lower temperature", "ratio": "the temperature ratio"},
    explain=lambda cx: f"raising the temperature does not lower A and raise C here: {cx}",
    survivors={
        'lm.accuracy(low * ratio) < lm.accuracy(low)': 'the monotonicity is strict (proved), so < and ≤ agree on every input',
        'lm.creativity(low * ratio) > lm.creativity(low)': 'the monotonicity is strict (proved), so > and ≥ agree on every input',
    },
    expect="proved",
)


@TRADEOFF_MONOTONE.check("sympy")
def monotone_in_temperature():
    lead = sp.Symbol("g", positive=True)
    a, c = _two_token(T_sym, lead)
    bell = sp.exp(-lead / T_sym) / (1 + sp.exp(-lead / T_sym)) ** 2
    accuracy_rate, entropy_rate = -(lead / T_sym ** 2) * bell, (lead ** 2 / T_sym ** 3) * bell
    domain = {T_sym: (0.05, 20.0), lead: (0.05, 10.0)}
    return [cas.Identity(sp.diff(a, T_sym), accuracy_rate, domain, name="accuracy_rate"),
            cas.Identity(sp.diff(c, T_sym), entropy_rate, domain, name="entropy_rate"),
            cas.Bound(-accuracy_rate, domain, strict=True, calculus=False, name="accuracy_falls"),
            cas.Bound(entropy_rate, domain, strict=True, calculus=False, name="entropy_rises")]


@TRADEOFF_MONOTONE.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), vocabulary=st.integers(2, 8), low=st.floats(0.1, 1.5), ratio=st.floats(1.05, 3.0))
def hotter_is_less_factual_more_diverse(seed, vocabulary, low, ratio):
    logits = np.random.default_rng(seed).normal(size=vocabulary)
    logits[0] = logits.max() + 0.5  # the fact leads
    lm = toys.ToyLM(logits)
    assert lm.accuracy(low * ratio) < lm.accuracy(low)
    assert lm.creativity(low * ratio) > lm.creativity(low)


@TRADEOFF_MONOTONE.check("simulation")
def monotone_sweeps(rng, scale):
    temperatures = np.linspace(0.1, 2.0, 40)
    violation = None
    for model in range(20 if scale == "default" else 200):
        logits = rng.normal(size=20)
        logits[0] = logits.max() + rng.uniform(0.1, 2)
        lm = toys.ToyLM(logits)
        a = np.array([lm.accuracy(t) for t in temperatures])
        c = np.array([lm.creativity(t) for t in temperatures])
        if (np.any(np.diff(a) >= 0) or np.any(np.diff(c) <= 0)) and violation is None:
            violation = {"model": model}
    return sim.Observation(violation=violation, detail="toy LMs of 20 tokens whose fact leads: A falls and C rises with T")


# ---------------------------------------------------------------------------------------------
# E-14: finite information capacity of parameters.
# ---------------------------------------------------------------------------------------------

CAPACITY = lemma(
    "hallucination.parameter_capacity",
    title="P parameters of b bits represent at most 2^(P·b) fact tables",
    kind="remark",
    paper_ref="§2.1/§2.2 (G7, verbatim)",
    claim_ref="E-14",
    source="reconstructed",
    statement=(
        "Each floating-point parameter can only encode a finite number of bits at a given precision, and the "
        "compression of knowledge faces insurmountable limits (G7, quoting the paper)."
    ),
    formal=(
        r"Counting: a fixed decoder maps each of the $2^{Pb}$ parameter settings to one table, so at most $2^{Pb}$ "
        r"tables are reached (the image of a set is no larger than the set) and the fraction of the $2^m$ tables of "
        r"$m$ random bits that can be stored is $\le 2^{Pb}/2^m = 2^{-(m - Pb)}$ (sympy), which tends to 0 as "
        r"$m - Pb \to \infty$ (sympy)."
    ),
    interpretation=("Independent uniform facts, exact storage, the architecture's code not counted.",),
    uses=("hallucination.kolmogorov_fraction",),
    variables={"k": "m − P·b, the facts beyond the parameter bits"},
    explain=lambda cx: f"the storable fraction would not vanish: {cx}",
    waivers={"property": "the count is the pigeonhole principle (a decoder reaches at most one table per setting): "
                         "any finite test of it holds by construction, so none is claimed as evidence",
             "simulation": "as for the property test: a decoder's distinct tables never outnumber its settings on any "
                           "run, so a simulation could not fail"},
    expect="proved",
)


@CAPACITY.check("sympy")
def storable_fraction():
    bits, facts = sp.symbols("B m", positive=True)  # B = P·b
    excess = sp.Symbol("k", positive=True)  # m − P·b
    return [cas.Identity(2 ** bits / 2 ** facts, 2 ** (-(facts - bits)), {bits: (1, 64), facts: (1, 128)},
                         name="fraction_bound"),
            cas.Limit(2 ** (-excess), excess, expected=0, name="storable_fraction")]
