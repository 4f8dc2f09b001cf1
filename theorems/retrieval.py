"""§5 of the paper, retrieval fragility: claims E-28 … E-32.

Retrieval instances are small enough to solve exactly by enumerating subsets; the failure bound
is stated over joint distributions of three events, R = {d* ∈ D_r}, A = {the model attends to
d*} and S = {the answer is right}. In z3 a joint law is written as unnormalised masses w[r][a][s] ≥ 0
with a positive total (P = mass/total): this ranges over every joint law and lets the cross-check's
random points meet the setting often (a simplex stated with the equality Σ m = 1 is met by no random
point). Inequalities between probabilities are stated multiplied through by the positive total.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import axiom, cas, lemma, sim, smt
from simulations import retrieval as toys

# A boundary mutant of a comparison that carries a rounding tolerance (a ≤ b + 1e-9 → a < b + 1e-9) is the
# same assertion as far as any floating-point run can tell; named on each lemma that has one.
TOLERANCE = ("the comparison carries a rounding tolerance, so the strict and non-strict forms are the same "
             "assertion at floating-point precision: no run can tell them apart")

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
    statement=("RAG systems are constrained by a token budget $B$: $\\sum_{d \\in D_r} \\mathrm{len}(d) \\le B$ (G2); "
               "RAG as constrained optimisation (G1)."),
    formal=(
        "$\\max \\sum_{d \\in D_r} \\mathrm{rel}(d)$ subject to $\\sum_{d \\in D_r} \\mathrm{len}(d) \\le B$. Two "
        "independent exact solvers (enumeration of every subset, and dynamic programming over the budget) must "
        "agree; greedy top-k by relevance is feasible and never better."
    ),
    interpretation=("Additive utility; the query and instructions are not charged to B.",),
    variables={"seed": "the seed of the random instance", "documents": "the number of documents"},
    explain=lambda cx: f"on a random instance with {cx.get('documents')} documents the exact solvers disagree",
    waivers={"symbolic": "a definition; what is checked is that the exact solvers used by E-29 and E-30 are right"},
    survivors={"LtE → Lt": TOLERANCE},
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
    exact = lambda chosen: sum((Fraction(float(r)) for r in instance.relevance[list(chosen)]), Fraction(0))  # noqa: E731
    assert exact(greedy) <= max((exact(s) for s in sets), default=Fraction(0))  # in exact arithmetic


@BUDGET.check("simulation")
def greedy_against_optimal(rng, scale):
    greedy, optimal = [], []
    for _ in range(300 if scale == "default" else 30_000):
        instance = toys.random_instance(rng, 10)
        subsets, values, fits = toys.relevance_of_subsets(instance)  # each set valued by the same arithmetic
        optimal.append(values[fits].max())
        greedy.append(values[subsets.index(toys.greedy_relevance(instance))])
    greedy, optimal = np.array(greedy), np.array(optimal)
    ratios = np.where(optimal > 0, greedy / np.where(optimal > 0, optimal, 1), 1.0)
    violation = None if ratios.max() <= 1 else {"greedy_over_optimal": float(ratios.max())}
    return sim.Observation(violation=violation, figures={"greedy_mean_fraction": float(ratios.mean()),
                                                          "greedy_worst_fraction": float(ratios.min())},
                           slack=sim.slack(greedy[optimal > 0], optimal[optimal > 0], side="upper"),
                           detail="random 10-document instances: greedy top-k never beats the exact optimum")


# ---------------------------------------------------------------------------------------------
# E-29: relevance against coverage, in three readings.
# ---------------------------------------------------------------------------------------------

DILEMMA_STATEMENT = (
    "The relevance–coverage dilemma forces a trade-off between precision-oriented and recall-oriented "
    "retrieval that cannot be simultaneously optimised under a fixed context window (G1, P1)."
)
DOCUMENTS, ASPECTS = 3, 3


def _instance(q):
    """A retrieval instance of DOCUMENTS documents in z3: integer lengths and budget, relevance in
    [0, 1], and which of ASPECTS aspects each document covers. Returns, for every non-empty subset,
    whether it fits the budget and whether it is both precision-optimal (largest mean relevance)
    and coverage-optimal (most aspects covered) among the sets that fit."""
    lengths = q.ints(" ".join(f"len{i}" for i in range(DOCUMENTS)))
    (budget,) = q.ints("budget")
    relevance = q.reals(" ".join(f"rel{i}" for i in range(DOCUMENTS)))
    covers = [q.bools(" ".join(f"covers{i}_{j}" for j in range(ASPECTS))) for i in range(DOCUMENTS)]
    q.domain(budget >= 1, *[length >= 1 for length in lengths],
             *[smt.And(r >= 0, r <= 1) for r in relevance])
    subsets = [s for size in range(1, DOCUMENTS + 1) for s in itertools.combinations(range(DOCUMENTS), size)]
    fits = {s: sum(lengths[i] for i in s) <= budget for s in subsets}
    precision = {s: sum(relevance[i] for i in s) / len(s) for s in subsets}
    coverage = {s: sum(smt.If(smt.Or(*[covers[i][j] for i in s]), 1, 0) for j in range(ASPECTS)) for s in subsets}
    q.domain(smt.Or(*fits.values()))  # some set fits, so that both optima exist
    both = {s: smt.And(fits[s], *[smt.Implies(fits[t], smt.And(precision[s] >= precision[t], coverage[s] >= coverage[t]))
                                  for t in subsets]) for s in subsets}
    return subsets, both


def _as_instance(values):
    """A z3 counterexample or witness of `_instance`, as the simulations' Instance."""
    return toys.Instance(np.array([int(values[f"len{i}"]) for i in range(DOCUMENTS)]),
                         np.array([float(values[f"rel{i}"]) for i in range(DOCUMENTS)]),
                         np.array([[bool(values.get(f"covers{i}_{j}", False)) for j in range(ASPECTS)]
                                   for i in range(DOCUMENTS)]), int(values["budget"]))


def _optima_disjoint(**values):
    """The universal claim in the simulations' own code: no set is both most precise and most covering."""
    precise, covering = toys.optima(_as_instance(values))
    return not (precise & covering)


def _explain_instance(cx):
    if "lengths" in cx:
        return (f"{cx.get('documents')} document(s) of {cx['lengths']} tokens, budget {cx['budget']}: the set "
                f"{cx['both_optimal']} is both most precise and most covering")
    if "len0" not in cx:
        return f"an instance on which one feasible set is both most precise and most covering: {dict(cx)}"
    instance = _as_instance(cx)
    precise, covering = toys.optima(instance)
    return (f"documents of {instance.lengths.tolist()} tokens with relevance {np.round(instance.relevance, 3).tolist()} "
            f"and budget {instance.budget}: the set {sorted(precise & covering)[:1]} is both most precise and most "
            f"covering")


INSTANCE_VARIABLES = {"budget": "the token budget B", **{f"len{i}": f"the length of document {i}" for i in range(DOCUMENTS)},
                      **{f"rel{i}": f"the relevance of document {i}" for i in range(DOCUMENTS)},
                      "covers0_0": "whether document 0 covers aspect 0 (and so on)"}

UNIVERSAL = lemma(
    "retrieval.relevance_coverage_universal",
    title="Universal reading: the most precise and the most covering feasible sets never coincide",
    kind="claim",
    paper_ref="§5",
    claim_ref="E-29",
    source="attested",
    statement=DILEMMA_STATEMENT,
    formal=(
        "$\\forall$ instances: $\\arg\\max_{\\text{feasible}} \\mathrm{Prec} \\cap \\arg\\max_{\\text{feasible}} "
        "\\mathrm{Cov} = \\emptyset$. z3, on every instance of three documents and three aspects (lengths, budget, "
        "relevance, coverage free): no feasible set is both precision-optimal and coverage-optimal. The "
        "counterexample is replayed in the simulations' own solver (toys.optima)."
    ),
    interpretation=("Precision = mean relevance of the chosen set; coverage = aspects covered; ties kept.",),
    variables=INSTANCE_VARIABLES,
    explain=_explain_instance,
    expect="refuted",
)


@UNIVERSAL.check("z3")
def never_both(q):
    subsets, both = _instance(q)
    q.replay(_optima_disjoint)
    q.prove(smt.And(*[smt.Not(both[s]) for s in subsets]))


@UNIVERSAL.check("hypothesis")
@settings(max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), documents=st.integers(1, 7))
def optima_disjoint(seed, documents):
    precise, covering = toys.optima(toys.random_instance(np.random.default_rng(seed), documents))
    assert not (precise & covering), f"a set is optimal for both: {sorted(precise & covering)}"


@UNIVERSAL.check("simulation")
def coincidences_by_size(rng, scale):
    rows, violation = {}, None
    trials = 100 if scale == "default" else 10_000
    for documents in (1, 2, 4, 8):
        together = 0
        for _ in range(trials):
            instance = toys.random_instance(rng, documents)
            precise, covering = toys.optima(instance)
            if precise & covering:
                together += 1
                if violation is None:
                    violation = {"documents": documents, "lengths": instance.lengths.tolist(),
                                 "relevance": instance.relevance.tolist(), "budget": instance.budget,
                                 "both_optimal": sorted(precise & covering)[0]}
        rows[f"coincidence_rate[{documents} docs]"] = together / trials
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
    formal=(
        "$\\exists$ an instance of three documents and three aspects on which no feasible set is both "
        "precision-optimal and coverage-optimal (z3 witness over the same encoding as the universal reading, "
        "replayed exactly). The property test builds a family of such instances and checks them with the "
        "simulations' exact solver."
    ),
    interpretation=("The existential reading (E); the probabilistic reading is retrieval.relevance_coverage_probabilistic.",),
    variables={"high": "the relevance of the narrow document", "low": "the relevance of the broad one"},
    explain=lambda cx: (f"with relevances {cx.get('high')} and {cx.get('low')} the built instance does not force a "
                        f"choice"),
    expect="proved",
)


@EXISTENTIAL.check("z3")
def some_instance_forces_a_choice(q):
    subsets, both = _instance(q)
    q.exists(smt.And(*[smt.Not(both[s]) for s in subsets]))


@EXISTENTIAL.check("hypothesis")
@given(high=st.floats(0.51, 1.0), low=st.floats(0.0, 0.5))
def built_instance_forces_a_choice(high, low):
    # two documents of 100 tokens, a budget for one: the relevant one covers one aspect, the other three
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
        "optima is at least 0.1 at every size and budget swept (measured minimum: about 0.2)."
    ),
    interpretation=("The instance distribution is a choice made here; the claim names none.",),
    variables={"documents": "the number of documents", "budget_fractions": "the budgets swept", "rates": "the frequencies"},
    explain=lambda cx: f"with {cx.get('documents')} documents the optima are disjoint less than 10 % of the time",
    waivers={"symbolic": "a frequency over a distribution of instances",
             "property": "a frequency; only the simulation's sweep estimates it"},
    expect="tested",
)


@PROBABILISTIC.check("simulation")
def disjoint_frequency(rng, scale):
    trials = 60 if scale == "default" else 6000
    figures, violation, lowest = {}, None, []
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
        lowest.append(min(rates))
        if min(rates) < 0.1 and violation is None:
            violation = {"documents": documents, "budget_fractions": fractions.tolist(), "rates": rates}
        ax.plot(fractions, rates, "o-", label=f"{documents} documents")
    ax.axhline(0.1, color="k", ls=":")
    ax.set_xlabel("budget / total length")
    ax.set_ylabel("frequency of disjoint optima")
    ax.legend()
    return sim.Observation(violation=violation, figures=figures, plot=figure,
                           slack=sim.slack(lowest, 0.1, side="lower"),
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
        "For nested retrieved sets $D^1 \\subseteq D^2$, $I(Y; D^2) \\le I(Y; D^1)$. sympy, exactly: a fair bit $Y$ "
        "seen through two independent copies flipped with probability 3/10 has $I(Y; D_1, D_2) > I(Y; D_1)$."
    ),
    interpretation=("What grows is the retrieved set itself; the fixed-budget reading is retrieval.breadth_fixed_budget.",),
    variables={"first": "the flip probability of the first retrieved copy of Y",
               "second": "the flip probability of the second", "k": "documents retrieved"},
    explain=lambda cx: ((f"a fair bit seen through copies flipped with probabilities {cx['first']:.3g} and "
                         f"{cx['second']:.3g}: the second copy adds information") if "first" in cx else
                        "adding a noisy copy of the target to the retrieved set raises the information it holds"),
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


INFORMATION_CHAIN_RULE = axiom(
    "retrieval.information_chain_rule",
    title="Chain rule of mutual information; conditional mutual information is non-negative",
    statement=("For discrete random variables $Y, D^1, D^2$: $I(Y; D^1, D^2) = I(Y; D^1) + I(Y; D^2 \\mid D^1)$, and "
               "$I(Y; D^2 \\mid D^1) \\ge 0$."),
    reference=("Cover & Thomas (2006), Elements of Information Theory, 2nd ed., Wiley: Theorem 2.5.2 (chain rule "
               "for information) and Theorem 2.6.3 with its Corollary, I(X; Y | Z) ≥ 0 (from the information "
               "inequality, i.e. Gibbs' inequality)."),
    formal="The form applied: $I(Y; D^1, D^2) - I(Y; D^1) = I(Y; D^2 \\mid D^1) \\ge 0$ for every joint pmf on finite alphabets.",
    claim_ref="E-30",
    expect="tested",
)


def _conditional_information(joint):
    """I(Y; D2 | D1) computed directly from its definition, for a joint pmf [y, d1, d2]."""
    d1 = joint.sum(axis=(0, 2))
    total = 0.0
    for index, mass in enumerate(d1):
        if mass > 0:
            total += mass * toys.mutual_information(joint[:, index, :] / mass)
    return total


@INFORMATION_CHAIN_RULE.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), sizes=st.tuples(st.integers(2, 4), st.integers(2, 4), st.integers(2, 4)),
       concentration=st.sampled_from([0.1, 1.0]))
def chain_rule_instances(seed, sizes, concentration):
    joint = np.random.default_rng(seed).dirichlet(np.full(np.prod(sizes), concentration)).reshape(sizes)
    both = toys.mutual_information(joint.reshape(sizes[0], -1))
    first = toys.mutual_information(joint.sum(axis=2))
    conditional = _conditional_information(joint)
    assert math.isclose(both, first + conditional, rel_tol=1e-9, abs_tol=1e-12)
    assert conditional >= -1e-12


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
        "about the target: $I(Y; D^1, D^2) = I(Y; D^1) + I(Y; D^2 \\mid D^1) \\ge I(Y; D^1)$. Breadth hurts only "
        "through what the reader does with it, or when a budget truncates (retrieval.breadth_fixed_budget)."
    ),
    formal=("$I(Y; D^1, D^2) \\ge I(Y; D^1)$ for every joint law: the cited chain rule and non-negativity of "
            "conditional mutual information (retrieval.information_chain_rule), tested on random joint laws."),
    uses=("retrieval.information_chain_rule",),
    variables={"seed": "the seed of the random joint law", "sizes": "the alphabet sizes of (Y, D¹, D²)"},
    explain=lambda cx: f"a joint law of (Y, D¹, D²) with alphabet sizes {cx.get('sizes')} where D² lowers I",
    waivers={"symbolic": "the statement is an instance of the cited theorem retrieval.information_chain_rule "
                         "(Cover & Thomas 2006, Thm 2.5.2 and 2.6.3); the suite does not re-prove it"},
    survivors={"GtE → Gt": TOLERANCE},
    expect="tested",
)


@NESTED_GROWS.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), sizes=st.tuples(st.integers(2, 4), st.integers(2, 4), st.integers(2, 4)))
def second_document_never_lowers_information(seed, sizes):
    joint = np.random.default_rng(seed).dirichlet(np.ones(np.prod(sizes))).reshape(sizes)  # [y, d1, d2]
    one = toys.mutual_information(joint.sum(axis=2))
    two = toys.mutual_information(joint.reshape(sizes[0], -1))
    assert two >= one - 1e-12


@NESTED_GROWS.check("simulation")
def random_nested_laws(rng, scale):
    gains = []
    for _ in range(5000 if scale == "default" else 500_000):
        joint = rng.dirichlet(np.ones(27) * 0.3).reshape(3, 3, 3)
        gains.append(toys.mutual_information(joint.reshape(3, -1)) - toys.mutual_information(joint.sum(axis=2)))
    worst = float(min(gains))
    violation = None if worst >= -1e-12 else {"smallest_gain": worst}
    return sim.Observation(violation=violation, figures={"smallest_gain": worst},
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
        "The retrieved set is the top $B$ of a candidate pool ranked by a score; a wider pool adds candidates. "
        "(i) z3, by induction on the pool size $n$: with $C(n)$ the number of the first $n + 1$ other candidates "
        "that outscore $d^*$, for every $m \\le n$, $C(n) < B \\Rightarrow C(m) < B$: if $d^*$ survives the cut of "
        "the wider pool it survives that of every narrower one, on every draw of the scores, so $P(d^* \\in D_r)$ "
        "is non-increasing in the pool size. (ii) sympy: for a reader that answers a fair binary fact right "
        "when $d^*$ is retained and guesses otherwise, $I(Y; \\text{answer}) = \\ln 2 - h((1 - r)/2)$ has "
        "derivative $\\tfrac12 \\ln\\frac{1 + r}{1 - r} \\ge 0$ in the retention $r \\in [0, 1]$, so the information "
        "falls with the pool too."
    ),
    interpretation=("What grows is the candidate pool; the budget B and the ranking noise are fixed.",),
    variables={"n": "the wider pool's last index", "m": "the narrower pool's last index", "B": "the budget",
               "beats": "which candidates outscore d*", "pool": "the pool size", "budget": "the budget",
               "signal": "the relevant document's score advantage, in noise units"},
    explain=lambda cx: (f"with budget {cx.get('budget')} and signal {cx.get('signal')}, a pool of {cx.get('pool')} "
                        f"retains d* more often than a narrower one" if "pool" in cx else
                        f"d* is cut from a narrower pool but kept in a wider one: {dict(cx)}"),
    survivors={"LtE → Lt": TOLERANCE},
    expect="proved",
)


@FIXED.check("z3")
def coupling(q):
    n, m, budget = q.ints("n m B")
    beats = q.function("beats", "Int", "Bool")  # whether the k-th other candidate outscores d*
    count = q.recursive_function("outscoring", base=smt.If(beats(0), 1, 0),
                                 step=lambda k, previous: previous + smt.If(beats(k), 1, 0), sort="Int")
    q.domain(m >= 0, budget >= 1)
    q.induction(n, start=0)
    q.prove(smt.Implies(smt.And(m <= n, count(n) < budget), count(m) < budget))


@FIXED.check("sympy")
def information_rises_with_retention():
    retained = sp.Symbol("r", positive=True)
    error = (1 - retained) / 2  # the reader guesses when d* is lost
    joint = [[(1 - error) / 2, error / 2], [error / 2, (1 - error) / 2]]  # [fact, answer]; both marginals 1/2
    information = sum(cell * sp.log(cell / sp.Rational(1, 4)) for row in joint for cell in row)
    return cas.Bound(sp.diff(information, retained), {retained: (0.0, 1.0)}, name="derivative_non_negative")


@FIXED.check("hypothesis")
@settings(max_examples=40)
@given(pool=st.integers(2, 400), budget=st.integers(1, 10), signal=st.floats(0.0, 4.0), extra=st.integers(1, 100))
def retention_probability_never_gains(pool, budget, signal, extra):
    # the exact retention probability (quadrature, no sampling) for two pool sizes
    narrow, wide = toys.exact_retention(pool, budget, signal), toys.exact_retention(pool + extra, budget, signal)
    assert wide <= narrow + 1e-9
    assert toys.retained_information(min(1.0, wide)) <= toys.retained_information(min(1.0, narrow)) + 1e-9


@FIXED.check("simulation")
def retention_against_pool(rng, scale):
    pools = np.unique(np.logspace(1, 4, 9).astype(int))
    trials = 2000 if scale == "default" else 200_000
    retained = np.array([toys.retained_fraction(rng, int(n), 5, 2.0, trials) for n in pools])  # fresh draws per pool
    exact = np.array([toys.exact_retention(int(n), 5, 2.0) for n in pools])
    information = np.array([toys.retained_information(r) for r in retained])
    noise = 5 * np.sqrt(exact * (1 - exact) / trials) + 1e-9
    violation = None
    if np.any(np.abs(retained - exact) > noise) or np.any(np.diff(exact) > 0):
        violation = {"pools": pools.tolist(), "retained": retained.tolist(), "exact": exact.tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.semilogx(pools, retained, "o", label="P(d* in the top 5), sampled")
    ax.semilogx(pools, exact, "k-", label="P(d* in the top 5), exact")
    ax.semilogx(pools, information / np.log(2), "s-", label="I(Y; answer) in bits")
    ax.set_xlabel("candidate pool size")
    ax.set_ylabel("probability, or bits")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           figures={"retained_at_10": float(retained[0]), "retained_at_10000": float(retained[-1])},
                           slack=sim.slack(np.abs(retained - exact) + 1e-12, noise, side="upper"),
                           detail=("top-5 of a pool ranked by a noisy score (signal 2σ): independent samples per pool "
                                   "match the exact retention, which falls with the pool"))


# ---------------------------------------------------------------------------------------------
# E-31: Pr[failure] ≥ 1 − Pr[d* ∈ D_r] · Pr[the model attends to d*].
# ---------------------------------------------------------------------------------------------

FAILURE_STATEMENT = ("$\\Pr[\\text{failure}] \\ge 1 - \\Pr[d^* \\in D_r] \\cdot \\Pr[\\text{LLM attends to } d^*]$ "
                     "(G1, G2).")
CELLS = [(r, a, s) for r in (0, 1) for a in (0, 1) for s in (0, 1)]


def _joint_law(q):
    """A joint law of (R, A, S) as unnormalised masses: weights w[r][a][s] ≥ 0 with a positive total,
    P(cell) = mass/total, and a switch `fallback`: when it is off, the cells where the answer is right
    without R ∩ A carry no mass (success ⊆ R ∩ A). With the switch on every joint law is reached;
    with it off, every joint law without a fallback. Returns the masses of the events of interest,
    the total, and the switch. A claim between probabilities is stated multiplied through by the
    total (or its square, for a product of two probabilities), which is equivalent since it is
    positive, and keeps the claim polynomial."""
    weight = {cell: q.reals(f"w{cell[0]}{cell[1]}{cell[2]}")[0] for cell in CELLS}
    (fallback,) = q.bools("fallback")
    mass = {cell: (smt.If(fallback, w, 0) if cell[2] == 1 and not (cell[0] and cell[1]) else w)
            for cell, w in weight.items()}
    total = sum(mass.values())
    q.domain(smt.And(*[w >= 0 for w in weight.values()], total > 0))  # the setting: a probability law
    law = {
        "retrieved": sum(v for (r, _, _), v in mass.items() if r),
        "attends": sum(v for (_, a, _), v in mass.items() if a),
        "both": mass[1, 1, 0] + mass[1, 1, 1],
        "success": sum(v for (_, _, s), v in mass.items() if s),
        "success_without_both": sum(v for (r, a, s), v in mass.items() if s and not (r and a)),
        "total": total,
    }
    return law, fallback


def _marginal_form(law):
    """1 − P(S) ≥ 1 − P(R)·P(A), multiplied through by total²."""
    total = law["total"]
    return total * (total - law["success"]) >= total * total - law["retrieved"] * law["attends"]


def _conditional_form(law):
    """1 − P(S) ≥ 1 − P(R ∩ A), multiplied through by the total."""
    return law["total"] - law["success"] >= law["total"] - law["both"]


def _explain_joint(cx, bound="marginal"):
    """A sentence for a counterexample: the joint law's probabilities, from its weights, against the
    marginal bound 1 − P(R)·P(A) or the conditional one 1 − P(R ∩ A)."""
    if "w111" not in cx:
        if "correlation" in cx:
            return (f"retrieving and attending correlated at {cx['correlation']:.3g}: the failure rate falls below "
                    f"the bound")
        return f"counterexample {dict(cx)}"
    fallback = bool(cx.get("fallback", False))
    mass = {cell: float(cx.get(f"w{cell[0]}{cell[1]}{cell[2]}", 0)) for cell in CELLS}
    if not fallback:
        mass = {cell: (0.0 if cell[2] == 1 and not (cell[0] and cell[1]) else v) for cell, v in mass.items()}
    total = sum(mass.values()) or 1.0
    p = {cell: v / total for cell, v in mass.items()}
    retrieved = sum(v for (r, _, _), v in p.items() if r)
    attends = sum(v for (_, a, _), v in p.items() if a)
    both = p[1, 1, 0] + p[1, 1, 1]
    success = sum(v for (_, _, s), v in p.items() if s)
    stated = (f"1 − P(R)·P(A) = {1 - retrieved * attends:.3g}" if bound == "marginal" else
              f"1 − P(R ∩ A) = {1 - both:.3g}")
    return (f"P(R) = {retrieved:.3g}, P(A) = {attends:.3g}, P(R ∩ A) = {both:.3g}, P(right) = {success:.3g}"
            f"{' with a parametric fallback' if fallback else ''}: P(fail) = {1 - success:.3g} is below {stated}")


JOINT_VARIABLES = {"w111": "weight of (retrieved, attended, right); wRAS likewise for each cell",
                   "fallback": "whether the answer can be right without a retrieved and attended d*",
                   "correlation": "the correlation between retrieving and attending", "seed": "the seed of the joint"}


def _failure_simulation(rng, scale, allow_fallback, bound_of, title):
    """Random joints of (R, A, S) swept over the correlation of R and A: the smallest P(fail) − bound,
    and the slack of the bound where it is positive."""
    correlations = np.linspace(-1, 1, 9)
    worst, violation, failures, bounds = [], None, [], []
    for correlation in correlations:
        margins = []
        for _ in range(500 if scale == "default" else 50_000):
            law = toys.joint_of_events(rng, allow_fallback, correlation)
            bound = bound_of(law)
            margins.append((1 - law["success"]) - bound)
            if bound > 0:
                failures.append(1 - law["success"])
                bounds.append(bound)
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
                           slack=sim.slack(failures, bounds, side="lower"),
                           detail="random joints of (R, A, S) swept over the correlation of R and A")


MARGINAL_BOUND = lemma(
    "retrieval.failure_bound_marginal",
    title="Failure bound with the marginal Pr[attends]: fails when retrieving and attending correlate",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="attested",
    statement=FAILURE_STATEMENT,
    formal="$\\forall$ joints with success $\\subseteq R \\cap A$: $1 - P(S) \\ge 1 - P(R)\\,P(A)$, with the marginal $P(A)$.",
    interpretation=("P(A) marginal; success only through R ∩ A; R and A may correlate.",),
    variables=JOINT_VARIABLES,
    explain=_explain_joint,
    expect="refuted",
)


@MARGINAL_BOUND.check("z3")
def marginal_bound(q):
    law, fallback = _joint_law(q)
    q.given(smt.Not(fallback))
    q.prove(_marginal_form(law))


@MARGINAL_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def marginal_bound_on_random_joints(seed, correlation):
    law = toys.joint_of_events(np.random.default_rng(seed), False, correlation)
    assert 1 - law["success"] >= 1 - law["p_r"] * law["p_a"] - 1e-12, \
        f"P(fail) = {1 - law['success']:.3f} < 1 − P(R)P(A) = {1 - law['p_r'] * law['p_a']:.3f}"


@MARGINAL_BOUND.check("simulation")
def marginal_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda law: 1 - law["p_r"] * law["p_a"], "bound with the marginal P(A)")


CONDITIONAL_BOUND = lemma(
    "retrieval.failure_bound_conditional",
    title="With Pr[attends | retrieved], the bound holds whenever success needs both",
    kind="correction",
    corrects="retrieval.failure_bound_marginal",
    paper_ref="§5",
    claim_ref="E-31",
    source="reconstructed",
    statement=(
        "Read with the conditional probability, $\\Pr[\\text{fail}] \\ge 1 - \\Pr[d^* \\in D_r]\\cdot\\Pr[\\text{attends} "
        "\\mid d^* \\in D_r] = 1 - \\Pr[R \\cap A]$ holds for every joint, correlated or not, as long as the answer can "
        "only be right through a retrieved and attended $d^*$ (no parametric fallback)."
    ),
    formal=("$\\forall$ joints with success $\\subseteq R \\cap A$: $1 - P(S) \\ge 1 - P(R \\cap A)$ (z3, over every joint "
            "law written as normalised weights; dropping the no-fallback premise gives a counterexample)."),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    expect="proved",
)


@CONDITIONAL_BOUND.check("z3")
def conditional_bound(q):
    law, fallback = _joint_law(q)
    q.given(smt.Not(fallback))
    q.prove(_conditional_form(law))


@CONDITIONAL_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0), perfect_reader=st.booleans())
def conditional_bound_on_random_joints(seed, correlation, perfect_reader):
    # a reader that is always right once it attends to d* attains the bound exactly
    law = toys.joint_of_events(np.random.default_rng(seed), False, correlation, reading=1.0 if perfect_reader else None)
    assert 1 - law["success"] >= 1 - law["both"]


@CONDITIONAL_BOUND.check("simulation")
def conditional_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, False, lambda law: 1 - law["both"], "bound with P(A | R)")


FALLBACK_BOUND = lemma(
    "retrieval.failure_bound_with_fallback",
    title="With a parametric fallback, even the conditional bound fails",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="attested",
    statement=FAILURE_STATEMENT,
    formal="$\\forall$ joints (success also possible without $R \\cap A$): $1 - P(S) \\ge 1 - P(R \\cap A)$.",
    interpretation=("The model may answer from its own parameters when d* is missing or ignored.",),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    expect="refuted",
)


@FALLBACK_BOUND.check("z3")
def fallback_bound(q):
    law, _ = _joint_law(q)
    q.prove(_conditional_form(law))


@FALLBACK_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0))
def fallback_bound_on_random_joints(seed, correlation):
    law = toys.joint_of_events(np.random.default_rng(seed), True, correlation)
    assert 1 - law["success"] >= 1 - law["both"] - 1e-12, \
        f"P(fail) = {1 - law['success']:.3f} < 1 − P(R∩A) = {1 - law['both']:.3f}"


@FALLBACK_BOUND.check("simulation")
def fallback_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, True, lambda law: 1 - law["both"], "with a parametric fallback")


FALLBACK_RATE_BOUND = lemma(
    "retrieval.failure_bound_fallback_rate",
    title="With a fallback that is right at rate φ, the failure bound is scaled by 1 − φ",
    kind="correction",
    corrects="retrieval.failure_bound_with_fallback",
    paper_ref="§5",
    claim_ref="E-31",
    source="reconstructed",
    statement=(
        "When the model can also answer from its parameters, let $\\varphi = \\Pr[\\text{right} \\mid \\lnot(R \\cap A)]$ "
        "be how often it is right without a retrieved and attended $d^*$. Then $\\Pr[\\text{fail}] \\ge "
        "(1 - \\Pr[d^* \\in D_r]\\cdot\\Pr[\\text{attends} \\mid d^* \\in D_r])\\,(1 - \\varphi)$: the paper's bound "
        "(conditional reading) multiplied by the fallback's miss rate; it is the conditional bound when $\\varphi = 0$."
    ),
    formal=("$\\forall$ joints: $1 - P(S) \\ge (1 - P(R \\cap A))(1 - \\varphi)$ with "
            "$\\varphi = P(S \\cap \\lnot(R \\cap A)) / P(\\lnot(R \\cap A))$, taken as 0 when $P(\\lnot(R \\cap A)) = 0$. "
            "sympy: the right side times the total is $T - m(R \\cap A) - m(S \\setminus (R \\cap A))$ for masses $m$; "
            "z3: $T - m(S) \\ge T - m(R \\cap A) - m(S \\setminus (R \\cap A))$ for every joint law (masses "
            "$\\ge 0$, total $T > 0$, fallback allowed or not). When $P(\\lnot(R \\cap A)) = 0$ there is no mass "
            "outside $R \\cap A$ and both sides are $1 - P(S) \\ge 0$."),
    variables=JOINT_VARIABLES,
    explain=lambda cx: _explain_joint(cx, bound="conditional"),
    survivors={"GtE → Gt": TOLERANCE},
    expect="proved",
)


@FALLBACK_RATE_BOUND.check("z3")
def bound_scaled_by_fallback_misses(q):
    law, _ = _joint_law(q)
    # (1 − P(R ∩ A))·(1 − φ)·total = total − both − success_without_both (identity below)
    q.prove(law["total"] - law["success"] >= law["total"] - law["both"] - law["success_without_both"])


@FALLBACK_RATE_BOUND.check("sympy")
def scaled_bound_in_probabilities():
    total, both, fallback_mass = sp.symbols("T b f", positive=True)  # total, mass of R ∩ A, of S outside R ∩ A
    missed = total - both  # mass of not (R ∩ A), positive here; when it is 0, φ := 0 and both sides vanish
    rate = fallback_mass / missed  # φ = P(S | not (R ∩ A))
    return cas.Identity((1 - both / total) * (1 - rate) * total, total - both - fallback_mass,
                        {total: (2.0, 3.0), both: (0.0, 1.0), fallback_mass: (0.0, 1.0)}, name="scaled_bound_cleared")


@FALLBACK_RATE_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), correlation=st.floats(-1.0, 1.0), fallback=st.booleans(),
       perfect_reader=st.booleans())
def scaled_bound_on_random_joints(seed, correlation, fallback, perfect_reader):
    law = toys.joint_of_events(np.random.default_rng(seed), fallback, correlation, reading=1.0 if perfect_reader else None)
    # the law's probabilities in exact arithmetic: P(S) = P(R ∩ A)·reading + (1 − P(R ∩ A))·φ
    both, reading, rate = (Fraction(law[k]) for k in ("both", "reading", "fallback"))
    success = both * reading + (1 - both) * rate
    assert 1 - success >= (1 - both) * (1 - rate)  # attained by a perfect reader


@FALLBACK_RATE_BOUND.check("simulation")
def scaled_bound_sweep(rng, scale):
    return _failure_simulation(rng, scale, True, lambda law: (1 - law["both"]) * (1 - law["fallback"]),
                               "bound scaled by the fallback's miss rate")


INDEPENDENT_BOUND = lemma(
    "retrieval.failure_bound_independent",
    title="If retrieving and attending are independent, the marginal form holds",
    kind="equation",
    paper_ref="§5",
    claim_ref="E-31",
    source="reconstructed",
    statement=FAILURE_STATEMENT,
    formal=(
        "$\\forall$ joints with success $\\subseteq R \\cap A$ and $P(R \\cap A) = P(R)\\,P(A)$: $1 - P(S) \\ge 1 - "
        "P(R)\\,P(A)$ (z3). For binary events, independence is exactly $P(r, a) = P(r)\\,P(a)$ on all four cells, so "
        "the joint laws are written $P(r)\\,P(a)\\,P(s \\mid r, a)$ with each probability a ratio of non-negative "
        "weights, $P(R), P(A), P(S)$ recomputed from the cells, and the claim multiplied through by the squared "
        "normaliser. Dropping the no-fallback premise gives a counterexample; without independence the bound "
        "is retrieval.failure_bound_marginal (refuted)."
    ),
    interpretation=("The reading under which the transcribed formula is exact: R and A independent.",),
    variables={"retrieved_w1": "weight of R (retrieved_w0 of not R)", "attends_w1": "weight of A",
               "reads_w1": "weight of a right answer given R ∩ A", "recalls_w1": "weight of a right answer otherwise",
               "fallback": "whether the answer can be right without R ∩ A", "seed": "the seed of the joint"},
    explain=lambda cx: f"independent retrieval and attention with a fallback: P(fail) drops below 1 − P(R)P(A) ({dict(cx)})",
    survivors={"GtE → Gt": TOLERANCE},
    expect="proved",
)


@INDEPENDENT_BOUND.check("z3")
def independent_bound(q):
    # P(r, a, s) = P(r)·P(a)·P(s | r, a), each factor a ratio of two non-negative weights; every cell
    # is written over the common denominator, the product of the four pair sums
    pair = {name: q.reals(f"{name}_w0 {name}_w1") for name in ("retrieved", "attends", "reads", "recalls")}
    (fallback,) = q.bools("fallback")
    q.domain(smt.And(*[w >= 0 for w0w1 in pair.values() for w in w0w1],
                     *[w0 + w1 > 0 for w0, w1 in pair.values()]))  # the setting: four probabilities
    norm = {name: w0 + w1 for name, (w0, w1) in pair.items()}

    def answer(r, a, s):  # P(s | r, a) times norm["reads"]·norm["recalls"]
        if r and a:
            return pair["reads"][s] * norm["recalls"]  # right at rate reads_w1 / (reads_w0 + reads_w1)
        without = norm["reads"] * norm["recalls"] if s == 0 else 0  # no fallback: never right without R ∩ A
        return smt.If(fallback, pair["recalls"][s] * norm["reads"], without)

    mass = {(r, a, s): pair["retrieved"][r] * pair["attends"][a] * answer(r, a, s) for (r, a, s) in CELLS}
    law = {"retrieved": sum(v for (r, _, _), v in mass.items() if r),
           "attends": sum(v for (_, a, _), v in mass.items() if a),
           "success": sum(v for (_, _, s), v in mass.items() if s),
           "total": norm["retrieved"] * norm["attends"] * norm["reads"] * norm["recalls"]}
    q.given(smt.Not(fallback))
    q.prove(_marginal_form(law))


@INDEPENDENT_BOUND.check("hypothesis")
@given(seed=st.integers(0, 2**32 - 1), perfect_reader=st.booleans())
def independent_bound_on_random_joints(seed, perfect_reader):
    law = toys.joint_of_events(np.random.default_rng(seed), False, 0.0, reading=1.0 if perfect_reader else None)
    assert law["both"] == law["p_r"] * law["p_a"]  # independent
    assert 1 - law["success"] >= 1 - law["p_r"] * law["p_a"]


@INDEPENDENT_BOUND.check("simulation")
def independent_bound_sweep(rng, scale):
    failures, bounds = [], []
    for trial in range(2000 if scale == "default" else 200_000):
        # every other joint has a perfect reader, which attains the bound exactly
        law = toys.joint_of_events(rng, False, 0.0, reading=1.0 if trial % 2 else None)
        failures.append(1 - law["success"])
        bounds.append(1 - law["p_r"] * law["p_a"])
    margins = np.array(failures) - np.array(bounds)
    violation = None if margins.min() >= 0 else {"failure_minus_bound": float(margins.min())}
    return sim.Observation(violation=violation, figures={"worst_margin": float(margins.min())},
                           slack=sim.slack(failures, bounds, side="lower"),
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
        "Bi-encoder toy: $10^5$ random unit vectors in 64 dimensions ($10^6$ at full scale, streamed in chunks); "
        "each target query has one genuine document at cosine 0.8; $k$ injected documents at cosine 0.9. "
        "Success = injected documents hold a majority of the top 5. Claim: success ≥ 0.9 at $k = 5$."
    ),
    interpretation=(
        "Attack success read as retrieval takeover (a poisoned majority in the top 5), not the "
        "generated answer; the embedding model is random, not a trained retriever.",
        "In this toy the outcome is nearly deterministic: once k ≥ 3 injected documents score above the "
        "corpus's best random match (cosine about 0.5 in 64 dimensions), they hold the majority. The sweep over "
        "the injected cosine shows where that threshold lies; the toy says nothing about the 90 % of real attacks.",
    ),
    variables={"k": "injected documents", "success": "fraction of target queries taken over"},
    explain=lambda cx: f"with {cx.get('k')} injected documents only {cx.get('success')} of the target queries were taken over",
    waivers={"symbolic": "an empirical claim about attacks on retrievers",
             "property": "one streamed corpus per run is the unit of evidence; the simulation sweeps k and the cosine"},
    survivors={"GtE → Gt": "a true stronger claim in this toy: every target query is taken over at k = 5 (success 1, not just ≥ 0.9)"},
    expect="tested",
)


@POISONING.check("simulation")
def attack_success_against_k(rng, scale):
    corpus = 100_000 if scale == "default" else 1_000_000
    counts, cosines = (0, 1, 2, 3, 5, 10), (0.9, 0.6, 0.5, 0.4)
    success = toys.poisoning_sweep(rng, corpus, 64, counts, cosines, 50)
    violation = None if success[5, 0.9] >= 0.9 else {"k": 5, "success": success[5, 0.9]}
    figure = sim.new_figure()
    ax = figure.subplots()
    for cosine in cosines:
        # curves that coincide (cosine 0.9 and 0.6 both succeed at k ≥ 3) stay visible: drawn first with larger,
        # hollow markers and wider lines
        order = sorted(cosines, reverse=True).index(cosine)
        ax.plot(counts, [success[k, cosine] for k in counts], marker="os^D"[order % 4], ms=11 - 2.5 * order,
                mfc="none", lw=3.5 - 0.8 * order, alpha=0.85, label=f"injected at cosine {cosine} (genuine 0.8)")
    ax.axhline(0.9, color="k", ls=":", label="90 %")
    ax.set_xlabel("injected documents k")
    ax.set_ylabel("attack success (poisoned majority of top 5)")
    ax.legend(fontsize=7)
    return sim.Observation(violation=violation, plot=figure,
                           figures={f"success[k={k}, cos={c}]": v for (k, c), v in success.items() if c in (0.9, 0.5)},
                           slack=sim.slack(success[5, 0.9], 0.9, side="lower"),
                           detail=f"{corpus} random documents (streamed), 50 target queries per (k, cosine)")


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
        "(cosine 0.8), four unrelated ones and one irrelevant distractor of cosine $s$ with a wrong "
        "answer; accuracy is the probability of sampling the gold passage, averaged over random queries. Claim "
        "('can'): for some $s \\le 0.8$, accuracy drops by at least 30 % relative."
    ),
    interpretation=("'Can' read existentially over the distractor's similarity; the 30 % is relative.",),
    variables={"largest_relative_drop": "the largest relative accuracy drop over the similarities swept"},
    explain=lambda cx: f"no distractor similarity up to 0.8 cut accuracy by 30 % (largest drop {cx.get('largest_relative_drop')})",
    waivers={"symbolic": "an empirical claim about readers",
             "property": "the simulation sweeps the one parameter, the distractor's similarity"},
    survivors={"GtE → Gt": "a true stronger claim: a distractor as similar as the gold passage halves the accuracy (drop 0.5 > 0.3)"},
    expect="tested",
)


@DISTRACTION.check("simulation")
def accuracy_against_distractor(rng, scale):
    trials = 20_000 if scale == "default" else 2_000_000
    clean = toys.distracted_accuracy_batch(rng, None, trials)
    similarities = np.array([0.5, 0.6, 0.7, 0.75, 0.8])
    distracted = np.array([toys.distracted_accuracy_batch(rng, s, trials) for s in similarities])
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
                           slack=sim.slack(float(drops.max()), 0.3, side="lower"),
                           detail=f"clean accuracy {clean:.3f}; one distractor per question, {trials} random queries")
