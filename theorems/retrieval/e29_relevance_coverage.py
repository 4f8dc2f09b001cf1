"""E-29, Relevance–coverage dilemma (§5): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import lemma, sim, smt
from simulations import retrieval as toys

# ---------------------------------------------------------------------------------------------
# E-29: relevance against coverage, in three readings.
# ---------------------------------------------------------------------------------------------

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
    statement=("Universal reading: on every retrieval instance (document lengths, a token budget, relevances in "
               "[0, 1], the aspects each document covers), no set that fits the budget is both most precise (largest "
               "mean relevance) and most covering (most aspects covered) among the sets that fit."),
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
    kind="claim",
    paper_ref="§5",
    claim_ref="E-29",
    source="attested",
    statement=("Existential reading: some retrieval instance has no set that fits the budget and is both most "
               "precise (largest mean relevance) and most covering (most aspects covered); instances of two and "
               "three documents are exhibited."),
    formal=(
        "$\\exists$ an instance of three documents and three aspects on which no feasible set is both "
        "precision-optimal and coverage-optimal (z3 witness over the same encoding as the universal reading, "
        "replayed exactly). The property test builds a family of such instances and checks them with the "
        "simulations' exact solver."
    ),
    interpretation=("The existential reading (E), as literal as the universal one (the words 'forces a trade-off' "
                    "quantify over no instances): it adds nothing to the claim, so it is a reading, not a correction "
                    "of the refuted universal reading; the probabilistic reading is "
                    "retrieval.relevance_coverage_probabilistic.",),
    claim_note=("an existential: z3 exhibits one three-document instance, the property test a family of two-document "
                "instances and the simulation counts random ones; each exhibits instances, so no universal formula "
                "over shared parameters exists to declare"),
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
    statement=(
        "Probabilistic reading, under one instance law: 4, 6 or 8 documents of integer lengths uniform on 50–399 "
        "tokens, relevance uniform on [0, 1], each of 6 aspects covered independently with probability 0.3, and a "
        "budget of 20, 30, 40, 50 or 60 % of the total length (at least the shortest document); the most precise and the most covering feasible sets are disjoint with "
        "frequency at least 0.1 at every size and budget swept."
    ),
    formal=(
        "Instances with 4–8 documents (lengths 50–400 tokens, relevance uniform, each of 6 aspects with "
        "probability 0.3) and budgets from 20 % to 60 % of the total length: the frequency of disjoint "
        "optima is at least 0.1 at every size and budget swept (measured minimum: about 0.2)."
    ),
    interpretation=("A variant: the instance law is a choice made here (the claim names none), and the result "
                    "is a property of that law only.",),
    claim_note="a frequency over a distribution of instances, which only the simulation's sweep measures",
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
