"""§5 of the paper, retrieval fragility: claims E-28 … E-32.

Retrieval instances are small enough to solve exactly by enumerating subsets; the failure bound
is stated over joint distributions of three events, R = {d* ∈ D_r}, A = {the model attends to
d*} and S = {the answer is right}, with masses m[r][a][s].
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import cas, lemma, sim, smt
from simulations import retrieval as toys

# ---------------------------------------------------------------------------------------------
# E-28: the token budget as a knapsack.
# ---------------------------------------------------------------------------------------------

BUDGET = lemma(
    "retrieval.token_budget_knapsack",
    title="Budgeted retrieval with additive relevance is a 0/1 knapsack, solved exactly",
    kind="definition",
    paper_ref="§5",
    claim_ref="E-28",
    source="attested",
    statement="RAG systems are constrained by a token budget B: Σ_{d∈D_r} len(d) ≤ B (G2); RAG as constrained optimisation (G1).",
    formal=(
        "max Σ_{d∈D_r} rel(d) subject to Σ len(d) ≤ B. Two independent exact solvers (enumeration of "
        "every subset, and dynamic programming over the budget) must agree; greedy top-k by relevance "
        "is feasible and never better."
    ),
    interpretation=("Additive utility; the query and instructions are not charged to B.",),
    waivers={"symbolic": "a definition; what is checked is that the exact solvers used by E-29 and E-30 are right"},
    expect="tested",
)


def _knapsack(lengths, values, budget):
    best = np.zeros(budget + 1)
    for length, value in zip(lengths, values):
        if length <= budget:
            best[length:] = np.maximum(best[length:], best[:budget + 1 - length] + value)
    return float(best[budget])


@BUDGET.check("hypothesis")
@settings(max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 9))
def exact_solvers_agree(seed, documents):
    instance = toys.random_instance(np.random.default_rng(seed), documents)
    sets = toys.feasible_sets(instance)
    enumerated = max((toys.total_relevance(instance, s) for s in sets), default=0.0)
    assert math.isclose(enumerated, _knapsack(instance.lengths, instance.relevance, instance.budget), abs_tol=1e-9)
    greedy = toys.greedy_relevance(instance)
    assert instance.lengths[list(greedy)].sum() <= instance.budget
    assert toys.total_relevance(instance, greedy) <= enumerated + 1e-9


@BUDGET.check("simulation")
def greedy_against_optimal(rng, scale):
    ratios = []
    for _ in range(300 if scale == "default" else 30_000):
        instance = toys.random_instance(rng, 10)
        optimum = _knapsack(instance.lengths, instance.relevance, instance.budget)
        ratios.append(toys.total_relevance(instance, toys.greedy_relevance(instance)) / optimum if optimum else 1.0)
    ratios = np.array(ratios)
    violation = None if ratios.max() <= 1 + 1e-9 else {"greedy_over_optimal": float(ratios.max())}
    return sim.Observation(violation=violation, figures={"greedy_mean_fraction": float(ratios.mean()),
                                                          "greedy_worst_fraction": float(ratios.min())},
                           detail="random 10-document instances: greedy top-k against the exact optimum")


# ---------------------------------------------------------------------------------------------
# E-29: relevance against coverage, in three readings.
# ---------------------------------------------------------------------------------------------

DILEMMA_STATEMENT = (
    "The relevance–coverage dilemma forces a trade-off between precision-oriented and recall-oriented "
    "retrieval that cannot be simultaneously optimised under a fixed context window (G1, P1)."
)


def _two_documents(q):
    """Two documents of which the budget admits one: relevances r0, r1 and aspect counts c0, c1."""
    r0, r1 = q.reals("r0 r1")
    c0, c1 = q.ints("c0 c1")
    q.domain(r0 >= 0, r0 <= 1, r1 >= 0, r1 <= 1, c0 >= 0, c0 <= 6, c1 >= 0, c1 <= 6)
    return r0, r1, c0, c1


UNIVERSAL = lemma(
    "retrieval.relevance_coverage_universal",
    title="Universal reading: the most precise and the most covering feasible sets never coincide",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-29",
    source="attested",
    statement=DILEMMA_STATEMENT,
    formal=(
        "∀ instances: argmax_feasible Prec ∩ argmax_feasible Cov = ∅. z3, on instances where the "
        "budget admits one of two documents: the precision-optimal one is never also coverage-optimal."
    ),
    interpretation=("Precision = mean relevance of the chosen set; coverage = aspects covered; ties kept.",),
    expect="refuted",
)


@UNIVERSAL.check("z3")
def never_both(q):
    r0, r1, c0, c1 = _two_documents(q)
    q.prove(smt.Not(smt.And(r0 >= r1, c0 >= c1)))


@UNIVERSAL.check("hypothesis")
@settings(max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 7))
def optima_disjoint(seed, documents):
    precise, covering = toys.optima(toys.random_instance(np.random.default_rng(seed), documents))
    assert not (precise & covering), f"a set is optimal for both: {sorted(precise & covering)}"


@UNIVERSAL.check("simulation")
def coincidences_by_size(rng, scale):
    rows, violation = {}, None
    for documents in (1, 2, 4, 8):
        together = 0
        for _ in range(100 if scale == "default" else 10_000):
            instance = toys.random_instance(rng, documents)
            precise, covering = toys.optima(instance)
            if precise & covering:
                together += 1
                if violation is None:
                    violation = {"documents": documents, "lengths": instance.lengths.tolist(),
                                 "relevance": instance.relevance.tolist(), "budget": instance.budget,
                                 "both_optimal": sorted(precise & covering)[0]}
        rows[f"coincidence_rate[{documents} docs]"] = together / (100 if scale == "default" else 10_000)
    return sim.Observation(violation=violation, figures=rows,
                           detail="small instances: with one or two documents the optima often coincide")


EXISTENTIAL = lemma(
    "retrieval.relevance_coverage_existential",
    title="Existential reading: some instance has no set that is both most precise and most covering",
    kind="correction",
    corrects="retrieval.relevance_coverage_universal",
    paper_ref="§5",
    claim_ref="E-29",
    source="attested",
    statement=DILEMMA_STATEMENT,
    formal="∃ an instance (two documents, budget for one) whose most relevant document covers fewer aspects (z3 witness).",
    interpretation=("The existential reading (E); the probabilistic reading is retrieval.relevance_coverage_probabilistic.",),
    expect="proved",
)


@EXISTENTIAL.check("z3")
def some_instance_forces_a_choice(q):
    r0, r1, c0, c1 = _two_documents(q)
    q.exists(smt.And(r0 > r1, c1 > c0))


@EXISTENTIAL.check("hypothesis")
@given(high=st.floats(0.51, 1.0), low=st.floats(0.0, 0.5))
def built_instance_forces_a_choice(high, low):
    instance = toys.Instance(np.array([100, 100]), np.array([high, low]), np.array([[True, False, False], [True, True, True]]), 150)
    precise, covering = toys.optima(instance)
    assert precise == {(0,)} and covering == {(1,)}


@EXISTENTIAL.check("simulation")
def forced_choices(rng, scale):
    found = 0
    for _ in range(200 if scale == "default" else 20_000):
        precise, covering = toys.optima(toys.random_instance(rng, 6))
        found += int(not (precise & covering))
    violation = None if found else {"instances_with_disjoint_optima": 0}
    return sim.Observation(violation=violation, figures={"disjoint_instances": found},
                           detail="random 6-document instances whose optima are disjoint exist in number")


PROBABILISTIC = lemma(
    "retrieval.relevance_coverage_probabilistic",
    title="Probabilistic reading: under random instances, the optima are disjoint with frequency bounded away from 0",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-29",
    source="attested",
    statement=DILEMMA_STATEMENT,
    formal=(
        "Instances with 4–8 documents (lengths 50–400 tokens, relevance uniform, each of 6 aspects with "
        "probability 0.3) and budgets from 20 % to 60 % of the total length: the frequency of disjoint "
        "optima is at least 0.1 at every size and budget swept (measured minimum: 0.2)."
    ),
    interpretation=("The instance distribution is a choice made here; the claim names none.",),
    waivers={"symbolic": "a frequency over a distribution of instances",
             "property": "a frequency; only the simulation's sweep estimates it"},
    expect="tested",
)


@PROBABILISTIC.check("simulation")
def disjoint_frequency(rng, scale):
    trials = 60 if scale == "default" else 6000
    figures, violation = {}, None
    figure = sim.new_figure()
    ax = figure.subplots()
    for documents in (4, 6, 8):
        fractions = np.linspace(0.2, 0.6, 5)
        rates = []
        for fraction in fractions:
            disjoint = 0
            for _ in range(trials):
                instance = toys.random_instance(rng, documents, budget_fraction=fraction)
                precise, covering = toys.optima(instance)
                disjoint += int(not (precise & covering))
            rates.append(disjoint / trials)
        figures[f"min_disjoint_rate[{documents} docs]"] = min(rates)
        if min(rates) < 0.1 and violation is None:
            violation = {"documents": documents, "budget_fractions": fractions.tolist(), "rates": rates}
        ax.plot(fractions, rates, "o-", label=f"{documents} documents")
    ax.set_xlabel("budget / total length")
    ax.set_ylabel("frequency of disjoint optima")
    ax.legend()
    return sim.Observation(violation=violation, figures=figures, plot=figure,
                           detail="exact optima by enumeration, swept over size and budget")


# ---------------------------------------------------------------------------------------------
# E-30: information against retrieval breadth, in two readings.
# ---------------------------------------------------------------------------------------------

BREADTH_STATEMENT = (
    "Mutual information between retrieved evidence and the target fact decays as retrieval set size "
    "grows (G1); retrieval breadth ↑ ⇒ I(retrieved; target) ↓ ⇒ an upper bound on factual grounding (G3)."
)


def _mi_two_copies(flip_first, flip_second):
    """Exact I(Y; D1) and I(Y; D1, D2) for a fair bit Y seen through two independent noisy copies."""
    joint = np.zeros((2, 4))
    for y, d1, d2 in itertools.product((0, 1), repeat=3):
        p = 0.5 * (flip_first if d1 != y else 1 - flip_first) * (flip_second if d2 != y else 1 - flip_second)
        joint[y, 2 * d1 + d2] += p
    first = np.stack([joint[:, 0] + joint[:, 1], joint[:, 2] + joint[:, 3]], axis=1)
    return toys.mutual_information(first), toys.mutual_information(joint)


NESTED = lemma(
    "retrieval.breadth_nested_sets",
    title="Nested reading: adding documents to the retrieved set lowers I(Y; D)",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-30",
    source="attested",
    statement=BREADTH_STATEMENT,
    formal=(
        "For nested retrieved sets D¹ ⊆ D², I(Y; D²) ≤ I(Y; D¹). sympy, exactly: a fair bit Y seen "
        "through two independent copies flipped with probability 3/10 has I(Y; D1, D2) > I(Y; D1)."
    ),
    interpretation=("What grows is the retrieved set itself; the fixed-budget reading is retrieval.breadth_fixed_budget.",),
    expect="refuted",
)


@NESTED.check("sympy")
def second_copy_adds_information():
    flip = sp.Rational(3, 10)
    h = lambda *ps: -sum(p * sp.log(p) for p in ps if p != 0)  # noqa: E731
    agree, disagree = (1 - flip) ** 2 + flip ** 2, 2 * flip * (1 - flip)
    one = h(sp.Rational(1, 2), sp.Rational(1, 2)) - h(1 - flip, flip)
    # I(Y; D1, D2) = H(D1, D2) − H(D1, D2 | Y)
    two = h(agree / 2, agree / 2, disagree / 2, disagree / 2) - h((1 - flip) ** 2, flip ** 2, flip * (1 - flip), flip * (1 - flip))
    return cas.Bound(one - two, {}, name="information_of_one_copy_minus_two")


@NESTED.check("hypothesis")
@given(first=st.floats(0.0, 0.5), second=st.floats(0.0, 0.5))
def nested_information_falls(first, second):
    one, two = _mi_two_copies(first, second)
    assert two <= one + 1e-12, f"I(Y;D1) = {one:.4f} < I(Y;D1,D2) = {two:.4f}"


@NESTED.check("simulation")
def information_against_k(rng, scale):
    flips = rng.uniform(0.1, 0.4, 8)
    information = []
    for k in range(1, 9):
        joint = np.zeros((2, 2 ** k))
        for y in (0, 1):
            for pattern in range(2 ** k):
                bits = [(pattern >> i) & 1 for i in range(k)]
                joint[y, pattern] = 0.5 * np.prod([f if b != y else 1 - f for b, f in zip(bits, flips[:k])])
        information.append(toys.mutual_information(joint))
    rises = np.flatnonzero(np.diff(information) > 1e-12)
    violation = None if not rises.size else {"k": int(rises[0]) + 1, "I_k": information[rises[0]], "I_k_plus_1": information[rises[0] + 1]}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(range(1, 9), information, "o-")
    ax.set_xlabel("documents retrieved k (nested)")
    ax.set_ylabel("I(Y; D^(k)) (nats)")
    return sim.Observation(violation=violation, plot=figure, figures={"I_1": information[0], "I_8": information[-1]},
                           detail="each extra noisy document adds information about the target")


NESTED_GROWS = lemma(
    "retrieval.breadth_nested_information_grows",
    title="For nested retrieved sets, information about the target can only grow",
    kind="correction",
    corrects="retrieval.breadth_nested_sets",
    paper_ref="§5",
    claim_ref="E-30",
    source="reconstructed",
    statement=(
        "Retrieving more documents cannot by itself reduce the information the retrieved set holds "
        "about the target: I(Y; D¹, D²) = I(Y; D¹) + I(Y; D² | D¹) ≥ I(Y; D¹). Breadth hurts only "
        "through what the reader does with it, or when a budget truncates (retrieval.breadth_fixed_budget)."
    ),
    formal="I(Y; D¹, D²) ≥ I(Y; D¹) for every joint law (chain rule and non-negative conditional MI).",
    assumes=("the chain rule of mutual information and I(Y; D² | D¹) ≥ 0 (Gibbs' inequality)",),
    waivers={"symbolic": "a classical identity and inequality of information theory, assumed; tested on random joint laws"},
    expect="tested",
)


@NESTED_GROWS.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), sizes=st.tuples(st.integers(2, 4), st.integers(2, 4), st.integers(2, 4)))
def chain_rule_on_random_laws(seed, sizes):
    joint = np.random.default_rng(seed).dirichlet(np.ones(np.prod(sizes))).reshape(sizes)  # [y, d1, d2]
    one = toys.mutual_information(joint.sum(axis=2))
    two = toys.mutual_information(joint.reshape(sizes[0], -1))
    assert two >= one - 1e-12


@NESTED_GROWS.check("simulation")
def random_nested_laws(rng, scale):
    worst = np.inf
    for _ in range(5000 if scale == "default" else 500_000):
        joint = rng.dirichlet(np.ones(27) * 0.3).reshape(3, 3, 3)
        worst = min(worst, toys.mutual_information(joint.reshape(3, -1)) - toys.mutual_information(joint.sum(axis=2)))
    violation = None if worst >= -1e-12 else {"smallest_gain": worst}
    return sim.Observation(violation=violation, figures={"smallest_gain": float(worst)},
                           detail="random joint laws of (Y, D1, D2): the second document never lowered I")


FIXED = lemma(
    "retrieval.breadth_fixed_budget",
    title="Fixed-budget reading: widening the candidate pool can only push d* out of the top B",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-30",
    source="attested",
    statement=BREADTH_STATEMENT,
    formal=(
        "The retrieved set is the top B of a candidate pool ranked by a noisy score. Coupling: with one "
        "more candidate, d*'s rank can only rise by the new candidate, so if d* is in the top B of the "
        "wider pool it is in the top B of the narrower one (z3); P(d* ∈ D_r), and with it the "
        "information the retrieved set carries about Y, is non-increasing in the pool size."
    ),
    interpretation=("What grows is the candidate pool; the budget B and the ranking noise are fixed.",),
    expect="proved",
)


@FIXED.check("z3")
def coupling(q):
    rank, budget, beats = q.ints("rank B beats")
    q.domain(budget >= 1, rank >= 0, smt.Or(beats == 0, beats == 1))
    q.given(rank + beats < budget)  # d* in the top B of the wider pool
    q.prove(rank < budget)  # hence of the narrower one


@FIXED.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), pool=st.integers(2, 400), budget=st.integers(1, 10), signal=st.floats(0.0, 4.0))
def retention_never_gains(seed, pool, budget, signal):
    rng = np.random.default_rng(seed)
    relevant, others = signal + rng.standard_normal(), rng.standard_normal(pool)  # the same draws, two pool sizes
    in_narrow = (others[: pool - 1] > relevant).sum() < budget
    in_wide = (others > relevant).sum() < budget
    assert in_narrow or not in_wide


@FIXED.check("simulation")
def retention_against_pool(rng, scale):
    pools = np.unique(np.logspace(1, 4, 9).astype(int))
    trials = 2000 if scale == "default" else 200_000
    retained = np.array([toys.retained_fraction(rng, int(n), 5, 2.0, trials) for n in pools])
    information = np.array([toys.retained_information(r) for r in retained])
    noise = 4 * np.sqrt(0.25 / trials)
    violation = None if np.all(np.diff(retained) <= noise) else {"pools": pools.tolist(), "retained": retained.tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(pools, retained, "o-", label="P(d* in the top 5)")
    ax.semilogx(pools, information / np.log(2), "s-", label="I(Y; answer) in bits")
    ax.set_xlabel("candidate pool size")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           figures={"retained_at_10": float(retained[0]), "retained_at_10000": float(retained[-1])},
                           detail="top-5 of a pool ranked by a noisy score (signal 2σ): retention falls with the pool")


# ---------------------------------------------------------------------------------------------
# E-31: Pr[failure] ≥ 1 − Pr[d* ∈ D_r] · Pr[the model attends to d*].
# ---------------------------------------------------------------------------------------------

FAILURE_STATEMENT = "Pr[failure] ≥ 1 − Pr[d* ∈ D_r] · Pr[LLM attends to d*] (G1, G2)."


def _masses(q):
    """m[r][a][s] ≥ 0 summing to 1, and the probabilities built from them."""
    m = {(r, a, s): q.reals(f"m{r}{a}{s}")[0] for r in (0, 1) for a in (0, 1) for s in (0, 1)}
    q.domain(*[v >= 0 for v in m.values()], sum(m.values()) == 1)
    p_r = sum(v for (r, _, _), v in m.items() if r)
    p_a = sum(v for (_, a, _), v in m.items() if a)
    p_ra = m[1, 1, 0] + m[1, 1, 1]
    success = sum(v for (_, _, s), v in m.items() if s)
    only_through = [m[r, a, 1] == 0 for r in (0, 1) for a in (0, 1) if not (r and a)]  # success ⊆ R ∩ A
    return m, p_r, p_a, p_ra, success, only_through


def _random_joint(rng, allow_fallback, correlation):
    """A joint of (R, A, S): R and A Bernoulli with a tunable correlation; S happens through R∩A
    with probability 0.9, otherwise (fallback) with probability 0.3 if allowed."""
    p_r, p_a = rng.uniform(0.2, 0.9), rng.uniform(0.2, 0.9)
    both = np.clip(p_r * p_a + correlation * min(p_r, p_a) * (1 - max(p_r, p_a)), max(0, p_r + p_a - 1), min(p_r, p_a))
    cells = {(1, 1): both, (1, 0): p_r - both, (0, 1): p_a - both, (0, 0): 1 - p_r - p_a + both}
    success = {(1, 1): 0.9, (1, 0): 0.3 if allow_fallback else 0.0, (0, 1): 0.3 if allow_fallback else 0.0,
               (0, 0): 0.3 if allow_fallback else 0.0}
    return p_r, p_a, both, sum(cells[k] * success[k] for k in cells)


def _failure_simulation(rng, scale, allow_fallback, bound_of, title):
    correlations = np.linspace(-1, 1, 9)
    worst, violation = [], None
    for correlation in correlations:
        margins = []
        for _ in range(500 if scale == "default" else 50_000):
            p_r, p_a, both, success = _random_joint(rng, allow_fallback, correlation)
            margins.append((1 - success) - bound_of(p_r, p_a, both))
        worst.append(min(margins))
        if min(margins) < -1e-12 and violation is None:
            violation = {"correlation": float(correlation), "failure_minus_bound": float(min(margins))}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(correlations, worst, "o-")
    ax.axhline(0, color="k", ls=":")
    ax.set_xlabel("correlation between retrieving and attending")
    ax.set_ylabel("min over joints of P(fail) − bound")
    ax.set_title(title)
    return sim.Observation(violation=violation, plot=figure, figures={"worst_margin": float(min(worst))},
                           detail="random joints of (R, A, S) swept over the correlation of R and A")


MARGINAL_BOUND = lemma(
    "retrieval.failure_bound_marginal",
    title="Failure bound with the marginal Pr[attends]: fails when retrieving and attending correlate",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="attested",
    statement=FAILURE_STATEMENT,
    formal="∀ joints with success ⊆ R ∩ A: 1 − P(S) ≥ 1 − P(R)·P(A), with the marginal P(A).",
    interpretation=("P(A) marginal; success only through R ∩ A; R and A may correlate.",),
    expect="refuted",
)


@MARGINAL_BOUND.check("z3")
def marginal_bound(q):
    _, p_r, p_a, _, success, only_through = _masses(q)
    q.given(*only_through)
    q.prove(1 - success >= 1 - p_r * p_a)


@MARGINAL_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def marginal_bound_on_random_joints(seed, correlation):
    p_r, p_a, both, success = _random_joint(np.random.default_rng(seed), False, correlation)
    assert 1 - success >= 1 - p_r * p_a - 1e-12, f"P(fail) = {1 - success:.3f} < 1 − P(R)P(A) = {1 - p_r * p_a:.3f}"


@MARGINAL_BOUND.check("simulation")
def marginal_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda p_r, p_a, both: 1 - p_r * p_a, "bound with the marginal P(A)")


CONDITIONAL_BOUND = lemma(
    "retrieval.failure_bound_conditional",
    title="With Pr[attends | retrieved], the bound holds whenever success needs both",
    kind="correction",
    corrects="retrieval.failure_bound_marginal",
    paper_ref="§5",
    claim_ref="E-31",
    source="reconstructed",
    statement=(
        "Read with the conditional probability, Pr[fail] ≥ 1 − Pr[d* ∈ D_r]·Pr[attends | d* ∈ D_r] = "
        "1 − Pr[R ∩ A] holds for every joint, correlated or not, as long as the answer can only be "
        "right through a retrieved and attended d* (no parametric fallback)."
    ),
    formal="∀ joints with success ⊆ R ∩ A: 1 − P(S) ≥ 1 − P(R ∩ A) (z3).",
    expect="proved",
)


@CONDITIONAL_BOUND.check("z3")
def conditional_bound(q):
    _, _, _, p_ra, success, only_through = _masses(q)
    q.given(*only_through)
    q.prove(1 - success >= 1 - p_ra)


@CONDITIONAL_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def conditional_bound_on_random_joints(seed, correlation):
    _, _, both, success = _random_joint(np.random.default_rng(seed), False, correlation)
    assert 1 - success >= 1 - both - 1e-12


@CONDITIONAL_BOUND.check("simulation")
def conditional_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda p_r, p_a, both: 1 - both, "bound with P(A | R)")


FALLBACK_BOUND = lemma(
    "retrieval.failure_bound_with_fallback",
    title="With a parametric fallback, even the conditional bound fails",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="attested",
    statement=FAILURE_STATEMENT,
    formal="∀ joints (success also possible without R ∩ A): 1 − P(S) ≥ 1 − P(R ∩ A).",
    interpretation=("The model may answer from its own parameters when d* is missing or ignored.",),
    expect="refuted",
)


@FALLBACK_BOUND.check("z3")
def fallback_bound(q):
    _, _, _, p_ra, success, _ = _masses(q)
    q.prove(1 - success >= 1 - p_ra)


@FALLBACK_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def fallback_bound_on_random_joints(seed, correlation):
    _, _, both, success = _random_joint(np.random.default_rng(seed), True, correlation)
    assert 1 - success >= 1 - both - 1e-12, f"P(fail) = {1 - success:.3f} < 1 − P(R∩A) = {1 - both:.3f}"


@FALLBACK_BOUND.check("simulation")
def fallback_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, True, lambda p_r, p_a, both: 1 - both, "with a parametric fallback")


INDEPENDENT_BOUND = lemma(
    "retrieval.failure_bound_independent",
    title="If retrieving and attending are independent, the marginal form holds",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="reconstructed",
    statement=FAILURE_STATEMENT,
    formal="∀ joints with success ⊆ R ∩ A and P(R ∩ A) = P(R)·P(A): 1 − P(S) ≥ 1 − P(R)·P(A) (z3).",
    interpretation=("The reading under which the transcribed formula is exact: R and A independent.",),
    expect="proved",
)


@INDEPENDENT_BOUND.check("z3")
def independent_bound(q):
    _, p_r, p_a, p_ra, success, only_through = _masses(q)
    q.given(*only_through, p_ra == p_r * p_a)
    q.prove(1 - success >= 1 - p_r * p_a)


@INDEPENDENT_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1))
def independent_bound_on_random_joints(seed):
    p_r, p_a, both, success = _random_joint(np.random.default_rng(seed), False, 0.0)
    assert math.isclose(both, p_r * p_a, rel_tol=1e-12)
    assert 1 - success >= 1 - p_r * p_a - 1e-12


@INDEPENDENT_BOUND.check("simulation")
def independent_bound_sweep(rng, scale):
    margins = []
    for _ in range(2000 if scale == "default" else 200_000):
        p_r, p_a, both, success = _random_joint(rng, False, 0.0)
        margins.append((1 - success) - (1 - p_r * p_a))
    violation = None if min(margins) >= -1e-12 else {"failure_minus_bound": min(margins)}
    return sim.Observation(violation=violation, figures={"worst_margin": float(min(margins))},
                           detail="independent retrieval and attention: the marginal bound holds")


# ---------------------------------------------------------------------------------------------
# E-32: poisoning and distraction.
# ---------------------------------------------------------------------------------------------

POISONING = lemma(
    "retrieval.poisoning_five_documents",
    title="Five injected near-duplicates take over the top 5 for ≥ 90 % of target queries",
    kind="claim",
    paper_ref="§5 (PoisonedRAG)",
    claim_ref="E-32",
    source="attested",
    statement=(
        "PoisonedRAG: ~90 % attack success rates by inserting only five documents per query in "
        "million-scale knowledge bases, exploiting the shared embedding manifold (G1)."
    ),
    formal=(
        "Bi-encoder toy: 10^5 random unit vectors in 64 dimensions (10^6 at full scale); each target "
        "query has one genuine document at cosine 0.8; k injected documents at cosine 0.9. Success = "
        "injected documents hold a majority of the top 5. Claim: success ≥ 0.9 at k = 5."
    ),
    interpretation=(
        "Attack success read as retrieval takeover (a poisoned majority in the top 5), not the "
        "generated answer; the embedding model is random, not a trained retriever.",
    ),
    waivers={"symbolic": "an empirical claim about attacks on retrievers",
             "property": "one corpus of 10^5 vectors per run is the unit of evidence; the simulation sweeps k"},
    expect="tested",
)


@POISONING.check("simulation")
def attack_success_against_k(rng, scale):
    corpus = toys.unit_rows(rng, 100_000 if scale == "default" else 1_000_000, 64)
    counts = (0, 1, 2, 3, 5, 10)
    success = {k: toys.poisoning_success(rng, corpus, k, 0.9, 50) for k in counts}
    below = {k: toys.poisoning_success(rng, corpus, k, 0.7, 50) for k in counts}  # injected less similar than genuine
    violation = None if success[5] >= 0.9 else {"k": 5, "success": success[5]}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(counts, [success[k] for k in counts], "o-", label="injected at cosine 0.9 (genuine 0.8)")
    ax.plot(counts, [below[k] for k in counts], "s-", label="injected at cosine 0.7")
    ax.axhline(0.9, color="k", ls=":", label="90 %")
    ax.set_xlabel("injected documents k")
    ax.set_ylabel("attack success (poisoned majority of top 5)")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={f"success[k={k}]": v for k, v in success.items()},
                           detail=f"{corpus.shape[0]} documents, 50 target queries per k")


DISTRACTION = lemma(
    "retrieval.one_distractor_cuts_accuracy",
    title="One irrelevant but similar passage can cut a reader's accuracy by 30 %",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-32",
    source="attested",
    statement="A single irrelevant passage can reduce accuracy by 30 % (G2).",
    formal=(
        "Reader toy: it answers from a passage sampled by softmax(cosine / 0.05) over the gold passage "
        "(cosine 0.8), four unrelated ones and one irrelevant distractor of cosine s with a wrong "
        "answer. Claim ('can'): for some s ≤ 0.8, accuracy drops by at least 30 % relative."
    ),
    interpretation=("'Can' read existentially over the distractor's similarity; the 30 % is relative.",),
    waivers={"symbolic": "an empirical claim about readers",
             "property": "the simulation sweeps the one parameter, the distractor's similarity"},
    expect="tested",
)


@DISTRACTION.check("simulation")
def accuracy_against_distractor(rng, scale):
    trials = 2000 if scale == "default" else 200_000
    clean = toys.distracted_accuracy(rng, None, trials)
    similarities = np.array([0.5, 0.6, 0.7, 0.75, 0.8])
    distracted = np.array([toys.distracted_accuracy(rng, s, trials) for s in similarities])
    drops = 1 - distracted / clean
    violation = None if drops.max() >= 0.3 else {"largest_relative_drop": float(drops.max())}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(similarities, drops, "o-")
    ax.axhline(0.3, color="k", ls=":", label="30 %")
    ax.set_xlabel("cosine of the irrelevant passage with the query")
    ax.set_ylabel("relative accuracy drop")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure, figures={f"drop[s={s:g}]": float(d) for s, d in zip(similarities, drops)},
                           detail=f"clean accuracy {clean:.3f}; one distractor per question")
